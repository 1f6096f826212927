"""Words of the web UI in seven languages.

Dossier wording (stages, statuses, claim types, credibility reasons, section titles) comes from
the knowledge layer's templates (``mercato.knowledge.render.templates``), so the page and the
rendered text summary say the same thing; this file holds only the page chrome.
"""

from __future__ import annotations

from typing import Any

from mercato.knowledge.render import templates
from mercato.model import LANGUAGES

LANG_NAMES = {
    "it": "Italiano",
    "nl": "Nederlands",
    "fr": "Français",
    "es": "Español",
    "de": "Deutsch",
    "pt": "Português",
    "en": "English",
}

UI: dict[str, dict[str, str]] = {
    "en": {
        "search": "Search", "search_placeholder": "Player, club, journalist… any language, any spelling",
        "search_label": "Search players, clubs and sources", "players": "Players", "stories": "Stories",
        "articles": "Articles", "claims": "Claims", "language": "Language", "apply": "Apply",
        "results": "Results", "no_results": "Nothing found.", "did_you_mean": "Did you mean",
        "identity": "Identity", "club": "Club", "contract": "Contract", "reports": "reports",
        "languages": "languages", "conflicting": "Conflicting reports", "sources": "Sources",
        "summary": "Text summary", "entities": "Entities", "read": "read the sentence",
        "origin_first": "Every report of this deal, origin first", "original": "Original article",
        "copy_of": "Syndicated copy of", "copies": "Copies elsewhere", "published": "Published",
        "by": "by", "latest_articles": "Latest articles", "active_players": "In the news",
        "recent_stories": "Recent stories", "more": "More", "next": "Next", "prev": "Previous",
        "for": "Reported", "against": "Denied", "credibility": "Credibility", "why": "Why",
        "stages": "Stages", "independent": "independent sources", "role": "Role", "home": "Home",
        "filters": "Filters", "type": "Type", "status": "Status", "from": "From", "to": "To", "any": "any",
        "skip": "Skip to content", "source_link": "Source page", "outcome": "Outcome", "all_claims": "All claims",
        "values": "values", "api": "API",
    },
    "it": {
        "search": "Cerca", "search_placeholder": "Giocatore, club, giornalista… in ogni lingua",
        "search_label": "Cerca giocatori, club e fonti", "players": "Giocatori", "stories": "Storie",
        "articles": "Articoli", "claims": "Notizie", "language": "Lingua", "apply": "Applica",
        "results": "Risultati", "no_results": "Nessun risultato.", "did_you_mean": "Forse cercavi",
        "identity": "Scheda", "club": "Club", "contract": "Contratto", "reports": "notizie",
        "languages": "lingue", "conflicting": "Notizie in contrasto", "sources": "Fonti",
        "summary": "Riassunto testuale", "entities": "Entità", "read": "leggi la frase",
        "origin_first": "Ogni notizia di questa trattativa, dalla prima", "original": "Articolo originale",
        "copy_of": "Copia di", "copies": "Copie altrove", "published": "Pubblicato", "by": "di",
        "latest_articles": "Ultimi articoli", "active_players": "Nelle notizie", "recent_stories": "Storie recenti",
        "more": "Altro", "next": "Successivi", "prev": "Precedenti", "for": "Riportato", "against": "Smentito",
        "credibility": "Credibilità", "why": "Perché", "stages": "Fasi", "independent": "fonti indipendenti",
        "role": "Ruolo", "home": "Home", "filters": "Filtri", "type": "Tipo", "status": "Stato", "from": "Dal",
        "to": "Al", "any": "tutti", "skip": "Vai al contenuto", "source_link": "Pagina della fonte",
        "outcome": "Esito", "all_claims": "Tutte le notizie", "values": "valori", "api": "API",
    },
    "nl": {
        "search": "Zoeken", "search_placeholder": "Speler, club, journalist… in elke taal",
        "search_label": "Zoek spelers, clubs en bronnen", "players": "Spelers", "stories": "Verhalen",
        "articles": "Artikelen", "claims": "Berichten", "language": "Taal", "apply": "Toepassen",
        "results": "Resultaten", "no_results": "Niets gevonden.", "did_you_mean": "Bedoelde u",
        "identity": "Profiel", "club": "Club", "contract": "Contract", "reports": "berichten",
        "languages": "talen", "conflicting": "Tegenstrijdige berichten", "sources": "Bronnen",
        "summary": "Tekstsamenvatting", "entities": "Entiteiten", "read": "lees de zin",
        "origin_first": "Elk bericht over deze transfer, de bron eerst", "original": "Oorspronkelijk artikel",
        "copy_of": "Kopie van", "copies": "Kopieën elders", "published": "Gepubliceerd", "by": "door",
        "latest_articles": "Nieuwste artikelen", "active_players": "In het nieuws",
        "recent_stories": "Recente verhalen", "more": "Meer", "next": "Volgende", "prev": "Vorige",
        "for": "Gemeld", "against": "Ontkend", "credibility": "Geloofwaardigheid", "why": "Waarom",
        "stages": "Fasen", "independent": "onafhankelijke bronnen", "role": "Rol", "home": "Start",
        "filters": "Filters", "type": "Soort", "status": "Status", "from": "Van", "to": "Tot", "any": "alle",
        "skip": "Naar de inhoud", "source_link": "Bronpagina", "outcome": "Uitkomst",
        "all_claims": "Alle berichten", "values": "waarden", "api": "API",
    },
    "fr": {
        "search": "Rechercher", "search_placeholder": "Joueur, club, journaliste… toutes langues",
        "search_label": "Rechercher joueurs, clubs et sources", "players": "Joueurs", "stories": "Dossiers",
        "articles": "Articles", "claims": "Informations", "language": "Langue", "apply": "Appliquer",
        "results": "Résultats", "no_results": "Aucun résultat.", "did_you_mean": "Vouliez-vous dire",
        "identity": "Fiche", "club": "Club", "contract": "Contrat", "reports": "informations",
        "languages": "langues", "conflicting": "Informations contradictoires", "sources": "Sources",
        "summary": "Résumé texte", "entities": "Entités", "read": "lire la phrase",
        "origin_first": "Chaque information sur ce transfert, la première d'abord",
        "original": "Article original", "copy_of": "Copie de", "copies": "Copies ailleurs",
        "published": "Publié", "by": "par", "latest_articles": "Derniers articles",
        "active_players": "Dans l'actualité", "recent_stories": "Dossiers récents", "more": "Plus",
        "next": "Suivants", "prev": "Précédents", "for": "Annoncé", "against": "Démenti",
        "credibility": "Crédibilité", "why": "Pourquoi", "stages": "Étapes", "independent": "sources indépendantes",
        "role": "Rôle", "home": "Accueil", "filters": "Filtres", "type": "Type", "status": "Statut", "from": "Du",
        "to": "Au", "any": "tous", "skip": "Aller au contenu", "source_link": "Page de la source",
        "outcome": "Issue", "all_claims": "Toutes les informations", "values": "valeurs", "api": "API",
    },
    "es": {
        "search": "Buscar", "search_placeholder": "Jugador, club, periodista… en cualquier idioma",
        "search_label": "Buscar jugadores, clubes y fuentes", "players": "Jugadores", "stories": "Historias",
        "articles": "Artículos", "claims": "Informaciones", "language": "Idioma", "apply": "Aplicar",
        "results": "Resultados", "no_results": "Sin resultados.", "did_you_mean": "Quizás quiso decir",
        "identity": "Ficha", "club": "Club", "contract": "Contrato", "reports": "informaciones",
        "languages": "idiomas", "conflicting": "Informaciones contradictorias", "sources": "Fuentes",
        "summary": "Resumen de texto", "entities": "Entidades", "read": "leer la frase",
        "origin_first": "Cada información de esta operación, la primera antes",
        "original": "Artículo original", "copy_of": "Copia de", "copies": "Copias en otros medios",
        "published": "Publicado", "by": "por", "latest_articles": "Últimos artículos",
        "active_players": "En las noticias", "recent_stories": "Historias recientes", "more": "Más",
        "next": "Siguientes", "prev": "Anteriores", "for": "Informado", "against": "Desmentido",
        "credibility": "Credibilidad", "why": "Por qué", "stages": "Etapas", "independent": "fuentes independientes",
        "role": "Papel", "home": "Inicio", "filters": "Filtros", "type": "Tipo", "status": "Estado", "from": "Desde",
        "to": "Hasta", "any": "todos", "skip": "Ir al contenido", "source_link": "Página de la fuente",
        "outcome": "Resultado", "all_claims": "Todas las informaciones", "values": "valores", "api": "API",
    },
    "de": {
        "search": "Suchen", "search_placeholder": "Spieler, Verein, Journalist… jede Sprache, jede Schreibweise",
        "search_label": "Spieler, Vereine und Quellen suchen", "players": "Spieler", "stories": "Geschichten",
        "articles": "Artikel", "claims": "Meldungen", "language": "Sprache", "apply": "Anwenden",
        "results": "Ergebnisse", "no_results": "Nichts gefunden.", "did_you_mean": "Meinten Sie",
        "identity": "Steckbrief", "club": "Verein", "contract": "Vertrag", "reports": "Meldungen",
        "languages": "Sprachen", "conflicting": "Widersprüchliche Meldungen", "sources": "Quellen",
        "summary": "Textzusammenfassung", "entities": "Entitäten", "read": "Satz lesen",
        "origin_first": "Jede Meldung zu diesem Wechsel, die erste zuerst", "original": "Originalartikel",
        "copy_of": "Kopie von", "copies": "Kopien anderswo", "published": "Veröffentlicht", "by": "von",
        "latest_articles": "Neueste Artikel", "active_players": "In den Nachrichten",
        "recent_stories": "Aktuelle Geschichten", "more": "Mehr", "next": "Weiter", "prev": "Zurück",
        "for": "Gemeldet", "against": "Dementiert", "credibility": "Glaubwürdigkeit", "why": "Warum",
        "stages": "Stufen", "independent": "unabhängige Quellen", "role": "Rolle", "home": "Start",
        "filters": "Filter", "type": "Art", "status": "Status", "from": "Von", "to": "Bis", "any": "alle",
        "skip": "Zum Inhalt", "source_link": "Quellenseite", "outcome": "Ergebnis", "all_claims": "Alle Meldungen",
        "values": "Werte", "api": "API",
    },
    "pt": {
        "search": "Pesquisar", "search_placeholder": "Jogador, clube, jornalista… qualquer língua",
        "search_label": "Pesquisar jogadores, clubes e fontes", "players": "Jogadores", "stories": "Histórias",
        "articles": "Artigos", "claims": "Notícias", "language": "Língua", "apply": "Aplicar",
        "results": "Resultados", "no_results": "Nada encontrado.", "did_you_mean": "Quis dizer",
        "identity": "Ficha", "club": "Clube", "contract": "Contrato", "reports": "notícias",
        "languages": "línguas", "conflicting": "Notícias contraditórias", "sources": "Fontes",
        "summary": "Resumo em texto", "entities": "Entidades", "read": "ler a frase",
        "origin_first": "Cada notícia deste negócio, a primeira antes", "original": "Artigo original",
        "copy_of": "Cópia de", "copies": "Cópias noutros meios", "published": "Publicado", "by": "por",
        "latest_articles": "Últimos artigos", "active_players": "Nas notícias", "recent_stories": "Histórias recentes",
        "more": "Mais", "next": "Seguintes", "prev": "Anteriores", "for": "Noticiado", "against": "Desmentido",
        "credibility": "Credibilidade", "why": "Porquê", "stages": "Etapas", "independent": "fontes independentes",
        "role": "Papel", "home": "Início", "filters": "Filtros", "type": "Tipo", "status": "Estado", "from": "De",
        "to": "Até", "any": "todos", "skip": "Ir para o conteúdo", "source_link": "Página da fonte",
        "outcome": "Resultado", "all_claims": "Todas as notícias", "values": "valores", "api": "API",
    },
}  # fmt: skip

