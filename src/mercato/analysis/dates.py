"""Time expressions, resolved against the article's publication date.

Results are ISO strings as precise as the text allows: "2025-06", "2014", "2024-04-29".
The rules follow ANNOTATION_GUIDE.md: contract ends in June, "end of season" is June of the
season's last year, a vague "this summer" gives the year only, "in January" the next January.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any, cast

from mercato.analysis.patterns import PatternSet, base_placeholders, compile_patterns, patterns_for, phrase_before
from mercato.lang import LanguagePack
from mercato.text import fold_keep_length

if TYPE_CHECKING:
    from mercato.analysis.document import Doc

_ISO = re.compile(r"^\s*((?:19|20)\d\d)(?:-(\d\d)(?:-(\d\d))?)?")
_URL_YMD = re.compile(r"/((?:19|20)\d\d)/(\d\d)/(\d\d)/")
_URL_DMY = re.compile(r"/(\d\d)/(\d\d)/((?:19|20)\d\d)/")
_SEASON = re.compile(r"(?<![\w/])((?:19|20)\d\d)\s*[/-]\s*((?:19|20)?\d\d)(?![\w/])")
# "30.06.2026", "30/06/2026" (day first; month first only when the first number cannot be a month)
_NUMERIC_DATE = re.compile(r"(?<![\w/.])(\d{1,2})[./](\d{1,2})[./]((?:19|20)\d\d)(?![\w/]|\.\d)")


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


# -- league calendars: "the 23rd matchday" -> a month ----------------------------------------------


@dataclass(frozen=True, slots=True)
class SeasonCalendar:
    """When a league plays its rounds: the first and last matchday (month, day) of a usual season
    and an optional winter break. Data: the KB competitions (``matchdays``, ``season_start``,
    ``season_end``, ``winter_break``)."""

    matchdays: int
    start: tuple[int, int]
    end: tuple[int, int]
    winter_break: tuple[tuple[int, int], tuple[int, int]] | None = None


# A competition nobody named: a European league of 38 rounds from mid-August to late May.
GENERIC_CALENDAR = SeasonCalendar(38, (8, 15), (5, 25))


def _month_day(value: Any) -> tuple[int, int] | None:
    m = re.fullmatch(r"(\d\d)-(\d\d)", str(value))
    if not m or not 1 <= int(m.group(1)) <= 12 or not 1 <= int(m.group(2)) <= 28 + 3 * (int(m.group(1)) != 2):
        return None
    return int(m.group(1)), int(m.group(2))


def calendar_from_attrs(attrs: Mapping[str, Any]) -> SeasonCalendar | None:
    """A KB competition's calendar, or None when it has none (cups, tournaments)."""
    n = attrs.get("matchdays")
    if n is None:
        return None
    start, end = _month_day(attrs.get("season_start")), _month_day(attrs.get("season_end"))
    if not isinstance(n, int) or n < 1 or start is None or end is None:
        return None
    brk = attrs.get("winter_break")
    pause = None
    if isinstance(brk, list) and len(brk) == 2:
        a, b = _month_day(brk[0]), _month_day(brk[1])
        pause = (a, b) if a and b else None
    return SeasonCalendar(n, start, end, pause)


def _on_or_after(day: date, md: tuple[int, int]) -> date:
    d = date(day.year, *md)
    return d if d >= day else date(day.year + 1, *md)


def _round_day(n: int, cal: SeasonCalendar, first_year: int) -> date:
    """The day of round n in the season starting in first_year, spread evenly over the playing days."""
    first = date(first_year, *cal.start)
    last = _on_or_after(first, cal.end)
    pause_start = pause_days = 0
    if cal.winter_break is not None:
        b0 = _on_or_after(first, cal.winter_break[0])
        b1 = _on_or_after(b0, cal.winter_break[1])
        if b1 <= last:
            pause_start, pause_days = b0.toordinal(), (b1 - b0).days
    playing = (last - first).days - pause_days
    frac = (n - 1) / (cal.matchdays - 1) if cal.matchdays > 1 else 0.0
    day = first + timedelta(days=round(frac * playing))
    if pause_days and day.toordinal() >= pause_start:
        day += timedelta(days=pause_days)
    return day


