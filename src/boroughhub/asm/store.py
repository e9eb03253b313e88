"""The database side of attack surface mapping: a council's scope and its authorisation, imports into the
inventory, recording a run of the checks (what changed, and the alert to the security lead), and a
finding's status. Each writes in one transaction with its audit entry; every query names the council."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import transaction

from boroughhub.asm import scope as plain_scope
from boroughhub.asm.checks import CheckRun as PlainRun
from boroughhub.asm.checks import Observation, SeenAsset
from boroughhub.asm.imports import ImportedFile
from boroughhub.asm.report import RegisterRow
from boroughhub.asm.rules import RULES, STATUSES, known_exploited, priority
from boroughhub.audit import record_event
from boroughhub.organisations import Organisation

from .models import Asset, CheckRun, Finding, Scope, ScopeEntry

CHECK_SOURCE = "checks"
#: The statuses a finding leaves when the checks no longer see it.
RESOLVED_WHEN_GONE = ("open", "accepted")


class ScopeRefused(ValueError):
    pass


def scope_row(council_id: str) -> Scope:
    scope, _ = Scope.objects.get_or_create(council=Organisation.objects.get(pk=council_id))
    return scope


def scope_of(council_id: str) -> plain_scope.Scope:
    """The council's scope as the checks read it (no authorisation recorded: everything is refused)."""
    row = Scope.objects.filter(council_id=council_id).first()
    if row is None:
        return plain_scope.Scope(council_id)
    rows = list(row.entries.all())
    included = tuple(plain_scope.ScopeEntry(e.kind, e.value) for e in rows if not e.excluded)
    excluded = tuple(plain_scope.ScopeEntry(e.kind, e.value) for e in rows if e.excluded)
    authorisation = (plain_scope.Authorisation(row.authorised_by, row.authorised_on, row.reference)
                     if row.authorised else None)
    return plain_scope.Scope(council_id, included, excluded, authorisation)


def add_to_scope(council_id: str, text: str, *, excluded: bool, by: Any, role: str, now: datetime) -> ScopeEntry:
    entry = plain_scope.parse_scope_entry(text)
    with transaction.atomic():
        row = scope_row(council_id)
        added, created = ScopeEntry.objects.get_or_create(scope=row, kind=entry.kind, value=entry.value,
                                                          excluded=excluded, defaults={"added_at": now})
        if created:
            record_event("registry", "ok", user=by, org_id=council_id, role=role, action="asm_scope",
                         payload={"added": entry.value, "kind": entry.kind, "excluded": excluded})
    return added


def remove_from_scope(council_id: str, entry_id: int, *, by: Any, role: str) -> bool:
    with transaction.atomic():
        entry = ScopeEntry.objects.filter(pk=entry_id, scope__council_id=council_id).first()
        if entry is None:
            return False
        entry.delete()
        record_event("registry", "ok", user=by, org_id=council_id, role=role, action="asm_scope",
                     payload={"removed": entry.value, "kind": entry.kind, "excluded": entry.excluded})
    return True


def withdraw_authorisation(council_id: str, *, by: Any, role: str) -> None:
    """From now on every check is refused again (runs already queued read the scope when they start)."""
    with transaction.atomic():
        row = scope_row(council_id)
        previous = row.reference
        row.authorised_by, row.authorised_on, row.reference = "", None, ""
        row.recorded_by = getattr(by, "email", str(by))
        row.save()
        record_event("registry", "ok", user=by, org_id=council_id, role=role, action="asm_authorise",
                     payload={"withdrawn": previous})


def authorise_scope(council_id: str, *, authorised_by: str, authorised_on: date, reference: str, by: Any,
                    role: str) -> Scope:
    if not (authorised_by.strip() and reference.strip()):
        raise ScopeRefused("Give the name of who authorised scanning and the reference of the document that records it.")
    with transaction.atomic():
        row = scope_row(council_id)
        row.authorised_by, row.authorised_on, row.reference = authorised_by.strip(), authorised_on, reference.strip()
        row.recorded_by = getattr(by, "email", str(by))
        row.save()
        record_event("registry", "ok", user=by, org_id=council_id, role=role, action="asm_authorise",
                     payload={"authorised_by": row.authorised_by, "authorised_on": authorised_on.isoformat(),
                              "reference": row.reference})
    return row


