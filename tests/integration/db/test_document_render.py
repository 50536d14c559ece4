"""Issued documents in bulk: every missing PDF and UBL rendered once (in one process or several), kept as the
record, never replaced, a document the renderer refuses reported while the others are stored; and every issued
document's e-mail queued once, those that cannot be sent listed."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import delete, update

from cashtrail.billing.services import run_bill_run
from cashtrail.db import invoicing_tables as it
from cashtrail.documents.preview import pdf_text
from cashtrail.documents.ubl_validation import validate_ubl
from cashtrail.errors import PermissionDenied
from cashtrail.identity.model import Actor, Role
from cashtrail.invoicing.issue_services import issue_ready
from cashtrail.invoicing.prepare_services import prepare_invoices
from cashtrail.invoicing.render_services import pending_renders
from cashtrail.invoicing.send_services import export_document, send_issued
from cashtrail.jobs.document_render import render_pending
from tests import factories


@pytest.fixture
def issued(app, system):
    factories.legal_entity(app, approve_first_invoice=False, approval_threshold=None)
    for n, language in enumerate(("fr", "nl", "en"), start=1):
        factories.customer(app, number=f"C{n}", language=language)
        factories.lift_contract(app, number=f"LIFT-{n}", customer=f"C{n}")
    run_bill_run(app.uow(), app.clock, system, "2026-04")
    prepare_invoices(app.uow(), app.clock, system)
    docs = issue_ready(app.uow(), app.clock, system).issued
    assert len(docs) == 3
    return docs


def _files(app):
    with app.uow() as uow:
        return {(f.entity_id, f.format): f for d in uow.invoices.ids_with_status(["issued"]) for f in
                uow.document_files.of_entity("invoice", str(d))}  # fmt: skip


def test_every_missing_file_is_rendered_once_and_kept_as_the_record(app, system, issued):
    _, _, first_pdf = export_document(app.uow(), app.clock, system, app.renderer(), issued[0].id, "pdf")  # keeps both
    with app.uow() as uow:  # a document kept with its PDF only (say, archived before UBL files were kept)
        f = it.document_files.c
        uow.session.execute(delete(it.document_files).where(f.entity_id == str(issued[0].id), f.format == "ubl"))
        uow.commit()

    report = render_pending(app, system)

    assert (report.documents, report.files, report.refused) == (3, 5, [])  # the kept PDF is not rendered again
    files = _files(app)
    assert sorted(files) == sorted((str(d.id), fmt) for d in issued for fmt in ("pdf", "ubl"))
    _, _, kept = export_document(app.uow(), app.clock, system, app.renderer(), issued[0].id, "pdf")
    assert kept == first_pdf
    for doc in issued:
        _, _, ubl = export_document(app.uow(), app.clock, system, app.renderer(), doc.id, "ubl")
        assert validate_ubl(ubl).is_valid
        assert files[(str(doc.id), "ubl")].file_name == f"{doc.number}.xml"
    again = render_pending(app, system)
    assert (again.documents, again.files) == (0, 0)
    assert pending_renders(app.uow(), system) == []


def test_a_run_can_be_limited_to_chosen_documents(app, system, issued):
    report = render_pending(app, system, ids=[issued[1].id, 999_999])
    assert (report.documents, report.files) == (1, 2)
    assert {entity for entity, _ in _files(app)} == {str(issued[1].id)}


def test_worker_processes_render_the_same_files(app, system, issued):
    report = render_pending(app, system, workers=2, limit=2)
    assert (report.documents, report.files) == (2, 4)  # the limit counts documents, in id order
    rest = render_pending(app, system, workers=2)
    assert (rest.documents, rest.files) == (1, 2)
    for doc, language_word in zip(issued, ("facture", "factuur", "invoice"), strict=True):
        _, _, pdf = export_document(app.uow(), app.clock, system, app.renderer(), doc.id, "pdf")
        assert doc.number in pdf_text(pdf)
        assert language_word in pdf_text(pdf).lower()


def test_a_document_the_renderer_refuses_is_reported_and_the_others_are_stored(app, system, issued):
    broken = issued[1]
    with app.uow() as uow:
        snapshot = uow.invoices.get(broken.id).snapshot
        bad = replace(snapshot, buyer_reference="", order_reference=None)  # Peppol needs one of the two
        uow.session.execute(update(it.invoices).where(it.invoices.c.id == broken.id).values(snapshot=bad.to_json()))
        uow.commit()

    report = render_pending(app, system)

    assert report.documents == 2
    [(refused_id, number, code, detail)] = report.refused
    assert (refused_id, number, code) == (broken.id, broken.number, "documents.peppol_rules_broken")
    assert detail
    assert sorted(_files(app)) == sorted(
        [(str(d.id), fmt) for d in (issued[0], issued[2]) for fmt in ("pdf", "ubl")] + [(str(broken.id), "pdf")]
    )  # the refused document keeps its PDF
    [still] = pending_renders(app.uow(), system)
    assert (still.invoice_id, still.formats) == (broken.id, ("ubl",))  # its UBL is still to do
    assert render_pending(app, system).refused[0][0] == broken.id  # and is refused again, never half kept


def test_rendering_in_bulk_needs_the_right_to_issue(app, issued):
    reader = Actor("rita", frozenset({Role.AUDITOR}))
    with pytest.raises(PermissionDenied):
        render_pending(app, reader)


def test_every_issued_document_is_queued_once_and_those_without_a_contact_are_listed(app, system, issued):
    with app.uow() as uow:
        customer = uow.customers.get_by_number("C2")
        customer.contacts.clear()
        uow.commit()

    batch = send_issued(app.uow(), app.clock, system, app.renderer())

    assert sorted(m.key for m in batch.queued) == sorted(f"invoice:{d.id}:email" for d in (issued[0], issued[2]))
    assert [(i, n, c) for i, n, c, _ in batch.refused] == [
        (issued[1].id, issued[1].number, "invoice.no_billing_contact")
    ]
    again = send_issued(app.uow(), app.clock, system, app.renderer())
    assert (again.queued, again.already, len(again.refused)) == ([], 2, 1)
