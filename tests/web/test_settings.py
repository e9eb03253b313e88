"""Production refuses to start without its secrets and passes Django's deployment checks."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest

PRODUCTION_ENV = {
    "BOROUGHHUB_ENV": "production",
    "SECRET_KEY": "x" * 60 + "-a-long-random-production-secret-key",
    # Never connected to: `check --deploy` reads the settings only.
    "DATABASE_URL": "postgres://boroughhub:secret@db.example.org:5432/boroughhub",
    "ALLOWED_HOSTS": "hub.example.org",
    "BOROUGHHUB_HASH_KEY": "9f1c2e7a4b6d8035e1a7c9b2d4f60818a3c5e7f90b2d4f6a8c0e1b3d5f7a9c2e",
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


def test_production_refuses_an_sqlite_database():
    env = {**PRODUCTION_ENV, "DATABASE_URL": "sqlite:////tmp/boroughhub-production-check.sqlite3"}
    result = run_cli("check", "--deploy", env=env)
    assert result.returncode != 0
    assert "DATABASE_URL points to SQLite" in result.stderr and "postgres://" in result.stderr


@pytest.mark.parametrize("key", [
    "k",                                           # one character
    "a-long-random-identifier-hashing-key",        # a passphrase, not 32 random bytes
    "0123456789abcdef" * 3,                        # 24 bytes of hex
    "a" * 80,                                      # long, not random
])
def test_production_refuses_a_hashing_key_under_32_random_bytes(key):
    result = run_cli("check", "--deploy", env={**PRODUCTION_ENV, "BOROUGHHUB_HASH_KEY": key})
    assert result.returncode != 0
    assert "BOROUGHHUB_HASH_KEY is too weak" in result.stderr
    assert 'python -c "import secrets; print(secrets.token_hex(32))"' in result.stderr


def test_keys_made_by_secrets_are_accepted():
    from boroughhub.settings import hash_key_problem

    assert hash_key_problem(secrets.token_hex(32)) is None
    assert hash_key_problem(secrets.token_urlsafe(32)) is None
    assert hash_key_problem(secrets.token_hex(31)) is not None