def _upsert_asset(council_id: str, seen: SeenAsset, source: str, now: datetime, owner_team: str = "",
                  criticality: str = "") -> tuple[Asset, bool]:
    asset, created = Asset.objects.get_or_create(
        council_id=council_id, kind=seen.kind, name=seen.name[:300],
        defaults={"port": seen.port, "protocol": seen.protocol, "product": seen.product[:200], "sources": [source],
                  "first_seen": now, "last_seen": now, "owner_team": owner_team, "criticality": criticality or "medium"})
    if not created:
        asset.last_seen = max(asset.last_seen, now)
        if source not in asset.sources:
            asset.sources = [*asset.sources, source]
        asset.product = seen.product[:200] or asset.product
        asset.owner_team = owner_team or asset.owner_team
        changed_criticality = bool(criticality) and criticality != asset.criticality
        asset.criticality = criticality or asset.criticality
        asset.save()
        if changed_criticality:
            for finding in asset.findings.all():
                finding.priority = priority(finding.severity, finding.exposure, asset.criticality, finding.cve)
                finding.save(update_fields=["priority"])
    return asset, created


@dataclass
class ImportOutcome:
    new_assets: int = 0
    updated_assets: int = 0
    findings: int = 0


def import_inventory(council_id: str, imported: ImportedFile, *, by: Any, role: str, now: datetime,
                     file_name: str) -> ImportOutcome:
    """Add a file's assets (a repeated import moves last-seen on, never duplicates); nuclei findings too.
    The caller has checked ``imported.problems`` is empty: a file with problems is never passed here."""
    if imported.problems:
        raise ValueError("a file with problems is refused whole")
    outcome = ImportOutcome()
    with transaction.atomic():
        for item in imported.assets:
            _, created = _upsert_asset(council_id, item.asset, imported.source, now, item.owner_team, item.criticality)
            if created:
                outcome.new_assets += 1
            else:
                outcome.updated_assets += 1
        for found in imported.findings:
            asset, _ = _upsert_asset(council_id, found.asset, imported.source, now)
            _upsert_finding(asset, "vulnerability", "nuclei", f"{found.title}: {found.evidence}", now,
                            severity=found.severity, cve=found.cve, target=found.asset.name, title=found.title)
            outcome.findings += 1
        record_event("registry", "ok", user=by, org_id=council_id, role=role, action="asm_import",
                     payload={"source": imported.source, "file": file_name[:100], "new_assets": outcome.new_assets,
                              "updated_assets": outcome.updated_assets, "findings": outcome.findings})
    return outcome


def _upsert_finding(asset: Asset, rule_id: str, check: str, evidence: str, now: datetime, *, severity: str = "",
                    cve: str = "", target: str = "", title: str = "") -> tuple[Finding, bool]:
    """(finding, new or reopened)."""
    rule = RULES[rule_id]
    severity = severity or rule.severity
    score = priority(severity, rule.exposure, asset.criticality, cve)
    finding = Finding.objects.filter(asset=asset, rule=rule_id, cve=cve).first()
    if finding is None:
        finding = Finding.objects.create(
            council_id=asset.council_id, asset=asset, rule=rule_id, title=title or rule.title, check_kind=check,
            severity=severity, exposure=rule.exposure, cve=cve, known_exploited=cve in known_exploited().cves,
            priority=score, evidence=evidence[:2000], first_seen=now, last_seen=now, target=target[:300])
        return finding, True
    reopened = finding.status == "resolved"
    finding.evidence, finding.last_seen, finding.priority, finding.severity = evidence[:2000], now, score, severity
    finding.target = target[:300] or finding.target
    if reopened:
        finding.status, finding.resolved_at = "open", None
        finding.status_reason = "seen again"
    finding.save()
    return finding, reopened


