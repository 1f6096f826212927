"""Which of the supported languages an article is written in.

Metadata first. Otherwise a cheap count of each language's function words (from the language
packs) decides clear cases; lingua, restricted to the supported languages, decides the rest.
"""

from __future__ import annotations

import re
from functools import lru_cache

from mercato.lang import available_languages, load_pack
from mercato.model import LANGUAGES
from mercato.text import fold_keep_length

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_ALIASES = {
    "ita": "it",
    "nld": "nl",
    "dut": "nl",
    "fra": "fr",
    "fre": "fr",
    "spa": "es",
    "deu": "de",
    "ger": "de",
    "por": "pt",
    "eng": "en",
    "pt-br": "pt",
    "pt-pt": "pt",
    "en-gb": "en",
    "en-us": "en",
}


def normalize_code(code: str | None) -> str | None:
    """'it-IT', 'ITA', 'pt_BR' -> 'it', 'it', 'pt'; None when empty."""
    if not code:
        return None
    code = code.strip().lower().replace("_", "-")
    if code in _ALIASES:
        return _ALIASES[code]
    return code.split("-", 1)[0] or None


@lru_cache(maxsize=1)
def _function_words() -> dict[str, frozenset[str]]:
    return {
        code: frozenset(fold_keep_length(w) for w in load_pack(code).core["function_words"])
        for code in available_languages()
    }


def score_function_words(text: str) -> dict[str, int]:
    words = [fold_keep_length(w) for w in _WORD.findall(text[:6000].lower())]
    return {code: sum(1 for w in words if w in vocab) for code, vocab in _function_words().items()}


@lru_cache(maxsize=1)
def _lingua_detector():  # type: ignore[no-untyped-def]
    from lingua import Language, LanguageDetectorBuilder

    names = {
        "it": "ITALIAN",
        "nl": "DUTCH",
        "fr": "FRENCH",
        "es": "SPANISH",
        "de": "GERMAN",
        "pt": "PORTUGUESE",
        "en": "ENGLISH",
    }
    langs = [getattr(Language, names[c]) for c in LANGUAGES]
    return LanguageDetectorBuilder.from_languages(*langs).with_minimum_relative_distance(0.1).build()


def detect_language(text: str) -> str | None:
    """The article's language among the supported ones, or None when it is none of them."""
    scores = score_function_words(text)
    total_words = len(_WORD.findall(text[:6000]))
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    if not ranked or total_words < 3:
        return None
    best, best_score = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0
    # Clear case: enough function words and a wide margin over the runner-up.
    if best_score >= 8 and best_score >= 2 * second and best_score / total_words > 0.08:
        return best
    if best_score / max(total_words, 1) < 0.06:
        # Prose in any supported language is full of its function words (typically 20-35% of
        # words); a few look-alikes in a Finnish or Polish text must not make it Dutch.
        return None
    try:
        detected = _lingua_detector().detect_language_of(text[:3000])
    except Exception:  # lingua missing or failing: fall back on the counts
        detected = None
    if detected is None:
        return best if best_score >= 3 else None
    code = detected.iso_code_639_1.name.lower()
    return code if code in LANGUAGES else None
