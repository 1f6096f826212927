"""Claim rules, one general error class per test, on sentences written for these tests."""

from __future__ import annotations

from mercato.analysis.pipeline import analyze_article
from mercato.model import Article


def claims(lang: str, text: str, published: str = "2025-01-15") -> set[tuple[str, str, str | None, str]]:
    analysis = analyze_article(Article(id="t", text=text, language=lang, published=published))
    return {(c.type.value, c.player, c.club, c.status.value) for c in analysis.claims}


def kinds(lang: str, text: str, published: str = "2025-01-15") -> set[tuple[str, str, str | None]]:
    return {(t, p, c) for t, p, c, _ in claims(lang, text, published)}


def test_longer_trigger_of_another_type_wins() -> None:
    # "chiesto informazioni" is interest; the bare "chiesto" inside it is no negotiation
    got = kinds("it", "Il Genoa ha chiesto informazioni per Marco Bellini.")
    assert ("interest", "Marco Bellini", "Genoa") in got
    assert not any(t == "negotiation" for t, _, _ in got)


def test_deal_stages_are_ranked_per_club_within_a_sentence() -> None:
    got = kinds("it", "Il Torino ha avviato una trattativa per Marco Bellini, mentre il Cagliari lo osserva da tempo.")
    assert ("negotiation", "Marco Bellini", "Torino") in got
    assert ("interest", "Marco Bellini", "Cagliari") in got


def test_clubs_coordinated_across_a_conjunction_are_all_buyers() -> None:
    got = kinds("de", "Auch der VfL Bochum und Werder Bremen sollen Lukas Brandner seit Wochen beobachten.")
    assert ("interest", "Lukas Brandner", "VfL Bochum") in got
    assert ("interest", "Lukas Brandner", "Werder Bremen") in got


def test_an_asserted_renewal_or_transfer_is_official() -> None:
    got = claims("de", "Lukas Brandner hat seinen Vertrag beim VfL Bochum bis 2028 verlängert.")
    assert ("contract_extension", "Lukas Brandner", "VfL Bochum", "official") in got
    hedged = claims("de", "Lukas Brandner könnte seinen Vertrag beim VfL Bochum verlängern.")
    assert ("contract_extension", "Lukas Brandner", "VfL Bochum", "rumour") in hedged


def test_a_past_move_in_its_own_sentence_names_its_club() -> None:
    text = "Marco Bellini gioca nel Torino da tre anni. Nell'estate del 2019 è passato all'Empoli per due milioni."
    got = claims("it", text)
    assert ("transfer", "Marco Bellini", "Empoli", "official") in got
    assert ("transfer", "Marco Bellini", "Torino", "official") not in got


def test_german_konjunktiv_is_read_with_its_umlaut() -> None:
    # folded, "würde" is "wurde" (a past tense); the conditional still makes a rumour
    got = claims("de", "Lukas Brandner würde seinen Vertrag beim VfL Bochum verlängern.")
    assert ("contract_extension", "Lukas Brandner", "VfL Bochum", "rumour") in got


def test_a_move_out_of_a_youth_team_leads_to_his_club() -> None:
    text = (
        "Lukas Brandner steht beim VfL Bochum unter Vertrag. "
        "Der Verteidiger war 2019 aus der Jugend des SC Freiburg nach Bochum gewechselt."
    )
    got = kinds("de", text, "2025-01-10")
    assert ("transfer", "Lukas Brandner", "VfL Bochum") in got
    assert ("transfer", "Lukas Brandner", "SC Freiburg") not in got


def test_a_coordinated_player_with_a_trigger_of_his_own_keeps_it() -> None:
    got = kinds("fr", "Accord trouvé pour le prêt de Paul Mercier, Hugo Lambert file à l'AS Monaco.")
    assert ("transfer", "Hugo Lambert", "Monaco") in got
    assert not any(t == "loan" and p == "Hugo Lambert" for t, p, _ in got)


def test_a_loan_is_not_also_a_transfer_to_the_same_club() -> None:
    text = "Marco Bellini va al Torino in prestito fino a giugno. È ufficiale il passaggio di Bellini al Torino."
    got = claims("it", text)
    assert ("loan", "Marco Bellini", "Torino", "official") in got
    assert not any(t == "transfer" for t, *_ in got)


def test_leaving_a_club_is_as_certain_as_the_move_away() -> None:
    text = "Il Genoa ha ceduto Marco Bellini al Torino: è ufficiale. Il difensore lascia il Genoa dopo sei stagioni."
    assert ("departure", "Marco Bellini", "Genoa", "official") in claims("it", text)


def test_a_new_contract_is_with_the_club_he_joins_not_the_one_he_leaves() -> None:
    text = "Officiel : Hugo Lambert rejoint Lens. Le milieu s'est engagé jusqu'en juin 2028 en provenance de Nantes."
    got = kinds("fr", text)
    assert ("contract_expiry", "Hugo Lambert", "Lens") in got
    assert ("contract_expiry", "Hugo Lambert", "Nantes") not in got


