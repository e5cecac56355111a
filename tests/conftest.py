"""Shared fixtures. Every test runs offline: pytest-socket blocks sockets in this process
(see pyproject.toml) and ``offline_env`` blocks them in the processes tests start (kernels)."""
from __future__ import annotations

import os

import matplotlib
import pytest

from tests.helpers import MULTI, OFFLINE, SEEDS

matplotlib.use("Agg")


@pytest.fixture(scope="session")
def seed_corpus():
    from corpus_tools.pipeline import prepare_corpus

    return prepare_corpus(SEEDS)


@pytest.fixture(scope="session")
def multi_corpus():
    from corpus_tools.pipeline import prepare_corpus

    return prepare_corpus(MULTI)


@pytest.fixture(scope="session")
def offline_environ(tmp_path_factory) -> dict:
    """Environment for child processes: network refused, no NLTK data, a bare HOME."""
    home = tmp_path_factory.mktemp("home")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(OFFLINE), env.get("PYTHONPATH", "")]))
    env["NLTK_DATA"] = str(home / "no_nltk_data")
    env["HOME"] = str(home)
    env["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    env.pop("JUPYTER_PLATFORM_DIRS", None)
    return env


@pytest.fixture
def offline_env(offline_environ, monkeypatch):
    """Apply ``offline_environ`` to this process's environment, so kernels inherit it."""
    for key, value in offline_environ.items():
        monkeypatch.setenv(key, value)
    return offline_environ


@pytest.fixture(scope="session")
def hostile_run(tmp_path_factory, offline_environ):
    """The output folder of one ``run`` over ``tests.hostile``'s markup corpus (shared by the run and browser tests)."""
    from tests.hostile import run_on_hostile_corpus

    return run_on_hostile_corpus(tmp_path_factory.mktemp("hostile"), offline_environ)
