"""The child processes tests signal: default signal dispositions whatever the test run
inherited, and never left running."""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest

from tests.children import child

SHOW = (
    "import signal as s\n"
    "for sig in (s.SIGINT, s.SIGQUIT):\n"
    "    h = s.getsignal(sig)\n"
    "    print({s.SIG_IGN: 'ignored', s.SIG_DFL: 'default'}.get(h, 'python'))"
)


@pytest.fixture
def ignoring_sigint_and_sigquit():
    """The test run as a shell's background job starts it: SIGINT and SIGQUIT ignored."""
    saved = {sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGINT, signal.SIGQUIT)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


def test_a_child_gets_the_default_dispositions_its_parent_ignores(ignoring_sigint_and_sigquit):
    inherited = subprocess.run([sys.executable, "-c", SHOW], capture_output=True, text=True)
    assert inherited.stdout.split() == ["ignored", "ignored"]  # what a plain child gets
    with child([sys.executable, "-c", SHOW], stdout=subprocess.PIPE, text=True) as proc:
        out, _ = proc.communicate(timeout=60)
    assert out.split() == ["python", "default"]  # SIGINT: KeyboardInterrupt


def test_a_signalled_child_stops_though_its_parent_ignores_the_signal(ignoring_sigint_and_sigquit):
    wait = "import time; print('ready', flush=True); time.sleep(60)"
    with child(
        [sys.executable, "-c", wait], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as proc:
        assert proc.stdout.readline() == b"ready\n"
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGINT and b"KeyboardInterrupt" in err


def test_a_child_is_killed_when_the_test_fails():
    with (
        pytest.raises(AssertionError),
        child([sys.executable, "-c", "import time; time.sleep(60)"]) as proc,
    ):
        raise AssertionError("the test failed while the child ran")
    assert proc.returncode == -signal.SIGKILL
