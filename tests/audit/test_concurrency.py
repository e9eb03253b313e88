"""Appends from several processes at once still form one unbroken chain (spec §4.3: serialised appends)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPEND = """
import django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "boroughhub.settings")
django.setup()
from boroughhub.audit import record_event
for i in range(40):
    record_event("decision", "permit", user="system", org_id="camden", role="analyst", payload={"writer": %d, "i": i})
"""


@pytest.mark.slow
def test_concurrent_appends_keep_one_chain(tmp_path):
    if os.environ.get("DATABASE_URL"):
        pytest.skip("runs on its own SQLite file")
    env = {**os.environ, "BOROUGHHUB_DATA_DIR": str(tmp_path), "BOROUGHHUB_ENV": "dev"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    boroughhub = [sys.executable, "-m", "boroughhub.cli"]
    subprocess.run([*boroughhub, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    writers = [subprocess.Popen([sys.executable, "-c", APPEND % n], env=env, cwd=ROOT) for n in range(3)]
    assert [w.wait(timeout=600) for w in writers] == [0, 0, 0]
    verify = subprocess.run([*boroughhub, "audit", "verify", "--json"], env=env, cwd=ROOT,
                            capture_output=True, text=True)
    assert verify.returncode == 0, verify.stderr
    assert '"checked": 120' in verify.stdout
