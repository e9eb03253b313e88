"""What the privacy officer's pages call each event, outcome and action (plain Python).

The log stores codes (spec §4.1, §4.2); people read these names. One table each, so the filter
options, the table's cells and the CSV export say the same thing.
"""

from __future__ import annotations

#: Event names in the order the filter offers them (the ones a privacy officer asks about first).
#: A permitted request that was acted on shows as its "Data used" line only (one line per access), so
#: "Request decided" lines are the denials and the permits nothing came of.
EVENT_NAMES: dict[str, str] = {
    "access": "Data used",
    "decision": "Request decided",
    "audit_read": "Audit log read",
    "session": "Sign-in or sign-out",
    "registry": "Agreement created or changed",
    "sign_off": "Agreement signed",
    "sign_refused": "Signing refused",
    "designation": "Signatory named",
    "delegation": "Signing delegated",
    "role_grant": "Role given",
    "role_revoke": "Role taken away",
    "org_suspension": "Organisation suspended",
    "exemption_flag": "Subject-access exemption",
    "notification": "Alert sent",
    "verify": "Audit log checked",
    "anchor": "Audit log head published",
}

OUTCOME_NAMES: dict[str, str] = {
    "permit": "Allowed",
    "deny": "Denied",
    "ok": "Done",
    "refused": "Refused",
    "error": "Failed",
}

#: What happened to the data, as the resident access list says it (spec §4.6).
ACTION_NAMES: dict[str, str] = {
    "upload": "uploaded",
    "link": "linked",
    "view_aggregate": "counted in figures",
    "view_unrounded": "counted in unrounded figures",
    "view_record": "viewed record",
    "export": "exported",
}

#: What was done with which data, as an audit log line starts ("Upload of H-CLIC extract").
ACTION_PHRASES: dict[str, str] = {
    "upload": "Upload of",
    "link": "Linkage of",
    "view_aggregate": "Figures from",
    "view_unrounded": "Unrounded figures from",
    "view_record": "Record view of",
    "export": "Export of",
    "retention_delete": "Deletion at the end of its retention period of",  # the retention job (decision 160)
}


def event_name(event_type: str) -> str:
    return EVENT_NAMES.get(event_type, event_type.replace("_", " ").capitalize())


def outcome_name(outcome: str) -> str:
    return OUTCOME_NAMES.get(outcome, outcome)


def action_name(action: str | None) -> str:
    if not action:
        return ""
    return ACTION_NAMES.get(action, action.replace("_", " "))
