"""How parallel toner runs start their workers: forked when nothing else runs in the process, spawned otherwise."""

from __future__ import annotations

import subprocess
import sys
import threading
from multiprocessing import get_all_start_methods

import pytest

from cashtrail.jobs.toner_run import _start_context


@pytest.mark.skipif("fork" not in get_all_start_methods(), reason="the platform cannot fork")
def test_workers_are_forked_when_no_other_thread_runs() -> None:
    # A fresh interpreter, so no thread of the test runner's can hide the case.
    code = "from cashtrail.jobs.toner_run import _start_context; print(_start_context().get_start_method())"
    started = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert started.stdout.strip() == "fork"


def test_workers_are_spawned_while_another_thread_runs() -> None:
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert _start_context().get_start_method() == "spawn"
    finally:
        release.set()
        other.join()
