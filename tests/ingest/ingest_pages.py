"""Test pages and feeds, written for these tests (short invented reports, no real article text)."""

from __future__ import annotations

from xml.sax.saxutils import escape

BODIES: dict[str, tuple[str, list[str]]] = {
    "it": (
        "Il Bologna pensa a un nuovo terzino",
        [
            "Il Bologna avrebbe messo gli occhi su un giovane terzino sinistro del campionato olandese. "
            "Secondo fonti vicine al club, i primi contatti con l'agente del giocatore sono già avvenuti.",
            "La società emiliana vorrebbe chiudere l'operazione entro la fine del mese, ma la concorrenza "
            "di due club tedeschi potrebbe complicare la trattativa per il ragazzo.",
            "Il direttore sportivo ha presentato una prima offerta, giudicata però insufficiente dal club "
            "di provenienza, che chiede almeno otto milioni di euro.",
        ],
    ),
    "de": (
        "Werder Bremen beobachtet Innenverteidiger aus Dänemark",
        [
            "Werder Bremen hat offenbar einen jungen Innenverteidiger aus der dänischen Liga im Blick. "
            "Laut Bild gab es bereits erste Gespräche mit dem Berater des Spielers.",
            "Der Verein möchte den Transfer noch vor dem Trainingslager abschließen, doch auch zwei "
            "Klubs aus England sollen interessiert sein.",
            "Die Ablöse könnte bei rund sechs Millionen Euro liegen, heißt es aus dem Umfeld des Klubs.",
        ],
    ),
    "fr": (
        "Lille discute avec un milieu belge",
        [
            "Le LOSC aurait entamé des discussions avec un milieu de terrain belge de vingt-deux ans. "
            "Selon L'Équipe, les deux clubs se sont déjà parlé cette semaine.",
            "Le joueur serait favorable à un départ vers le nord de la France, où il retrouverait "
            "plusieurs compatriotes dans l'effectif.",
            "Le montant de l'opération n'a pas été communiqué, mais il dépasserait cinq millions d'euros.",
        ],
    ),
    "es": (
        "El Betis negocia la cesión de un delantero",
        [
            "El Real Betis negocia la cesión de un delantero joven de un club de la Premier League. "
            "Según Marca, el acuerdo entre ambos clubes está muy cerca.",
            "El jugador llegaría hasta final de temporada con una opción de compra no obligatoria, "
            "según las mismas fuentes consultadas por el diario.",
            "La dirección deportiva espera cerrar la operación antes del próximo partido de liga.",
        ],
    ),
    "nl": (
        "Feyenoord praat met Noorse vleugelspeler",
        [
            "Feyenoord is in gesprek met een Noorse vleugelspeler van negentien jaar. Volgens De "
            "Telegraaf zijn de eerste gesprekken met zijn zaakwaarnemer positief verlopen.",
            "De club uit Rotterdam wil de speler nog deze week vastleggen, voordat andere clubs zich melden.",
            "Over de transfersom is nog niets bekend, maar die zou rond de vier miljoen euro liggen.",
        ],
    ),
    "pt": (
        "Sporting prepara proposta por médio brasileiro",
        [
            "O Sporting prepara uma proposta por um médio brasileiro de vinte e um anos. Segundo o "
            "Record, os dirigentes já falaram com o empresário do jogador.",
            "O clube de Alvalade quer fechar o negócio antes do arranque da pré-época, mas há "
            "concorrência de um clube espanhol.",
            "O valor da transferência poderá rondar os sete milhões de euros, segundo as mesmas fontes.",
        ],
    ),
    "en": (
        "Brentford close in on Swedish goalkeeper",
        [
            "Brentford are closing in on a deal for a Swedish goalkeeper who spent last season on loan "
            "in Denmark. According to The Athletic, personal terms are not expected to be a problem.",
            "The club want the player in place before the start of pre-season training next month, "
            "and talks with his current club are said to be advanced.",
            "The fee is believed to be around five million pounds, with add-ons on top.",
        ],
    ),
}


def page(
    lang: str = "it",
    *,
    date_iso: str | None = "2024-07-12T10:00:00+02:00",
    canonical: str | None = None,
    site: str = "Testata di Prova",
    author: str | None = "Maria Rossi",
    charset_meta: str | None = "utf-8",
    extra_head: str = "",
    byline: str = "",
) -> str:
    title, paragraphs = BODIES[lang]
    head = [
        f'<meta charset="{charset_meta}">' if charset_meta else "",
        f"<title>{title} | {site}</title>",
        f'<meta property="og:site_name" content="{site}">',
        f'<meta property="og:title" content="{title}">',
    ]
    if canonical:
        head.append(f'<link rel="canonical" href="{canonical}">')
    if date_iso:
        head.append(f'<meta property="article:published_time" content="{date_iso}">')
    if author:
        head.append(f'<meta name="author" content="{author}">')
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!doctype html><html lang="{lang}"><head>{"".join(head)}{extra_head}</head><body>'
        f"<nav><a href='/'>Home</a> | <a href='/calcio'>Sport</a></nav>"
        f"<article><h1>{title}</h1>{byline}{body}</article>"
        f"<footer>Copyright {site}</footer></body></html>"
    )


def rss(items: list[tuple[str, str, str]], title: str = "Test feed") -> str:
    """RSS 2.0 with (guid, link, title) items, newest first."""
    entries = "".join(
        f"<item><guid>{escape(guid)}</guid><link>{escape(link)}</link><title>{escape(t)}</title>"
        f"<pubDate>Fri, 12 Jul 2024 08:00:00 GMT</pubDate></item>"
        for guid, link, t in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>http://example.invalid/</link>{entries}</channel></rss>"
    )


def atom(items: list[tuple[str, str, str]], title: str = "Test atom") -> str:
    entries = "".join(
        f'<entry><id>{escape(guid)}</id><link href="{escape(link)}"/><title>{escape(t)}</title>'
        f"<updated>2024-07-12T08:00:00Z</updated></entry>"
        for guid, link, t in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{escape(title)}</title><id>urn:test</id><updated>2024-07-12T08:00:00Z</updated>{entries}</feed>"
    )
