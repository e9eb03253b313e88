"""The file readers: whole files refused with the line, column and rule of each problem."""

from __future__ import annotations

from datetime import date

import pytest

from boroughhub.getonline.csvfiles import (
    ImportRefused,
    read_codes,
    read_completions,
    read_donations,
    read_wipe_log,
)


def problems(text: str, reader: object) -> list[tuple[int, str, str]]:
    with pytest.raises(ImportRefused) as refused:
        reader(text)  # type: ignore[operator]
    return [(p.line, p.column, p.rule) for p in refused.value.problems]


def test_codes_are_read_with_their_expiry() -> None:
    rows = read_codes("code,expires_on\nA1,2027-03-31\nA2,\n")
    assert [(r.line, r.code, r.expires_on) for r in rows] == [(2, "A1", date(2027, 3, 31)), (3, "A2", None)]


def test_a_code_twice_in_one_file_is_refused_with_both_lines() -> None:
    with pytest.raises(ImportRefused) as refused:
        read_codes("code\nA1\nA2\nA1\n")
    problem = refused.value.problems[0]
    assert (problem.line, problem.column, problem.rule) == (4, "code", "duplicate_code")
    assert "line 2" in problem.message


def test_a_codes_file_without_its_column_or_codes_is_refused() -> None:
    assert problems("serial\nA1\n", read_codes) == [(1, "code", "header_missing_column")]
    assert problems("code\n", read_codes) == [(0, "", "empty_file")]
    assert problems("code,expires_on\nA1,31/03/2027\n", read_codes) == [(2, "expires_on", "bad_date")]


def test_a_failed_erasure_is_not_a_wipe() -> None:
    text = "serial,certificate,erased_on,result\nSN1,BL-1,2026-11-02,Passed\nSN2,BL-2,2026-11-02,Failed\n"
    assert problems(text, read_wipe_log) == [(3, "result", "erasure_not_passed")]
    assert read_wipe_log(text.splitlines()[0] + "\n" + text.splitlines()[1])[0].certificate == "BL-1"


def test_completions_need_a_reference_and_a_date() -> None:
    text = "reference,course,completed_on\nLEW-1,Basics,2026-11-03\n,Basics,2026-11-03\nLEW-2,Basics,soon\n"
    assert problems(text, read_completions) == [(3, "reference", "required_missing"), (4, "completed_on", "bad_date")]


def test_a_serial_twice_in_a_donation_list_is_refused() -> None:
    header = "donor_name,donor_contact,kind,make,model,serial,has_storage,donated_on\n"
    good = "A Donor,a@example.org,laptop,Lenovo,T480,SN1,yes,2026-10-01\n"
    assert len(read_donations(header + good)) == 1
    assert problems(header + good + good, read_donations) == [(3, "serial", "duplicate_serial")]
    assert problems(header + good.replace("laptop", "toaster"), read_donations) == [(2, "kind", "bad_code")]