def test_an_agreement_between_two_clubs_goes_to_one_of_them() -> None:
    got = kinds("nl", "Sem Dijkstra speelt bij Feyenoord. Feyenoord en Ajax akkoord over Sem Dijkstra.")
    assert ("agreement", "Sem Dijkstra", "Ajax") in got
    assert ("agreement", "Sem Dijkstra", "Feyenoord") not in got


def test_talks_that_led_to_an_announced_move_are_its_story() -> None:
    text = (
        "Ufficiale: Marco Bellini è un nuovo giocatore del Torino. "
        "Il Torino ha condotto una lunga trattativa con il Genoa per Bellini."
    )
    got = kinds("it", text)
    assert ("transfer", "Marco Bellini", "Torino") in got
    assert ("negotiation", "Marco Bellini", "Torino") not in got


def test_signing_a_renewal_is_no_transfer() -> None:
    text = "Il Torino ha annunciato il rinnovo di Marco Bellini. Il difensore ha firmato e resterà al Torino."
    got = kinds("it", text)
    assert ("contract_extension", "Marco Bellini", "Torino") in got
    assert not any(t == "transfer" for t, _, _ in got)


def test_italian_announcement_word_is_no_move_and_exit_requests_are_departures() -> None:
    assert not any(t == "transfer" for t, _, _ in kinds("it", "Torino, ufficiale il rinnovo di Marco Bellini."))
    got = kinds("it", "Marco Bellini gioca nel Torino. Il difensore ha chiesto da giorni di essere ceduto.")
    assert ("departure", "Marco Bellini", "Torino") in got
    got = kinds("it", "Marco Bellini gioca nel Torino. Il difensore accusa la dirigenza di averlo ingannato.")
    assert ("conflict", "Marco Bellini", "Torino") in got


def test_a_club_a_career_move_came_from_is_no_longer_his() -> None:
    text = (
        "Pablo Ruiz juega en el Sevilla desde hace años. "
        "Llegó en 2019 procedente del Betis y tiene contrato hasta 2027."
    )
    got = kinds("es", text, "2024-08-20")
    assert ("contract_expiry", "Pablo Ruiz", "Sevilla") in got
    assert ("transfer", "Pablo Ruiz", "Sevilla") in got


def test_a_preposition_does_not_reach_over_another_club() -> None:
    text = "Jonas Keller war 2022 aus Mainz zum BVB gewechselt und steht dort bis 2027 unter Vertrag."
    got = kinds("de", text, "2024-08-20")
    assert ("contract_expiry", "Jonas Keller", "Borussia Dortmund") in got


def test_telling_the_club_is_no_announcement() -> None:
    text = "Pablo Ruiz juega en el Sevilla. Su entorno ha comunicado al club que quiere salir en enero."
    assert ("departure", "Pablo Ruiz", "Sevilla", "reported") in claims("es", text, "2024-08-20")


def test_words_of_a_two_word_nationality_open_no_name() -> None:
    analysis = analyze_article(
        Article(id="t", text="Luis Mora kwam in 2021 van het Costa Ricaanse Herediano naar FC Twente.", language="nl")
    )
    assert not any("Ricaanse" in e.name for e in analysis.entities)


def test_the_opponent_of_a_match_is_not_the_players_club() -> None:
    text = "Luis Mora is geschorst voor het duel met PSV. De spits van FC Twente mist zo het duel met PSV."
    got = kinds("nl", text, "2024-08-20")
    assert ("squad_exclusion", "Luis Mora", "Twente") in got


def test_a_deal_told_without_naming_the_player_does_not_take_his_club_away() -> None:
    text = (
        "FC Twente en Luis Mora liggen overhoop. De spits wil naar Spartak Moskou, maar de Tukkers weigeren "
        "hem te laten gaan voor het bedrag dat de Russen bieden. Hij wil deze zomer nog vertrekken."
    )
    assert ("departure", "Luis Mora", "Twente") in kinds("nl", text, "2024-08-20")


def test_the_club_making_an_offer_is_the_buyer() -> None:
    got = kinds("nl", "PSV heeft een bod van Brentford op Johan Bakker afgewezen.", "2024-08-20")
    assert ("negotiation", "Johan Bakker", "Brentford") in got
    assert ("negotiation", "Johan Bakker", "PSV Eindhoven") not in got


def test_talks_end_in_the_agreement_that_follows() -> None:
    text = "La Juventus tient la corde pour Paul Mercier. La Juventus a trouvé un accord pour Mercier."
    got = kinds("fr", text)
    assert ("agreement", "Paul Mercier", "Juventus") in got
    assert ("negotiation", "Paul Mercier", "Juventus") not in got