def matchday_month(n: int, cal: SeasonCalendar, pub: PubDate) -> str | None:
    """The month of round n (negative: counted from the last round) in the season the article is
    about: of the seasons around the publication date, the one that puts the round nearest to it."""
    if n < 0:
        n = cal.matchdays + 1 + n
    if not 1 <= n <= cal.matchdays:
        return None
    when = pub.as_date()
    days = [_round_day(n, cal, y) for y in (pub.year - 1, pub.year, pub.year + 1)]
    best = min(days, key=lambda d: abs((d - when).days))
    return f"{best.year:04d}-{best.month:02d}"


def season_calendars(doc: Doc) -> Callable[[int, int], SeasonCalendar]:
    """Which league a matchday at [start, end) belongs to: a competition named in its sentence
    (nearest, preferring one after it: "23esima giornata di Serie A"), else the league of a club
    of the sentence, else of the article's most named club, else a generic European league."""
    key = ("season_calendars",)
    cached = doc.cache.get(key)
    if cached is not None:
        return cast("Callable[[int, int], SeasonCalendar]", cached)
    from mercato.model import EntityType

    def entry_calendar(kb_id: str | None) -> SeasonCalendar | None:
        entry = doc.kb.get(kb_id) if kb_id else None
        return calendar_from_attrs(entry.attrs) if entry is not None else None

    def league_calendar(kb_id: str | None) -> SeasonCalendar | None:
        entry = doc.kb.get(kb_id) if kb_id else None
        league = entry.attrs.get("league") if entry is not None else None
        return entry_calendar(league) if isinstance(league, str) else None

    def article_league() -> SeasonCalendar:
        counts: dict[int, int] = {}
        for i, e in enumerate(doc.entities):
            if e.type is EntityType.CLUB and league_calendar(e.kb_id) is not None:
                counts[i] = len(e.mentions)
        main = max(counts, key=lambda i: counts[i]) if counts else None
        return (league_calendar(doc.entities[main].kb_id) if main is not None else None) or GENERIC_CALENDAR

    starts = [s.start for s in doc.sentences]

    def calendar_at(start: int, end: int) -> SeasonCalendar:
        si = max(0, bisect_right(starts, start) - 1)
        s = doc.sentences[si] if doc.sentences else None
        mentions = doc.mentions_in(s.start, s.end) if s is not None else []
        competitions: list[tuple[int, SeasonCalendar]] = []
        clubs: list[SeasonCalendar] = []
        for m in mentions:
            e = doc.entities[m.entity] if m.entity >= 0 else None
            if e is None:
                continue
            if e.type is EntityType.COMPETITION and (cal := entry_calendar(e.kb_id)) is not None:
                distance = m.start - end if m.start >= end else (start - m.end) + 1000
                competitions.append((distance, cal))
            elif e.type is EntityType.CLUB and (cal := league_calendar(e.kb_id)) is not None:
                clubs.append(cal)
        if competitions:
            return min(competitions, key=lambda x: x[0])[1]
        return clubs[0] if clubs else article_league()  # only worked out when a matchday is met

    doc.cache[key] = calendar_at
    return calendar_at


# -- expressions inside the text ------------------------------------------------------------------


@dataclass(slots=True)
class TimeExpr:
    start: int
    end: int
    value: str  # ISO, as precise as stated
    # "month_year", "year", "month", "mid_year", "season_year", "season", "relative", "ago",
    # "years_left", "season_end", "matchday"
    kind: str
    month: int | None = None  # for a bare month name: which month (the year depends on the claim)
    since: bool = False  # preceded by "since/from": a start, not an event date
    until: bool = False  # preceded by "until/by": an end date (contracts)
    after_club: bool = False  # in a career sentence: stated right after the previous club
    rule: str | None = None  # for a relative expression: its rule ("today", "next_summer", ...)


@dataclass(slots=True)
class _TimePatterns:
    month_year: re.Pattern[str]
    month_only: re.Pattern[str]
    season_year: re.Pattern[str]
    season_modified: re.Pattern[str]
    season_alone: re.Pattern[str]
    year: re.Pattern[str]
    mid_year: PatternSet
    season_end: PatternSet
    relative: PatternSet
    years_ago: PatternSet
    years_later: PatternSet
    years_earlier: PatternSet
    years_left: PatternSet
    length_words: PatternSet
    matchday: PatternSet
    numbers: dict[str, int]
    ordinals: dict[str, int]
    months: dict[str, int]
    seasons: dict[str, str]  # season word -> "summer" / "winter", month word -> "month"
    modifiers: dict[str, str]
    lengths: dict[str, int]
    relative_rules: dict[str, str]
    # first words of month and season names: a sentence holding none skips those expressions
    month_heads: frozenset[str] = frozenset()
    season_heads: frozenset[str] = frozenset()


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)) or "(?!)"


