"""``mercato eval``: score analyses against gold annotations, following SCHEMA.md's scoring rules.

- Names match when their folded forms are equal, one is among the other's mentions, or the tokens
  of one are a subset of the other's.
- Entities: greedy one-to-one matching per article; typed (exact type) and untyped (person /
  organisation / competition) P/R/F1, micro-averaged.
- Claims: (type, player, club) must match; a gold claim with a null club accepts any club. On
  matched claims, status accuracy and date accuracy (same month, or same year when gold gives a year).
- Linking: over pairs of matched entities in different articles, pairwise P/R of "same predicted
  id" against "same gold name".
"""

from __future__ import annotations

import json
import tomllib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mercato.model import EntityType
from mercato.text import fold


@dataclass(slots=True)
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def scores(self) -> dict[str, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {
            "precision": round(p, 4),
            "recall": round(r, 4),
            "f1": round(f, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass(slots=True)
class Accuracy:
    right: int = 0
    total: int = 0

    def add(self, other: Accuracy) -> None:
        self.right += other.right
        self.total += other.total

    def value(self) -> float | None:
        return round(self.right / self.total, 4) if self.total else None


@dataclass(slots=True)
class ArticleScore:
    id: str
    language: str
    entities_typed: Counts = field(default_factory=Counts)
    entities_untyped: Counts = field(default_factory=Counts)
    claims: Counts = field(default_factory=Counts)
    status: Accuracy = field(default_factory=Accuracy)
    date: Accuracy = field(default_factory=Accuracy)
    missed_entities: list[str] = field(default_factory=list)
    spurious_entities: list[str] = field(default_factory=list)
    mistyped_entities: list[str] = field(default_factory=list)
    missed_claims: list[str] = field(default_factory=list)
    spurious_claims: list[str] = field(default_factory=list)
    wrong_status: list[str] = field(default_factory=list)
    wrong_date: list[str] = field(default_factory=list)
    # (gold name, predicted id) for each matched entity, for linking
    links: list[tuple[str, str]] = field(default_factory=list)


def _kind(type_name: str) -> str:
    try:
        return EntityType(type_name).kind
    except ValueError:
        return type_name


def _forms(name: str, mentions: Iterable[str]) -> set[str]:
    return {fold(name)} | {fold(m) for m in mentions if m}


def names_match(a_name: str, a_mentions: Iterable[str], b_name: str, b_mentions: Iterable[str]) -> bool:
    fa, fb = fold(a_name), fold(b_name)
    if not fa or not fb:
        return False
    if fa == fb:
        return True
    if fa in _forms(b_name, b_mentions) or fb in _forms(a_name, a_mentions):
        return True
    ta, tb = set(fa.split()), set(fb.split())
    return ta <= tb or tb <= ta


def _match_entities(gold: list[dict[str, Any]], pred: list[dict[str, Any]], typed: bool) -> list[tuple[int, int]]:
    """Greedy one-to-one matching: exact folded names first, then mentions, then token subsets."""
    pairs: list[tuple[int, int, int]] = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if typed and g.get("type") != p.get("type"):
                continue
            if not typed and _kind(g.get("type", "")) != _kind(p.get("type", "")):
                continue
            if not names_match(g["name"], g.get("mentions", []), p["name"], p.get("mentions", [])):
                continue
            if fold(g["name"]) == fold(p["name"]):
                rank = 0
            elif fold(p["name"]) in _forms(g["name"], g.get("mentions", [])):
                rank = 1
            else:
                rank = 2
            pairs.append((rank, gi, pi))
    pairs.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    out = []
    for _, gi, pi in pairs:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        out.append((gi, pi))
    return out


def _resolve_name(name: str | None, entities: list[dict[str, Any]]) -> dict[str, Any] | None:
    if not name:
        return None
    for e in entities:
        if fold(e["name"]) == fold(name):
            return e
    for e in entities:
        if names_match(name, [], e["name"], e.get("mentions", [])):
            return e
    return None


def _same(
    gold_name: str | None,
    pred_name: str | None,
    gold_entities: list[dict[str, Any]],
    pred_entities: list[dict[str, Any]],
) -> bool:
    if not gold_name or not pred_name:
        return False
    g = _resolve_name(gold_name, gold_entities) or {"name": gold_name, "mentions": []}
    p = _resolve_name(pred_name, pred_entities) or {"name": pred_name, "mentions": []}
    return names_match(g["name"], g.get("mentions", []), p["name"], p.get("mentions", []))


def _date_ok(gold: str | None, pred: str | None) -> bool:
    if gold is None:
        return pred is None
    if pred is None:
        return False
    if len(gold) == 4:
        return pred[:4] == gold
    return pred[:7] == gold[:7]


def _claim_label(c: dict[str, Any]) -> str:
    club = c.get("club") or "-"
    return f"{c.get('type')} {c.get('player')} -> {club} [{c.get('status')}, {c.get('date')}]"


def score_article(gold: dict[str, Any], pred: dict[str, Any]) -> ArticleScore:
    score = ArticleScore(id=gold.get("id", ""), language=gold.get("language", pred.get("language", "?")))
    g_ents = gold.get("entities", [])
    p_ents = pred.get("entities", [])
    typed = _match_entities(g_ents, p_ents, typed=True)
    untyped = _match_entities(g_ents, p_ents, typed=False)
    score.entities_typed = Counts(len(typed), len(p_ents) - len(typed), len(g_ents) - len(typed))
    score.entities_untyped = Counts(len(untyped), len(p_ents) - len(untyped), len(g_ents) - len(untyped))
    matched_g = {gi for gi, _ in untyped}
    matched_p = {pi for _, pi in untyped}
    typed_pairs = set(typed)
    for gi, pi in untyped:
        if (gi, pi) not in typed_pairs:
            score.mistyped_entities.append(
                f"{g_ents[gi]['name']}: gold {g_ents[gi].get('type')}, predicted {p_ents[pi].get('type')}"
            )
        if p_ents[pi].get("id"):
            score.links.append((g_ents[gi]["name"], str(p_ents[pi]["id"])))
    score.missed_entities = [
        f"{g_ents[i]['name']} ({g_ents[i].get('type')})" for i in range(len(g_ents)) if i not in matched_g
    ]
    score.spurious_entities = [
        f"{p_ents[i]['name']} ({p_ents[i].get('type')})" for i in range(len(p_ents)) if i not in matched_p
    ]

    g_claims = gold.get("claims", [])
    p_claims = pred.get("claims", [])
    used: set[int] = set()
    for g in g_claims:
        found = None
        for pi, p in enumerate(p_claims):
            if pi in used or p.get("type") != g.get("type"):
                continue
            if not _same(g.get("player"), p.get("player"), g_ents, p_ents):
                continue
            if g.get("club") is not None and not _same(g.get("club"), p.get("club"), g_ents, p_ents):
                continue
            found = pi
            break
        if found is None:
            score.claims.fn += 1
            score.missed_claims.append(_claim_label(g))
            continue
        used.add(found)
        score.claims.tp += 1
        p = p_claims[found]
        score.status.total += 1
        score.date.total += 1
        if p.get("status") == g.get("status"):
            score.status.right += 1
        else:
            score.wrong_status.append(f"{_claim_label(g)}: predicted {p.get('status')}")
        if _date_ok(g.get("date"), p.get("date")):
            score.date.right += 1
        else:
            score.wrong_date.append(f"{_claim_label(g)}: predicted {p.get('date')}")
    score.claims.fp = len(p_claims) - len(used)
    score.spurious_claims = [_claim_label(p_claims[i]) for i in range(len(p_claims)) if i not in used]
    return score


def linking_counts(scores: list[ArticleScore]) -> Counts:
    """Pairwise linking over matched entities of different articles."""
    items = [(i, fold(g), pid) for i, s in enumerate(scores) for g, pid in s.links]
    counts = Counts()
    for a in range(len(items)):
        for b in range(a + 1, len(items)):
            ia, ga, pa = items[a]
            ib, gb, pb = items[b]
            if ia == ib:
                continue
            same_gold = ga == gb
            same_pred = pa == pb
            if same_gold and same_pred:
                counts.tp += 1
            elif same_pred:
                counts.fp += 1
            elif same_gold:
                counts.fn += 1
    return counts


def _summary(scores: list[ArticleScore]) -> dict[str, Any]:
    typed, untyped, claims = Counts(), Counts(), Counts()
    status, date = Accuracy(), Accuracy()
    for s in scores:
        typed.add(s.entities_typed)
        untyped.add(s.entities_untyped)
        claims.add(s.claims)
        status.add(s.status)
        date.add(s.date)
    return {
        "articles": len(scores),
        "entities_typed": typed.scores(),
        "entities_untyped": untyped.scores(),
        "claims": claims.scores(),
        "status_accuracy": status.value(),
        "date_accuracy": date.value(),
        "linking": linking_counts(scores).scores(),
    }


def load_gold(gold_dir: Path) -> dict[str, dict[str, Any]]:
    gold = {}
    for path in sorted(gold_dir.glob("*.gold.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        gold[data.get("id") or path.name.removesuffix(".gold.json")] = data
    return gold


def evaluate_corpus(corpus: Path, gold_dir: Path) -> dict[str, Any]:
    from mercato.analysis.pipeline import AnalysisError, analyze_article
    from mercato.ingest.files import LoadFailure, iter_articles

    gold = load_gold(gold_dir)
    predictions: dict[str, dict[str, Any]] = {}
    failures: list[str] = []
    seen: set[str] = set()
    for item in iter_articles([corpus]):
        if isinstance(item, LoadFailure):
            failures.append(str(item))
            continue
        if item.id not in gold:
            continue
        seen.add(item.id)
        try:
            predictions[item.id] = analyze_article(item).to_dict()
        except AnalysisError as exc:
            failures.append(f"{item.id}: {exc}")  # scored as all missed
    # gold without an article in this corpus is listed, not scored (a corpus may be a subset)
    absent = sorted(set(gold) - seen)
    report = build_report({k: v for k, v in gold.items() if k in seen}, predictions, failures)
    report["unanalyzed"] = absent
    return report


def build_report(
    gold: dict[str, dict[str, Any]], predictions: dict[str, dict[str, Any]], failures: list[str] | None = None
) -> dict[str, Any]:
    scores = []
    missing = []
    for article_id, g in gold.items():
        p = predictions.get(article_id)
        if p is None:
            missing.append(article_id)
            p = {"entities": [], "claims": [], "language": g.get("language")}
        scores.append(score_article(g, p))
    by_lang: dict[str, list[ArticleScore]] = defaultdict(list)
    for s in scores:
        by_lang[s.language].append(s)
    return {
        "overall": _summary(scores),
        "per_language": {lang: _summary(group) for lang, group in sorted(by_lang.items())},
        "articles": [
            {
                "id": s.id,
                "language": s.language,
                "entities_typed_f1": s.entities_typed.scores()["f1"],
                "claims_f1": s.claims.scores()["f1"],
                "missed_entities": s.missed_entities,
                "spurious_entities": s.spurious_entities,
                "mistyped_entities": s.mistyped_entities,
                "missed_claims": s.missed_claims,
                "spurious_claims": s.spurious_claims,
                "wrong_status": s.wrong_status,
                "wrong_date": s.wrong_date,
            }
            for s in scores
        ],
        "unanalyzed": missing,
        "failures": failures or [],
    }


def _fmt(v: float | None) -> str:
    return "  -  " if v is None else f"{v:.3f}"


def render_report(report: dict[str, Any], details: bool = True) -> str:
    lines = []
    header = (
        f"{'':<8}{'n':>4}  {'ent-typed':>9} {'ent-untyp':>9} {'claims':>7} {'status':>7} {'date':>7} {'linking':>7}"
    )
    lines.append(header)

    def row(label: str, s: dict[str, Any]) -> str:
        return (
            f"{label:<8}{s['articles']:>4}  {_fmt(s['entities_typed']['f1']):>9} {_fmt(s['entities_untyped']['f1']):>9}"
            f" {_fmt(s['claims']['f1']):>7} {_fmt(s['status_accuracy']):>7} {_fmt(s['date_accuracy']):>7}"
            f" {_fmt(s['linking']['f1'] if s['linking']['tp'] + s['linking']['fn'] else None):>7}"
        )

    for lang, s in report["per_language"].items():
        lines.append(row(lang, s))
    lines.append(row("overall", report["overall"]))
    o = report["overall"]
    lines.append(
        f"entities typed P {o['entities_typed']['precision']:.3f} R {o['entities_typed']['recall']:.3f}; "
        f"claims P {o['claims']['precision']:.3f} R {o['claims']['recall']:.3f}; "
        f"linking P {o['linking']['precision']:.3f} R {o['linking']['recall']:.3f}"
    )
    if details:
        for a in report["articles"]:
            problems = [
                ("missed entity", a["missed_entities"]),
                ("spurious entity", a["spurious_entities"]),
                ("mistyped", a["mistyped_entities"]),
                ("missed claim", a["missed_claims"]),
                ("spurious claim", a["spurious_claims"]),
                ("wrong status", a["wrong_status"]),
                ("wrong date", a["wrong_date"]),
            ]
            if not any(items for _, items in problems):
                continue
            lines.append(
                f"-- {a['id']} ({a['language']}): entities {a['entities_typed_f1']:.2f}, claims {a['claims_f1']:.2f}"
            )
            for label, items in problems:
                lines.extend(f"   {label}: {item}" for item in items)
    for f in report["failures"]:
        lines.append(f"failed: {f}")
    if report["unanalyzed"]:
        lines.append(f"{len(report['unanalyzed'])} gold files have no article in the corpus (not scored)")
    return "\n".join(lines)


# -- floors: minimum scores pinned in the repository ----------------------------------------------

_METRICS = {
    "entities_typed_f1": lambda s: s["entities_typed"]["f1"],
    "entities_untyped_f1": lambda s: s["entities_untyped"]["f1"],
    "claims_f1": lambda s: s["claims"]["f1"],
    "status_accuracy": lambda s: s["status_accuracy"],
    "date_accuracy": lambda s: s["date_accuracy"],
    "linking_f1": lambda s: s["linking"]["f1"] if s["linking"]["tp"] + s["linking"]["fn"] else None,
}


def check_floors(report: dict[str, Any], floors_path: Path) -> list[str]:
    """Every metric below its floor, as readable lines. Floors file: [overall] and [per_language]
    tables (the latter applied to every language) of metric = minimum."""
    floors = tomllib.loads(floors_path.read_text(encoding="utf-8"))
    missed = []
    scopes: list[tuple[str, dict[str, Any], dict[str, float]]] = [
        ("overall", report["overall"], floors.get("overall", {}))
    ]
    for lang, summary in report["per_language"].items():
        scopes.append((lang, summary, floors.get("per_language", {})))
    for scope, summary, table in scopes:
        for metric, floor in table.items():
            if metric not in _METRICS:
                missed.append(f"{scope}: unknown metric {metric!r} in {floors_path}")
                continue
            value = _METRICS[metric](summary)
            if value is not None and value + 1e-9 < float(floor):
                missed.append(f"{scope} {metric} {value:.3f} < {float(floor):.3f}")
    if report["failures"]:
        missed.extend(f"analysis failed: {f}" for f in report["failures"])
    return missed
