"""Time expressions and the dates claims carry, resolved against the publication date.

Every sentence here is written for the test (not taken from an article). Expected values follow
ANNOTATION_GUIDE.md: a matchday is dated by its league's calendar, "summer 2022" is the year,
a contract end is June of its year, a vague window is the year only.
"""

from __future__ import annotations

import pytest

from mercato.analysis.dates import find_time_expressions, parse_iso_date
from mercato.analysis.pipeline import analyze_article
from mercato.lang import load_pack
from mercato.model import Article
from mercato.text import fold_keep_length


def expressions(lang: str, published: str, text: str) -> list[tuple[str, str, str]]:
    """(kind, value, surface) of every time expression of the text."""
    folded = fold_keep_length(text)
    found = find_time_expressions(folded, 0, len(folded), load_pack(lang), parse_iso_date(published))
    return [(e.kind, e.value, text[e.start : e.end]) for e in found]


def values(lang: str, published: str, text: str) -> list[str]:
    return [v for _, v, _ in expressions(lang, published, text)]


def claim_dates(lang: str, published: str, text: str) -> dict[tuple[str, str], str | None]:
    """(claim type, player) -> date of the analysed text's claims."""
    analysis = analyze_article(Article(id="t", text=text, language=lang, published=published))
    return {(c.type.value, c.player): c.date for c in analysis.claims}


# -- matchdays --------------------------------------------------------------------------------

MATCHDAY_INJURIES = [
    # Serie A 2023/24 (Aug-May, 38 rounds): round 23 falls at the start of February
    (
        "it",
        "2024-05-06",
        "Mateo Retegui si è infortunato poco prima della 23esima giornata di Serie A.",
        "Mateo Retegui",
        "2024-02",
    ),
    # Bundesliga 2024/25 (34 rounds, winter break): round 19 is late January
    (
        "de",
        "2025-04-10",
        "Jamal Musiala verletzte sich vor dem 19. Spieltag der Bundesliga am Oberschenkel.",
        "Jamal Musiala",
        "2025-01",
    ),
    (
        "fr",
        "2024-09-30",
        "Kylian Mbappé s'est blessé à la cheville lors de la première journée de Ligue 1.",
        "Kylian Mbappé",
        "2024-08",
    ),
    (
        "es",
        "2025-03-15",
        "Julián Álvarez sufrió una lesión muscular antes de la jornada 20 de LaLiga.",
        "Julián Álvarez",
        "2025-01",
    ),
    (
        "nl",
        "2024-11-20",
        "Xavi Simons raakte geblesseerd in de 10e speelronde van de Eredivisie.",
        "Xavi Simons",
        "2024-10",
    ),
    # Brasileirão: a calendar-year league (April-December)
    (
        "pt",
        "2024-10-15",
        "Gabriel Barbosa sofreu uma lesão antes da 23ª rodada do Brasileirão.",
        "Gabriel Barbosa",
        "2024-08",
    ),
    (
        "en",
        "2025-02-20",
        "Erling Haaland picked up a knee injury before gameweek 21 of the Premier League.",
        "Erling Haaland",
        "2025-01",
    ),
]


@pytest.mark.parametrize(("lang", "published", "text", "player", "expected"), MATCHDAY_INJURIES)
def test_an_injury_before_a_matchday_is_dated_by_the_league_calendar(
    lang: str, published: str, text: str, player: str, expected: str
) -> None:
    assert claim_dates(lang, published, text)[("injury", player)] == expected


def test_a_matchday_without_a_named_league_takes_the_league_of_the_club() -> None:
    # Bayern play the Bundesliga: round 18 is after the winter break (January), where a generic
    # 38-round league would still be in December
    text = "Harry Kane verletzte sich beim FC Bayern kurz vor dem 18. Spieltag."
    assert claim_dates("de", "2025-03-01", text)[("injury", "Harry Kane")] == "2025-01"


def test_a_matchday_of_an_unknown_league_uses_a_generic_season() -> None:
    # mid-August to late May, 38 rounds: round 33 is in April
    assert values("en", "2024-05-10", "He has not played since matchday 33.") == ["2024-04"]