def asset_label(seen: SeenAsset) -> str:
    """How a list of changes names an asset: a certificate by its subject and the start of its fingerprint."""
    if seen.kind == "certificate":
        return f"certificate {seen.product} (SHA-256 {seen.name[:16]}…)"
    return f"{seen.kind} {seen.name}"


@dataclass
class Changes:
    new_assets: list[str] = field(default_factory=list)
    new_findings: list[str] = field(default_factory=list)
    resolved: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, list[str]]:
        return {"new_assets": self.new_assets, "new_findings": self.new_findings, "resolved": self.resolved}

    def __bool__(self) -> bool:
        return bool(self.new_assets or self.new_findings or self.resolved)


def record_run(council_id: str, run: PlainRun, *, by: Any, role: str, channel: str, started_at: datetime,
               finished_at: datetime, queued: CheckRun | None = None) -> tuple[CheckRun, list[Finding]]:
    """Keep what a run saw and found; resolve what the checked targets no longer show; alert on changes."""
    changes = Changes()
    seen_findings: list[Finding] = []
    with transaction.atomic():
        for seen in run.assets:
            asset, created = _upsert_asset(council_id, seen, CHECK_SOURCE, finished_at)
            if created:
                changes.new_assets.append(asset_label(seen))
        merged: dict[tuple[str, str, str], list[Observation]] = {}
        for observation in run.findings:
            merged.setdefault((observation.asset.kind, observation.asset.name, observation.rule), []).append(observation)
        for (_kind, _name, rule_id), observations in merged.items():
            asset, _ = _upsert_asset(council_id, observations[0].asset, CHECK_SOURCE, finished_at)
            evidence = "; ".join(dict.fromkeys(o.evidence for o in observations))
            observation = observations[0]
            finding, new = _upsert_finding(asset, rule_id, observation.check, evidence, finished_at,
                                           target=observation.target)
            seen_findings.append(finding)
            if new:
                changes.new_findings.append(f"{RULES[rule_id].title}: {asset.name}")
        checked_assets = {(a.kind, a.name[:300]) for r in run.results if r.checked for a in r.assets}
        gone = (Finding.objects.filter(council_id=council_id, status__in=RESOLVED_WHEN_GONE)
                .exclude(check_kind="nuclei").exclude(pk__in=[f.pk for f in seen_findings]).select_related("asset"))
        for finding in gone:
            if (finding.asset.kind, finding.asset.name) in checked_assets:
                finding.status, finding.resolved_at = "resolved", finished_at
                finding.status_reason = f"not seen by the run of {finished_at:%d %B %Y %H:%M} UTC"
                finding.save()
                changes.resolved.append(f"{finding.title}: {finding.asset.name}")
        saved = queued or CheckRun(council_id=council_id, started_at=started_at,
                                   started_by=getattr(by, "email", str(by)), channel=channel)
        saved.status, saved.finished_at, saved.targets = "done", finished_at, len(run.results)
        saved.checked = sum(1 for r in run.results if r.checked)
        saved.refused = [{"target": r.target, "reason": r.reason} for r in run.refused]
        saved.changes = changes.as_json()
        saved.save()
        record_event("decision", "ok", user=by, org_id=council_id, role=role, action="asm_check_run",
                     payload={"run": saved.pk, "targets": saved.targets, "checked": saved.checked,
                              "refused": len(saved.refused), "findings": len(seen_findings),
                              "new_findings": len(changes.new_findings), "resolved": len(changes.resolved)})
        if changes:
            _alert_security_lead(council_id, saved, changes)
    return saved, seen_findings


def queue_web_run(council_id: str, targets: list[str], resolver: str, *, by: Any, now: datetime) -> CheckRun:
    """A run asked for on the web page, kept until the background worker takes it (tasks.py)."""
    return CheckRun.objects.create(council_id=council_id, status="queued", started_at=now,
                                   started_by=getattr(by, "email", str(by)), channel="web", targets=len(targets),
                                   request={"targets": targets, "resolver": resolver})


