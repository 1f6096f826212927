"""Per-language knowledge, loaded from data files (one folder per language, the same files in each).

Adding a language is adding a folder: ``docs/language-data.md`` documents every file and key, and
``tests/unit/test_lang_packs.py`` proves each language has every required key.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar, cast

from mercato.model import LANGUAGES, ClaimType
from mercato.text import keep_out_of_gc

T = TypeVar("T")

LANG_DIR = Path(__file__).parent

# file -> keys every language must define (values may be empty lists where a language has none)
SCHEMA: dict[str, tuple[str, ...]] = {
    "core.toml": (
        "code",
        "name",
        "function_words",
        "stopwords",
        "name_particles",
        "articles",
        "abbreviations",
        "locative_prepositions",
        "from_prepositions",
        "to_prepositions",
        "number_words",
        "club_markers",
        "conjunctions",
        "with_prepositions",
        "against_words",
        "capitalised_particles",
    ),
    "claims.toml": (*tuple(t.value for t in ClaimType), "career", "career_youth"),
    "status.toml": (
        "hedges",
        "conditional_suffixes",
        "conditional_words",
        "negations",
        "denials",
        "official",
        "unnamed_sources",
        "hypothetical",
    ),
    "time.toml": (
        "months",
        "weekdays",
        "seasons",
        "next_words",
        "this_words",
        "last_words",
        "season_end",
        "mid_words",
        "until_words",
        "since_words",
        "years_ago",
        "contract_years_left",
        "relative",
        "years_later",
        "years_earlier",
        "matchday",
        "ordinal_words",
        "month_words",
    ),
    "roles.toml": ("player", "coach", "journalist", "agent", "executive", "positions", "byline"),
    "nationalities.toml": ("adjectives", "countries", "national_team_patterns"),
    "attribution.toml": ("according_to", "reporting_verbs", "platforms", "press_conference", "quote_verbs"),
    "facts.toml": ("age", "birth_year", "appearances", "goals", "minutes", "debut"),
}


class LanguagePackError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class LanguagePack:
    code: str
    data: dict[str, dict[str, Any]]  # file stem -> parsed TOML
    # what the analysis builds from this pack's data (compiled phrases, folded word sets): kept on
    # the pack, so a reloaded pack never meets another pack's leftovers
    derived: dict[tuple[str, ...], Any] = field(default_factory=dict, compare=False, repr=False)

    def get(self, file: str, key: str, default: Any = None) -> Any:
        return self.data.get(file, {}).get(key, default)

    def memo(self, key: tuple[str, ...], build: Callable[[], T]) -> T:
        """``build()`` once per pack and key."""
        try:
            return cast(T, self.derived[key])
        except KeyError:
            value = self.derived[key] = build()
            return value

    # Convenience accessors for the most used keys
    @property
    def core(self) -> dict[str, Any]:
        return self.data["core"]

    @property
    def claims(self) -> dict[str, Any]:
        return self.data["claims"]

    @property
    def status(self) -> dict[str, Any]:
        return self.data["status"]

    @property
    def time(self) -> dict[str, Any]:
        return self.data["time"]

    @property
    def roles(self) -> dict[str, Any]:
        return self.data["roles"]

    @property
    def nationalities(self) -> dict[str, Any]:
        return self.data["nationalities"]

    @property
    def attribution(self) -> dict[str, Any]:
        return self.data["attribution"]

    @property
    def facts(self) -> dict[str, Any]:
        return self.data["facts"]


def validate_pack(code: str, directory: Path | None = None) -> list[str]:
    """Problems with one language folder (missing files or keys); empty when the pack is complete."""
    directory = directory or LANG_DIR / code
    problems = []
    for file, keys in SCHEMA.items():
        path = directory / file
        if not path.exists():
            problems.append(f"{code}: missing {file}")
            continue
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            problems.append(f"{code}/{file}: {exc}")
            continue
        problems.extend(f"{code}/{file}: missing key '{k}'" for k in keys if k not in data)
    return problems


@lru_cache(maxsize=16)
def load_pack(code: str) -> LanguagePack:
    directory = LANG_DIR / code
    if not directory.is_dir():
        raise LanguagePackError(f"no language data for {code!r} (have: {', '.join(available_languages())})")
    problems = validate_pack(code, directory)
    if problems:
        raise LanguagePackError("; ".join(problems))
    data = {}
    for file in SCHEMA:
        data[file.removesuffix(".toml")] = tomllib.loads((directory / file).read_text(encoding="utf-8"))
    pack = LanguagePack(code=code, data=data)
    keep_out_of_gc()
    return pack


def available_languages() -> list[str]:
    return [c for c in LANGUAGES if (LANG_DIR / c).is_dir()]
