"""Bank statement files (camt.053/054, MT940/MT942, BAI2, Cashtrail CSV) read into :mod:`cashtrail.cashapp.statements`.

:func:`detect_and_parse` picks the format from the content, never the file name alone (banks name files
``.txt``, ``.sta``, ``.940``, ``.xml`` freely), parses, and runs the statement checks. Every problem comes back as a
``FieldError`` naming the file (house style E3); a file that cannot be read whole yields no statements at all.
"""

from __future__ import annotations

import re

from cashtrail.cashapp.statements import Statement, check_statements
from cashtrail.errors import FieldError
from cashtrail.files.statements.bai2 import parse_bai2
from cashtrail.files.statements.bank_csv import looks_like_bank_csv, parse_bank_csv
from cashtrail.files.statements.camt import parse_camt
from cashtrail.files.statements.mt940 import parse_mt940

__all__ = ["detect_and_parse", "parse_bai2", "parse_bank_csv", "parse_camt", "parse_mt940"]

_MT940 = re.compile(rb"^:20:", re.MULTILINE)


def detect_and_parse(data: bytes, name: str) -> tuple[list[Statement], list[FieldError]]:
    """Detect the statement format of ``data``, parse it and check every statement."""
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head:
        return [], [FieldError("file", "is empty", source=name)]
    if head.startswith(b"<"):
        statements, errors = parse_camt(data, name)
    elif head.startswith(b"01,"):
        statements, errors = parse_bai2(data, name)
    elif looks_like_bank_csv(head):
        statements, errors = parse_bank_csv(data, name)
    elif _MT940.search(data):
        statements, errors = parse_mt940(data, name)
    else:
        return [], [
            FieldError("file", "is not a camt.053/054, MT940/MT942, BAI2 or Cashtrail CSV statement", source=name)
        ]
    return statements, errors + check_statements(statements)
