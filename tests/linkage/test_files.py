"""link-files: mapping, date formats, output; and the management command."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from boroughhub.linkage.files import FileLinkError, link_files, parse_mapping
from boroughhub.linkage.train import TrainedModel

PEOPLE = [
    ("Robert", "Jones", "1980-02-01"), ("Mary", "Smith", "1975-12-24"), ("Ahmed", "Hassan", "1990-07-15"),
    ("Piotr", "Nowak", "1968-03-30"), ("Grace", "Okafor", "2001-11-02"), ("John", "Murphy", "1955-05-05"),
]


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _files(tmp_path: Path) -> list[Path]:
    iso = [[str(i), f, last, dob] for i, (f, last, dob) in enumerate(PEOPLE, start=100)]
    dmy = []
    for first, last, dob in PEOPLE:
        y, m, d = dob.split("-")
        nick = {"Robert": "Bob", "Ahmed": "Ahmad"}.get(first, first)
        dmy.append([nick.upper(), last.upper(), f"{int(d)}/{m}/{y}"])
    compact = [[f"{f} {last}", dob.replace("-", "")] for f, last, dob in PEOPLE[:2]]
    return [
        _write(tmp_path / "a.csv", ["ref", "forename", "surname", "dob"], iso),
        _write(tmp_path / "b.csv", ["forename", "surname", "dob"], dmy),
        _write(tmp_path / "c.csv", ["full", "dob"], [[*r[0].split(" ", 1), r[1]] for r in compact]),
    ]


def test_mapping_is_checked() -> None:
    assert parse_mapping(["first_name=a", "last_name=b", "date_of_birth=c", "address=d", "address=e"])["address"] == [
        "d", "e"
    ]
    with pytest.raises(FileLinkError, match="required"):
        parse_mapping(["first_name=a"])
    with pytest.raises(FileLinkError, match="unknown field"):
        parse_mapping(["shoe_size=a", "first_name=a", "last_name=b", "date_of_birth=c"])


def test_link_files_across_date_formats(tmp_path: Path, trained_model: TrainedModel) -> None:
    a, b, _ = _files(tmp_path)
    mapping = parse_mapping(["first_name=forename", "last_name=surname", "date_of_birth=dob"])
    result = link_files([a, b], mapping, model=trained_model)
    assert result.date_formats == {str(a): "iso", str(b): "dd/mm/yyyy"}
    rows = result.clusters.to_pylist()
    assert len(rows) == 12 and result.cluster_count == 6
    by_cluster: dict[int, list[tuple[str, str]]] = {}
    for row in rows:
        by_cluster.setdefault(row["cluster_id"], []).append((Path(row["file"]).name, row["record_id"]))
    # Without --id-column, a record's id is its row number in its file.
    assert sorted(sorted(c) for c in by_cluster.values())[0] == [("a.csv", "1"), ("b.csv", "1")]


def test_id_column_must_exist(tmp_path: Path) -> None:
    a, _, _ = _files(tmp_path)
    mapping = parse_mapping(["first_name=forename", "last_name=surname", "date_of_birth=dob"])
    with pytest.raises(FileLinkError, match="no column"):
        link_files([a], mapping, id_column="nope")


def test_command_writes_clusters_and_pairs(tmp_path: Path, trained_model: TrainedModel, monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.management import call_command

    import boroughhub.linkage.files as files

    monkeypatch.setattr(files, "train", lambda *args, **kwargs: trained_model)
    a, b, _ = _files(tmp_path)
    out, pairs, report = tmp_path / "out" / "clusters.csv", tmp_path / "pairs.csv", tmp_path / "report.html"
    call_command(
        "link_files", str(a), str(b), "--map", "first_name=forename", "--map", "last_name=surname",
        "--map", "date_of_birth=dob", "--out", str(out), "--pairs", str(pairs), "--report", str(report),
    )
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["file", "record_id", "cluster_id"] and len(rows) == 12
    assert len({r["cluster_id"] for r in rows}) == 6
    with pairs.open(encoding="utf-8") as handle:
        scored = list(csv.DictReader(handle))
    assert list(scored[0])[:4] == ["file_l", "record_id_l", "file_r", "record_id_r"]
    # Explain a link: the prior and each comparison's weight add up to the pair's match weight.
    weights = [c for c in scored[0] if c.endswith("_weight") and c != "match_weight"]
    assert weights[0] == "prior_weight" and {"name_weight", "dob_weight"} <= set(weights)
    assert {"name_level", "dob_level"} <= set(scored[0])
    for row in scored:
        assert sum(float(row[c]) for c in weights) == pytest.approx(float(row["match_weight"]), abs=1e-6)
    assert all(r["name_level"] and r["dob_level"] for r in scored)
    assert all(float(r["dob_weight"]) > 0 for r in scored)  # the same dates of birth, in three formats
    # The training report: Splink's parameter charts as inline SVG, nothing fetched from elsewhere.
    html = report.read_text(encoding="utf-8")
    assert html.count("<svg") >= 2 and "Trained parameters" in html
    assert "<script" not in html and "src=" not in html and "cdn" not in html.lower()


def test_help_lists_every_field_and_which_take_several_columns() -> None:
    from boroughhub.linkage.files import MULTI_COLUMN_FIELDS, OPTIONAL_FIELDS, REQUIRED_FIELDS
    from boroughhub.linkage.management.commands.link_files import Command

    text = " ".join(Command().create_parser("boroughhub", "link-files").format_help().split())
    for field in (*REQUIRED_FIELDS, *OPTIONAL_FIELDS):
        assert field in text
    assert "address" in text and "may be mapped to several columns" in text
    assert set(MULTI_COLUMN_FIELDS) == {"address", "other_names"}
