"""Assessment and moderation: conflicts, per-criterion scores with justifications (each change
audited), assessors' submissions, flags, and the panel's moderated scores."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction

from boroughhub.audit import record_event
from boroughhub.fund.models import (
    Application,
    AssessorSubmission,
    Conflict,
    Criterion,
    Flag,
    ModeratedScore,
    Score,
)
from boroughhub.fund.scoring import Criterion as PlainCriterion
from boroughhub.fund.scoring import (
    CriterionScore,
    may_score,
    moderation_problems,
    score_problems,
    weighted_total,
)

from .applications import FundRefused


def plain_criteria(application: Application) -> list[PlainCriterion]:
    return [PlainCriterion(c.key, c.title, c.weight, c.scale_min, c.scale_max)
            for c in application.round.criteria.all()]


def scores_of(application: Application) -> list[CriterionScore]:
    return [CriterionScore(str(s.assessor_id), s.criterion.key, s.score, s.justification)
            for s in application.scores.select_related("criterion")]


def submitted_assessors(application: Application) -> set[str]:
    return {str(a) for a in application.assessor_submissions.values_list("assessor_id", flat=True)}


def conflicted_assessors(application: Application) -> set[str]:
    return {str(a) for a in application.conflicts.values_list("assessor_id", flat=True)}


def declare_conflict(application: Application, assessor: Any, reason: str, *, org_id: str, role: str,
                     now: datetime) -> None:
    """Declared before scoring; any scores already given by this assessor are withdrawn (and audited)."""
    if not reason.strip():
        raise FundRefused(["Say what the conflict of interest is."])
    with transaction.atomic():
        try:
            Conflict.objects.create(application=application, assessor=assessor, reason=reason.strip(), declared_at=now)
        except IntegrityError:
            raise FundRefused(["You have declared a conflict with this application already."]) from None
        withdrawn = list(application.scores.filter(assessor=assessor).select_related("criterion"))
        for score in withdrawn:
            record_event("decision", "ok", user=assessor, org_id=org_id, role=role, action="fund_score_changed",
                         payload={"application": application.reference, "criterion": score.criterion.key,
                                  "old": score.score, "new": None, "why": "conflict declared"})
        application.scores.filter(assessor=assessor).delete()
        application.assessor_submissions.filter(assessor=assessor).delete()
        record_event("registry", "ok", user=assessor, org_id=org_id, role=role, action="conflict_declared",
                     payload={"round": application.round.round_id, "application": application.reference})


def save_scores(application: Application, assessor: Any, entries: Mapping[str, tuple[int | None, str]], *,
                submit: bool, org_id: str, role: str, now: datetime) -> None:
    """Keep an assessor's scores (all or nothing); with ``submit``, every criterion must be scored.
    Each score that changes leaves an audit entry with the old and new value."""
    if application.status != "submitted":
        raise FundRefused(["Only submitted applications are assessed."])
    refusal = may_score(str(assessor.pk), conflicted_assessors(application),
                        str(assessor.pk) in submitted_assessors(application))
    if refusal:
        raise FundRefused([refusal])
    criteria = {c.key: c for c in application.round.criteria.all()}
    problems = []
    for key, criterion in criteria.items():
        score, justification = entries.get(key, (None, ""))
        if score is None and not justification.strip() and not submit:
            continue  # left for later in a draft
        plain = PlainCriterion(criterion.key, criterion.title, criterion.weight, criterion.scale_min,
                               criterion.scale_max)
        problems += score_problems(plain, score, justification)
    if problems:
        raise FundRefused(problems)
    with transaction.atomic():
        for key, (score, justification) in entries.items():
            if key not in criteria or score is None:
                continue
            existing = Score.objects.filter(application=application, assessor=assessor, criterion=criteria[key]).first()
            if existing and existing.score == score and existing.justification == justification.strip():
                continue
            record_event("decision", "ok", user=assessor, org_id=org_id, role=role, action="fund_score_changed",
                         payload={"application": application.reference, "criterion": key,
                                  "old": existing.score if existing else None, "new": score})
            Score.objects.update_or_create(application=application, assessor=assessor, criterion=criteria[key],
                                           defaults={"score": score, "justification": justification.strip(),
                                                     "updated_at": now})
        if submit:
            AssessorSubmission.objects.create(application=application, assessor=assessor, submitted_at=now)
            record_event("decision", "ok", user=assessor, org_id=org_id, role=role, action="scores_submitted",
                         payload={"application": application.reference})


def raise_flag(application: Application, assessor: Any, concern: str, *, org_id: str, role: str,
               now: datetime) -> None:
    if not concern.strip():
        raise FundRefused(["Describe the concern you are flagging."])
    with transaction.atomic():
        Flag.objects.create(application=application, assessor=assessor, concern=concern.strip(), raised_at=now)
        record_event("registry", "ok", user=assessor, org_id=org_id, role=role, action="fund_concern_flagged",
                     payload={"application": application.reference})


def moderate(application: Application, agreed: Mapping[str, int | None], note: str, *, user: Any, org_id: str,
             role: str, now: datetime) -> float:
    """The panel's agreed score per criterion; the moderated score (out of 100) is their weighted total."""
    criteria = plain_criteria(application)
    problems = moderation_problems(criteria, agreed, note)
    if problems:
        raise FundRefused(problems)
    if application.round.decided_at is not None:
        raise FundRefused(["This round has been decided: moderated scores can no longer change."])
    by_key = {c.key: c for c in Criterion.objects.filter(round=application.round)}
    total = weighted_total(criteria, {k: float(v) for k, v in agreed.items() if v is not None})
    with transaction.atomic():
        for key, value in agreed.items():
            ModeratedScore.objects.update_or_create(application=application, criterion=by_key[key],
                                                    defaults={"score": value})
        old = application.moderated_score
        application.moderated_score = total
        application.moderation_note = note.strip()
        application.save(update_fields=["moderated_score", "moderation_note"])
        record_event("decision", "ok", user=user, org_id=org_id, role=role, action="fund_moderated",
                     payload={"application": application.reference, "old": old, "new": total,
                              "criteria": {k: v for k, v in agreed.items()}})
    return total
