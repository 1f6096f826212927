"""Packaging lives in pyproject.toml; this file only adds the optional compiled build.

``MERCATO_COMPILE=1 pip install .`` (scripts/setup-compiled) compiles the pure analysis core with
mypyc into C extensions: the same code, about twice as fast (docs/evaluation.md, Speed). Without
the variable, and always for editable installs (tools/mercato_build.py), mercato is plain Python.
The modules listed must stay mypy-clean (`.venv/bin/mypy`, [tool.mypy] in pyproject.toml).
"""

import os

from setuptools import setup

# The analysis core: pure computation, fully annotated. Left interpreted: analysis/language.py
# (calls the untyped lingua library once per article) and analysis/report.py (text output).
COMPILED = [
    "src/mercato/text.py",
    "src/mercato/model.py",
    "src/mercato/lang/__init__.py",
    "src/mercato/kb/__init__.py",
    "src/mercato/analysis/patterns.py",
    "src/mercato/analysis/segment.py",
    "src/mercato/analysis/dates.py",
    "src/mercato/analysis/document.py",
    "src/mercato/analysis/mentions.py",
    "src/mercato/analysis/resolve.py",
    "src/mercato/analysis/attribution.py",
    "src/mercato/analysis/status.py",
    "src/mercato/analysis/claim_dates.py",
    "src/mercato/analysis/claims.py",
    "src/mercato/analysis/facts.py",
    "src/mercato/analysis/pipeline.py",
]

if os.environ.get("MERCATO_COMPILE") == "1":
    from mypyc.build import mypycify

    setup(ext_modules=mypycify(COMPILED, opt_level="3"))
else:
    setup()
