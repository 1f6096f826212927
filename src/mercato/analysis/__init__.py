"""The analysis core: article in, analysis out. Pure: no file, network or database access.

The only entry point the rest of mercato calls is :func:`mercato.analysis.pipeline.analyze`.
"""
