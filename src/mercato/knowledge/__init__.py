"""What mercato knows across articles: the entity registry (``registry``), later dossiers,
timelines, stories and credibility. Decisions here are pure; the store feeds them rows."""
