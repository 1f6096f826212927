"""Article text with its entities and claims marked, from the offsets the analysis stored.

Claim evidence (sentences) and entity mentions (names) overlap and claims may overlap each other,
so the text is cut at every offset into segments; each segment knows the claims and the entity
covering it. Runs of segments with the same claims become one ``<mark>``; inside, a mention becomes
a link to the entity's page. Every piece of text goes through ``markupsafe.escape``: the article is
untrusted input, and this is the one place HTML is assembled outside a template.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

from markupsafe import Markup, escape


def _valid(start: Any, end: Any, size: int) -> bool:
    return isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= size


def highlight(text: str, entities: Sequence[Mapping[str, Any]], claims: Sequence[Mapping[str, Any]]) -> Markup:
    """The article text as safe HTML with ``<mark class="claim">`` runs and entity links.

    Each claim gets an empty anchor ``<span id="claim-N">`` at its start, so a dossier can link
    to ``/articles/ID#claim-N``; the ``:target`` rule in the CSS outlines the sentence."""
    size = len(text)
    cuts = {0, size}
    spans: list[tuple[int, int, int]] = []  # (start, end, claim id)
    for c in claims:
        start, end = (c.get("evidence_offsets") or [None, None])[:2]
        if _valid(start, end, size):
            spans.append((start, end, int(c["id"])))
            cuts |= {start, end}
    mentions: list[tuple[int, int, Mapping[str, Any]]] = []
    for e in entities:
        for m in e.get("mentions", []):
            if _valid(m.get("start"), m.get("end"), size):
                mentions.append((m["start"], m["end"], e))
                cuts |= {m["start"], m["end"]}
    bounds = sorted(cuts)
    anchors: dict[int, list[int]] = {}
    for start, _, cid in spans:
        anchors.setdefault(start, []).append(cid)
    out: list[str] = []
    open_claims: tuple[int, ...] = ()
    for a, b in itertools.pairwise(bounds):
        covering = tuple(sorted(cid for s, e, cid in spans if s <= a and b <= e))
        if covering != open_claims:
            if open_claims:
                out.append("</mark>")
            if covering:
                ids = " ".join(str(c) for c in covering)
                out.append(f'<mark class="claim" data-claims="{ids}">')
            open_claims = covering
        for cid in anchors.pop(a, []):
            out.append(f'<span class="anchor" id="claim-{cid}"></span>')
        piece = escape(text[a:b])
        ent = next((e for s, t, e in mentions if s <= a and b <= t), None)
        if ent is not None:
            out.append(_entity_link(ent, piece))
        else:
            out.append(str(piece))
    if open_claims:
        out.append("</mark>")
    return Markup("".join(out))  # every text piece above was escaped


def _entity_link(ent: Mapping[str, Any], piece: Markup) -> str:
    etype = escape(str(ent.get("type") or "entity"))
    title = escape(f"{ent.get('name')} ({ent.get('type')})")
    page = ent.get("page")
    if page:
        href = escape(f"/{page}/{quote(str(ent['key']), safe=':')}")
        return f'<a class="ent ent-{etype}" href="{href}" title="{title}">{piece}</a>'
    return f'<span class="ent ent-{etype}" title="{title}">{piece}</span>'
