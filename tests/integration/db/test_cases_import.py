"""Customer cases from e-mail: real .eml files and a real IMAP server (pymap's in-memory backend, started on
127.0.0.1 by the test), matched to customers by sender or invoice number, imported once."""

from __future__ import annotations

import imaplib
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cashtrail.disputes.case_services import import_messages, list_cases
from cashtrail.files.mailbox import Mailbox, fetch_imap, read_eml_files
from cashtrail.identity.model import Actor, Role
from tests import factories

COL = Actor("cole", frozenset({Role.COLLECTOR}))

QUERY = (
    b"From: Ann Peeters <Billing@Acme.example>\r\n"
    b"To: ar@cashtrail.example\r\n"
    b"Subject: Question about INV-BE01-2026-000007\r\n"
    b"Date: Tue, 05 May 2026 10:15:00 +0200\r\n"
    b"Message-ID: <q1@acme.example>\r\n"
    b"MIME-Version: 1.0\r\n"
    b'Content-Type: multipart/alternative; boundary="b1"\r\n\r\n'
    b"--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
    b"We were billed twice for April, see inv-be01-2026-000008 too.\r\n"
    b"--b1\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>We were billed twice</p>\r\n--b1--\r\n"
)
UNKNOWN = (
    b"From: someone@elsewhere.example\r\nSubject: hello\r\nDate: Wed, 06 May 2026 08:00:00 +0000\r\n\r\n"
    b"Who are you?\r\n"
)


def test_eml_files_open_one_case_each_matched_by_sender_and_only_once(app, tmp_path: Path):
    factories.customer(app, number="C1")  # contact billing@acme.example
    (tmp_path / "query.eml").write_bytes(QUERY)
    (tmp_path / "unknown.eml").write_bytes(UNKNOWN)
    messages = read_eml_files([tmp_path])
    first = import_messages(app.uow(), app.clock, COL, messages)
    assert len(first.created) == 2
    again = import_messages(app.uow(), app.clock, COL, read_eml_files([tmp_path]))
    assert again.created == []
    assert len(again.skipped) == 2
    cases = {c.subject: c for c in list_cases(app.uow(), COL)}
    query = cases["Question about INV-BE01-2026-000007"]
    assert query.customer_number == "C1"
    assert query.invoice_numbers == ["INV-BE01-2026-000007", "INV-BE01-2026-000008"]
    assert query.body.startswith("We were billed twice")
    assert query.received_at == datetime(2026, 5, 5, 8, 15, tzinfo=UTC)
    assert cases["hello"].customer_number is None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def imap_server():
    port = _free_port()
    pymap = Path(sys.executable).parent / "pymap"
    server = subprocess.Popen(
        [str(pymap), "--host", "127.0.0.1", "--port", str(port), "--no-tls", "dict", "--demo-data"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_an_imap_mailbox_is_read_without_changing_it(app, imap_server):
    factories.customer(app, number="C1")
    client = imaplib.IMAP4("127.0.0.1", imap_server)
    client.login("demouser", "demopass")
    client.append("INBOX", None, None, QUERY)
    client.logout()
    box = Mailbox("127.0.0.1", imap_server, "demouser", "demopass", ssl=False)
    messages = fetch_imap(box)
    result = import_messages(app.uow(), app.clock, COL, messages)
    assert len(result.created) == len(messages)
    [case] = [c for c in list_cases(app.uow(), COL) if c.message_id == "<q1@acme.example>"]
    assert case.customer_number == "C1"
    assert len(fetch_imap(box)) == len(messages)  # read-only: nothing deleted or moved
    assert import_messages(app.uow(), app.clock, COL, fetch_imap(box)).created == []
