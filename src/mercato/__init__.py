"""mercato: football transfer news, read in seven languages, kept as sourced claims.

The analysis core is ``mercato.analysis.pipeline.analyze_article`` (pure: article in, analysis
out); the store, dossiers, CLI, API, web UI and Spark job are adapters around it
(docs/architecture.md).
"""
