"""`mercato analyze` on bad input, through the real console script.

Each bad file must cost exactly one clear stderr line that names it, never a traceback; the good
files of the same batch still come out on stdout; the exit status says whether anything failed.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from cli_helpers import Run, run_analyze

# --- article texts (written for these tests) ------------------------------------------------------

GOOD_IT = """Bologna, ufficiale il rinnovo di Riccardo Orsolini fino al 2027

Il Bologna ha annunciato il rinnovo del contratto di Riccardo Orsolini. L'esterno, arrivato in rossoblù \
dalla Juventus nel 2018, ha firmato un nuovo accordo che lo legherà al club fino al 30 giugno 2027. \
Il direttore sportivo Giovanni Sartori ha spiegato che il giocatore è considerato un punto fermo del \
progetto tecnico. Orsolini, 28enne, è il miglior marcatore della squadra nelle ultime due stagioni di Serie A.
"""

# Typographic quotes, apostrophe and euro sign: these bytes exist in cp1252 only, so the file is not UTF-8.
CP1252_IT = """Inter, Nicolò Barella rinnova fino al 2029

L’Inter ha ufficializzato il rinnovo di Nicolò Barella. Il centrocampista sardo, che era legato al club \
nerazzurro fino al 2026, ha firmato un nuovo contratto fino al 30 giugno 2029 da circa 6,5 milioni € a \
stagione. “Qui mi sento a casa, e questa è la squadra più forte in cui abbia mai giocato”, ha detto Barella \
ai canali ufficiali del club. Il giocatore è arrivato all’Inter nel 2019 dal Cagliari, dove era cresciuto \
nel settore giovanile, ed è diventato uno dei leader della squadra di Simone Inzaghi.
"""

# Latin-1 only: é, à, ç, ø and guillemets (no character that needs cp1252).
LATIN1_FR = """Marseille : Pierre-Emile Højbjerg prolongé jusqu'en 2028

L'Olympique de Marseille a annoncé la prolongation du contrat de Pierre-Emile Højbjerg. Le milieu de \
terrain danois, arrivé à l'été 2024 en provenance de Tottenham, est désormais lié au club phocéen jusqu'en \
juin 2028. « Je me sens très bien ici, le club a été très clair avec moi dès le début », a déclaré le \
joueur. Roberto De Zerbi a salué une décision « très importante pour la stabilité du vestiaire ».
"""

HTML_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Arsenal complete the signing of Martín Zubimendi | Gunners Daily</title>
<script>window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);}</script>
<style>body { font-family: sans-serif; } .nav { color: red; }</style>
</head>
<body>
<nav class="nav"><a href="/">Home</a> | <a href="/transfers">Transfers</a>
| <a href="/fixtures">Fixtures</a></nav>
<article>
<h1>Arsenal complete the signing of Martín Zubimendi</h1>
<p>Arsenal have completed the signing of Martín Zubimendi from Real Sociedad. The Spain international \
midfielder has signed a long-term contract after the club paid the release clause in his deal, reported \
to be around 60 million euros.</p>
<p>Mikel Arteta had wanted a new holding midfielder since the start of the year, and Zubimendi was the first \
name on the list drawn up by sporting director Andrea Berta. The 26-year-old spent his whole career at Real \
Sociedad, where he came through the academy and won the Copa del Rey in 2020.</p>
<p>Zubimendi will join his new team-mates for the pre-season tour and is expected to be available for the \
opening match of the Premier League season.</p>
</article>
<footer><p>We use cookies to improve your experience. Accept all cookies.</p></footer>
</body>
</html>
"""

FINNISH = """HJK vahvistaa hyökkäystään

HJK on tehnyt kolmivuotisen sopimuksen nuoren hyökkääjän kanssa. Seuran urheilutoimenjohtajan mukaan pelaaja \
tuo joukkueeseen nopeutta ja maalintekotaitoa. Siirtosumma on salainen, mutta sen arvioidaan olevan seuran \
historian suurimpia. Pelaaja liittyy joukkueeseen ensi viikolla, ja hän voi pelata jo seuraavassa \
liigaottelussa, jos kaikki paperit saadaan ajoissa kuntoon.
"""