def test_a_supposed_offer_beside_a_stated_interest_is_still_interest() -> None:
    got = kinds("pt", "O Porto estaria interessado em Rui Tavares e poderá avançar com uma proposta no verão.")
    assert ("interest", "Rui Tavares", "Porto") in got
    assert ("negotiation", "Rui Tavares", "Porto") not in got
    # an offer stated as made stays talks
    assert ("negotiation", "Rui Tavares", "Porto") in kinds("pt", "O Porto fez uma proposta por Rui Tavares.")


def test_a_coach_who_explains_his_decision_in_the_press_conference_announces_it() -> None:
    text = (
        "Marco Bellini gioca nel Torino. L'allenatore Ivan Rossi lo ha escluso dai convocati. "
        '"Non è a disposizione. Deve ritrovare la testa", ha spiegato il tecnico in conferenza stampa.'
    )
    assert ("squad_exclusion", "Marco Bellini", "Torino", "official") in claims("it", text)


def test_a_negation_inside_a_trigger_with_a_gap_denies_it() -> None:
    text = (
        "Florian Becker steht beim VfL Bochum unter Vertrag. "
        "Der Verein teilte mit, dass der Vertrag des Verteidigers nicht verlängert wird."
    )
    assert ("contract_extension", "Florian Becker", "VfL Bochum", "denied") in claims("de", text, "2024-08-20")
    text = "Florian Becker spielt beim VfL Bochum. Der Sportchef sagte, dass Becker im Sommer nicht verkauft werde."
    assert ("departure", "Florian Becker", "VfL Bochum", "denied") in claims("de", text, "2024-08-20")


def test_a_deal_the_article_denies_is_denied() -> None:
    text = (
        "Según el diario Marca, el Sevilla ha hecho una oferta por Pablo Ruiz. "
        "El Betis ha desmentido haber recibido una oferta del Sevilla por Pablo Ruiz."
    )
    assert ("negotiation", "Pablo Ruiz", "Sevilla", "denied") in claims("es", text, "2024-08-20")


def test_the_club_dealt_with_buys_a_player_of_the_club_making_the_deal() -> None:
    text = (
        "Ajax wil Sem Dijkstra halen. Dijkstra staat op het punt Feyenoord te verlaten. "
        "De Rotterdammers zijn het eens geworden met Ajax over een transfer van de spits."
    )
    got = kinds("nl", text, "2024-08-20")
    assert ("agreement", "Sem Dijkstra", "Ajax") in got
    assert not any(t == "transfer" for t, _, _ in got)  # "een transfer" alone is no completed move


def test_a_renewal_the_article_denies_is_denied() -> None:
    text = (
        "Marco Bellini gioca nel Torino. "
        "Sul fronte rinnovi, è stata smentita la trattativa per il prolungamento di Bellini."
    )
    assert ("contract_extension", "Marco Bellini", "Torino", "denied") in claims("it", text, "2024-08-20")


def test_a_club_that_received_no_bid_is_the_seller_when_another_club_courts_him() -> None:
    text = (
        "Sem Dijkstra speelt bij Ajax. Sem Dijkstra staat in de belangstelling van Olympique Marseille. "
        "Ajax heeft nog geen bod ontvangen, zo laat de directeur weten."
    )
    got = claims("nl", text, "2024-08-20")
    assert ("interest", "Sem Dijkstra", "Marseille", "reported") in got
    assert ("negotiation", "Sem Dijkstra", "Marseille", "denied") in got
    assert not any(c == "Ajax" and t in ("interest", "negotiation") for t, _, c, _ in got)


def test_the_club_an_offer_is_sent_to_sells() -> None:
    text = "Il Milan vuole Marco Bellini. Il direttore ha presentato al Torino un'offerta da 20 milioni per Bellini."
    got = kinds("it", text, "2024-08-20")
    assert ("negotiation", "Marco Bellini", "Milan") in got
    assert ("negotiation", "Marco Bellini", "Torino") not in got


def test_an_announcement_in_the_next_sentence_makes_it_official() -> None:
    text = (
        "Ajax heeft Sem Dijkstra voor één seizoen verhuurd aan Excelsior. "
        "Dat maakte de club woensdag bekend op de clubwebsite."
    )
    assert ("loan", "Sem Dijkstra", "Excelsior", "official") in claims("nl", text, "2024-08-20")


def test_the_contract_of_an_announced_signing_is_official_and_with_the_buyer() -> None:
    text = (
        "C'est officiel : Hugo Lambert est un nouveau joueur du Stade Rennais. "
        "Le milieu s'est engagé jusqu'en juin 2028."
    )
    got = claims("fr", text, "2024-08-20")
    assert ("transfer", "Hugo Lambert", "Rennes", "official") in got
    assert ("contract_expiry", "Hugo Lambert", "Rennes", "official") in got


