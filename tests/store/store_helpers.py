"""Hand-built articles and analyses for store tests, and a small real analyzer the CLI can load
(``MERCATO_ANALYZER=store_helpers:analyze``) so store behaviour is tested without the analysis engine.

The analyzer reads a tiny line format: each line ``P|Name|type|mention;mention|nationality``,
``C|Name|kb_id`` or ``T|type|Player|Club|status`` declares entities and claims, other lines are prose.
A line ``FAIL`` makes it raise, like an analyzer meeting text it cannot handle.
"""

from __future__ import annotations

from mercato.model import Analysis, Article, Claim, ClaimType, Entity, EntityType, Span, Status
from mercato.text import slug

FILLER = (
    "Il calciomercato estivo entra nel vivo e le società lavorano ai rinforzi per la prossima stagione "
    "mentre i tifosi seguono ogni indiscrezione sui giornali e sui social con grande attenzione."
)


def person(name: str, mentions: list[str] | None = None, etype: str = "player", **attrs: object) -> Entity:
    toks = name.split()
    pid = f"person:{slug(toks[0] + ' ' + toks[-1])}" if len(toks) > 1 else f"person:{slug(name)}"
    return Entity(id=pid, name=name, type=EntityType(etype), mentions=mentions or [name], attributes=dict(attrs))


def club(name: str, kb_id: str | None = None) -> Entity:
    return Entity(id=f"club:{kb_id or slug(name)}", name=name, type=EntityType.CLUB, mentions=[name], kb_id=kb_id)


def claim(ctype: str, player: Entity, club_: Entity | None, status: str = "reported", **kw: object) -> Claim:
    return Claim(
        type=ClaimType(ctype),
        player=player.name,
        club=club_.name if club_ else None,
        status=Status(status),
        player_id=player.id,
        club_id=club_.id if club_ else None,
        evidence=kw.pop("evidence", "evidence"),  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    )


def article(aid: str, body: str, url: str | None = None, published: str = "2024-05-06") -> Article:
    return Article(id=aid, text=f"{body}\n\n{FILLER}", url=url, published=published, language="it", origin=aid)


def analysis_for(art: Article, entities: list[Entity], claims: list[Claim] | None = None) -> Analysis:
    for ent in entities:
        # Spans where the mentions occur, like the engine gives them.
        ent.spans = []
        for m in ent.mentions:
            at = art.text.find(m)
            if at >= 0:
                ent.spans.append(Span(at, at + len(m), m))
    return Analysis(
        id=art.id, language="it", published=art.published, entities=entities, claims=claims or [], url=art.url
    )


def analyze(art: Article) -> Analysis:
    """The line-format analyzer described in the module docstring."""
    entities: dict[str, Entity] = {}
    claims: list[Claim] = []
    for line in art.text.splitlines():
        parts = line.strip().split("|")
        if parts[0] == "FAIL":
            raise ValueError("cannot analyse this text")
        if parts[0] == "P" and len(parts) >= 3:
            mentions = parts[3].split(";") if len(parts) > 3 and parts[3] else None
            attrs = {"nationality": parts[4]} if len(parts) > 4 and parts[4] else {}
            ent = person(parts[1], mentions, parts[2], **attrs)
            entities[ent.name] = ent
        elif parts[0] == "C" and len(parts) >= 2:
            ent = club(parts[1], parts[2] if len(parts) > 2 and parts[2] else None)
            entities[ent.name] = ent
        elif parts[0] == "T" and len(parts) >= 5:
            p, c = entities[parts[2]], entities.get(parts[3])
            claims.append(claim(parts[1], p, c, parts[4]))
    return analysis_for(art, list(entities.values()), claims)
