"""The invoicing CLI end to end through the real console script: entities import, prepare, queue, approve as a
second person, issue, credit, export and send to the local outbox."""

from __future__ import annotations

import email
import json
import os
import subprocess
import sys
from email import policy
from pathlib import Path

import pytest

from cashtrail.billing.services import run_bill_run
from cashtrail.bootstrap import bootstrap
from cashtrail.config import Settings
from cashtrail.identity.model import Actor
from tests import factories

pytestmark = pytest.mark.slow
CASHTRAIL = str(Path(sys.executable).parent / "cashtrail")


def _cli(db: Path, *args: str, user: str | None = None, outbox: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CASHTRAIL_DATABASE_URL": f"sqlite:///{db}"}
    env.pop("CASHTRAIL_USER", None)
    if user:
        env["CASHTRAIL_USER"] = user
    if outbox:
        env["CASHTRAIL_OUTBOX_DIR"] = str(outbox)
    return subprocess.run([CASHTRAIL, *args], capture_output=True, text=True, env=env, timeout=180, check=False)


def test_invoicing_from_the_command_line(tmp_path):
    db = tmp_path / "cli.db"
    assert _cli(db, "init").returncode == 0
    entities = factories.csv_file(
        tmp_path / "entities.csv",
        [
            {
                "code": "BE01",
                "name": "Cashtrail Services Belgium NV",
                "country": "BE",
                "vat_number": "BE0202239951",
                "address_line1": "Rue de la Loi 16",
                "postal_code": "1000",
                "city": "Bruxelles",
                "iban": "BE68539007547034",
                "is_default": "true",
                "approval_threshold": "10000",
            }
        ],
    )
    imported = _cli(db, "import", "legal-entities", str(entities))
    assert imported.returncode == 0, imported.stderr
    app = bootstrap(Settings(database_url=f"sqlite:///{db}"))
    factories.customer(app, number="C1")
    factories.lift_contract(app)
    factories.user(app, username="ann", roles=["billing_analyst"])
    factories.user(app, username="sam", roles=["supervisor"])
    run_bill_run(app.uow(), app.clock, Actor.system(), "2026-04")

    prepared = json.loads(_cli(db, "invoice", "prepare", "--json", user="ann").stdout)
    [invoice_id] = prepared["ids"]
    queue = json.loads(_cli(db, "invoice", "queue", "--json", user="sam").stdout)
    assert [(w["invoice_id"], w["reason"]) for w in queue] == [(invoice_id, "first invoice of the contract")]
    own = _cli(db, "invoice", "approve", str(invoice_id), user="ann")
    assert own.returncode == 5  # an analyst may not approve
    assert _cli(db, "invoice", "approve", str(invoice_id), user="sam").returncode == 0
    issued = json.loads(_cli(db, "invoice", "issue", "--ready", "--date", "2026-04-30", "--json", user="ann").stdout)
    [number] = [i["number"] for i in issued["issued"]]
    assert number == "INV-BE01-2026-000001"
    credit = _cli(db, "invoice", "credit", number, "--line", "1", "--reason", "", user="ann")
    assert credit.returncode == 2
    drafted = json.loads(
        _cli(db, "invoice", "credit", number, "--amount", "50", "--reason", "goodwill", "--json", user="ann").stdout
    )
    assert (drafted["kind"], drafted["credits"], drafted["gross"]) == ("credit_note", number, "50.00")
    bad_part = _cli(db, "invoice", "credit", number, "--quantity", "1=lots", "--reason", "returned", user="ann")
    assert bad_part.returncode == 2
    assert "--quantity" in bad_part.stderr
    part = _cli(db, "invoice", "credit", number, "--quantity", "1=0.25", "--reason", "returned", "--json", user="ann")
    assert [line["quantity"] for line in json.loads(part.stdout)["lines"]] == ["0.25"], part.stderr
    rendered = json.loads(_cli(db, "invoice", "render", "--json", user="ann").stdout)
    assert (rendered["documents"], rendered["files"], rendered["refused"]) == (1, 2, [])  # the issued invoice only
    assert json.loads(_cli(db, "invoice", "render", "--json", user="ann").stdout)["documents"] == 0
    pdf = tmp_path / "invoice.pdf"
    exported = _cli(db, "invoice", "export", number, "--format", "pdf", "--output", str(pdf))
    assert exported.returncode == 0, exported.stderr
    assert pdf.read_bytes().startswith(b"%PDF")
    assert _cli(db, "invoice", "send").returncode == 2  # ids or --issued
    queued = json.loads(_cli(db, "invoice", "send", "--issued", "--json", user="ann").stdout)
    assert ([q["key"] for q in queued["queued"]], queued["refused"]) == ([f"invoice:{invoice_id}:email"], [])
    assert _cli(db, "invoice", "send", number).returncode == 0  # already queued: the same message
    outbox = tmp_path / "outbox"
    delivered = json.loads(_cli(db, "outbox", "deliver", "--json", user="ann", outbox=outbox).stdout)
    assert delivered["sent"] == 1
    [eml] = outbox.glob("*.eml")
    parsed = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert sorted(a.get_filename() for a in parsed.iter_attachments()) == [f"{number}.pdf", f"{number}.xml"]
    shown = json.loads(_cli(db, "invoice", "show", number, "--json").stdout)
    assert shown["status"] == "sent"
    missing = _cli(db, "invoice", "show", "INV-XX-0000-000000")
    assert missing.returncode == 3
