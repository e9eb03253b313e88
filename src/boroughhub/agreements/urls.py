from django.urls import path

from . import views
from .views import audit as audit_views

app_name = "agreements"

urlpatterns = [
    path("", views.agreement_list, name="list"),
    path("new", views.new_draft, name="new_draft"),
    path("join", views.agreements_to_join, name="join"),
    path("audit", audit_views.audit_entries, name="audit"),
    path("audit/entries.csv", audit_views.audit_entries_csv, name="audit_csv"),
    path("audit/resident", audit_views.subject_access, name="subject_access"),
    path("<slug:agreement_id>/<int:version>", views.version_detail, name="version"),
    path("<slug:agreement_id>/<int:version>/changes", views.version_changes, name="changes"),
    path("<slug:agreement_id>/<int:version>/document.json", views.version_document_json, name="document"),
    path("<slug:agreement_id>/<int:version>/sign", views.sign_version, name="sign"),
    path("<slug:agreement_id>/<int:version>/signed", views.signing.signed, name="signed"),
    path("<slug:agreement_id>/<int:version>/signatory", views.designate_signatory, name="designate"),
    path("<slug:agreement_id>/<int:version>/edit", views.edit_draft, name="edit"),
    path("<slug:agreement_id>/<int:version>/submit", views.submit_for_signature, name="submit"),
    path("<slug:agreement_id>/<int:version>/new-version", views.propose_new_version, name="new_version"),
    path("<slug:agreement_id>/<int:version>/join", views.join_version, name="join_version"),
    path("<slug:agreement_id>/<int:version>/accessions", views.accession_requests, name="accessions"),
    path("<slug:agreement_id>/<int:version>/accessions/<int:accession_id>", views.countersign_accession,
         name="countersign"),
    path("<slug:agreement_id>/<int:version>/withdraw", views.withdraw_from_version, name="withdraw"),
    path("<slug:agreement_id>/<int:version>/<str:action>", views.change_state, name="change_state"),
]
