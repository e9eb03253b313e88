"""The demo agreements go through the real lifecycle and end where the demo needs them."""

from __future__ import annotations

from boroughhub.agreements.hashing import content_hash
from boroughhub.agreements.store.demo import demo_document, load_demo_agreements


def test_demo_agreements_are_active_and_waiting_for_camden(demo_agreements):
    v1, v2, qa = demo_agreements["dsa-pl-rsi/1"], demo_agreements["dsa-pl-rsi/2"], demo_agreements["dsa-hub-qa/1"]
    assert v1.status == "active" and qa.status == "active"
    # Appendix A with its term moved to the set-up day's financial year (demo_window)
    assert v1.content_hash == content_hash(demo_document()["content"])
    assert v1.effective_from <= v1.created_at < v1.expires_at
    assert v2.status == "in_signature" and v2.content_hash == content_hash(v2.content)
    signed = {s.party_id for s in v2.sign_offs.all()}
    assert "camden" not in signed and len(signed) == len(v2.party_ids) - 1
    assert load_demo_agreements() == []  # idempotent


def test_hub_data_manager_may_see_unrounded_insights_only_under_the_qa_agreement(demo_agreements, demo_people):
    from boroughhub.agreements.enforce import decide_and_audit

    def ask(action):
        return decide_and_audit(user=demo_people("data_manager", "hub"), org_id="hub", role="data_manager",
                                action=action, dataset="metric_values", fields={"metric", "area_code", "value"},
                                purpose="bhp:rough-sleeping-strategic-insight")

    unrounded = ask("view_unrounded")
    assert unrounded.permitted and unrounded.agreement_id == "dsa-hub-qa"
    assert ask("view_aggregate").primary_reason.code == "ACTION_NOT_PERMITTED"
