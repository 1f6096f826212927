"""Build backend: setuptools', plus mypy as a build requirement when MERCATO_COMPILE=1.

``MERCATO_COMPILE=1 pip install .`` compiles the analysis core with mypyc (see setup.py). An
editable install is never compiled: setuptools would put the compiled modules beside the .py
files in src/, where they would silently shadow every later edit. So the variable is dropped for
editable builds, with a warning.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from setuptools import build_meta as _setuptools
from setuptools.build_meta import *  # noqa: F403  (the other PEP 517/660 hooks, unchanged)

# the mypy (and so mypyc) the compiled build was checked with (docs/evaluation.md, Speed)
MYPY_REQUIREMENT = "mypy>=2.4,<3"
_FLAG = "MERCATO_COMPILE"


def get_requires_for_build_wheel(config_settings: dict[str, Any] | None = None) -> list[str]:
    if os.environ.get(_FLAG) != "1":
        return _setuptools.get_requires_for_build_wheel(config_settings)
    # setuptools runs setup.py to find its own requirements, before mypy is there to import
    del os.environ[_FLAG]
    try:
        requires = _setuptools.get_requires_for_build_wheel(config_settings)
    finally:
        os.environ[_FLAG] = "1"
    return [*requires, MYPY_REQUIREMENT]


def prepare_metadata_for_build_wheel(metadata_directory: str, config_settings: dict[str, Any] | None = None) -> str:
    # the metadata is the same either way: no need to run mypyc for it
    compiling = os.environ.pop(_FLAG, None)
    try:
        return _setuptools.prepare_metadata_for_build_wheel(metadata_directory, config_settings)
    finally:
        if compiling is not None:
            os.environ[_FLAG] = compiling


def _not_compiled() -> None:
    if os.environ.pop(_FLAG, None) == "1":
        print(f"mercato: {_FLAG}=1 ignored for an editable install (use a regular install)", file=sys.stderr)


def get_requires_for_build_editable(config_settings: dict[str, Any] | None = None) -> list[str]:
    _not_compiled()
    return _setuptools.get_requires_for_build_editable(config_settings)


def prepare_metadata_for_build_editable(metadata_directory: str, config_settings: dict[str, Any] | None = None) -> str:
    _not_compiled()
    return _setuptools.prepare_metadata_for_build_editable(metadata_directory, config_settings)


def build_editable(
    wheel_directory: str, config_settings: dict[str, Any] | None = None, metadata_directory: str | None = None
) -> str:
    _not_compiled()
    return _setuptools.build_editable(wheel_directory, config_settings, metadata_directory)
