"""CSV and JSON Lines corpora with column mapping."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mercato.ingest.corpora import CorpusOptions, CorpusOptionsError, iter_csv, iter_jsonl
from mercato.ingest.files import LoadFailure, iter_articles
from mercato.model import Article

REPO = Path(__file__).resolve().parents[2]
MERCATO = [sys.executable, "-c", "from mercato.cli import main; main()"]
TEXT_A = "Der Verein hat den Vertrag mit dem Torhüter bis 2027 verlängert, teilte der Klub am Montag mit."
TEXT_B = "Le milieu de terrain rejoint le club pour quatre saisons, a annoncé le président jeudi soir."


def test_headerless_semicolon_quote_apostrophe_like_10kgnad(tmp_path: Path) -> None:
    path = tmp_path / "sport.csv"
    path.write_text(
        f"Sport;'{TEXT_A}'\nKultur;'Ein Film über den Fußball, \"kurz\" erzählt; mehr nicht.'\n", encoding="utf-8"
    )
    sniffed = list(iter_csv(path))
    assert next(a.text for a in sniffed if isinstance(a, Article)) == TEXT_A  # longest column is the text
    options = CorpusOptions.parse(columns="text=2,label=1", delimiter=";", quotechar="'", language="de", label="Sport")
    (only,) = list(iter_csv(path, options))
    assert isinstance(only, Article)
    assert only.text == TEXT_A and only.language == "de" and only.id == "sport-1"
    assert only.origin == f"{path}:1"


def test_header_names_map_fields(tmp_path: Path) -> None:
    path = tmp_path / "news.csv"
    path.write_text(
        "id,title,body,date,url\n"
        f'a1,Nuovo portiere,"{TEXT_B}",2024-06-01,https://example.org/a1\n'
        'a2,Vuoto,"",2024-06-02,https://example.org/a2\n',
        encoding="utf-8",
    )
    items = list(iter_csv(path))
    first, second = items
    assert isinstance(first, Article) and first.id == "a1" and first.published == "2024-06-01"
    assert first.text.startswith("Nuovo portiere\n\n" + TEXT_B[:20]) and first.url == "https://example.org/a1"
    assert isinstance(second, LoadFailure) and second.origin.endswith(":3")


def test_columns_by_header_name_and_cp1252_file(tmp_path: Path) -> None:
    path = tmp_path / "old.csv"
    path.write_bytes(f"kop\tinhoud\nTitel\t{TEXT_B} – “fin”\n".encode("cp1252"))
    options = CorpusOptions.parse(columns="title=kop,text=inhoud", delimiter="\\t", language="fr")
    (item,) = list(iter_csv(path, options))
    assert isinstance(item, Article) and item.text.endswith("– “fin”") and item.title == "Titel"


def test_bad_options_are_one_line_errors() -> None:
    for kwargs in (
        {"columns": "txt=2"},
        {"columns": "text=0"},
        {"columns": "title=1"},
        {"delimiter": ";;"},
        {"language": "ru"},
        {"columns": "text"},
    ):
        with pytest.raises(CorpusOptionsError):
            CorpusOptions.parse(**kwargs)


def test_jsonl_with_nested_keys(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    rows = [
        {"doc": {"body": TEXT_A}, "meta": {"published": "2024-05-01", "authors": ["A", "B"]}},
        {"doc": {}},
        "not an object",
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n{broken\n", encoding="utf-8")
    options = CorpusOptions.parse(columns="text=doc.body,published=meta.published,author=meta.authors")
    items = list(iter_jsonl(path, options))
    assert isinstance(items[0], Article) and items[0].published == "2024-05-01" and items[0].author == "A, B"
    assert [type(i).__name__ for i in items[1:]] == ["LoadFailure"] * 3
    # Through iter_articles (what `mercato ingest` and `analyze` call) the mapping applies too.
    assert isinstance(next(iter_articles([path], corpus=options)), Article)


def test_iter_articles_dispatches_csv(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text(f'text\n"{TEXT_A}"\n"{TEXT_B}"\n', encoding="utf-8")
    items = list(iter_articles([tmp_path]))
    assert [i.text for i in items if isinstance(i, Article)] == [TEXT_A, TEXT_B]


@pytest.mark.shared
def test_10kgnad_sport_reads_from_shared(shared_dir: Path, tmp_path: Path) -> None:
    source = shared_dir / "corpus" / "10kgnad-sport" / "test_sport.csv"
    options = CorpusOptions.parse(columns="text=2,label=1", delimiter=";", quotechar="'", language="de")
    items = list(iter_csv(source, options))
    assert len(items) == 120 and all(isinstance(i, Article) and i.language == "de" for i in items)
    assert all(len(i.text) > 200 for i in items if isinstance(i, Article))
    out = tmp_path / "gnad.jsonl"
    run = subprocess.run(
        [
            *MERCATO,
            "corpus",
            str(source),
            "--columns",
            "text=2,label=1",
            "--delimiter",
            ";",
            "--quotechar",
            "'",
            "--lang",
            "de",
            "--out",
            str(out),
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["new"] == 120
    assert len(out.read_text().splitlines()) == 120
