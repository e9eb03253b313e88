"""``submit_folder``: the plain-Python upload pipeline — read, validate, authorise, load.

Validation runs on a private in-memory DuckDB, outside the warehouse writer's turn
(docs/decisions/0155-validate-outside-the-writers-turn.md): ``submit_in_turn`` takes the turn only for
the history check, the agreements question and the load, so a large file being checked never keeps
another upload, a linkage run or an operator's command waiting.

The agreements check is injected as ``authorise(dataset, supplier_code, fields)`` so this module does
not depend on Django; the submissions app passes a function that builds the ``upload`` request
(agreements spec 3.2: ``fields`` = every column of the submission's files holding at least one value,
dataset = the source code) and returns ``agreements.decide``'s decision. Nothing is loaded unless
validation passed and the decision permits.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from boroughhub.sources import (
    MANIFEST_FILE,
    Issue,
    Manifest,
    Progress,
    UnreadableFile,
    ValidatedSubmission,
    ValidationReport,
    history_shrunk,
    unpack_submission_zip,
    validate_submission,
    zip_is_submission,
)
from boroughhub.warehouse.cohort import cohort_rules_not_applicable, leave_out_outside_cohort
from boroughhub.warehouse.load import LoadOutcome, drop_staging, load_submission
from boroughhub.warehouse.stamp import stamp_of
from boroughhub.warehouse.subjects import LeftOut, SubjectRules, leave_out_people
from boroughhub.warehouse.warehouse import Warehouse

Authorise = Callable[[str, str, set[str]], object]
#: Opens the warehouse for writing, waiting for the writer's turn; the turn lasts as long as the context.
TakeTurn = Callable[[], AbstractContextManager[Warehouse]]
#: The ``data_subjects`` rules of the agreement version a permit cites (``None``: no rules to apply).
SubjectRulesOf = Callable[[object], SubjectRules | None]

ACCEPTED = "accepted"
UNCHANGED = "unchanged"
REJECTED = "rejected"
DENIED = "denied"


def is_permitted(decision: object) -> bool:
    """Read a decision-like value: ``True``, or an object whose ``decision`` is ``permit``."""
    if isinstance(decision, bool):
        return decision
    value = getattr(decision, "decision", None)
    value = getattr(value, "value", value)  # an enum member
    if isinstance(value, str):
        return value.lower() == "permit"
    for name in ("permitted", "allowed", "permit"):
        flag = getattr(decision, name, None)
        if isinstance(flag, bool):
            return flag
    return False


def _deny_reason(decision: object) -> str:
    reasons = getattr(decision, "reasons", None)
    if reasons:
        first = reasons[0]
        code = first.get("code") if isinstance(first, dict) else getattr(first, "code", first)
        return str(code)
    return "no agreement permits this upload"


@dataclass
class SubmissionResult:
    """What happened to one upload; ``report`` is shown to the supplier whatever the outcome."""

    submission_id: str
    status: str
    report: ValidationReport
    manifest: Manifest | None = None
    fields: set[str] = field(default_factory=set)
    fields_by_file: dict[str, set[str]] = field(default_factory=dict)
    decision: object = None
    load: LoadOutcome | None = None
    #: People left out under the agreement's ``data_subjects`` rules, per rule.
    left_out: list[LeftOut] = field(default_factory=list)

    @property
    def loaded(self) -> bool:
        return self.status in (ACCEPTED, UNCHANGED)


def submit_folder(
    path: str | Path,
    warehouse: Warehouse,
    authorise: Authorise,
    hash_key: str | bytes,
    progress: Progress | None = None,
    *,
    submission_id: str | None = None,
    expected_supplier: str | None = None,
    today: dt.date | None = None,
    subject_rules: SubjectRulesOf | None = None,
) -> SubmissionResult:
    """Validate a submission folder or ``.zip``, ask ``authorise``, and load it into an open warehouse."""
    return submit_in_turn(path, lambda: nullcontext(warehouse), authorise, hash_key, progress,
                          submission_id=submission_id, expected_supplier=expected_supplier, today=today,
                          subject_rules=subject_rules)


def submit_in_turn(
    path: str | Path,
    take_turn: TakeTurn,
    authorise: Authorise,
    hash_key: str | bytes,
    progress: Progress | None = None,
    *,
    submission_id: str | None = None,
    expected_supplier: str | None = None,
    today: dt.date | None = None,
    within_turn: Callable[[Warehouse, SubmissionResult], None] | None = None,
    subject_rules: SubjectRulesOf | None = None,
) -> SubmissionResult:
    """Validate a submission folder or ``.zip`` first, then take the warehouse's turn (``take_turn``) to
    check its history, ask ``authorise`` and load it; ``within_turn`` reads what it needs before the turn
    ends. A file without a readable manifest never takes the turn."""
    submission_id = submission_id or uuid.uuid4().hex
    source_path = Path(path)
    with tempfile.TemporaryDirectory(prefix="boroughhub-submission-") as scratch:
        folder = source_path
        if zip_is_submission(source_path):
            try:
                folder = unpack_submission_zip(source_path, Path(scratch) / "unpacked")
            except UnreadableFile as error:
                report = ValidationReport(submission_id=submission_id)
                report.add(Issue(source_path.name, "encoding_invalid", f"The zip cannot be used: {error}."))
                return SubmissionResult(submission_id, REJECTED, report)
        elif not source_path.is_dir():
            report = ValidationReport(submission_id=submission_id)
            report.add(
                Issue(source_path.name, "file_missing", "Expected a submission folder or a .zip of one.")
            )
            return SubmissionResult(submission_id, REJECTED, report)
        with duckdb.connect() as checking:
            checking.execute("SET enable_progress_bar = false")
            validated = validate_submission(
                folder, checking, submission_id=submission_id, today=today or dt.date.today(), progress=progress
            )
            if validated.manifest is None:  # nothing to look up or load: no turn needed
                return SubmissionResult(submission_id, REJECTED, validated.report)
            with take_turn() as warehouse:
                try:
                    _move_typed_tables(checking, warehouse, validated)
                    result = _submit(validated, warehouse, authorise, hash_key, progress, submission_id,
                                     expected_supplier, subject_rules)
                    if within_turn is not None:
                        within_turn(warehouse, result)
                    return result
                finally:
                    drop_staging(warehouse)


def _move_typed_tables(checking: duckdb.DuckDBPyConnection, warehouse: Warehouse,
                       validated: ValidatedSubmission) -> None:
    """Hand the checked rows to the warehouse's connection, where the load expects them (as Arrow:
    in-process, types kept). Only a submission that passed has rows worth moving."""
    if not validated.passed:
        return
    for name in validated.typed_tables.values():
        rows = checking.sql(f'SELECT * FROM temp."{name}"').to_arrow_table()
        warehouse.connection.register("bh_incoming_rows", rows)
        try:
            warehouse.execute(f'CREATE OR REPLACE TEMP TABLE "{name}" AS SELECT * FROM bh_incoming_rows')
        finally:
            warehouse.connection.unregister("bh_incoming_rows")


def _submit(
    validated: ValidatedSubmission,
    warehouse: Warehouse,
    authorise: Authorise,
    hash_key: str | bytes,
    progress: Progress | None,
    submission_id: str,
    expected_supplier: str | None,
    subject_rules: SubjectRulesOf | None,
) -> SubmissionResult:
    manifest, report = validated.manifest, validated.report
    result = SubmissionResult(
        submission_id, REJECTED, report, manifest, set(validated.fields_with_values),
        {name: set(names) for name, names in validated.fields_by_file.items()},
    )
    if manifest is None:
        return result
    claims_another_supplier = expected_supplier is not None and manifest.supplier_code != expected_supplier
    if claims_another_supplier:
        report.add(
            Issue(
                MANIFEST_FILE,
                "manifest_invalid",
                f"The manifest is for supplier {manifest.supplier_code}, but this upload is for "
                f"{expected_supplier}.",
                column="supplier_code",
                value=manifest.supplier_code,
            )
        )
    # Only a supplier's own history is looked up: the finding names the accepted version and its period
    # start, which are another supplier's business when the manifest claims their code.
    previous = None if claims_another_supplier else warehouse.current_submission(
        manifest.source, manifest.supplier_code
    )
    shrunk = history_shrunk(manifest, previous.extract_period_start, previous.version) if previous else None
    if shrunk is not None:
        report.add(shrunk)
    if not validated.passed:
        return result
    decision = authorise(manifest.source, manifest.supplier_code, set(validated.fields_with_values))
    result.decision = decision
    if not is_permitted(decision):
        report.notes.append(
            f"Upload denied by the data sharing agreements: {_deny_reason(decision)}. Nothing was loaded."
        )
        result.status = DENIED
        return result
    stamp = stamp_of(decision)
    rules = subject_rules(decision) if subject_rules is not None else None
    if rules is not None and rules.any:
        staged = validated.typed_tables
        unfit = cohort_rules_not_applicable(manifest.source, staged, rules.cohort, rules.cited)
        if unfit:  # the agreement's promise cannot be kept: load nothing, and say which rule and what to do
            report.extend(Issue(MANIFEST_FILE, "not_permitted", sentence) for sentence in unfit)
            return result
        reference = manifest.extract_period_end
        result.left_out = leave_out_people(warehouse.connection, manifest.source, staged, rules, reference)
        report.notes.extend(left.sentence(rules, reference) for left in result.left_out)
        cohort = leave_out_outside_cohort(warehouse.connection, manifest.source, staged, rules.cohort,
                                          (manifest.extract_period_start, reference), rules.cited)
        result.left_out += cohort.left_out
        report.notes.extend(cohort.notes)
    outcome = load_submission(
        warehouse, validated, submission_id=submission_id, hash_key=hash_key, progress=progress, stamp=stamp
    )
    result.load = outcome
    result.status = UNCHANGED if outcome.unchanged else ACCEPTED
    if outcome.unchanged:
        report.notes.append(f"These files are already loaded as version {outcome.version}; nothing changed.")
    return result