def test_trigger_data_for_following_a_situation_training_apart_and_announced_signings() -> None:
    text = "Hugo Lambert joue à l'Olympique lyonnais. Le Borussia Dortmund et Liverpool suivent sa situation de près."
    got = kinds("fr", text, "2024-08-20")
    assert {("interest", "Hugo Lambert", "Borussia Dortmund"), ("interest", "Hugo Lambert", "Liverpool")} <= got
    text = "Sem Dijkstra speelt bij PSV. De trainer bevestigde dat Sem Dijkstra niet meer met de selectie traint."
    assert ("squad_exclusion", "Sem Dijkstra", "PSV Eindhoven") in kinds("nl", text, "2024-08-20")
    text = "O Palmeiras anunciou a contratação do atacante Rui Tavares, que estava no Santos."
    assert ("transfer", "Rui Tavares", "Palmeiras") in kinds("pt", text, "2024-08-20")
    text = "O Santos desistiu da contratação de Rui Tavares."
    assert ("negotiation", "Rui Tavares", "Santos") in kinds("pt", text, "2024-08-20")


def test_a_stint_is_no_move() -> None:
    got = kinds("nl", "Ook Sem Dijkstra speelde ooit voor PSV.", "2024-08-20")
    assert not any(t == "transfer" for t, _, _ in got)


def test_a_career_cue_inside_a_longer_trigger_is_no_career() -> None:
    # folded, "chegou à" (career) is the "chegou a" of "chegou a acordo"
    text = "O Benfica chegou a acordo com o Como para o empréstimo de Rui Tavares até ao final da temporada."
    got = kinds("pt", text, "2025-01-28")
    assert ("loan", "Rui Tavares", "Benfica") in got
    assert not any(t == "transfer" for t, _, _ in got)


def test_the_club_of_a_current_deal_is_no_step_of_the_career() -> None:
    text = "O Botafogo apresentou uma proposta por Rui Tavares, que chegou ao Benfica em 2023 vindo da Fiorentina."
    got = kinds("pt", text, "2025-01-28")
    assert ("negotiation", "Rui Tavares", "Botafogo") in got
    assert ("transfer", "Rui Tavares", "Benfica") in got
    assert ("transfer", "Rui Tavares", "Botafogo") not in got


def test_kept_off_the_pitch_is_an_injury() -> None:
    got = kinds("pt", "Rui Tavares joga no Benfica. Rui Tavares continua afastado dos relvados.", "2025-01-28")
    assert ("injury", "Rui Tavares", "Benfica") in got
    assert ("squad_exclusion", "Rui Tavares", "Benfica") not in got


def test_a_move_or_renewal_still_ahead_is_not_official() -> None:
    text = "Sem Dijkstra staat op het punt zijn contract bij PSV te verlengen."
    assert ("contract_extension", "Sem Dijkstra", "PSV Eindhoven", "reported") in claims("nl", text, "2025-06-18")
    text = "Lukas Brandner steht kurz vor dem Wechsel zum VfL Bochum."
    assert ("transfer", "Lukas Brandner", "VfL Bochum", "reported") in claims("de", text, "2025-06-18")


def test_offers_presented_and_fees_agreed_are_no_completed_moves() -> None:
    got = kinds("es", "El Sevilla ya ha presentado una primera oferta de 20 millones por Pablo Ruiz.", "2025-06-18")
    assert got == {("negotiation", "Pablo Ruiz", "Sevilla")}
    text = "Tom Baker plays for Leeds United. Everton have agreed a fee of £20m for Tom Baker."
    got = kinds("en", text, "2025-06-18")
    assert ("agreement", "Tom Baker", "Everton") in got
    assert not any(t == "transfer" for t, _, _ in got)


def test_the_evidence_of_a_claim_is_the_body_statement_not_the_headline() -> None:
    text = "Sevilla negocia por Pablo Ruiz\n\nEl Sevilla mantiene conversaciones con el Betis por Pablo Ruiz."
    analysis = analyze_article(Article(id="t", text=text, language="es", published="2025-06-18"))
    (claim,) = [c for c in analysis.claims if c.type.value == "negotiation"]
    assert claim.evidence.startswith("El Sevilla mantiene conversaciones")


def test_a_career_move_told_as_a_loan_is_a_loan_and_a_transfer_when_made_permanent() -> None:
    text = "Marco Bellini gioca nel Torino. Bellini era arrivato al Torino dall'Empoli nel 2022 in prestito."
    got = kinds("it", text, "2025-01-28")
    assert ("loan", "Marco Bellini", "Torino") in got
    assert ("transfer", "Marco Bellini", "Torino") not in got
    text = (
        "Rui Tavares joga no Benfica. Revelado pelo Santos, chegou ao Benfica em 2019 por empréstimo do Porto "
        "e foi comprado em definitivo no ano seguinte."
    )
    got = kinds("pt", text, "2025-01-28")
    assert {("loan", "Rui Tavares", "Benfica"), ("transfer", "Rui Tavares", "Benfica")} <= got
    assert ("loan", "Rui Tavares", "Porto") not in got  # "por empréstimo do Porto": the lender


