"""A readable report of one analysis (``mercato analyze --format text``)."""

from __future__ import annotations

from mercato.model import Analysis, EntityType

_TYPE_ORDER = [
    EntityType.PLAYER,
    EntityType.COACH,
    EntityType.EXECUTIVE,
    EntityType.AGENT,
    EntityType.JOURNALIST,
    EntityType.CLUB,
    EntityType.NATIONAL_TEAM,
    EntityType.COMPETITION,
    EntityType.OUTLET,
]


def render_text(analysis: Analysis) -> str:
    lines = [f"== {analysis.id}: {analysis.title or ''}".rstrip()]
    meta = [f"language {analysis.language}", f"published {analysis.published or 'unknown'}"]
    if analysis.outlet:
        meta.append(f"outlet {analysis.outlet}")
    if analysis.author:
        meta.append(f"by {analysis.author}")
    lines.append("   " + " | ".join(meta))
    for w in analysis.warnings:
        lines.append(f"   warning: {w}")
    lines.append("Entities")
    for etype in _TYPE_ORDER:
        group = [e for e in analysis.entities if e.type is etype]
        if not group:
            continue
        names = []
        for e in group:
            extra = [m for m in e.mentions if m != e.name]
            attrs = ", ".join(f"{k} {v}" for k, v in e.attributes.items())
            text = e.name + (f" ({' / '.join(extra)})" if extra else "") + (f" [{attrs}]" if attrs else "")
            names.append(text)
        lines.append(f"  {etype.value:<13} " + "; ".join(names))
    lines.append("Claims")
    if not analysis.claims:
        lines.append("  (none)")
    for c in analysis.claims:
        parts = [f"{c.type.value:<18}", c.player]
        if c.club:
            parts.append(f"-> {c.club}")
        if c.from_club:
            parts.append(f"(from {c.from_club})")
        head = " ".join(parts)
        info = [c.status.value, c.date or "no date"]
        if c.source:
            info.append(f"source {c.source}" + (f" on {c.source_platform}" if c.source_platform else ""))
        lines.append(f"  {head}  [{', '.join(info)}]")
        evidence = " ".join(c.evidence.split())
        if len(evidence) > 160:
            evidence = evidence[:157] + "..."
        lines.append(f"      \u201c{evidence}\u201d @{c.evidence_span[0]}-{c.evidence_span[1]}")
        if c.detail:
            lines.append(f"      note: {c.detail}")
    if analysis.facts:
        lines.append("Facts")
        for f in analysis.facts:
            where = f" at {f.club}" if f.club else ""
            lines.append(f"  {f.subject}: {f.value} {f.kind}{where}")
    return "\n".join(lines)
