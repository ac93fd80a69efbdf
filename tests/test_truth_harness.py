"""The truth harness's environment for fixture runs, which needs no zenml to check.

tests/test_truth.py and tests/test_fix_truth.py call ``run_fixture()`` in worker threads
while the main thread sets up and tears down tests, each of which sets and deletes
``ZLINT_CACHE_DIR`` (tests/conftest.py). ``zenml_env()`` once iterated ``os.environ`` there
and now and then met a key deleted between listing the keys and reading its value: a
``KeyError`` that failed a truth test at random on a loaded machine.
"""

from __future__ import annotations

import os
import sys
import threading
import uuid
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from truth.harness import zenml_env


def test_fixture_runs_do_not_see_what_the_running_test_sets(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    probe = f"ZLINT_TRUTH_PROBE_{uuid.uuid4().hex}"
    monkeypatch.setenv(probe, "set by the test the main thread runs")
    env = zenml_env(Path("config"), Path("run"))
    assert probe not in env
    assert env["ZENML_CONFIG_PATH"] == "config"


def test_zenml_env_in_a_thread_while_the_main_thread_changes_the_environment() -> None:
    probe = f"ZLINT_TRUTH_PROBE_{uuid.uuid4().hex}"
    errors: list[BaseException] = []
    done = threading.Event()

    def worker() -> None:
        try:
            for _ in range(2000):
                zenml_env(Path("config"), Path("run"))
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            done.set()

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads often, to meet the race if there is one
    try:
        thread = threading.Thread(target=worker)
        thread.start()
        while not done.is_set():
            os.environ[probe] = "1"  # what monkeypatch.setenv does at a test's setup
            del os.environ[probe]  # and its undo at the teardown
        thread.join()
    finally:
        sys.setswitchinterval(interval)
        os.environ.pop(probe, None)
    assert not errors, errors
