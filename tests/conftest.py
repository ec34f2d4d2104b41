"""Every test run gets its own verification cache (compiler/verify.py), so no test reads or
writes the user's, and the first check of each machine really builds it."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(autouse=True, scope="session")
def verification_cache(tmp_path_factory):
    saved = os.environ.get("LOOPMLP_CACHE")
    os.environ["LOOPMLP_CACHE"] = str(tmp_path_factory.mktemp("loopmlp-cache"))
    yield os.environ["LOOPMLP_CACHE"]
    if saved is None:
        del os.environ["LOOPMLP_CACHE"]
    else:
        os.environ["LOOPMLP_CACHE"] = saved