def test_the_matchday_belongs_to_the_season_nearest_the_article() -> None:
    # late August: the first round just played, not the one of a year ago
    assert values("it", "2025-08-22", "Escluso per la prima giornata di campionato.") == ["2025-08"]
    # May: the last round is the one coming this month
    assert values("es", "2024-05-03", "Volverá para la última jornada.") == ["2024-05"]


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("it", "prima della 23^ giornata"),
        ("de", "vor dem 23. Spieltag"),
        ("fr", "avant la 23e journée"),
        ("es", "antes de la 23ª jornada"),
        ("nl", "voor speelronde 23"),
        ("pt", "antes da rodada 23"),
        ("en", "before the 23rd matchday"),
    ],
)
def test_matchday_words_of_every_language(lang: str, text: str) -> None:
    assert [k for k, _, _ in expressions(lang, "2024-05-06", text)] == ["matchday"]


# -- seasons and years in a narrative ----------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("en", "He moved to Spain in the summer of 2022.", "2022"),
        ("it", "Era arrivato nell'estate del 2021 dal Genoa.", "2021"),
        ("fr", "Il avait rejoint le club à l'été 2020.", "2020"),
        ("nl", "Hij kwam in de zomer van 2019 over.", "2019"),
        ("es", "Llegó en el verano de 2018.", "2018"),
        ("pt", "Chegou no inverno de 2023.", "2023-01"),
    ],
)
def test_a_season_with_its_year_is_that_year_not_this_summer(lang: str, text: str, expected: str) -> None:
    assert values(lang, "2025-03-01", text) == [expected]


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("nl", "In 2016 tekende hij bij Ajax. Drie jaar later vertrok hij naar Spanje.", ["2016", "2019"]),
        ("it", "Nel 2019 passò al Genoa e l'anno seguente alla Roma.", ["2019", "2020"]),
        ("fr", "Il est arrivé en 2012, puis il est parti quatre ans plus tard.", ["2012", "2016"]),
        ("de", "2015 kam er nach Mainz, im Jahr darauf ging er nach Köln.", ["2015", "2016"]),
        ("es", "Debutó en 2017 y dos años después se marchó.", ["2017", "2019"]),
        ("pt", "Chegou em 2018 e foi vendido no ano seguinte.", ["2018", "2019"]),
        ("en", "He joined in 2014 and left two years later.", ["2014", "2016"]),
    ],
)
def test_years_later_count_from_the_year_last_named(lang: str, text: str, expected: list[str]) -> None:
    assert values(lang, "2025-03-01", text) == expected


@pytest.mark.parametrize(
    ("lang", "published", "text", "expected"),
    [
        # the relative tables list none of these: this/next/last word + season word, either order
        ("nl", "2024-11-01", "Hij kwam vorige zomer en vertrekt aanstaande winter.", ["2024", "2025-01"]),
        ("es", "2024-10-01", "Llegó el pasado verano y se irá el verano que viene.", ["2024", "2025"]),
        ("de", "2025-02-01", "Er kam vergangenen Sommer und geht im nächsten Winter.", ["2024", "2026-01"]),
        ("it", "2025-02-01", "Arrivato la scorsa estate, potrebbe partire l'estate prossima.", ["2024", "2025"]),
        ("pt", "2025-02-01", "Chegou no verão passado e sai no próximo inverno.", ["2024", "2026-01"]),
        ("fr", "2025-02-01", "Arrivé l'hiver dernier, il repartira cet hiver.", ["2024-01", "2025-01"]),
        ("en", "2024-10-01", "He arrived last summer and may leave this January.", ["2024", "2025-01"]),
    ],
)
def test_season_words_with_this_next_last(lang: str, published: str, text: str, expected: list[str]) -> None:
    assert values(lang, published, text) == expected


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("it", "Si era fatto male il mese scorso.", ["2025-02"]),
        ("fr", "Il reviendra le mois prochain.", ["2025-04"]),
        ("es", "Se lesionó el mes pasado.", ["2025-02"]),
        ("pt", "Volta no próximo mês.", ["2025-04"]),
        ("de", "Er verletzte sich im vergangenen Monat.", ["2025-02"]),
        ("nl", "Hij raakte vorige maand geblesseerd.", ["2025-02"]),
        ("en", "He was hurt earlier this month.", ["2025-03"]),
    ],
)
def test_this_next_last_month(lang: str, text: str, expected: list[str]) -> None:
    assert values(lang, "2025-03-10", text) == expected


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("en", "He signed a five-year deal.", ["2030-06"]),
        ("it", "Ha firmato un contratto triennale.", ["2028-06"]),
        ("fr", "Il a paraphé un contrat de quatre ans.", ["2029-06"]),
        ("es", "Firmó un contrato por tres temporadas.", ["2028-06"]),
        ("pt", "Assinou um contrato de dois anos.", ["2027-06"]),
        # a written date: day first
        ("de", "Sein Vertrag ist bis 30.06.2027 datiert.", ["2027-06"]),
        ("pt", "Tem contrato até 31/12/2026.", ["2026-12"]),
    ],
)
def test_contract_lengths_and_written_dates(lang: str, text: str, expected: list[str]) -> None:
    assert values(lang, "2025-07-10", text) == expected


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("it", "Potrebbe partire durante l'estate.", ["2025"]),
        ("en", "He could leave over the winter.", ["2025-01"]),
        ("fr", "Il pourrait partir pendant l'hiver.", ["2025-01"]),
    ],
)
def test_a_season_word_alone_is_the_coming_window(lang: str, text: str, expected: list[str]) -> None:
    assert values(lang, "2024-10-10", text) == expected


