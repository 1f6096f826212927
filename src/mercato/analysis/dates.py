"""Time expressions, resolved against the article's publication date.

Results are ISO strings as precise as the text allows: "2025-06", "2014", "2024-04-29".
The rules follow ANNOTATION_GUIDE.md: contract ends in June, "end of season" is June of the
season's last year, a vague "this summer" gives the year only, "in January" the next January.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from mercato.analysis.patterns import PatternSet, base_placeholders, compile_patterns, phrase_before
from mercato.lang import LanguagePack
from mercato.text import fold_keep_length

_ISO = re.compile(r"^\s*((?:19|20)\d\d)(?:-(\d\d)(?:-(\d\d))?)?")
_URL_YMD = re.compile(r"/((?:19|20)\d\d)/(\d\d)/(\d\d)/")
_URL_DMY = re.compile(r"/(\d\d)/(\d\d)/((?:19|20)\d\d)/")
_SEASON = re.compile(r"(?<![\w/])((?:19|20)\d\d)\s*[/-]\s*((?:19|20)?\d\d)(?![\w/])")


@dataclass(frozen=True, slots=True)
class PubDate:
    year: int
    month: int | None = None
    day: int | None = None

    def iso(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def as_date(self) -> date:
        """A concrete day for arithmetic: the middle of the month when only the month is known."""
        return date(self.year, self.month or 6, self.day or 15)


def parse_iso_date(value: str | None) -> PubDate | None:
    if not value:
        return None
    m = _ISO.match(str(value))
    if not m:
        return None
    year = int(m.group(1))
    month = int(m.group(2)) if m.group(2) else None
    day = int(m.group(3)) if m.group(3) else None
    if month is not None and not 1 <= month <= 12:
        return PubDate(year)
    if day is not None and not 1 <= day <= 31:
        day = None
    return PubDate(year, month, day)


def date_from_url(url: str | None) -> PubDate | None:
    if not url:
        return None
    m = _URL_YMD.search(url)
    if m and 1 <= int(m.group(2)) <= 12:
        return PubDate(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _URL_DMY.search(url)
    if m and 1 <= int(m.group(2)) <= 12:
        return PubDate(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    return None


def date_from_text_head(text: str, pack: LanguagePack) -> PubDate | None:
    """A date stated at the top of the text: "date 2024-06", "18 Ott 2024", "June 11, 2024"."""
    head = "\n".join(text.split("\n")[:4])
    m = re.search(r"\b((?:19|20)\d\d)-(\d\d)(?:-(\d\d))?\b", head)
    if m:
        return parse_iso_date(m.group(0))
    folded = fold_keep_length(head)
    months = pack.time["months"]
    names = "|".join(sorted((re.escape(fold_keep_length(k)) for k in months), key=len, reverse=True))
    m = re.search(rf"\b(\d{{1,2}})\.?\s+({names})\.?\s+((?:19|20)\d\d)\b", folded)
    if m:
        return PubDate(int(m.group(3)), months_lookup(pack)[m.group(2)], int(m.group(1)))
    m = re.search(rf"\b({names})\.?\s+(\d{{1,2}}),?\s+((?:19|20)\d\d)\b", folded)
    if m:
        return PubDate(int(m.group(3)), months_lookup(pack)[m.group(1)], int(m.group(2)))
    return None


@lru_cache(maxsize=16)
def _months_lookup(code: str, items: tuple[tuple[str, int], ...]) -> dict[str, int]:
    return {fold_keep_length(k): v for k, v in items}


def months_lookup(pack: LanguagePack) -> dict[str, int]:
    return _months_lookup(pack.code, tuple(pack.time["months"].items()))


# -- expressions inside the text ------------------------------------------------------------------


@dataclass(slots=True)
class TimeExpr:
    start: int
    end: int
    value: str  # ISO, as precise as stated
    kind: str  # "month_year", "year", "month", "mid_year", "season", "relative", "ago", "years_left", "season_end"
    month: int | None = None  # for a bare month name: which month (the year depends on the claim)
    since: bool = False  # preceded by "since/from": a start, not an event date
    until: bool = False  # preceded by "until/by": an end date (contracts)
    after_club: bool = False  # in a career sentence: stated right after the previous club


@dataclass(slots=True)
class _TimePatterns:
    month_year: re.Pattern[str]
    month_only: re.Pattern[str]
    year: re.Pattern[str]
    mid_year: PatternSet
    season_end: PatternSet
    relative: PatternSet
    years_ago: PatternSet
    years_left: PatternSet
    numbers: dict[str, int]
    months: dict[str, int]
    relative_rules: dict[str, str]


@lru_cache(maxsize=16)
def _patterns(code: str) -> _TimePatterns:
    from mercato.lang import load_pack

    pack = load_pack(code)
    t = pack.time
    month_names = base_placeholders(pack)["month"]
    connectors = [fold_keep_length(w) for w in t.get("month_year_connectors", [])]
    conn = "".join(rf"(?:{re.escape(c)}\s+)?" for c in connectors)
    return _TimePatterns(
        month_year=re.compile(rf"(?<!\w)({month_names})\.?\s+{conn}((?:19|20)\d\d)(?!\w)"),
        month_only=re.compile(rf"(?<!\w)({month_names})(?![\w])"),
        year=re.compile(r"(?<![\w/.,-])((?:19|20)\d\d)(?![\w/]|\s*[/-]\s*\d)"),
        mid_year=compile_patterns([f"{w} {{year}}" for w in t["mid_words"]], pack),
        season_end=compile_patterns(t["season_end"], pack),
        relative=compile_patterns(list(t["relative"]), pack),
        years_ago=compile_patterns(t["years_ago"], pack),
        years_left=compile_patterns(t["contract_years_left"], pack),
        numbers={fold_keep_length(k): int(v) for k, v in pack.core["number_words"].items()},
        months=months_lookup(pack),
        relative_rules=dict(t["relative"]),
    )


def _number(value: str, numbers: dict[str, int]) -> int | None:
    if value.isdigit():
        return int(value)
    return numbers.get(value)


def _next_month(pub: PubDate, month: int) -> str:
    """The next occurrence of a month from the publication date (this month counts)."""
    pub_month = pub.month or 1
    year = pub.year if month >= pub_month else pub.year + 1
    return f"{year:04d}-{month:02d}"


def last_month(pub: PubDate, month: int) -> str:
    """The latest occurrence of a month up to the publication date (events already happened)."""
    pub_month = pub.month or 12
    year = pub.year if month <= pub_month else pub.year - 1
    return f"{year:04d}-{month:02d}"


def season_end_year(pub: PubDate) -> int:
    """The year a season in progress ends: seasons run July-June."""
    return pub.year + 1 if (pub.month or 6) >= 7 else pub.year


def resolve_rule(rule: str, pub: PubDate) -> str | None:
    month = pub.month or 6
    if rule == "season_end":
        return f"{season_end_year(pub):04d}-06"
    if rule == "this_summer":
        return f"{pub.year if month <= 9 else pub.year + 1:04d}"
    if rule == "next_summer":
        return f"{pub.year if month <= 5 else pub.year + 1:04d}"
    if rule == "this_winter":
        # in January-March "this winter" is the window just open; later it is the coming one
        return f"{pub.year if month <= 3 else pub.year + 1:04d}-01"
    if rule in ("next_winter", "next_january"):
        return f"{pub.year if month == 1 else pub.year + 1:04d}-01"
    if rule == "next_season":
        return f"{season_end_year(pub):04d}"
    if rule in ("today", "yesterday", "days_ago", "last_week", "weeks_ago"):
        if pub.month is None:
            return pub.iso()
        back = {"today": 0, "yesterday": 1, "days_ago": 7, "last_week": 7, "weeks_ago": 14}[rule]
        if pub.day is None:
            return pub.iso()
        d = pub.as_date() - timedelta(days=back)
        return f"{d.year:04d}-{d.month:02d}"
    if rule == "this_year":
        return f"{pub.year:04d}"
    if rule == "next_year":
        return f"{pub.year + 1:04d}"
    if rule == "last_year":
        return f"{pub.year - 1:04d}"
    return None


def find_time_expressions(folded: str, start: int, end: int, pack: LanguagePack, pub: PubDate | None) -> list[TimeExpr]:
    """Every time expression in folded[start:end], resolved when the publication date allows."""
    p = _patterns(pack.code)
    found: list[TimeExpr] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    def add(a: int, b: int, value: str | None, kind: str) -> None:
        if value and free(a, b):
            found.append(TimeExpr(a, b, value, kind))
            taken.append((a, b))

    for m in p.mid_year.finditer(folded, start, end):
        add(m.start, m.end, f"{m.groups['year']}-06", "mid_year")
    for m in p.month_year.finditer(folded, start, end):
        add(m.start(), m.end(), f"{m.group(2)}-{p.months[m.group(1)]:02d}", "month_year")
    for m in _SEASON.finditer(folded, start, end):
        first = int(m.group(1))
        second = m.group(2)
        last = int(second) if len(second) == 4 else (first // 100) * 100 + int(second)
        if last == first + 1:
            add(m.start(), m.end(), f"{last:04d}", "season")
    for m in p.years_left.finditer(folded, start, end):
        n = _number(m.groups.get("n", ""), p.numbers)
        if n is not None and pub is not None and 0 < n < 10:
            add(m.start, m.end, f"{pub.year + n:04d}-06", "years_left")
    for m in p.years_ago.finditer(folded, start, end):
        n = _number(m.groups.get("n", ""), p.numbers)
        if n is not None and pub is not None and 0 < n < 60:
            add(m.start, m.end, f"{pub.year - n:04d}", "ago")
    for m in p.season_end.finditer(folded, start, end):
        if pub is not None:
            add(m.start, m.end, resolve_rule("season_end", pub), "season_end")
    for m in p.relative.finditer(folded, start, end):
        rule = p.relative_rules.get(m.phrase)
        if rule and pub is not None:
            add(m.start, m.end, resolve_rule(rule, pub), "relative")
    for m in p.year.finditer(folded, start, end):
        add(m.start(), m.end(), m.group(1), "year")
    for m in p.month_only.finditer(folded, start, end):
        # month names that are also ordinary words ("mar", "set") only count in full
        if len(m.group(1)) >= 4 and pub is not None:
            add(m.start(), m.end(), _next_month(pub, p.months[m.group(1)]), "month")
            found[-1].month = p.months[m.group(1)] if found and found[-1].start == m.start() else None
    # since / until cues just before an expression ("fino al 2026", "dal 2017", "tot medio 2022")
    until = phrase_before(pack, "time", "until_words")
    since = phrase_before(pack, "time", "since_words")
    for expr in found:
        expr.until = until.ends_before(folded, expr.start, skip_words=2, skip_numbers=True)
        expr.since = since.ends_before(folded, expr.start, skip_words=1, skip_numbers=True)
    found.sort(key=lambda e: e.start)
    return found