def test_interest_an_executive_denies_is_his_clubs_not_the_players() -> None:
    text = (
        "La Roma cerca un terzino sinistro. "
        "Il direttore sportivo Paolo Neri ha smentito ogni interesse per Marco Bellini, 25enne esterno del Genoa."
    )
    got = claims("it", text, "2025-01-28")
    assert ("interest", "Marco Bellini", "Roma", "denied") in got
    assert not any(c == "Genoa" and t == "interest" for t, _, c, _ in got)


def test_a_player_with_no_club_of_his_own_takes_the_speakers_or_the_previous_sentences() -> None:
    text = (
        "Everton beat Arsenal on Saturday and Everton climb to fifth. Everton were brilliant. "
        "Arsenal head coach Mikel Arteta is unhappy. The club are also trying to offload Tom Baker, "
        "who has two years left on his contract."
    )
    got = kinds("en", text, "2025-01-28")
    assert ("departure", "Tom Baker", "Arsenal") in got
    text = (
        "O Santos venceu o Palmeiras e o Santos lidera. O Santos joga bem. "
        "O técnico Abel Ferreira confirmou que o zagueiro Rui Tavares sofreu uma lesão no tornozelo."
    )
    assert ("injury", "Rui Tavares", "Palmeiras") in kinds("pt", text, "2025-01-28")


def test_the_club_whose_list_he_is_on_is_interested_and_the_body_tells_how_sure() -> None:
    text = (
        "AZ verkoopt Sem Dijkstra, Vangelis Pavlidis op het verlanglijstje van Benfica\n\n"
        "Volgens Portugese media staat de spits Vangelis Pavlidis op het verlanglijstje van Benfica."
    )
    got = claims("nl", text, "2025-03-18")
    assert ("interest", "Vangelis Pavlidis", "Benfica", "rumour") in got


def test_a_question_asserts_nothing() -> None:
    got = claims("it", "Marco Bellini gioca nella Lazio. Bellini ai saluti?", "2025-03-18")
    assert ("departure", "Marco Bellini", "Lazio", "rumour") in got


def test_talks_about_a_renewal_are_no_transfer_talks() -> None:
    text = (
        "La Lazio vuole blindare Marco Bellini. Secondo la stampa, il club avrebbe avviato i contatti con "
        "l'agente per prolungare il contratto, che scade nel giugno 2027."
    )
    got = kinds("it", text, "2025-03-18")
    assert {("contract_extension", "Marco Bellini", "Lazio"), ("contract_expiry", "Marco Bellini", "Lazio")} <= got
    assert not any(t in ("interest", "negotiation") for t, _, _ in got)


def test_the_club_a_done_move_came_from_is_no_longer_his() -> None:
    text = (
        "Marco Bellini gioca nella Lazio. "
        "Il difensore, riscattato dal Genoa la scorsa estate, ha chiesto di essere ceduto."
    )
    got = kinds("it", text, "2025-03-18")
    assert ("departure", "Marco Bellini", "Lazio") in got
    assert ("departure", "Marco Bellini", "Genoa") not in got


def test_a_departure_to_a_named_club_is_also_the_move_there() -> None:
    text = (
        "Le RC Lens a officialisé le départ de Hugo Lambert vers Tottenham Hotspur. "
        "Le défenseur s'est engagé jusqu'en juin 2030 avec le club londonien."
    )
    got = claims("fr", text, "2025-03-18")
    assert ("departure", "Hugo Lambert", "Lens", "official") in got
    assert ("transfer", "Hugo Lambert", "Tottenham Hotspur", "official") in got
    assert ("contract_expiry", "Hugo Lambert", "Tottenham Hotspur", "official") in got


def test_a_sale_announced_in_the_next_sentence_carries_the_new_contract() -> None:
    text = (
        "AZ heeft Sem Dijkstra verkocht aan Southampton. De Engelse club betaalt 14 miljoen euro, zo meldt de "
        "club op de eigen website. Dijkstra tekende een contract tot medio 2029."
    )
    assert ("contract_expiry", "Sem Dijkstra", "Southampton") in kinds("nl", text, "2024-07-10")


def test_a_bid_the_seller_turns_down_is_still_a_reported_bid() -> None:
    got = claims("pt", "O FC Porto recusa proposta do Chelsea por Rui Tavares.", "2025-01-20")
    assert ("negotiation", "Rui Tavares", "Chelsea", "reported") in got
    # a buyer giving up is a denied move
    got = claims("it", "Marco Bellini gioca nel Torino. Il Milan ha deciso di abbandonare la trattativa per Bellini.")
    assert ("negotiation", "Marco Bellini", "Milan", "denied") in got