def test_a_name_is_never_a_time() -> None:
    # the journalist Henry Winter is no winter window
    text = "Marcus Rashford fell out with Ruben Amorim after an interview with journalist Henry Winter."
    assert claim_dates("en", "2025-02-02", text)[("conflict", "Marcus Rashford")] == "2025-02"


def test_years_later_never_count_from_a_future_contract_end() -> None:
    # "until 2027 ... the following season" is not 2028
    assert "2028" not in values("en", "2025-03-01", "He is tied until 2027, and could leave the following season.")


def test_italian_month_and_year_joined_by_del() -> None:
    assert values("it", "2025-04-05", "Era arrivato alla Lazio nell'agosto del 2021.") == ["2021-08"]


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("it", "Era già successo l'anno scorso.", ["2024"]),
        ("it", "Se ne parlerà l'anno prossimo.", ["2026"]),
        ("fr", "Il pourrait partir l'été prochain.", ["2025"]),
        ("fr", "Il est arrivé l'an dernier.", ["2024"]),
    ],
)
def test_relative_phrases_opening_with_an_elided_article(lang: str, text: str, expected: list[str]) -> None:
    assert values(lang, "2025-03-01", text) == expected


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("pt", "O clube quer renovar com o capitão por mais uma temporada."),
        ("es", "El capitán renovará por una temporada más."),
        ("it", "Il capitano rinnoverà per un'altra stagione."),
        ("fr", "Le capitaine va prolonger d'une saison supplémentaire."),
        ("nl", "Het contract van de aanvoerder wordt met een jaar verlengd."),
        ("de", "Der Kapitän verlängert um ein weiteres Jahr."),
        ("en", "The captain will extend his deal by one more season."),
    ],
)
def test_a_renewal_for_one_more_season_ends_a_year_on(lang: str, text: str) -> None:
    assert values(lang, "2025-02-01", text) == ["2026-06"]


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("nl", "Hij keerde in 2020 terug, nadat hij twee jaar eerder naar Spanje was gegaan.", ["2020", "2018"]),
        ("de", "Er kam 2020 zurück, nachdem er zwei Jahre zuvor nach Spanien gegangen war.", ["2020", "2018"]),
        ("it", "È tornato nel 2020, dopo essere partito due anni prima per la Spagna.", ["2020", "2018"]),
        ("fr", "Il est revenu en 2020, après être parti deux ans plus tôt en Espagne.", ["2020", "2018"]),
        ("es", "Volvió en 2020, tras haberse marchado dos años antes a España.", ["2020", "2018"]),
        ("pt", "Voltou em 2020, depois de ter saído dois anos antes para Espanha.", ["2020", "2018"]),
        ("en", "He came back in 2020, having left for Spain two years earlier.", ["2020", "2018"]),
        # no year named before: counted from the publication
        ("en", "He had left for Spain two years earlier.", ["2023"]),
    ],
)
def test_years_earlier_count_back_from_the_year_last_named(lang: str, text: str, expected: list[str]) -> None:
    assert sorted(values(lang, "2025-03-01", text), reverse=True) == expected


