"""The ``boroughhub`` command: the project's manage.py plus its own commands.

Every project command is a Django management command kept in its capability's
``management/commands/`` folder, so ``boroughhub help`` lists them all in one place.
"""

from __future__ import annotations

import os
import sys

# Django names commands after their module; people type hyphens.
ALIASES = {"link-files": "link_files"}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "boroughhub.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    if args:
        args[0] = ALIASES.get(args[0], args[0])
    try:
        from django.conf import settings

        settings.INSTALLED_APPS  # noqa: B018 - reading a setting loads and checks the configuration
    except ImproperlyConfigured as error:
        sys.stderr.write(f"boroughhub: configuration error: {error}\n")
        raise SystemExit(2) from None
    execute_from_command_line(["boroughhub", *args])


if __name__ == "__main__":
    main()