def test_not_for_sale_and_release_clauses() -> None:
    text = "Rui Tavares joga no Porto. O presidente garantiu que Rui Tavares não está à venda."
    assert claims("pt", text, "2025-01-20") == {("departure", "Rui Tavares", "Porto", "denied")}
    text = "Pablo Ruiz juega en el Sevilla y tiene una cláusula de rescisión de 60 millones."
    assert not any(t == "departure" for t, _, _ in kinds("es", text, "2025-01-20"))


def test_a_past_move_from_a_named_club_takes_no_buyer_from_other_talks() -> None:
    text = (
        "O Chelsea fez uma proposta por Rui Tavares. "
        "O avançado, contratado ao Braga no verão passado, viu a cláusula subir."
    )
    got = kinds("pt", text, "2025-01-20")
    assert ("transfer", "Rui Tavares", "Chelsea") not in got


def test_not_to_be_sold_is_a_denied_departure() -> None:
    text = "Tom Baker plays for Everton. The manager said Tom Baker would not be sold at any price."
    got = claims("en", text, "2024-07-20")
    assert ("departure", "Tom Baker", "Everton", "denied") in got
    assert not any(t == "transfer" for t, *_ in got)


def test_a_contract_with_years_left_is_the_one_he_has_now() -> None:
    text = (
        "El Valencia ha aceptado la oferta del Arsenal por Pablo Ruiz. "
        "El club inglés pagará 15 millones por el central, al que le quedaba un año de contrato."
    )
    got = kinds("es", text, "2024-07-20")
    assert ("contract_expiry", "Pablo Ruiz", "Valencia") in got
    assert ("contract_expiry", "Pablo Ruiz", "Arsenal") not in got


def test_a_club_not_taking_up_a_bid_leaves_it_a_reported_bid() -> None:
    got = claims("nl", "Feyenoord gaat niet in op het bod van Ajax op Sem Dijkstra.", "2024-07-20")
    assert ("negotiation", "Sem Dijkstra", "Ajax", "reported") in got


def test_the_contract_signed_with_a_move_told_first_is_no_renewal() -> None:
    text = (
        "Der VfB Stuttgart hat die Kaufoption für Lukas Brandner gezogen. Der Angreifer unterschreibt einen "
        "Vertrag bis 2027. Das gab der Verein am Mittwoch bekannt."
    )
    got = claims("de", text, "2024-07-20")
    assert ("transfer", "Lukas Brandner", "VfB Stuttgart", "official") in got
    assert ("contract_expiry", "Lukas Brandner", "VfB Stuttgart", "official") in got
    assert not any(t == "contract_extension" for t, *_ in got)


def test_an_offer_goes_to_the_club_named_after_its_amount() -> None:
    text = "Segundo o jornal, o Flamengo fez uma proposta de 15 milhões de euros ao Benfica por Tiago Mendes."
    got = claims("pt", text)
    assert ("negotiation", "Tiago Mendes", "Flamengo", "reported") in got
    assert not any(c == "Benfica" for t, _, c, _ in got if t == "negotiation")


def test_a_contract_year_after_the_article_is_no_career_step() -> None:
    text = "O Sporting recebeu uma oferta do Celtic por Tiago Mendes, cujo contrato termina em 2028."
    got = kinds("pt", text, "2025-08-01")
    assert not any(t in ("transfer", "loan") for t, _, _ in got)
    assert ("contract_expiry", "Tiago Mendes", "Sporting CP") in got


def test_a_loan_of_another_career_step_leaves_the_move_a_transfer() -> None:
    text = (
        "Le FC Nantes a prolongé Lucas Moreau. "
        "Arrivé du Stade Rennais en 2022, il avait auparavant été prêté à Valenciennes."
    )
    got = claims("fr", text)
    assert ("transfer", "Lucas Moreau", "Nantes", "official") in got
    assert not any(t == "loan" for t, _, _, _ in got)
    # a loan word in the move's own clause still makes it a loan
    got = kinds("pt", "Tiago Mendes chegou ao Braga em 2019 por empréstimo do Porto e foi comprado no ano seguinte.")
    assert ("loan", "Tiago Mendes", "Braga") in got


def test_a_step_not_taken_yet_does_not_deny_asserted_talks() -> None:
    text = "Volgens de krant is AZ in gesprek met Ajax over Sem Dekker. AZ heeft nog geen bod gedaan."
    assert ("negotiation", "Sem Dekker", "AZ Alkmaar", "reported") in claims("nl", text)
    text = "Fulham are in talks with Brentford over Tom Hardwick. Fulham have not yet made a formal bid."
    assert ("negotiation", "Tom Hardwick", "Fulham", "reported") in claims("en", text)
    # alone, "no bid received yet" still denies the talks (ANNOTATION_GUIDE, nl-06)
    got = claims("nl", "Marseille volgt Sem Dekker. Ajax heeft nog geen bod van Marseille ontvangen.")
    assert ("negotiation", "Sem Dekker", "Marseille", "denied") in got