def test_next_season_in_july_is_the_one_about_to_start() -> None:
    assert values("de", "2024-07-02", "Er spielt in der kommenden Saison in Heidenheim.") == ["2024"]
    assert values("de", "2024-10-02", "Er spielt in der kommenden Saison in Heidenheim.") == ["2025"]


# -- the date a claim takes ------------------------------------------------------------------------

# (case, language, published, text, claim type[:club], player, expected date)
CLAIM_DATES = [
    # the publication month is only a default: the statement that dates the injury wins
    (
        "weak_default",
        "it",
        "2024-05-06",
        (
            "Mateo Retegui ha vissuto una stagione segnata dagli infortuni. Poco prima della 20esima "
            "giornata di Serie A il centravanti ha subito una lesione muscolare."
        ),
        "injury",
        "Mateo Retegui",
        "2024-01",
    ),
    # a bare month for a move: the nearer one (June seen from August is past)
    (
        "month_near_past",
        "nl",
        "2023-08-01",
        "Bij PSV nam Xavi Simons al in juni afscheid van de supporters.",
        "departure",
        "Xavi Simons",
        "2023-06",
    ),
    # a bare month for a move: November seen from January is past
    (
        "month_near_past2",
        "fr",
        "2025-01-30",
        "Paul Pogba est libre depuis la résiliation de son contrat avec la Juventus en novembre.",
        "departure",
        "Paul Pogba",
        "2024-11",
    ),
    # an absence 'until November' does not date the injury
    (
        "event_not_until",
        "fr",
        "2024-09-30",
        "Kylian Mbappé s'est blessé à la cuisse et sera absent jusqu'en novembre.",
        "injury",
        "Kylian Mbappé",
        "2024-09",
    ),
    # an offer in the news is dated by the article
    (
        "negotiation_default",
        "it",
        "2025-01-15",
        "Il Milan ha presentato un'offerta al Bologna per Mateo Retegui.",
        "negotiation",
        "Mateo Retegui",
        "2025-01",
    ),
    # an exit reported as fact is dated by the article
    (
        "departure_default",
        "nl",
        "2025-01-31",
        "Santiago Giménez staat op het punt Feyenoord te verlaten.",
        "departure",
        "Santiago Giménez",
        "2025-01",
    ),
    # Inter's window is not Juventus's
    (
        "inherit_same_club",
        "it",
        "2024-10-10",
        "L'Inter vuole Mateo Retegui la prossima estate. Anche la Juventus segue Mateo Retegui.",
        "interest:Juventus",
        "Mateo Retegui",
        None,
    ),
    # the day a renewal is announced is not its end
    (
        "contract_not_day",
        "es",
        "2025-02-10",
        "El Atlético de Madrid anunció este lunes la renovación de Julián Álvarez.",
        "contract_extension",
        "Julián Álvarez",
        None,
    ),
    # the end of a renewal said in the next sentence
    (
        "contract_next_sentence",
        "it",
        "2025-04-05",
        "Il Milan ha annunciato il rinnovo di Rafael Leão. Il portoghese resterà in rossonero fino al giugno 2028.",
        "contract_extension",
        "Rafael Leão",
        "2028-06",
    ),
    # a coming window said in the next sentence (by an unnamed 'club blanco')
    (
        "interest_next_sentence",
        "es",
        "2025-02-10",
        (
            "El Real Madrid sigue de cerca a Julián Álvarez. Según la prensa, la dirección deportiva "
            "blanca intentaría ficharlo el próximo verano."
        ),
        "interest",
        "Julián Álvarez",
        "2025",
    ),
    # guard: a past month of the next sentence is no target window
    (
        "interest_not_past_next",
        "de",
        "2025-03-14",
        "Der FC Arsenal beobachtet Jamal Musiala. Im Februar stockten die Gespräche mit dem FC Bayern.",
        "interest",
        "Jamal Musiala",
        None,
    ),
    # a deal done in July 'for the coming season' is dated by its announcement
    (
        "done_deal_window",
        "de",
        "2024-07-02",
        "Der FC Bayern verleiht Jamal Musiala für die kommende Saison an den 1. FC Heidenheim.",
        "loan",
        "Jamal Musiala",
        "2024-07",
    ),
    # a date before the club a move starts from dates that move
    (
        "career_origin",
        "fr",
        "2025-01-29",
        (
            "Arrivé en Angleterre à l'été 2023 en provenance de l'Atalanta, Rasmus Højlund a disputé "
            "cent matchs avec Manchester United."
        ),
        "transfer",
        "Rasmus Højlund",
        "2023",
    ),
    # the year of a career step is not the exclusion's
    (
        "career_year_not_event",
        "en",
        "2025-01-13",
        "Marten de Roon, who joined from Middlesbrough in 2016, was left out of the squad for the match against Lecce.",
        "squad_exclusion",
        "Marten de Roon",
        "2025-01",
    ),
    # an exclusion told twice: the latest is the current one
    (
        "event_latest",
        "en",
        "2025-06-10",
        "Rafael Leão was left out of the Milan squad in March. In April he was dropped from the squad again.",
        "squad_exclusion",
        "Rafael Leão",
        "2025-04",
    ),
    # guard: an injury is never dated by a coming window
    (
        "event_not_future",
        "en",
        "2024-12-24",
        "Bukayo Saka tore his hamstring on Saturday. The injury leaves Arsenal short for the January window.",
        "injury",
        "Bukayo Saka",
        "2024-12",
    ),
    # an exit dates with the move that made it
    (
        "departure_with_move",
        "de",
        "2025-07-02",
        (
            "Beim FC Bayern hinterlässt der Abgang von Harry Kane eine Lücke. Der Stürmer war vor "
            "wenigen Tagen zu Tottenham gewechselt."
        ),
        "departure",
        "Harry Kane",
        "2025-06",
    ),
    # leaving 'in the summer' the contract ends: when it ends
    (
        "departure_contract_end",
        "de",
        "2025-03-14",
        "Jamal Musiala verlässt den FC Bayern im Sommer. Sein Vertrag läuft am 30. Juni 2025 aus.",
        "departure",
        "Jamal Musiala",
        "2025-06",
    ),
    # an exit announced with no time while the contract runs out in June: it leaves then
    (
        "departure_free",
        "en",
        "2025-05-16",
        "Kyle Walker has said goodbye to Manchester City. His contract with City expires in June.",
        "departure",
        "Kyle Walker",
        "2025-06",
    ),
    # "last month" dates an injury a month before the article
    (
        "event_last_month",
        "nl",
        "2025-03-10",
        "Xavi Simons raakte vorige maand geblesseerd aan zijn enkel.",
        "injury",
        "Xavi Simons",
        "2025-02",
    ),
    # with an extension, the expiring contract is the one replaced
    (
        "old_contract",
        "de",
        "2025-03-14",
        (
            "Jamal Musiala hat beim FC Bayern verlängert. Er steht nun bis 2030 unter Vertrag. Sein "
            "bisheriger Vertrag war bis 2026 datiert."
        ),
        "contract_expiry",
        "Jamal Musiala",
        "2026-06",
    ),
    # 'jusqu'à la fin de la saison' is the loan's end, not its date
    (
        "loan_until_fr",
        "fr",
        "2025-01-30",
        "Marseille a trouvé un accord pour le prêt de Kylian Mbappé jusqu'à la fin de la saison.",
        "loan",
        "Kylian Mbappé",
        "2025-01",
    ),
    # a contract's length does not date the signing
    (
        "length_not_move",
        "it",
        "2024-07-10",
        "Ufficiale l'acquisto di Mateo Retegui dal Genoa all'Atalanta: per lui cinque anni di contratto.",
        "transfer",
        "Mateo Retegui",
        "2024-07",
    ),
    # with an extension, the expiring contract is the one replaced
    (
        "old_contract_nl",
        "nl",
        "2024-04-23",
        (
            "PSV heeft het contract van Xavi Simons verlengd. Hij ligt nu tot medio 2027 vast. Zijn "
            "oude contract liep tot medio 2025 af."
        ),
        "contract_expiry",
        "Xavi Simons",
        "2025-06",
    ),
    # talks denied never happened: the publication month does not date them
    (
        "denied_talks_nl",
        "nl",
        "2024-08-20",
        "Feyenoord heeft nog geen bod van Juventus op Lutsharel Geertruida ontvangen, zegt de directeur.",
        "negotiation",
        "Lutsharel Geertruida",
        None,
    ),
    # talks called off did happen: dated by the news
    (
        "abandoned_talks_it",
        "it",
        "2025-02-10",
        "Il Napoli ha deciso di abbandonare la trattativa con il Lille per Jonathan David.",
        "negotiation",
        "Jonathan David",
        "2025-02",
    ),
    # the year of a career step told in a relative clause does not date the current bid
    (
        "career_year_not_the_bid_es",
        "es",
        "2025-01-15",
        (
            "El Sevilla ha presentado una oferta por Samu Omorodion, que llegó al Atlético de Madrid en 2022 "
            "procedente del Granada."
        ),
        "negotiation",
        "Samu Omorodion",
        "2025-01",
    ),
    (
        "career_year_not_the_bid_en",
        "en",
        "2025-01-15",
        "Aston Villa have made a bid for the striker Dominic Solanke, who joined Tottenham in 2024.",
        "negotiation",
        "Dominic Solanke",
        "2025-01",
    ),
    # asking to leave in the summer window with a year of contract left: he leaves now ...
    (
        "exit_request_summer_it",
        "it",
        "2025-08-10",
        "Davide Frattesi ha chiesto di essere ceduto dall'Inter. Il suo contratto scade a giugno 2026.",
        "departure",
        "Davide Frattesi",
        "2025-08",
    ),
    # ... in spring, the contract running out in June is the way out
    (
        "exit_request_spring_it",
        "it",
        "2025-03-10",
        "Davide Frattesi ha chiesto di essere ceduto dall'Inter. Il suo contratto scade a giugno 2025.",
        "departure",
        "Davide Frattesi",
        "2025-06",
    ),
    # a rumoured renewal: the end told for the contract he has now is not the renewal's
    (
        "rumoured_renewal_current_end_fr",
        "fr",
        "2025-02-10",
        "Jonathan Clauss, à qui il reste un an de contrat, pourrait prolonger avec l'OGC Nice.",
        "contract_extension",
        "Jonathan Clauss",
        None,
    ),
    (
        "rumoured_renewal_current_end_it",
        "it",
        "2025-02-10",
        (
            "Il Bologna vuole blindare Riccardo Orsolini. Secondo la stampa, il club avrebbe avviato i contatti "
            "per prolungare il contratto, che oggi scade nel giugno 2027."
        ),
        "contract_extension",
        "Riccardo Orsolini",
        None,
    ),
    # a signed renewal followed by the contract's new end takes that end
    (
        "signed_renewal_then_end_it",
        "it",
        "2024-05-10",
        "La Lazio ha ufficializzato il rinnovo di Mattia Zaccagni. Il suo contratto ora scade nel 2029.",
        "contract_extension",
        "Mattia Zaccagni",
        "2029-06",
    ),
    # an injury dated only by this year's window is the news of the month
    (
        "injury_this_year_window_es",
        "es",
        "2025-07-08",
        "Pedri se perderá el inicio de la pretemporada por una lesión en el tobillo.",
        "injury",
        "Pedri",
        "2025-07",
    ),
    # a hedged exit stays undated: the news month another statement took by default is not its own
    (
        "hedged_exit_no_default_pt",
        "pt",
        "2025-01-20",
        "Em sentido contrário, Pedro Gonçalves poderá deixar o Sporting. O médio vai sair do Sporting.",
        "departure",
        "Pedro Gonçalves",
        None,
    ),
]


@pytest.mark.parametrize(
    ("case", "lang", "published", "text", "kind", "player", "expected"), CLAIM_DATES, ids=[c[0] for c in CLAIM_DATES]
)
def test_the_date_a_claim_takes(
    case: str, lang: str, published: str, text: str, kind: str, player: str, expected: str | None
) -> None:
    ctype, _, club = kind.partition(":")
    analysis = analyze_article(Article(id=case, text=text, language=lang, published=published))
    found = [
        c.date for c in analysis.claims if c.type.value == ctype and c.player == player and c.club in (club or c.club,)
    ]
    assert found == [expected]