JSONL_GOOD_EN = (
    "Chelsea have agreed a fee with Brighton for the transfer of midfielder Kaoru Mitoma, according to "
    "several reports in England. The Japan international would sign a five-year contract at Stamford Bridge."
)
JSONL_GOOD_DE = (
    "Der FC Bayern München hat den Vertrag mit Joshua Kimmich vorzeitig bis 2029 verlängert. "
    "Das gab der Klub am Freitag bekannt. Sportvorstand Max Eberl sprach von einem wichtigen Signal."
)


def _gibberish(seed: int = 7, words: int = 80) -> str:
    rng = random.Random(seed)
    letters = "bcdfghjklmnpqrstvwxz"
    tokens = ("".join(rng.choice(letters) for _ in range(rng.randint(3, 9))) for _ in range(words))
    return " ".join(tokens) + "\n"


# --- the files -------------------------------------------------------------------------------------

BAD = {
    # file name -> words one of which the stderr line should contain (case-insensitive)
    "empty.txt": r"empty",
    "binary.txt": r"binary|not text",
    "huge.txt": r"too large|too big",
    "finnish.txt": r"language",
    "gibberish.txt": r"language",
    "missing-fields.json": r"text|html|field|missing",
    "wrong-types.json": r"string|type|field",
    "mixed.jsonl": r"json",
}
GOOD = {
    # file name -> id expected on stdout
    "good.txt": "good",
    "cp1252.txt": "cp1252",
    "latin1.txt": "latin1",
    "page-as-text.txt": "page-as-text",
}
JSONL_GOOD_IDS = ("mixed-good-1", "mixed-good-3")