def test_trigger_words_found_by_the_first_run_articles() -> None:
    # courting is interest, not talks
    got = kinds("de", "Bayer Leverkusen baggert an Lukas Brandner.")
    assert ("interest", "Lukas Brandner", "Bayer Leverkusen") in got
    # a wish to move on is an exit
    got = kinds("it", "Marco Bellini, legato al Cagliari fino al 2027, vorrebbe cambiare aria.")
    assert ("departure", "Marco Bellini", "Cagliari") in got
    # a player released by a club leaves it: he is not moving to it
    got = kinds("es", "El Getafe presentó a Tomás Herrera, que firma por dos temporadas tras quedar libre del Udinese.")
    assert ("departure", "Tomás Herrera", "Udinese") in got
    assert ("transfer", "Tomás Herrera", "Udinese") not in got
    # a loan bid is a bid, not a loan
    got = kinds("en", "Newcastle United have had a loan bid for Tom Hardwick rejected by Chelsea.")
    assert ("negotiation", "Tom Hardwick", "Newcastle United") in got
    assert not any(t == "loan" for t, _, _ in got)


def test_a_birth_year_dates_no_claim() -> None:
    for lang, text in [
        ("it", "Marco Bellini piace al Cagliari, che segue il classe 2001 da tempo."),
        ("de", "Der VfL Bochum beobachtet Lukas Brandner, Jahrgang 2002."),
    ]:
        analysis = analyze_article(Article(id="t", text=text, language=lang, published="2025-07-14"))
        interest = [c for c in analysis.claims if c.type.value == "interest"]
        assert interest and all(c.date is None for c in interest), (lang, interest)


def test_a_trigger_is_about_the_player_of_its_own_clause() -> None:
    got = kinds("fr", "Nantes : Lucas Moreau proche de prolonger, Hugo Lambert courtisé par Lille")
    assert ("contract_extension", "Lucas Moreau", "Nantes") in got
    assert not any(t == "contract_extension" and p == "Hugo Lambert" for t, p, _ in got)


def test_the_contract_of_an_agreed_move_is_with_the_buyer_named_beside_the_seller() -> None:
    text = "Il Cagliari ha trovato l'accordo con il Genoa per Marco Bellini: pronto un contratto fino al 2029."
    got = kinds("it", text)
    assert ("agreement", "Marco Bellini", "Cagliari") in got
    assert ("contract_expiry", "Marco Bellini", "Cagliari") in got
    assert ("contract_expiry", "Marco Bellini", "Genoa") not in got


def test_an_exit_told_as_done_is_official() -> None:
    text = "El Getafe presentó a Tomás Herrera, que firma por dos temporadas tras quedar libre del Udinese."
    assert ("departure", "Tomás Herrera", "Udinese", "official") in claims("es", text)


def test_unnamed_interest_in_a_player_a_named_club_deals_for_is_that_clubs() -> None:
    text = "Lucas Moreau courtisé à l'étranger. Selon la presse, Al-Hilal a formulé une offre pour Lucas Moreau."
    got = kinds("fr", text)
    assert ("negotiation", "Lucas Moreau", "Al-Hilal") in got
    assert not any(t == "interest" and c is None for t, _, c in got)


def test_a_player_the_coach_speaks_about_is_of_the_coachs_club() -> None:
    text = (
        "Feyenoord praat met Club Brugge over Ferran Jutglà, Sem Dekker weer geblesseerd.\n\n"
        "Feyenoord is in gesprek met Club Brugge over Ferran Jutglà. Club Brugge wil tien miljoen.\n\n"
        "Trainer Robin van Persie moet het voorlopig zonder Sem Dekker doen. "
        "De verdediger liep een knieblessure op."
    )
    got = kinds("nl", text)
    assert ("injury", "Sem Dekker", "Feyenoord") in got
    assert ("injury", "Sem Dekker", "Club Brugge") not in got


def test_a_read_also_teaser_line_is_no_antecedent_for_the_prose() -> None:
    # the career sentence after the teaser is about the article's player, not the teaser's
    text = (
        "Lukas Brandner will den VfL Bochum verlassen.\n\n"
        "Lesen Sie auch: Mainz holt Jonas Wegner\n\n"
        "Der 24-jährige Verteidiger war im Sommer 2022 vom SC Paderborn nach Bochum gewechselt."
    )
    got = kinds("de", text)
    assert ("transfer", "Lukas Brandner", "VfL Bochum") in got
    assert not any(p == "Jonas Wegner" and c == "VfL Bochum" for _, p, c in got)


def test_a_hedged_announcement_in_the_next_sentence_is_no_announcement() -> None:
    told = "Selon L'Équipe, Arnaud Kalimuendo a un contrat jusqu'en juin 2028 avec Rennes. "
    hedged = claims("fr", told + "L'annonce officielle pourrait intervenir dans les prochains jours.")
    assert ("contract_expiry", "Arnaud Kalimuendo", "Rennes", "reported") in hedged
    done = claims("fr", told + "L'annonce officielle est intervenue mardi.")
    assert ("contract_expiry", "Arnaud Kalimuendo", "Rennes", "official") in done


