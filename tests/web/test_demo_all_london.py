"""``boroughhub demo --areas all`` (issue 14, item 4): every other borough and provider joins the pilot
agreement by accession as a new party would, and a data folder holds one London only."""

from __future__ import annotations

import pytest

from boroughhub.agreements import AgreementVersion
from boroughhub.web.management import demo_steps
from boroughhub.web.management.commands.demo import create_demo_accounts


@pytest.fixture
def plan(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    before = demo_steps.PLAN
    yield demo_steps
    demo_steps.PLAN = before


def test_a_data_folder_set_up_for_one_london_refuses_the_other(plan):
    assert plan.plan_demo("pilot", 0.25).areas == "pilot"
    assert plan.plan_demo("pilot", 0.25).areas == "pilot"  # the same again is fine
    with pytest.raises(plan.DemoFolderHoldsAnother, match="holds the 'pilot' demo"):
        plan.plan_demo("all", 0.25)


def test_the_pilot_demo_joins_nobody(plan, db):
    plan.plan_demo("pilot", 0.25)
    assert plan.join_every_organisation() == "the pilot's parties only"


@pytest.mark.slow
def test_all_london_every_borough_and_provider_joins_by_accession_and_nobody_resigns(plan, db):
    create_demo_accounts()
    plan.load_agreements()
    active = AgreementVersion.objects.get(agreement_id="dsa-pl-rsi", status="active")
    signed_before = set(active.sign_offs.values_list("pk", flat=True))
    plan.plan_demo("all", 0.25)

    assert plan.join_every_organisation() == "29 organisations joined"
    joined = dict(active.accessions.filter(status="joined").values_list("party_id", "profile"))
    assert len(joined) == 29 and joined["southwark"] == "borough" and joined["city-of-london"] == "borough"
    assert set(active.sign_offs.values_list("pk", flat=True)) == signed_before  # nobody re-signed
    assert plan.join_every_organisation() == "every organisation is already a party"  # idempotent

    # Every London authority is now a supplier under the agreement: its extracts go to its own uploader.
    uploaders = plan.uploader_organisations()
    assert uploaders["E09000028"] == "southwark" and uploaders["chain_london"] == "gla"
    assert len([code for code in uploaders if code.startswith("E09")]) == 33
