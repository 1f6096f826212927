"""Render a dossier (the structured dict) as text or Markdown in one of seven languages.

Every word comes from ``templates/<lang>.toml`` (same keys in each language; a key missing in one
falls back to English), filled with the dossier's values: names, dates and numbers are never
translated, sentences are never machine-translated.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from mercato.model import LANGUAGES

TEMPLATES = Path(__file__).parent / "templates"


@lru_cache(maxsize=16)
def templates(lang: str) -> dict[str, dict[str, str]]:
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; use one of {', '.join(LANGUAGES)}")
    base = tomllib.loads((TEMPLATES / "en.toml").read_text(encoding="utf-8"))
    if lang != "en":
        own = tomllib.loads((TEMPLATES / f"{lang}.toml").read_text(encoding="utf-8"))
        for section, values in own.items():
            base.setdefault(section, {}).update(values)
    return base


class _Values(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "?"


class Renderer:
    def __init__(self, lang: str, fmt: str) -> None:
        self.t = templates(lang)
        self.md = fmt == "md"
        self.lines: list[str] = []
        self.articles: dict[int, str] = {}  # text format: urls listed once at the end

    # -- words ------------------------------------------------------------------------------
    def w(self, section: str, key: str | None) -> str:
        if key is None:
            return self.t["label"]["unknown"]
        return self.t.get(section, {}).get(key, key.replace("_", " "))

    def f(self, section: str, key: str, **values: Any) -> str:
        shown = {k: (self.t["label"]["unknown"] if v is None else v) for k, v in values.items()}
        return self.w(section, key).format_map(_Values(shown))

    # -- layout -----------------------------------------------------------------------------
    def title(self, text: str) -> None:
        self.lines.append(f"# {text}" if self.md else text)

    def heading(self, key: str) -> None:
        text = self.w("label", key)
        self.lines.append("")
        self.lines.append(f"## {text}" if self.md else f"{text}:")

    def item(self, text: str, depth: int = 0) -> None:
        pad = "  " * depth
        self.lines.append(f"{pad}- {text}" if self.md else f"{pad}  - {text}")

    def line(self, text: str) -> None:
        self.lines.append(text if self.md else f"  {text}")

    def cite(self, ev: Mapping[str, Any] | None) -> str:
        if not ev:
            return self.w("label", "kb")
        where = self.f("line", "evidence", article=ev.get("article_id"), start=ev.get("start"), end=ev.get("end"))
        url = ev.get("url")
        if url and self.md:
            return f"[{where}]({url})"
        if url and ev.get("article_id") is not None:
            self.articles.setdefault(int(ev["article_id"]), url)
        return where

    def said(self, st: Mapping[str, Any]) -> str:
        """Who said it, where and when: source (platform) · outlet [lang] date."""
        parts = []
        if st.get("source"):
            plat = f" ({st['source_platform']})" if st.get("source_platform") else ""
            parts.append(f"{st['source']}{plat}")
        if st.get("kind") == "alternative":
            parts.append(self.w("label", "quote" if st.get("in_quote") else "alternative"))
        parts.append(
            f"{st.get('outlet') or self.w('label', 'unknown')} [{st.get('language') or '?'}] {st.get('published')}"
        )
        return " · ".join(parts)

    def text(self) -> str:
        if self.articles:
            self.heading("articles")
            for art, url in sorted(self.articles.items()):
                self.item(f"{art}: {url}")
        return "\n".join(self.lines).strip() + "\n"


def render(dossier: Mapping[str, Any], lang: str = "en", fmt: str = "text") -> str:
    r = Renderer(lang, fmt)
    kind = dossier.get("kind")
    if kind == "player":
        _player(r, dossier)
    elif kind == "club":
        _club(r, dossier)
    elif kind == "source":
        _source(r, dossier)
    else:
        raise ValueError(f"not a dossier: kind={kind!r}")
    return r.text()


def _player(r: Renderer, d: Mapping[str, Any]) -> None:
    ident = d["identity"]
    r.title(f"{ident['name']} ({ident['key']})")
    if d.get("at"):
        r.line(r.f("line", "as_at", at=d["at"]))
    if ident["aliases"]:
        r.line(r.f("line", "aliases", aliases=", ".join(ident["aliases"])))
    facts = []
    if ident.get("nationality"):
        facts.append(r.f("line", "nationality", nationality=ident["nationality"]))
    if ident.get("birth_year"):
        key = "born_estimated" if ident.get("birth_year_estimated") else "born"
        facts.append(r.f("line", key, year=ident["birth_year"], age=ident.get("age")))
    if ident.get("position"):
        facts.append(r.f("line", "position", position=r.w("position", ident["position"])))
    if facts:
        r.line(" · ".join(facts))
    club = d.get("club")
    if club:
        r.line(r.f("line", "club", club=club["club"], seen=club["seen"]) + " — " + r.cite(club["evidence"]))
    else:
        r.line(r.f("line", "club", club=None, seen=None))

    con = d.get("contract")
    r.heading("contract")
    if con:
        r.line(
            r.f("line", "contract", until=con["until"], club=con["club"])
            + " — "
            + r.f("line", "preferred_because", reason=r.w("contract_reason", con["reason"]))
        )
        if con["conflict"]:
            r.line(r.f("line", "conflicting_values", values=" ≠ ".join(con["values"])))
        for st in con["statements"]:
            r.item(
                f"{st['value']} · {r.w('type', st['type'])} · {r.w('status', st['status'])} · {r.said(st)} · "
                f"{r.cite(st['evidence'])}"
            )
    else:
        r.line(r.w("label", "none"))

    for key in ("injuries", "exclusions", "conflicts"):
        r.heading(key)
        events = d.get(key) or []
        if not events:
            r.line(r.w("label", "none"))
        for ev in events:
            extra = f" · {ev['counterpart']}" if ev.get("counterpart") else ""
            r.item(
                f"{ev.get('date') or r.w('label', 'undated')} · {ev.get('club') or '—'}{extra} · "
                f"{r.w('status', ev['status'])} · {r.said(ev)} · {r.cite(ev['evidence'])}"
            )
            for alt in ev.get("alternatives") or []:
                r.item(
                    f"{alt.get('value') or r.w('label', 'undated')} · {r.w('status', alt['status'])} · {r.said(alt)}", 1
                )

    r.heading("career")
    car = d["career"]
    for stint in car["stints"]:
        since = r.f("line", "since", since=stint["since"]) if stint.get("since") else ""
        kind = f" ({r.w('type', stint['kind'])})" if stint["kind"] == "loan" else ""
        src = r.w("label", "kb") if stint["source"] == "kb" else r.cite(stint["evidence"])
        r.item(f"{stint['club']}{kind}{(' ' + since) if since else ''} · {src}")
    for stat in car["stats"]:
        if stat["kind"] == "minutes" and not stat.get("club"):
            continue  # match minutes of one season: in the JSON, too fine-grained for the summary
        where = f" ({stat['club']})" if stat.get("club") else ""
        r.item(r.f("stat", stat["kind"], value=stat["value"]) + where + " · " + r.cite(stat["evidence"]))

    fut = d["future"]
    r.heading("future")
    if not fut["links"] and not fut["departures"]:
        r.line(r.w("label", "none"))
    for link in fut["links"]:
        r.item(_link_line(r, link))
        cred = link["credibility"]
        reasons = "; ".join(f"{r.f('reason', x['code'], **x['params'])} ({x['effect']})" for x in cred["reasons"])
        r.item(r.f("line", "reasons", reasons=reasons), 1)
        ladder = " → ".join(f"{r.w('stage', s['stage'])} {s['published']}" for s in link["ladder"])
        r.item(r.f("line", "ladder", ladder=ladder), 1)
    for dep in fut["departures"]:
        r.item(
            r.f("line", "departure", club=dep["club"], date=dep.get("date") or r.w("label", "undated"))
            + f" · {r.w('status', dep['status'])} · {r.said(dep)} · {r.cite(dep['evidence'])}"
        )

    r.heading("chronicle")
    for ev in d["chronicle"]:
        what = r.w("type", ev["type"])
        if ev["career"]:
            what += f" ({r.w('label', 'career_history')})"
        club = ev.get("club") or "—"
        if ev.get("from_club"):
            club = f"{ev['from_club']} → {club}"
        about = f" [{ev['date']}]" if ev.get("date") else ""
        syn = f" · {r.f('line', 'copy_of', article=ev['syndicated_of'])}" if ev.get("syndicated_of") else ""
        said = r.said({**ev, "kind": "claim"})
        r.item(
            f"{ev['published']} · {what}{about} · {club} · {r.w('status', ev['status'])} · {said}{syn} · "
            f"{r.cite(ev['evidence'])}"
        )


def _link_line(r: Renderer, link: Mapping[str, Any]) -> str:
    club = link["club"] or r.w("label", "unnamed_clubs")
    return r.f(
        "line",
        "link",
        club=club,
        stage=r.w("stage", link["stage"]),
        sources=link["independent_sources"],
        copies=link["syndicated_copies"],
        first=link["first_seen"],
        last=link["last_seen"],
        score=f"{link['credibility']['score']:.2f}",
    )


def _club(r: Renderer, d: Mapping[str, Any]) -> None:
    ident = d["identity"]
    r.title(f"{ident['name']} ({ident['key']})")
    if d.get("at"):
        r.line(r.f("line", "as_at", at=d["at"]))
    r.heading("squad")
    if not d["squad"]:
        r.line(r.w("label", "none"))
    for p in d["squad"]:
        r.item(f"{p['player']} · {r.f('line', 'seen', seen=p['since_seen'])}")
    for key in ("incoming", "outgoing"):
        r.heading(key)
        if not d[key]:
            r.line(r.w("label", "none"))
        for row in d[key]:
            dest = f" → {row['club']}" if key == "outgoing" and row.get("club") else ""
            score = (
                f" · {r.w('label', 'credibility')} {row['credibility']:.2f}"
                if row.get("credibility") is not None
                else ""
            )
            r.item(
                f"{row['player']}{dest} · {r.w('stage', row['stage'])} · "
                f"{r.f('line', 'sources', sources=row['independent_sources'])} · {row.get('last_seen')}{score}"
            )


def _source(r: Renderer, d: Mapping[str, Any]) -> None:
    ident = d["identity"]
    r.title(f"{ident['name']} ({ident.get('key') or r.w('type', ident['type'])})")
    out = d["outcomes"]
    acc = f"{out['accuracy'] * 100:.0f}%" if out["accuracy"] is not None else r.w("label", "unknown")
    r.line(
        r.f("line", "outcomes", came_true=out["came_true"], wrong=out["wrong"], pending=out["pending"], accuracy=acc)
    )
    r.heading("claims")
    for c in d["claims"]:
        res = f" · {r.w('outcome', c['outcome'])}" if c.get("outcome") else ""
        r.item(
            f"{c['published']} · {c['player']} · {r.w('type', c['type'])} · {c.get('club') or '—'} · "
            f"{r.w('status', c['status'])}{res} · {r.cite(c['evidence'])}"
        )