def test_the_club_a_player_is_linked_or_talking_with_is_courting_him() -> None:
    # the player is the subject: the club after "with" is the suitor, not the seller
    text = "Dorset Rovers have been busy. Tom Ashby, who has a year left on his deal, has been linked with Everton."
    got = kinds("en", text)
    assert ("interest", "Tom Ashby", "Everton") in got
    got = kinds("nl", "Pieter Klaassen wordt in verband gebracht met Feyenoord.")
    assert ("interest", "Pieter Klaassen", "Feyenoord") in got
    # a club (or its director) is the subject: the club dealt with is selling
    got = kinds("en", "Everton are in talks with Burnley over Tom Ashby.")
    assert ("negotiation", "Tom Ashby", "Everton") in got
    assert ("negotiation", "Tom Ashby", "Burnley") not in got


def test_a_nameless_description_is_the_player_it_fits_not_the_previous_subject() -> None:
    # "the Brazilian midfielder": among the players just named, the one known to be a Brazilian
    # midfielder, even though another player is the previous sentence's subject
    text = (
        "Marco Bellini scored twice on Saturday, and afterwards the coach was asked about the "
        "Brazilian midfielder Rafael Souza. The Brazilian midfielder could leave the club in January, "
        "and Sevilla have asked about him."
    )
    got = kinds("en", text)
    assert ("interest", "Rafael Souza", "Sevilla") in got
    assert not any(p == "Marco Bellini" for _, p, _ in got)
    # with nothing known of either player, a role noun names the player named last
    fr = (
        "Marco Bellini a marqué deux fois, puis l'entraîneur a parlé de Karim Diallo. Selon la presse, "
        "le milieu pourrait quitter le club en janvier et le FC Séville aurait pris des renseignements."
    )
    got_fr = kinds("fr", fr)
    assert ("interest", "Karim Diallo", "Sevilla") in got_fr
    assert not any(p == "Marco Bellini" for _, p, _ in got_fr)


def test_a_bare_nationality_must_fit_a_known_nationality() -> None:
    # "l'Argentin" names the Argentine, and no player whose nationality is unknown
    text = (
        "L'attaquant argentin Lucas Ferreyra et Marco Bellini ont joué samedi. Marco Bellini a marqué. "
        "Selon la presse, le FC Séville aurait pris des renseignements sur l'Argentin."
    )
    assert any(p == "Lucas Ferreyra" and c == "Sevilla" for _, p, c in kinds("fr", text))


def test_a_headline_style_line_naming_no_player_is_another_story() -> None:
    # "Read more: ..." teasers link to another article: their deal is not about the player before
    text = (
        "Marco Bellini scored twice as Leeds won on Saturday.\n\n"
        "Read more: Chelsea close in on deal for Brighton youngster\n\n"
        "The coach praised the whole team afterwards."
    )
    assert not any(p == "Marco Bellini" for _, p, _ in kinds("en", text))
    # a one-sentence paragraph of prose still speaks of him
    prose = "Marco Bellini scored twice as Leeds won on Saturday.\n\nNewcastle are also interested in the forward."
    assert ("interest", "Marco Bellini", "Newcastle United") in kinds("en", prose)


def test_a_german_day_number_inside_a_split_verb() -> None:
    # "läuft am 30. Juni 2026 aus": the day's full stop does not break the "läuft .. aus" phrase
    text = "Beim FC Bayern wird es ernst in Sachen Lukas Brandner. Sein Vertrag läuft am 30. Juni 2026 aus."
    assert ("contract_expiry", "Lukas Brandner", "Bayern Munich") in kinds("de", text)


def test_not_for_sale_and_going_nowhere_deny_his_departure_in_every_language() -> None:
    cases = [
        ("de", "Trainer Sebastian Hoeneß sagte über Lukas Brandner: „Lukas geht nirgendwo hin.“"),
        ("en", "Manager Thomas Frank was clear about Lukas Brandner: he is going nowhere."),
        ("es", "El técnico Marcelino fue claro sobre Lukas Brandner: no se va a ningún lado."),
        ("fr", "L'entraîneur Will Still a été clair au sujet de Lukas Brandner : il n'est pas à vendre."),
        ("it", "L'allenatore Ivan Juric è stato chiaro su Lukas Brandner: è incedibile."),
        ("nl", "Trainer Peter Bosz was duidelijk over Lukas Brandner: hij is niet te koop."),
        ("pt", "O treinador Bruno Lage foi claro sobre Lukas Brandner: é inegociável."),
    ]
    for lang, text in cases:
        got = claims(lang, text)
        assert any(t == "departure" and p == "Lukas Brandner" and s == "denied" for t, p, _, s in got), (lang, got)