@lru_cache(maxsize=16)
def _patterns(code: str) -> _TimePatterns:
    from mercato.lang import load_pack

    pack = load_pack(code)
    t = pack.time
    month_names = base_placeholders(pack)["month"]
    connectors = [fold_keep_length(w) for w in t.get("month_year_connectors", [])]
    conn = "".join(rf"(?:{re.escape(c)}\s+)?" for c in connectors)
    seasons = {fold_keep_length(k): v for k, v in t["seasons"].items()}
    seasons.update({fold_keep_length(w): "month" for w in t["month_words"]})  # "il mese scorso"
    lengths = {fold_keep_length(k): int(v) for k, v in t.get("contract_length_words", {}).items()}
    ordinals = {fold_keep_length(k): int(v) for k, v in t["ordinal_words"].items()}
    ordinal = {"ord": _alternation(list(ordinals))}
    modifiers = {fold_keep_length(w): which for which in ("this", "next", "last") for w in t[f"{which}_words"]}
    season_words, mod_words = _alternation(list(seasons)), _alternation(list(modifiers))
    calendar_months = {fold_keep_length(k) for k in t["months"]}
    windows = [w for w, v in seasons.items() if v != "month" and w not in calendar_months]
    gap = r"(?:\s+|(?<='))"  # "prossima estate", "quest'estate"
    return _TimePatterns(
        month_year=re.compile(rf"(?<!\w)({month_names})\.?\s+{conn}((?:19|20)\d\d)(?!\w)"),
        month_only=re.compile(rf"(?<!\w)({month_names})(?![\w])"),
        season_year=re.compile(rf"(?<!\w)({season_words})\s+{conn}((?:19|20)\d\d)(?![\w/])"),
        # "komende zomer", "l'été dernier", "el pasado verano": a modifier before or after the season
        season_modified=re.compile(
            rf"(?<!\w)(?:({mod_words}){gap}({season_words})|({season_words})\s+({mod_words}))(?!\w)"
        ),
        season_alone=re.compile(rf"(?<!\w)({_alternation(windows)})(?!\w)"),
        year=re.compile(r"(?<![\w/.,-])((?:19|20)\d\d)(?![\w/]|\s*[/-]\s*\d)"),
        mid_year=compile_patterns([f"{w} {{year}}" for w in t["mid_words"]], pack),
        season_end=compile_patterns(t["season_end"], pack),
        relative=compile_patterns(list(t["relative"]), pack),
        years_ago=compile_patterns(t["years_ago"], pack),
        years_later=compile_patterns(t["years_later"], pack),
        years_earlier=compile_patterns(t["years_earlier"], pack),
        years_left=compile_patterns(t["contract_years_left"], pack),
        length_words=compile_patterns(list(lengths), pack),
        matchday=compile_patterns(t["matchday"], pack, extra=ordinal, extra_words={"ord": list(ordinals)}),
        numbers={fold_keep_length(k): int(v) for k, v in pack.core["number_words"].items()},
        ordinals=ordinals,
        months=months_lookup(pack),
        seasons=seasons,
        modifiers=modifiers,
        lengths=lengths,
        relative_rules=dict(t["relative"]),
        month_heads=_first_words(fold_keep_length(k) for k in t["months"]),
        season_heads=_first_words(seasons),
    )


_FIRST_WORD = re.compile(r"\w+")


def _first_words(names: Iterable[str]) -> frozenset[str]:
    return frozenset(m.group() for name in names if (m := _FIRST_WORD.search(name)))


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


def month_for(pub: PubDate, month: int, when: str = "near") -> str:
    """A bare month name's year. ``next``: a contract end, always ahead; ``last``: an event that
    happened; ``near``: a move, the nearer occurrence, ahead when within six months ("a gennaio" in
    September is the coming window; "in juni" in August is the past June)."""
    if when == "next" or pub.month is None:
        return _next_month(pub, month)
    if when == "last":
        return last_month(pub, month)
    ahead = (month - pub.month) % 12
    return _next_month(pub, month) if ahead <= 6 else last_month(pub, month)


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
    if rule in ("this_month", "last_month", "next_month") and pub.month is not None:
        y, mo = divmod(pub.year * 12 + pub.month - 1 + {"this_month": 0, "last_month": -1, "next_month": 1}[rule], 12)
        return f"{y:04d}-{mo + 1:02d}"
    if rule == "last_summer":
        # from September the summer just gone is this year's
        return f"{pub.year if month >= 9 else pub.year - 1:04d}"
    if rule == "last_winter":
        # the January window before the current one once it has closed
        return f"{pub.year if month >= 4 else pub.year - 1:04d}-01"
    if rule == "next_season":
        # the summer it starts: until August the coming season is the one about to begin
        return f"{pub.year if month <= 8 else pub.year + 1:04d}"
    if rule in DAY_RULES:
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


