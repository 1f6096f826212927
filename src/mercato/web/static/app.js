// mercato: progressive enhancement only. Every page works without this file.
// - search suggestions (fetch /api/v1/search as you type, arrow keys + Enter)
// - the language switch submits itself on change
// - on an article page, pointing at a claim in the side list lights up its sentence
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  var PAGE = { players: "player", clubs: "club", sources: "source" };

  function initSuggest(input) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    if (!list) return;
    var timer = null, active = -1, items = [], seq = 0;

    function close() {
      list.hidden = true; list.innerHTML = ""; items = []; active = -1;
      input.setAttribute("aria-expanded", "false");
    }
    function select(i) {
      items.forEach(function (a, j) { a.setAttribute("aria-selected", j === i ? "true" : "false"); });
      active = i;
      if (items[i]) input.setAttribute("aria-activedescendant", items[i].id);
    }
    function show(hits) {
      list.innerHTML = ""; items = [];
      hits.filter(function (h) { return h.page; }).slice(0, 8).forEach(function (h, i) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = "/" + h.page + "/" + encodeURIComponent(h.key).replace(/%3A/g, ":");
        a.id = "sugg-" + i;
        a.setAttribute("role", "option");
        var name = document.createElement("span");
        name.textContent = h.name;            // textContent: names come from articles
        var kind = document.createElement("span");
        kind.className = "kind";
        kind.textContent = (PAGE[h.page] ? h.type : h.page) + (h.claims ? " · " + h.claims : "");
        a.appendChild(name); a.appendChild(kind);
        li.appendChild(a); list.appendChild(li); items.push(a);
      });
      list.hidden = items.length === 0;
      input.setAttribute("aria-expanded", items.length ? "true" : "false");
      active = -1;
    }
    function query() {
      var q = input.value.trim();
      if (q.length < 2) { close(); return; }
      var mine = ++seq;
      fetch(input.dataset.suggest + "?limit=8&q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { items: [] }; })
        .then(function (data) { if (mine === seq) show(data.items || []); })
        .catch(close);
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(query, 120); });
    input.addEventListener("keydown", function (e) {
      if (list.hidden) return;
      if (e.key === "ArrowDown") { e.preventDefault(); select(Math.min(items.length - 1, active + 1)); }
      else if (e.key === "ArrowUp") { e.preventDefault(); select(Math.max(0, active - 1)); }
      else if (e.key === "Enter" && active >= 0) { e.preventDefault(); window.location.href = items[active].href; }
      else if (e.key === "Escape") { close(); }
    });
    document.addEventListener("click", function (e) { if (!list.contains(e.target) && e.target !== input) close(); });
  }

  function initAutosubmit(select) {
    select.addEventListener("change", function () { select.form.submit(); });
  }

  function initClaimHover() {
    document.querySelectorAll(".claims-list [data-claim]").forEach(function (link) {
      var id = link.getAttribute("data-claim");
      var marks = Array.prototype.filter.call(document.querySelectorAll("mark.claim"), function (m) {
        return (" " + m.getAttribute("data-claims") + " ").indexOf(" " + id + " ") >= 0;
      });
      function on() { marks.forEach(function (m) { m.classList.add("active"); }); }
      function off() { marks.forEach(function (m) { m.classList.remove("active"); }); }
      link.addEventListener("mouseenter", on); link.addEventListener("focus", on);
      link.addEventListener("mouseleave", off); link.addEventListener("blur", off);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-suggest]").forEach(initSuggest);
    document.querySelectorAll("select[data-autosubmit]").forEach(initAutosubmit);
    initClaimHover();
  });
})();
