"""``boroughhub agreements …``: export, import, sign, remind, move by the clock, load the demo."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from boroughhub.agreements.models import Agreement, AgreementVersion
from boroughhub.agreements.store.documents import version_document
from boroughhub.agreements.store.lifecycle import Refused, create_agreement, start_new_version

LONDON = ZoneInfo("Europe/London")


def find_version(spec: str) -> AgreementVersion:
    """``dsa-pl-rsi/2``, ``dsa-pl-rsi@2`` or ``dsa-pl-rsi`` (its latest version)."""
    for separator in ("/", "@", ":"):
        if separator in spec:
            agreement_id, number = spec.rsplit(separator, 1)
            break
    else:
        agreement_id, number = spec, ""
    versions = AgreementVersion.objects.filter(agreement_id=agreement_id)
    version = versions.filter(version=int(number)).first() if number.isdigit() else versions.order_by("-version").first()
    if version is None:
        raise CommandError(f"No agreement version {spec}.")
    return version


def acting_as(email: str, party_ids: list[str] | None = None, role: str | None = None) -> Any:
    """The Acting identity of ``email``: its grant in one of ``party_ids`` (or its only grant)."""
    from boroughhub.organisations import Acting, Role, User

    user = User.objects.filter(email=email.lower()).first()
    if user is None or not user.is_active:
        raise CommandError(f"No active account {email}.")
    grants = user.active_grants()
    if party_ids is not None:
        grants = grants.filter(organisation_id__in=party_ids)
    if role is not None:
        grants = grants.filter(role=role)
    grant = grants.order_by("organisation_id").first()
    if grant is None:
        raise CommandError(f"{email} holds no suitable role here.")
    return Acting(user, grant.organisation, Role(grant.role), grant.pk)


def _joinable_version(spec: str) -> AgreementVersion:
    """``AGREEMENT/N``, or for a bare ``AGREEMENT`` its active version (the one that can be joined)."""
    if any(separator in spec for separator in "/@:"):
        return find_version(spec)
    active = AgreementVersion.objects.filter(agreement_id=spec, status="active").order_by("-version").first()
    if active is None:
        raise CommandError(f"{spec} has no active version to join.")
    return active


def _version_in_force(spec: str) -> AgreementVersion:
    """``AGREEMENT/N``, or for a bare ``AGREEMENT`` its version in force (active or suspended)."""
    if any(separator in spec for separator in "/@:"):
        return find_version(spec)
    found = AgreementVersion.objects.filter(agreement_id=spec, status__in=("active", "suspended")).order_by("-version")
    version = found.first()
    if version is None:
        raise CommandError(f"{spec} has no version in force to withdraw from.")
    return version


class Command(BaseCommand):
    help = ("Agreements: export, import, sign, accede, countersign and withdraw (demo/dev/test), remind, "
            "run-scheduler, load-demo.")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        export = sub.add_parser("export", help="print a version as our JSON or as ODRL 2.2 JSON-LD")
        export.add_argument("version", help="AGREEMENT/N, or AGREEMENT for its latest version")
        export.add_argument("--format", choices=("json", "odrl"), default="json")
        imported = sub.add_parser("import", help="create a draft from a version document (JSON)")
        imported.add_argument("file", type=Path)
        imported.add_argument("--as", dest="email", required=True, help="the IG lead creating the draft")
        signing = sub.add_parser("sign", help="approve (or decline) a version as its signatory; not in production")
        signing.add_argument("version")
        signing.add_argument("--as", dest="email", required=True)
        signing.add_argument("--position", default="Signatory")
        signing.add_argument("--decline", metavar="REASON", default=None)
        accede = sub.add_parser("accede", help="join an active version under a profile of its accession clause, "
                                "as the joining organisation's IG lead; not in production")
        accede.add_argument("version", help="AGREEMENT (its active version) or AGREEMENT/N")
        accede.add_argument("--org", required=True, help="the joining organisation's id, e.g. southwark")
        accede.add_argument("--profile", required=True, help="the profile to join under, e.g. borough")
        accede.add_argument("--as", dest="email", required=True, help="the joining organisation's IG lead")
        accede.add_argument("--position", default="Senior Information Risk Owner")
        accede.add_argument("--officer", default="Senior Information Risk Owner", help="accountable officer (a position)")
        countersign = sub.add_parser("countersign", help="countersign (or decline) an organisation's accession "
                                     "as a hub admin; not in production")
        countersign.add_argument("version", help="AGREEMENT (its active version) or AGREEMENT/N")
        countersign.add_argument("--org", required=True, help="the organisation that asked to join")
        countersign.add_argument("--as", dest="email", required=True, help="a hub admin")
        countersign.add_argument("--decline", metavar="REASON", default=None)
        withdraw = sub.add_parser("withdraw", help="record a party's notice to withdraw from a version, as its IG "
                                  "lead; not in production")
        withdraw.add_argument("version", help="AGREEMENT (its version in force) or AGREEMENT/N")
        withdraw.add_argument("--org", required=True, help="the withdrawing party, e.g. southwark")
        withdraw.add_argument("--as", dest="email", required=True, help="the withdrawing party's IG lead")
        withdraw.add_argument("--position", default="Senior Information Risk Owner",
                              help="the signatory who gave notice (a position)")
        withdraw.add_argument("--effective", type=date.fromisoformat, default=None,
                              help="London date it takes effect (default: the end of the notice period)")
        withdraw.add_argument("--reason", default="")
        remind = sub.add_parser("remind", help="send the review, expiry and signature reminders due")
        remind.add_argument("--today", type=date.fromisoformat, default=None, help="London date (for tests)")
        sub.add_parser("run-scheduler", help="expiry and supersession (T10–T12); run every minute")
        sub.add_parser("load-demo", help="create the demo agreements (needs the demo accounts)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, "do_" + options["subcommand"].replace("-", "_"))(options)
        except Refused as refused:
            raise CommandError(f"{refused.code}: {refused.message}") from refused

    def do_export(self, options: dict[str, Any]) -> None:
        version = find_version(options["version"])
        document = version_document(version)
        if options["format"] == "odrl":
            from boroughhub.agreements.odrl import export_odrl
            from boroughhub.agreements.store.validation import validation_context

            context = validation_context()
            document = export_odrl(document, context.organisations, context.datasets)
        self.stdout.write(json.dumps(document, indent=2, ensure_ascii=False))

    def do_import(self, options: dict[str, Any]) -> None:
        from boroughhub.agreements.store.validation import validate_import

        try:
            text = options["file"].read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {options['file']}: {error}") from error
        report = validate_import(text)
        for problem in report.warnings:
            self.stderr.write(f"warning {problem.code} at {problem.path}: {problem.message}")
        if report.errors:
            for problem in report.errors:
                self.stderr.write(f"error {problem.code} at {problem.path}: {problem.message}")
            self.stderr.write(f"{len(report.errors)} errors: nothing was imported.")
            sys.exit(1)
        document = report.document
        actor = acting_as(options["email"], role="ig_lead")
        agreement = Agreement.objects.filter(pk=document["agreement_id"]).first()
        if agreement is None:
            version = create_agreement(actor, document["agreement_id"], document["content"])
        else:
            version = start_new_version(actor, agreement, document["content"])
        self.stdout.write(f"Created {version} as a draft.")

    def do_sign(self, options: dict[str, Any]) -> None:
        from boroughhub.agreements.store.signing import sign

        if settings.ENV == "production":
            raise CommandError("Signing from the command line is refused in production: sign in the hub.")
        version = find_version(options["version"])
        actor = acting_as(options["email"], party_ids=version.party_ids)
        decision = "decline" if options["decline"] else "approve"
        sign(actor, version, decision, version.content_hash, position=options["position"],
             reason=options["decline"] or "")
        version.refresh_from_db()
        self.stdout.write(f"{decision.capitalize()}d {version} for {actor.organisation.pk} "
                          f"({version.content_hash}); it is now {version.status.replace('_', ' ')}.")

    def do_accede(self, options: dict[str, Any]) -> None:
        from boroughhub.agreements.store.accession import accede

        self._refuse_in_production("Joining")
        version = _joinable_version(options["version"])
        actor = acting_as(options["email"], party_ids=[options["org"]], role="ig_lead")
        accession = accede(actor, version, options["profile"], version.content_hash, position=options["position"],
                           accountable_officer=options["officer"])
        self.stdout.write(f"{options['org']} signed {version} ({version.content_hash}) under the "
                          f"{accession.profile} profile; a hub admin countersigns it next.")

    def do_countersign(self, options: dict[str, Any]) -> None:
        from boroughhub.agreements.models import Accession
        from boroughhub.agreements.store.accession import countersign

        self._refuse_in_production("Countersigning")
        version = _joinable_version(options["version"])
        actor = acting_as(options["email"], role="hub_admin")
        pending = Accession.objects.filter(version=version, party_id=options["org"], status="requested").first()
        if pending is None:
            raise CommandError(f"{options['org']} has no request to join {version} waiting for a countersignature.")
        done = countersign(actor, pending, decline_reason=options["decline"] or "")
        if done.status == "joined":
            self.stdout.write(f"{options['org']} joined {version} as a party from {done.countersigned_at:%Y-%m-%dT%H:%M:%SZ}"
                              f" under the {done.profile} profile; the parties' IG leads were told.")
        else:
            self.stdout.write(f"Declined {options['org']}'s request to join {version}.")

    def do_withdraw(self, options: dict[str, Any]) -> None:
        from boroughhub.agreements.store.withdrawal import withdraw
        from boroughhub.agreements.wording import london

        self._refuse_in_production("Withdrawing")
        version = _version_in_force(options["version"])
        actor = acting_as(options["email"], party_ids=[options["org"]], role="ig_lead")
        effective = options["effective"]
        done = withdraw(actor, version, position=options["position"], reason=options["reason"],
                        effective_at=datetime.combine(effective, time(), LONDON) if effective else None)
        self.stdout.write(f"{options['org']} gave notice to withdraw from {version}; it is no longer a party from "
                          f"{london(done.effective_at)}. The parties were told.")

    def _refuse_in_production(self, what: str) -> None:
        if settings.ENV == "production":
            raise CommandError(f"{what} from the command line is refused in production: do it in the hub.")

    def do_remind(self, options: dict[str, Any]) -> None:
        from boroughhub.agreements.store.reminders import send_due_reminders

        sent = send_due_reminders(options["today"])
        for notification in sent:
            self.stdout.write(f"{notification.organisation_id} {notification.role}: {notification.subject}")
        self.stdout.write(f"{len(sent)} reminders sent.")

    def do_run_scheduler(self, options: dict[str, Any]) -> None:
        from boroughhub.agreements.store.lifecycle import run_scheduled_transitions

        for line in run_scheduled_transitions():
            self.stdout.write(line)

    def do_load_demo(self, options: dict[str, Any]) -> None:
        from boroughhub.agreements.store.demo import load_demo_agreements

        try:
            made = load_demo_agreements()
        except LookupError as error:
            raise CommandError(str(error)) from error
        for line in made:
            self.stdout.write(f"Created {line}")
        self.stdout.write(f"{len(made)} demo agreement versions created.")