# Roles of a report inside a story (mercato.knowledge.stories).
ROLES: dict[str, dict[str, str]] = {
    "en": {"origin": "origin", "confirmation": "confirmation", "citation": "citation", "follow_up": "follow-up",
           "copy": "syndicated copy"},
    "it": {"origin": "prima notizia", "confirmation": "conferma", "citation": "citazione",
           "follow_up": "aggiornamento", "copy": "copia"},
    "nl": {"origin": "bron", "confirmation": "bevestiging", "citation": "citaat", "follow_up": "vervolg",
           "copy": "kopie"},
    "fr": {"origin": "origine", "confirmation": "confirmation", "citation": "reprise", "follow_up": "suivi",
           "copy": "copie"},
    "es": {"origin": "origen", "confirmation": "confirmación", "citation": "cita", "follow_up": "seguimiento",
           "copy": "copia"},
    "de": {"origin": "Ursprung", "confirmation": "Bestätigung", "citation": "Zitat", "follow_up": "Nachtrag",
           "copy": "Kopie"},
    "pt": {"origin": "origem", "confirmation": "confirmação", "citation": "citação", "follow_up": "seguimento",
           "copy": "cópia"},
}  # fmt: skip


class Words:
    """``w.ui("search")`` for chrome, ``w.t("stage", "official")`` for dossier words,
    ``w.f("reason", code, **params)`` for a filled template line."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in LANGUAGES else "en"
        self._ui = {**UI["en"], **UI.get(self.lang, {})}
        self._t = templates(self.lang)

    def ui(self, key: str) -> str:
        return self._ui.get(key, key)

    def role(self, key: str) -> str:
        return ROLES.get(self.lang, ROLES["en"]).get(key, key)

    def t(self, section: str, key: str | None) -> str:
        if key is None:
            return self._t["label"]["unknown"]
        return self._t.get(section, {}).get(key, key.replace("_", " "))

    def f(self, section: str, key: str, **values: Any) -> str:
        unknown = self._t["label"]["unknown"]

        class _V(dict[str, Any]):
            def __missing__(self, k: str) -> str:
                return "?"

        shown = _V({k: (unknown if v is None else v) for k, v in values.items()})
        return self.t(section, key).format_map(shown)
