"""Get Online London's database side: every change in one transaction, checked by ``rules.py`` and
the file readers first, and audited. A refusal changes nothing and leaves a ``refused`` entry.

``who`` is who acts, as the audit log names them: ``{"user", "org_id", "role", "session_id"}`` from
a page, or None for the system (a scheduled command, the demo).
"""

from boroughhub.getonline.store.common import (
    BULK_BATCH,
    DONOR_DATA_KEPT,
    LONDON,
    Who,
    insert_rows,
    london_now,
)
from boroughhub.getonline.store.people import (
    apply_for_hub,
    approved_hubs,
    decide_hub,
    first_help_on,
    given_between,
    headline,
    hub_of_organisation,
    import_completions,
    refer_to_course,
    register_person,
    remove_donor_data,
    remove_expired_people,
)
from boroughhub.getonline.store.stock import (
    allocate_device,
    device_facts,
    import_donations,
    import_wipe_log,
    issue_code,
    load_codes,
    meet_request,
    move_device,
    record_wipe,
    record_wipe_exemption,
    request_stock,
    set_request_cap,
    stock_on_hand,
)

__all__ = [
    "BULK_BATCH", "DONOR_DATA_KEPT", "LONDON", "Who", "allocate_device", "apply_for_hub", "approved_hubs",
    "decide_hub", "device_facts", "first_help_on", "given_between", "headline", "hub_of_organisation", "import_completions",
    "import_donations", "import_wipe_log", "insert_rows", "issue_code", "load_codes", "london_now", "meet_request", "move_device",
    "record_wipe", "record_wipe_exemption", "refer_to_course", "register_person", "remove_donor_data",
    "remove_expired_people",
    "request_stock", "set_request_cap", "stock_on_hand",
]
