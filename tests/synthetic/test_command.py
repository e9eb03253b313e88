"""``boroughhub synth`` writes the folders and prints the calibration report."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def test_synth_command_writes_submissions_and_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    call_command(
        "synth", "--areas", "E09000033", "--from", "2022-04-01", "--to", "2024-03-31", "--scale", "0.05",
        "--seed", "2", "--out", str(tmp_path), "--report", stdout=StringIO(),
    )
    assert (tmp_path / "chain_london" / "chain" / "manifest.csv").exists()
    assert (tmp_path / "E09000033" / "hclic" / "hclic_cases.csv").exists()
    assert (tmp_path / "truth" / "person_records.csv").exists()
    printed = capsys.readouterr().out
    assert "Calibration" in printed and "chain_flow" in printed


def test_synth_command_rejects_unknown_areas(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Unknown area"):
        call_command("synth", "--areas", "E09999999", "--out", str(tmp_path))
