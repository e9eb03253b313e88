"""``boroughhub.agreements`` is the front other rooms import: everything it names resolves, and importing
it loads no Django (the database side comes on first use)."""

from __future__ import annotations

import os
import subprocess
import sys

import boroughhub.agreements as agreements
from boroughhub.agreements.registers import load_purpose_register


def test_every_name_of_the_front_resolves() -> None:
    for name in agreements.__all__:
        assert getattr(agreements, name) is not None, name


def test_the_rough_sleeping_purpose_is_a_registered_purpose() -> None:
    assert agreements.ROUGH_SLEEPING_INSIGHT in {purpose.code for purpose in load_purpose_register()}


def test_importing_the_front_loads_no_django_until_the_database_side_is_asked_for() -> None:
    script = (
        "import sys, boroughhub.agreements as a\n"
        "assert callable(a.decide) and a.REASON_MESSAGES\n"
        "assert not [m for m in sys.modules if m == 'django' or m.startswith('django.')], 'django loaded'\n"
        "try:\n"
        "    a.no_such_name\n"
        "except AttributeError:\n"
        "    pass\n"
        "else:\n"
        "    raise SystemExit('an unknown name resolved')\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
