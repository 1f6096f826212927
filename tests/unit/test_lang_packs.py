from __future__ import annotations

import pytest

from mercato.analysis.patterns import compile_patterns
from mercato.lang import SCHEMA, available_languages, load_pack, validate_pack
from mercato.model import LANGUAGES


def test_every_supported_language_has_a_pack() -> None:
    assert available_languages() == list(LANGUAGES)


@pytest.mark.parametrize("code", LANGUAGES)
def test_pack_has_every_key_and_compiles(code: str) -> None:
    assert validate_pack(code) == []
    pack = load_pack(code)
    assert pack.core["code"] == code
    # every phrase list must compile under the pattern syntax
    team_placeholders = {"adj": "x", "country": "y"}
    for file, keys in SCHEMA.items():
        stem = file.removesuffix(".toml")
        for key in keys:
            value = pack.data[stem][key]
            if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
                extra = {"national_team_patterns": team_placeholders, "matchday": {"ord": "x"}}.get(key)
                compile_patterns(value, pack, extra=extra)


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_claim_type_has_triggers(code: str) -> None:
    pack = load_pack(code)
    from mercato.model import ClaimType

    for claim_type in ClaimType:
        assert pack.claims[claim_type.value], f"{code}: no triggers for {claim_type.value}"


def test_missing_key_is_reported(tmp_path) -> None:
    (tmp_path / "core.toml").write_text('code = "xx"\n', encoding="utf-8")
    problems = validate_pack("xx", tmp_path)
    assert any("missing key 'name'" in p for p in problems)
    assert any("missing claims.toml" in p for p in problems)