def _write_all(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}

    def put(name: str, data: bytes) -> None:
        path = folder / name
        path.write_bytes(data)
        files[name] = path

    put("empty.txt", b"")
    noise = bytes(random.Random(3).randrange(256) for _ in range(4096))
    put("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + noise)
    line = (GOOD_IT.replace("\n", " ") + "\n").encode("utf-8")
    put("huge.txt", line * (20 * 1024 * 1024 // len(line) + 1))
    put("finnish.txt", FINNISH.encode("utf-8"))
    put("gibberish.txt", _gibberish().encode("utf-8"))
    put(
        "missing-fields.json",
        json.dumps(
            {"id": "missing-fields", "title": "Roma, idea Frattesi", "url": "https://example.org/a"}
        ).encode(),
    )
    put(
        "wrong-types.json",
        json.dumps(
            {"id": "wrong-types", "title": ["Roma", "Frattesi"], "text": 12345, "published": 2025}
        ).encode(),
    )
    jsonl = [
        json.dumps({"id": "mixed-good-1", "language": "en", "published": "2025-07", "text": JSONL_GOOD_EN}),
        '{"id": "mixed-broken", "text": "Napoli, preso',
        json.dumps({"id": "mixed-good-3", "published": "2025-03", "text": JSONL_GOOD_DE}, ensure_ascii=False),
    ]
    put("mixed.jsonl", ("\n".join(jsonl) + "\n").encode("utf-8"))
    put("good.txt", GOOD_IT.encode("utf-8"))
    put("cp1252.txt", CP1252_IT.encode("cp1252"))
    put("latin1.txt", LATIN1_FR.encode("latin-1"))
    put("page-as-text.txt", HTML_PAGE.encode("utf-8"))
    return files


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return _write_all(tmp_path_factory.mktemp("bad-input"))


def _no_traceback(run: Run) -> None:
    assert "Traceback" not in run.stderr, run.stderr
    assert "Traceback" not in run.stdout


def _assert_one_clear_line(run: Run, name: str, pattern: str) -> None:
    lines = run.stderr_lines_naming(name)
    assert len(lines) == 1, f"expected exactly one stderr line naming {name}, got {lines!r}\n{run.stderr}"
    assert re.search(pattern, lines[0], re.IGNORECASE), f"unclear message for {name}: {lines[0]!r}"
    assert len(lines[0]) < 400, f"message for {name} is not one short line: {lines[0]!r}"


def test_encodings_are_built_as_intended(files: dict[str, Path]) -> None:
    # Guard on the fixtures themselves: cp1252.txt and latin1.txt must not be valid UTF-8.
    for name in ("cp1252.txt", "latin1.txt"):
        with pytest.raises(UnicodeDecodeError):
            files[name].read_bytes().decode("utf-8")
    assert files["huge.txt"].stat().st_size >= 20 * 1024 * 1024


# --- one bad file at a time, always beside a good one ------------------------------------------------


@pytest.mark.parametrize("bad", sorted(BAD))
def test_each_bad_file_one_line_and_good_file_still_analyzed(files: dict[str, Path], bad: str) -> None:
    run = run_analyze(files[bad], files["good.txt"])
    _no_traceback(run)
    _assert_one_clear_line(run, bad, BAD[bad])
    assert "good" in run.ids, f"good file missing from stdout when batched with {bad}:\n{run.stderr}"
    if bad == "mixed.jsonl":
        assert ":2" in run.stderr_lines_naming(bad)[0], "the broken JSON Lines line should be named by number"
        for article_id in JSONL_GOOD_IDS:
            assert article_id in run.ids, f"{article_id} (a good line of mixed.jsonl) missing from stdout"
        assert "mixed-broken" not in run.ids
    assert run.returncode != 0, "exit status must be non-zero when a file failed"


# --- the whole batch in one run ----------------------------------------------------------------------


def test_batch_of_bad_and_good_files(files: dict[str, Path]) -> None:
    run = run_analyze(*files.values())
    _no_traceback(run)
    for name, pattern in BAD.items():
        _assert_one_clear_line(run, name, pattern)
    for name, article_id in GOOD.items():
        assert article_id in run.ids, f"{name} missing from stdout:\n{run.stderr}"
        assert not run.stderr_lines_naming(name), f"good file {name} reported on stderr: {run.stderr}"
    for article_id in JSONL_GOOD_IDS:
        assert article_id in run.ids
    assert len(run.ids) == len(GOOD) + len(JSONL_GOOD_IDS), run.ids
    assert run.returncode != 0


def test_batch_of_good_files_exits_zero(files: dict[str, Path]) -> None:
    run = run_analyze(*(files[name] for name in GOOD))
    _no_traceback(run)
    assert sorted(run.ids) == sorted(GOOD.values()), run.stderr
    for name in GOOD:
        assert not run.stderr_lines_naming(name), run.stderr
    assert run.returncode == 0, run.stderr


# --- what the good-but-awkward files must yield --------------------------------------------------------


def _record(run: Run, article_id: str) -> dict:
    matches = [r for r in run.records if r.get("id") == article_id]
    assert len(matches) == 1, f"expected one record with id {article_id!r}, got {run.ids}\n{run.stderr}"
    return matches[0]


def _strings(record: dict) -> list[str]:
    out = []
    for entity in record.get("entities", []):
        out.append(entity.get("name") or "")
        out.extend(entity.get("mentions") or [])
    for claim in record.get("claims", []):
        out.extend(str(claim.get(k) or "") for k in ("player", "club", "evidence", "source", "from_club"))
    return out


@pytest.mark.parametrize(
    ("name", "article_id", "decoded", "language"),
    [("cp1252.txt", "cp1252", "Nicolò", "it"), ("latin1.txt", "latin1", "Højbjerg", "fr")],
)
def test_legacy_encodings_are_decoded_and_analyzed(
    files: dict[str, Path], name: str, article_id: str, decoded: str, language: str
) -> None:
    run = run_analyze(files[name])
    _no_traceback(run)
    assert run.returncode == 0, run.stderr
    record = _record(run, article_id)
    assert record["language"] == language
    strings = _strings(record)
    assert any(decoded in s for s in strings), f"{decoded!r} not found in entities/claims: {strings}"
    for s in strings:
        assert "\ufffd" not in s and "Ã" not in s and "Â" not in s, f"mis-decoded text in output: {s!r}"
    assert record["claims"], f"no claim found in {name}, an article about a contract renewal"


def test_html_saved_as_txt_is_extracted_not_analyzed_as_markup(files: dict[str, Path]) -> None:
    run = run_analyze(files["page-as-text.txt"])
    _no_traceback(run)
    assert run.returncode == 0, run.stderr
    record = _record(run, "page-as-text")
    assert record["language"] == "en"
    strings = _strings(record)
    for s in strings:
        assert "<" not in s and ">" not in s, f"markup leaked into the analysis: {s!r}"
        for junk in ("dataLayer", "gtag", "font-family", "cookies"):
            assert junk not in s, f"script/style/boilerplate leaked into the analysis: {s!r}"
    names = [e.get("name", "") for e in record["entities"]]
    assert any("Zubimendi" in n for n in names), names
    assert any("Arsenal" in n for n in names), names
