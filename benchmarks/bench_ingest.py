"""Articles per second into SQLite on one core, through the real ingest path.

    .venv/bin/python benchmarks/bench_ingest.py                # store only: hand-built analyses
    .venv/bin/python benchmarks/bench_ingest.py --analyze      # with the analysis engine
    .venv/bin/python benchmarks/bench_ingest.py --corpus /work/shared/corpus --analyze

Store-only mode builds realistic analyses (6 entities, 3 claims, ~400 words of text, recurring
players and clubs so the registry has candidates to weigh) and measures ``ingest_items``: dedup
fingerprints, registry resolution, one transaction per article.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from mercato.model import Analysis, Article, Claim, ClaimType, Entity, EntityType, Span, Status
from mercato.service.ingest import ingest_items
from mercato.store import Store

FIRST = ["José", "Luca", "Marco", "Alejandro", "Duván", "Mario", "Paulo", "Rafael", "Teun", "Ademola"]
LAST = ["Palomino", "Gómez", "Zapata", "Rossi", "Bianchi", "Koopmeiners", "Lookman", "Toloi", "Pasalić", "Scamacca"]
CLUBS = ["Atalanta", "Inter", "Milan", "Juventus", "Napoli", "Roma", "Lazio", "Torino", "Sevilla", "Marseille"]
WORDS = [
    "il",
    "club",
    "ha",
    "presentato",
    "un'offerta",
    "per",
    "il",
    "giocatore",
    "secondo",
    "fonti",
    "vicine",
    "alla",
    "trattativa",
    "e",
    "il",
    "mercato",
]


def synthetic(i: int, rng: random.Random) -> tuple[Article, Analysis]:
    names = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(3)]
    clubs = rng.sample(CLUBS, 3)
    body = " ".join(rng.choice(WORDS) for _ in range(400))
    text = f"{' '.join(names)} {' '.join(clubs)} {i}. {body}"
    art = Article(id=f"s{i}", text=text, url=f"https://example.com/{i}", published="2024-05-06", origin="bench")
    ents: list[Entity] = []
    for n in dict.fromkeys(names):
        at = text.find(n)
        ents.append(
            Entity(f"person:{n.lower().replace(' ', '-')}", n, EntityType.PLAYER, [n], [Span(at, at + len(n), n)])
        )
    for c in clubs:
        at = text.find(c)
        ents.append(Entity(f"club:{c.lower()}", c, EntityType.CLUB, [c], [Span(at, at + len(c), c)], kb_id=c.lower()))
    claims = [
        Claim(ClaimType.INTEREST, e.name, clubs[k], Status.RUMOUR, player_id=e.id, club_id=f"club:{clubs[k].lower()}",
              evidence="offerta", evidence_span=(0, 10))
        for k, e in enumerate(ents[:3])
        if e.type is EntityType.PLAYER
    ]  # fmt: skip
    return art, Analysis(art.id, "it", art.published, ents, claims)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=2000, help="synthetic articles")
    ap.add_argument("--db", help="SQLite file (default: a temporary one)")
    ap.add_argument("--analyze", action="store_true", help="run the analysis engine too")
    ap.add_argument("--corpus", type=Path, help="ingest this folder instead of synthetic articles (needs --analyze)")
    args = ap.parse_args()
    db = args.db or str(Path(tempfile.mkdtemp()) / "bench.sqlite")
    store = Store.open(db)
    rng = random.Random(3)
    if args.corpus:
        from mercato.ingest.files import iter_articles
        from mercato.service.ingest import default_analyzer

        items = list(iter_articles([args.corpus]))
        analyzer = default_analyzer()
    else:
        pairs = [synthetic(i, rng) for i in range(args.n)]
        items = [a for a, _ in pairs]
        by_id = {a.id: an for a, an in pairs}
        if args.analyze:
            from mercato.service.ingest import default_analyzer

            analyzer = default_analyzer()
        else:

            def analyzer(article: Article) -> Analysis:
                return by_id[article.id]

    t = time.perf_counter()
    summary = ingest_items(items, store, analyze=analyzer)
    elapsed = time.perf_counter() - t
    print(summary.line())
    print(f"{summary.read / elapsed:.1f} articles/s ({elapsed:.1f}s, {db})")
    again = time.perf_counter()
    ingest_items(items, store, analyze=analyzer)
    print(f"re-ingest (all duplicates): {summary.read / (time.perf_counter() - again):.1f} articles/s")
    print(store.counts())
    store.close()


if __name__ == "__main__":
    main()
