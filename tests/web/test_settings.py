"""Production refuses to start without its secrets and passes Django's deployment checks."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

PRODUCTION_ENV = {
    "BOROUGHHUB_ENV": "production",
    "SECRET_KEY": "x" * 60 + "-a-long-random-production-secret-key",
    "DATABASE_URL": "sqlite:////tmp/boroughhub-production-check.sqlite3",
    "ALLOWED_HOSTS": "hub.example.org",
    "BOROUGHHUB_HASH_KEY": "a-long-random-identifier-hashing-key",
}


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("BOROUGHHUB_", "DJANGO_")) and k not in PRODUCTION_ENV}
    return subprocess.run([sys.executable, "-m", "boroughhub.cli", *args], env={**clean, **env},
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "BOROUGHHUB_HASH_KEY"])
def test_production_refuses_to_start_without_each_secret(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = run_cli("check", env=env)
    assert result.returncode != 0
    assert f"{missing} is not set" in result.stderr


def test_production_passes_check_deploy_cleanly():
    result = run_cli("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_unknown_profile_is_refused_with_the_list_of_profiles():
    result = run_cli("check", env={"BOROUGHHUB_ENV": "staging"})
    assert result.returncode != 0
    assert "demo, dev, test, production" in result.stderr
