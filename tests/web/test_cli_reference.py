from __future__ import annotations

from django.core.management import call_command


def test_cli_reference_in_docs_matches_the_commands_help():
    """docs/cli.md is generated from each command's --help; regenerate with `boroughhub cli_reference`."""
    call_command("cli_reference", "--check")
