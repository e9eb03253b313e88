"""The plain cores of the audit pages: names, London days, one line per entry, the clock (no database)."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from boroughhub.audit import EVENT_TYPES, OUTCOMES, audit_clock_set_to, audit_now
from boroughhub.audit.clock import CLOCK_VARIABLE, parse_instant
from boroughhub.audit.events import EVENT_NAMES, OUTCOME_NAMES
from boroughhub.audit.filters import AuditFilters, spreadsheet_safe
from boroughhub.audit.lines import Lookups, csv_row, line_of

INSTANT = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)


@dataclass
class Entry:
    seq: int = 7
    event_type: str = "access"
    outcome: str = "ok"
    occurred_at: datetime = INSTANT
    user_id: str | None = "u-1"
    org: str | None = "gla"
    role: str | None = "analyst"
    action: str | None = "link"
    dataset: str | None = "hclic"
    row_count: int | None = 1
    agreement_id: str | None = "dsa-pl-rsi"
    agreement_version: int | None = 2
    reasons: list | None = None
    payload: dict | None = None


LOOKUPS = Lookups(organisations={"gla": "Greater London Authority"}, datasets={"hclic": "H-CLIC extract"},
                  agreements={("dsa-pl-rsi", 2): "Pilot DSA"}, roles={"analyst": "Analyst"},
                  people={"u-1": ("Grace Gla", "grace@gla.example")})


def test_every_event_and_outcome_has_a_readable_name():
    assert set(EVENT_NAMES) == EVENT_TYPES and set(OUTCOME_NAMES) == OUTCOMES
    assert all("_" not in name for name in [*EVENT_NAMES.values(), *OUTCOME_NAMES.values()])


def test_days_are_london_days_across_the_clock_change():
    spring = AuditFilters(first_day=date(2026, 3, 29), last_day=date(2026, 3, 29))
    assert spring.starts_at().astimezone(UTC) == datetime(2026, 3, 29, 0, 0, tzinfo=UTC)  # GMT midnight
    assert spring.ends_before().astimezone(UTC) == datetime(2026, 3, 29, 23, 0, tzinfo=UTC)  # BST midnight
    assert AuditFilters(person="ada", dataset="hclic").as_record() == {"person": "ada", "dataset": "hclic"}
    assert spring.as_record() == {"first_day": "2026-03-29", "last_day": "2026-03-29"}


def test_a_line_names_the_person_only_when_allowed():
    shown = line_of(Entry(), LOOKUPS, shows_person=True)
    assert shown.who == "Grace Gla (grace@gla.example), Greater London Authority"
    assert shown.what == "Linkage of H-CLIC extract (1 row)" and shown.outcome == "Allowed"
    assert shown.agreement == "Pilot DSA (version 2)" and shown.event == "Data used"
    hidden = line_of(Entry(), LOOKUPS, shows_person=False)
    assert hidden.who == "Greater London Authority, Analyst" and hidden.email == ""
    denied = line_of(Entry(event_type="decision", outcome="deny", reasons=[{"code": "NO_PERMISSION"}]),
                     LOOKUPS, shows_person=True)
    assert (denied.event, denied.outcome, denied.reason) == ("Request decided", "Denied", "NO_PERMISSION")
    assert line_of(Entry(user_id="system"), LOOKUPS, True).person == "The hub (automatic)"


def test_csv_cells_are_never_formulas():
    assert spreadsheet_safe("=1+1") == "'=1+1" and spreadsheet_safe("@SUM") == "'@SUM"
    assert spreadsheet_safe("Ada") == "Ada" and spreadsheet_safe(None) == ""
    row = csv_row(line_of(Entry(), Lookups(people={"u-1": ("+44 evil", "e@x")}), True))
    assert row[1] == "2026-03-29T00:30:00Z" and row[3] == "'+44 evil"


def test_the_clock_is_an_input(monkeypatch):
    monkeypatch.delenv(CLOCK_VARIABLE, raising=False)
    with audit_clock_set_to(INSTANT):
        assert audit_now() == INSTANT
    assert audit_now() != INSTANT
    monkeypatch.setenv(CLOCK_VARIABLE, "2026-03-29T01:30:00+01:00")
    assert audit_now() == INSTANT.replace(hour=0, minute=30)
    with pytest.raises(ValueError, match="no time zone"):
        parse_instant("2026-03-29T01:30:00")
    with pytest.raises(ValueError), audit_clock_set_to(datetime(2026, 3, 29)):
        pass


def test_production_refuses_a_set_audit_clock(settings, monkeypatch):
    from django.apps import apps
    from django.core.exceptions import ImproperlyConfigured

    audit_app = apps.get_app_config("audit")
    monkeypatch.setenv(CLOCK_VARIABLE, "2026-03-29T00:30:00Z")
    audit_app.ready()  # the test profile may set it
    settings.ENV = "production"
    with pytest.raises(ImproperlyConfigured, match=CLOCK_VARIABLE):
        audit_app.ready()
    monkeypatch.delenv(CLOCK_VARIABLE)
    audit_app.ready()


def test_the_front_imports_without_django_settings():
    code = ("import sys, boroughhub.audit, boroughhub.audit.lines, boroughhub.audit.filters, "
            "boroughhub.audit.resident; assert not [m for m in sys.modules if m.startswith('django')], 'django'")
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    assert subprocess.run([sys.executable, "-c", code], env=env, timeout=120).returncode == 0


def test_record_known_reads_only_the_officers_supplier_and_says_when_it_cannot_tell(tmp_path):
    from boroughhub.audit.resident import RecordKnown, record_known
    from boroughhub.warehouse import Warehouse

    path = tmp_path / "warehouse.duckdb"
    assert record_known(path, "hclic", {"E09000007"}, "P-1") is RecordKnown.NO  # nothing ever loaded
    with Warehouse(path) as warehouse:
        warehouse.execute("INSERT INTO history.hclic_people (supplier_code, person_ref) VALUES ('E09000007', 'P-1')")
        warehouse.execute("INSERT INTO main.chain_people (supplier_code, chain_person_id) VALUES ('chain_london', 'C-1')")
        # While a load holds the warehouse for writing, the answer is "cannot tell", never "no".
        assert record_known(path, "hclic", {"E09000007"}, "P-1") is RecordKnown.CANNOT_TELL
    assert record_known(path, "hclic", {"E09000007"}, "P-1") is RecordKnown.YES  # a superseded version counts
    assert record_known(path, "hclic", {"E09000033"}, "P-1") is RecordKnown.NO
    assert record_known(path, "chain", {"chain_london"}, "C-1") is RecordKnown.YES
    assert record_known(path, "chain", set(), "C-1") is RecordKnown.NO