def previous_run(run: CheckRun) -> CheckRun | None:
    return (CheckRun.objects.filter(council_id=run.council_id, status="done", started_at__lt=run.started_at)
            .exclude(pk=run.pk).first())


def _alert_security_lead(council_id: str, run: CheckRun, changes: Changes) -> None:
    from boroughhub.agreements import notify

    lines = [f"New asset: {a}" for a in changes.new_assets[:20]]
    lines += [f"New finding: {f}" for f in changes.new_findings[:20]]
    lines += [f"Resolved: {f}" for f in changes.resolved[:20]]
    subject = (f"Attack surface: {len(changes.new_findings)} new finding(s), {len(changes.resolved)} resolved, "
               f"{len(changes.new_assets)} new asset(s)")
    notify(council_id, "security_lead", "asm_changes", subject, "\n".join(lines), link="/asm/",
           key=f"asm-run-{run.pk}")


def set_asset_owner(council_id: str, asset_id: int, *, owner_team: str, criticality: str, by: Any,
                    role: str) -> Asset:
    """Who owns an asset and how much it matters; its findings' priorities follow the criticality."""
    with transaction.atomic():
        asset = Asset.objects.select_for_update().get(pk=asset_id, council_id=council_id)
        asset.owner_team, asset.criticality = owner_team.strip()[:100], criticality
        asset.save(update_fields=["owner_team", "criticality"])
        for finding in asset.findings.all():
            finding.priority = priority(finding.severity, finding.exposure, criticality, finding.cve)
            finding.save(update_fields=["priority"])
        record_event("registry", "ok", user=by, org_id=council_id, role=role, action="asm_asset",
                     payload={"asset": asset.pk, "owner_team": asset.owner_team, "criticality": criticality})
    return asset


def set_status(council_id: str, finding_id: int, *, status: str, reason: str, owner: str, by: Any, role: str,
               now: datetime) -> Finding:
    """A finding's new status, with the reason (required for anything but open). Only the council's own."""
    if status not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)}")
    with transaction.atomic():
        finding = Finding.objects.select_for_update().get(pk=finding_id, council_id=council_id)
        previous = finding.status
        finding.status, finding.status_reason = status, reason.strip()
        finding.owner = owner.strip()[:100] or finding.owner
        finding.status_changed_by = getattr(by, "email", str(by))
        finding.resolved_at = now if status == "resolved" else None
        finding.save()
        record_event("decision", "ok", user=by, org_id=council_id, role=role, action="asm_finding_status",
                     payload={"finding": finding.pk, "from": previous, "to": status, "reason": reason[:500]})
    return finding


def findings_of(council_id: str, statuses: Iterable[str] = STATUSES) -> list[Finding]:
    return list(Finding.objects.filter(council_id=council_id, status__in=list(statuses)).select_related("asset"))


def register_rows(findings: Iterable[Finding]) -> list[RegisterRow]:
    """The register's rows, highest priority first."""
    rows = [RegisterRow(f.target or f.asset.name, f.check_kind, f.rule, f.title, f.severity, f.evidence, f.status,
                        f.status_reason, f.owner, f.priority, f.asset.kind, f.asset.name, f.cve, f.known_exploited,
                        f.first_seen, f.last_seen) for f in findings]
    return sorted(rows, key=lambda r: (-r.priority, r.rule, r.asset))


def inventory_targets(council_id: str, limit: int) -> list[str]:
    """Targets for a run from the inventory: each service's host:port, then host names with no service yet."""
    services = Asset.objects.filter(council_id=council_id, kind="service").values_list("name", flat=True)
    with_port = [name.rsplit("/", 1)[0] for name in services]
    covered = {target.rsplit(":", 1)[0] for target in with_port}
    hosts = Asset.objects.filter(council_id=council_id, kind="host").values_list("name", flat=True)
    return (sorted(with_port) + sorted(h for h in hosts if h not in covered))[:limit]
