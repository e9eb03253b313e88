"""Settings for the test suite: the ``test`` profile in a throw-away data directory.

pytest-django imports the settings before any conftest runs, so the profile is chosen here (named in
pyproject.toml) rather than in tests/conftest.py. Subprocesses that tests start inherit the variables.
"""

import os
import tempfile

os.environ.setdefault("BOROUGHHUB_ENV", "test")
os.environ.setdefault("BOROUGHHUB_DATA_DIR", tempfile.mkdtemp(prefix="boroughhub-test-"))

from boroughhub.settings import *  # noqa: E402, F403