# Rules naming a day around the publication: when something was said or done, never an end date.
DAY_RULES = frozenset({"today", "yesterday", "days_ago", "last_week", "weeks_ago"})
# Rules pointing back in time: the only relative expressions that can date a career step.
PAST_RULES = DAY_RULES | {"last_year", "last_summer", "last_winter", "last_month"}

_ANY_YEAR = re.compile(r"(?<![\w/.,-])(?:19|20)\d\d(?![\w/])")


def _year_before(folded: str, pos: int, window: int = 400) -> int | None:
    """The last year stated before pos (a narrative's "five years later" counts from it)."""
    found = _ANY_YEAR.findall(folded, max(0, pos - window), pos)
    return int(found[-1]) if found else None


_BIRTH_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def find_time_expressions(
    folded: str,
    start: int,
    end: int,
    pack: LanguagePack,
    pub: PubDate | None,
    calendar_at: Callable[[int, int], SeasonCalendar] | None = None,
    names: Iterable[tuple[int, int]] = (),
) -> list[TimeExpr]:
    """Every time expression in folded[start:end], resolved when the publication date allows.
    ``calendar_at`` tells the league of a matchday at [start, end) (default: a generic league);
    ``names`` are spans of names, never time ("Henry Winter", "Hannover 96", "Euro 2024")."""
    p = _patterns(pack.code)
    found: list[TimeExpr] = []
    taken: list[tuple[int, int]] = list(names)

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    def add(a: int, b: int, value: str | None, kind: str, rule: str | None = None) -> None:
        if value and free(a, b):
            found.append(TimeExpr(a, b, value, kind, rule=rule))
            taken.append((a, b))

    # "il classe 2000", "Jahrgang 2001", "born in 1999" (the birth years of facts.toml): no date of
    # the news. Not a bare preposition before a year ("del 2021"), which is one.
    for m in patterns_for(pack, "facts", "birth_year").finditer(folded, start, end):
        if all(len(w) <= 3 for w in m.phrase.replace("{year}", "").replace("..", "").split()):
            continue
        y = _BIRTH_YEAR.search(folded, m.start, m.end)
        if y is not None:
            taken.append((y.start(), y.end()))
    words = set(_FIRST_WORD.findall(folded, start, end))
    has_month = not words.isdisjoint(p.month_heads)
    has_season = not words.isdisjoint(p.season_heads)
    has_year = "19" in folded[start:end] or "20" in folded[start:end]
    for m in p.mid_year.finditer(folded, start, end):
        add(m.start, m.end, f"{m.groups['year']}-06", "mid_year")
    for rm in p.month_year.finditer(folded, start, end) if has_month and has_year else ():
        add(rm.start(), rm.end(), f"{rm.group(2)}-{p.months[rm.group(1)]:02d}", "month_year")
    for rm in _NUMERIC_DATE.finditer(folded, start, end) if has_year else ():
        day, month = int(rm.group(1)), int(rm.group(2))
        month = day if month > 12 and day <= 12 else month
        if 1 <= month <= 12:
            add(rm.start(), rm.end(), f"{rm.group(3)}-{month:02d}", "month_year")
    for rm in p.season_year.finditer(folded, start, end) if has_season and has_year else ():
        # "l'estate del 2021", "zomer van 2022": a window of that year; winter is its January
        winter = p.seasons.get(rm.group(1)) == "winter"
        add(rm.start(), rm.end(), f"{rm.group(2)}-01" if winter else rm.group(2), "season_year")
    for rm in _SEASON.finditer(folded, start, end) if has_year else ():
        first = int(rm.group(1))
        second = rm.group(2)
        last = int(second) if len(second) == 4 else (first // 100) * 100 + int(second)
        if last == first + 1:
            add(rm.start(), rm.end(), f"{last:04d}", "season")
    for m in p.years_left.finditer(folded, start, end):
        n = _number(m.groups.get("n", ""), p.numbers)
        if n is not None and pub is not None and 0 < n < 10:
            add(m.start, m.end, f"{pub.year + n:04d}-06", "years_left")
    for m in p.length_words.finditer(folded, start, end):
        if pub is not None:  # "contratto triennale"
            add(m.start, m.end, f"{pub.year + p.lengths[m.phrase]:04d}-06", "years_left")
    for m in p.years_ago.finditer(folded, start, end):
        n = _number(m.groups.get("n", ""), p.numbers)
        if n is not None and pub is not None and 0 < n < 60:
            add(m.start, m.end, f"{pub.year - n:04d}", "ago")
    for m in p.years_later.finditer(folded, start, end):
        # "cinque anni dopo", "l'année suivante": counted from the year the narrative last named
        n = _number(m.groups["n"], p.numbers) if "n" in m.groups else 1
        base = _year_before(folded, m.start)
        if n is None or base is None or not 0 < n < 30:
            continue
        # a narrative of the past: "until 2027 ... the following season" is no career step
        if pub is None or (base <= pub.year and base + n <= pub.year + 1):
            add(m.start, m.end, f"{base + n:04d}", "year")
    for m in p.years_earlier.finditer(folded, start, end):
        # "nadat hij een jaar eerder naar Leipzig was vertrokken", "l'année précédente": counted
        # back from the past year the narrative last named; without one, from the publication
        n = _number(m.groups["n"], p.numbers) if "n" in m.groups else 1
        base = _year_before(folded, m.start)
        if n is None or not 0 < n < 30:
            continue
        if base is not None and (pub is None or base <= pub.year):
            add(m.start, m.end, f"{base - n:04d}", "year")
        elif pub is not None:
            add(m.start, m.end, f"{pub.year - n:04d}", "ago")
    if pub is not None:
        for m in p.matchday.finditer(folded, start, end):
            n = p.ordinals.get(m.groups["ord"]) if "ord" in m.groups else _number(m.groups.get("n", ""), p.numbers)
            cal = calendar_at(m.start, m.end) if calendar_at is not None else GENERIC_CALENDAR
            if n:
                add(m.start, m.end, matchday_month(n, cal, pub), "matchday")
    for m in p.season_end.finditer(folded, start, end):
        if pub is not None:
            add(m.start, m.end, resolve_rule("season_end", pub), "season_end")
    for rm in p.season_modified.finditer(folded, start, end) if has_season else ():
        # this/next/last word + summer/winter word: before the relative table, whose shorter
        # phrases would cut "no verão passado" to "no verão"
        mod, season = (rm.group(1), rm.group(2)) if rm.group(1) else (rm.group(4), rm.group(3))
        rule = f"{p.modifiers[mod]}_{p.seasons[season]}"
        if pub is not None:
            add(rm.start(), rm.end(), resolve_rule(rule, pub), "relative", rule)
    for m in p.relative.finditer(folded, start, end):
        table_rule = p.relative_rules.get(m.phrase)
        if table_rule and pub is not None:
            add(m.start, m.end, resolve_rule(table_rule, pub), "relative", table_rule)
    for rm in p.season_alone.finditer(folded, start, end) if has_season else ():
        # "durante l'estate", "over the summer", "pendant l'hiver": the coming or current window
        if pub is not None:
            rule = f"this_{p.seasons[rm.group(1)]}"
            add(rm.start(), rm.end(), resolve_rule(rule, pub), "relative", rule)
    for rm in p.year.finditer(folded, start, end) if has_year else ():
        add(rm.start(), rm.end(), rm.group(1), "year")
    for rm in p.month_only.finditer(folded, start, end) if has_month else ():
        # month names that are also ordinary words ("mar", "set") only count in full
        if len(rm.group(1)) >= 4 and pub is not None and free(rm.start(), rm.end()):
            add(rm.start(), rm.end(), _next_month(pub, p.months[rm.group(1)]), "month")
            found[-1].month = p.months[rm.group(1)]
    # since / until cues just before an expression ("fino al 2026", "dal 2017", "tot medio 2022")
    until = phrase_before(pack, "time", "until_words")
    since = phrase_before(pack, "time", "since_words")
    for expr in found:
        expr.until = until.ends_before(folded, expr.start, skip_words=2, skip_numbers=True)
        expr.since = since.ends_before(folded, expr.start, skip_words=1, skip_numbers=True)
    found.sort(key=lambda e: e.start)
    return found
