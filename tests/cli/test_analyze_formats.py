"""`mercato analyze --format jsonl` on every input form it reads, through the real console script.

One JSON line per article; `id` is the file stem or the article's own id; every entity has an `id`
(the same for the same entity in every article); entity and evidence offsets point inside the text
that was analysed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import Run, run_analyze

from mercato.ingest.files import iter_articles
from mercato.model import Article

# --- article texts (written for these tests) --------------------------------------------------------

TXT_TITLE = "Atalanta, fatta per Nikola Krstović: arriva dal Lecce"
TXT_BODY = """Atalanta, fatta per Nikola Krstović: arriva dal Lecce

L'Atalanta ha raggiunto l'accordo con il Lecce per l'attaccante montenegrino Nikola Krstović. Ai salentini \
andranno circa 25 milioni di euro più bonus. Il 25enne firmerà un contratto fino al 2030 dopo le visite \
mediche, in programma a Bergamo nella giornata di domani.

Krstović era arrivato al Lecce nel 2023 dal DAC Dunajská Streda e in due stagioni ha segnato con continuità \
in Serie A. Il Lecce, che lo aveva pagato circa 5 milioni, realizza così una plusvalenza importante.
"""
TXT_META = {
    "url": "https://www.example.org/calciomercato/atalanta-krstovic",
    "title": TXT_TITLE,
    "outlet": "Esempio Calcio",
    "published": "2025-07-20",
    "language": "it",
    "author": "Mario Bianchi",
}

JSON_ARTICLE = {
    "id": "json-article-7",
    "url": "https://www.example.org/news/newcastle-isak",
    "title": "Newcastle reject Liverpool bid for Alexander Isak",
    "published": "2025-08-01",
    "author": "Sam Porter",
    "outlet": "Example Football",
    "text": (
        "Newcastle reject Liverpool bid for Alexander Isak\n\n"
        "Newcastle United have rejected an opening offer of 110 million pounds from Liverpool for Alexander "
        "Isak. The Sweden striker, whose contract runs until 2028, has told the club he wants to leave and "
        "was left out of the squad for the pre-season tour of Asia. Eddie Howe said in a press conference "
        "that the situation was 'not ideal' but that the door remained open."
    ),
}

JSONL_ARTICLES = [
    {
        "id": "jl-1",
        "language": "es",
        "published": "2025-07-10",
        "text": (
            "El Real Madrid ha cerrado el fichaje de Álvaro Carreras, lateral izquierdo del Benfica, por "
            "unos 50 millones de euros. El defensor gallego firmará un contrato hasta 2031 y será "
            "presentado la próxima semana en el Santiago Bernabéu."
        ),
    },
    {
        "id": "jl-2",
        "published": "2025-06-30",
        "text": (
            "O Sporting anunciou a renovação de contrato de Morten Hjulmand até junho de 2029. O médio "
            "dinamarquês, capitão da equipa, chegou a Alvalade em 2023 proveniente do Lecce."
        ),
    },
    {
        "id": "jl-3",
        "published": "2025-02-03",
        "text": (
            "Feyenoord heeft Santiago Giménez verkocht aan AC Milan. De Mexicaanse spits kost de Italiaanse "
            "club ruim 30 miljoen euro en tekent een contract tot medio 2029. Giménez kwam in 2022 over van "
            "Cruz Azul."
        ),
    },
]

HTML_PAGE = """<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>Lille : Jonathan David quitte le club libre | Exemple Foot</title>
<meta property="og:site_name" content="Exemple Foot">
<script>var ads = {slot: "top"};</script>
</head>
<body>
<nav><a href="/">Accueil</a> <a href="/mercato">Mercato</a></nav>
<article>
<h1>Lille : Jonathan David quitte le club libre</h1>
<p>C'est désormais officiel : Jonathan David ne portera plus le maillot du LOSC la saison prochaine. \
L'attaquant canadien, dont le contrat expire le 30 juin, a annoncé son départ sur Instagram dans un long \
message adressé aux supporters lillois.</p>
<p>Arrivé en 2020 en provenance de La Gantoise, le buteur de 25 ans a inscrit plus de cent buts sous le \
maillot nordiste. Plusieurs clubs italiens, dont la Juventus, suivent sa situation de près et pourraient \
lui proposer un contrat dans les prochains jours.</p>
</article>
<footer>Tous droits réservés.</footer>
</body>
</html>
"""


# --- helpers -----------------------------------------------------------------------------------------


def _write_txt(folder: Path) -> Path:
    path = folder / "transfer-it.txt"
    path.write_text(TXT_BODY, encoding="utf-8")
    (folder / "transfer-it.meta.json").write_text(json.dumps(TXT_META, ensure_ascii=False), encoding="utf-8")
    return path


def _write_json(folder: Path) -> Path:
    path = folder / "article.json"
    path.write_text(json.dumps(JSON_ARTICLE, ensure_ascii=False), encoding="utf-8")
    return path


def _write_jsonl(folder: Path) -> Path:
    path = folder / "three.jsonl"
    path.write_text(
        "\n".join(json.dumps(a, ensure_ascii=False) for a in JSONL_ARTICLES) + "\n", encoding="utf-8"
    )
    return path


def _write_html(folder: Path) -> Path:
    path = folder / "page.html"
    path.write_text(HTML_PAGE, encoding="utf-8")
    return path


WRITERS = {"txt": _write_txt, "json": _write_json, "jsonl": _write_jsonl, "html": _write_html}
EXPECTED_IDS = {
    "txt": ["transfer-it"],
    "json": ["json-article-7"],
    "jsonl": ["jl-1", "jl-2", "jl-3"],
    "html": ["page"],
}


def _analysed_texts(path: Path) -> dict[str, Article]:
    """The articles as ingest builds them: offsets in the output refer to their ``text``."""
    out = {}
    for item in iter_articles([path]):
        assert isinstance(item, Article), f"ingest failed on a test file: {item}"
        out[item.id] = item
    return out


def _check_record(record: dict, article: Article) -> None:
    text = article.text
    assert isinstance(record.get("language"), str) and record["language"], record.get("language")
    assert isinstance(record.get("entities"), list) and isinstance(record.get("claims"), list)
    ids_here: dict[str, str] = {}
    for entity in record["entities"]:
        assert isinstance(entity.get("id"), str) and entity["id"].strip(), f"entity without id: {entity}"
        assert entity.get("name") and entity.get("type"), entity
        assert entity["id"] not in ids_here, f"two entities share id {entity['id']}: {entity['name']}"
        ids_here[entity["id"]] = entity["name"]
        for start, end in entity.get("offsets", []):
            assert 0 <= start < end <= len(text), (
                f"offsets {start}:{end} outside the text ({len(text)} chars)"
            )
            assert text[start:end] in entity["mentions"], (
                f"offsets {start}:{end} give {text[start:end]!r}, not a mention of {entity['name']}: "
                f"{entity['mentions']}"
            )
    names = {e["name"] for e in record["entities"]}
    for claim in record["claims"]:
        assert claim["player"] in names, f"claim player {claim['player']!r} is not an entity of the article"
        assert claim.get("club") is None or claim["club"] in names, (
            f"claim club {claim['club']!r} not an entity"
        )
        assert claim.get("evidence"), f"claim without evidence: {claim}"
        start, end = claim["evidence_offsets"]
        assert 0 <= start < end <= len(text), f"evidence offsets {start}:{end} outside the text ({len(text)})"
        assert text[start:end].strip(), f"evidence offsets {start}:{end} point at blank text"


def _check_run(run: Run, folder: Path, expected_ids: list[str]) -> list[dict]:
    assert "Traceback" not in run.stderr, run.stderr
    assert run.returncode == 0, run.stderr
    records = run.records
    assert sorted(r["id"] for r in records) == sorted(expected_ids), f"{run.ids}\n{run.stderr}"
    articles = _analysed_texts(folder)
    for record in records:
        _check_record(record, articles[record["id"]])
    return records


# --- tests -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("form", sorted(WRITERS))
def test_each_input_form(tmp_path: Path, form: str) -> None:
    path = WRITERS[form](tmp_path)
    run = run_analyze(path)
    records = _check_run(run, tmp_path, EXPECTED_IDS[form])
    assert sum(len(r["claims"]) for r in records) >= 1, f"no claim at all in the {form} input"


def test_txt_metadata_comes_from_the_sidecar(tmp_path: Path) -> None:
    run = run_analyze(_write_txt(tmp_path))
    (record,) = _check_run(run, tmp_path, ["transfer-it"])
    assert record["language"] == "it"
    assert record["published"] == "2025-07-20"
    assert record.get("url") == TXT_META["url"]
    assert record.get("outlet") == TXT_META["outlet"]
    assert record.get("title") == TXT_TITLE


@pytest.mark.parametrize("markup", [False, True])
def test_sidecar_fields_of_another_type(tmp_path: Path, markup: bool) -> None:
    """A number where a string belongs: turned into the string when the field is cleaned anyway
    ("published": 2024), a clear failure for the url and the title, which are taken as they are
    (the compiled build would otherwise stop on the type, the interpreted one write a number)."""
    body = f"<html><body><article><p>{TXT_BODY}</p></article></body></html>" if markup else TXT_BODY
    (tmp_path / "a.txt").write_text(body, encoding="utf-8")
    (tmp_path / "a.meta.json").write_text(json.dumps({"published": 2024, "language": "it"}), encoding="utf-8")
    (tmp_path / "b.txt").write_text(body, encoding="utf-8")
    (tmp_path / "b.meta.json").write_text(json.dumps({"url": 5, "language": "it"}), encoding="utf-8")
    a, b = iter_articles([tmp_path / "a.txt", tmp_path / "b.txt"])
    assert isinstance(a, Article) and a.published == "2024"
    assert not isinstance(b, Article) and "field 'url' must be a string, got int" in b.reason


def test_json_article_keeps_its_own_id_and_metadata(tmp_path: Path) -> None:
    run = run_analyze(_write_json(tmp_path))
    (record,) = _check_run(run, tmp_path, ["json-article-7"])
    assert record["language"] == "en"
    assert record["published"] == "2025-08-01"
    assert record.get("url") == JSON_ARTICLE["url"]


def test_jsonl_languages_detected_per_line(tmp_path: Path) -> None:
    run = run_analyze(_write_jsonl(tmp_path))
    records = {r["id"]: r for r in _check_run(run, tmp_path, ["jl-1", "jl-2", "jl-3"])}
    assert records["jl-1"]["language"] == "es"
    assert records["jl-2"]["language"] == "pt"
    assert records["jl-3"]["language"] == "nl"


def test_html_file_is_extracted(tmp_path: Path) -> None:
    run = run_analyze(_write_html(tmp_path))
    (record,) = _check_run(run, tmp_path, ["page"])
    assert record["language"] == "fr"
    for entity in record["entities"]:
        for s in [entity["name"], *entity["mentions"]]:
            assert "<" not in s and "ads" not in s.split(), f"markup in entity {s!r}"
    assert any("Jonathan David" in e["name"] for e in record["entities"])


def test_directory_of_mixed_files(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for writer in WRITERS.values():
        writer(folder)
    # Not articles: a gold file, an image, a hidden file. A folder walk must skip them.
    (folder / "transfer-it.gold.json").write_text(
        json.dumps({"id": "transfer-it", "entities": [], "claims": []})
    )
    (folder / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    (folder / ".hidden.txt").write_text("Nascosto.", encoding="utf-8")
    sub = folder / "more"
    sub.mkdir()
    (sub / "bastoni.txt").write_text(
        "Inter, Bastoni rinnova fino al 2030\n\nL'Inter ha annunciato il rinnovo di Alessandro Bastoni fino "
        "al 30 giugno 2030. Il difensore era arrivato all'Inter dall'Atalanta nel 2017.\n",
        encoding="utf-8",
    )
    run = run_analyze(folder)
    expected = [i for ids in EXPECTED_IDS.values() for i in ids] + ["bastoni"]
    records = _check_run(run, folder, expected)
    assert sum(len(r["claims"]) for r in records) >= 3

    # The same real-world entity gets the same id in every article that mentions it.
    by_name: dict[str, set[str]] = {}
    for record in records:
        for entity in record["entities"]:
            by_name.setdefault(entity["name"], set()).add(entity["id"])
    for name, ids in by_name.items():
        assert len(ids) == 1, f"{name} has different ids in different articles: {ids}"
    assert "Lecce" in by_name, sorted(by_name)  # Krstović's and Hjulmand's former club, in it and pt
