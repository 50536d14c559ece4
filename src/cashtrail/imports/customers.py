"""Importing customers: one row per customer, keyed by the customer number.

Invariants (all checked before anything is written):
- every row passes :func:`cashtrail.parties.model.check_customer` (country, language, currency, VAT number valid
  for the country, IBAN, credit limit not negative);
- payment terms, collectors and analysts must already be stored; a parent must be stored or be another row of the
  same file, in any order; parent chains must not loop;
- a bill-to address is required; a ship-to address and a billing contact are optional but complete when given;
- the row is the whole truth for its customer: a blank optional column clears the stored value (no parent, no
  credit limit, no ship-to address).

Writing applies parents before their children so a child created in the same file gets its parent's id.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from cashtrail.clock import Clock
from cashtrail.errors import FieldError
from cashtrail.identity.model import Actor, Permission, User
from cashtrail.imports.plan import Batch, Kind, Planned, Written
from cashtrail.imports.spec import Choice, Column, KindSpec, Number, ParsedRow, Text, content_hash
from cashtrail.parties.model import Address, AddressKind, Contact, ContactRole, Customer, check_customer
from cashtrail.parties.services import apply_customer
from cashtrail.ports import UnitOfWork

_COUNTRY = "ISO 3166 alpha-2 code"


def _address_columns(kind: str, label: str, required: bool) -> tuple[Column, ...]:
    when = "" if required else f" (required when any `{kind}_*` column is filled)"
    return (
        Column(f"{kind}_name", Text(200), f"Name on the {label.lower()} address if not the legal name.", "Finance"),
        Column(f"{kind}_line1", Text(200), f"{label} street and number{when}.", "Grote Markt 1", required),
        Column(f"{kind}_line2", Text(200), f"{label} second address line.", "Bus 3"),
        Column(f"{kind}_postal_code", Text(20), f"{label} postal code{when}.", "1000", required),
        Column(f"{kind}_city", Text(100), f"{label} city{when}.", "Brussel", required),
        Column(f"{kind}_country", Text(8, _COUNTRY), f"{label} country; blank means `country`.", "BE"),
    )


SPEC = KindSpec(
    kind="customers",
    key=("number",),
    columns=(
        Column("number", Text(32), "Customer number, the business key.", "C0001", required=True),
        Column("legal_name", Text(200), "Registered legal name.", "Acme Lifts NV", required=True),
        Column("country", Text(8, _COUNTRY), "Country of the legal entity.", "BE", required=True),
        Column("language", Text(8, "`en`, `fr`, `nl` or `es`"), "Language of documents.", "nl", required=True),
        Column("currency", Text(8, "ISO 4217 code"), "Billing currency.", "EUR", required=True),
        Column("payment_terms", Text(32), "Code of stored payment terms.", "N30", required=True),
        Column("vat_number", Text(32), "VAT or tax number, checked for `country`; stored compact.", "BE0403170701"),
        Column(
            "registration_number",
            Text(32),
            "Legal registration (enterprise number, KvK, SIREN); Dutch customers need it on e-invoices.",
            "0403170701",
        ),
        Column("credit_limit", Number(4, 19, None), "Credit limit in the currency; blank means none.", "50000"),
        Column("iban", Text(42), "IBAN the customer pays from (mod-97 checked; spaces allowed).", "BE68539007547034"),
        Column("status", Choice(("active", "inactive")), "Blank means `active`.", "active", default="active"),
        Column("parent_number", Text(32), "Number of the parent customer (stored or in this file).", "C0000"),
        Column("collector", Text(64), "Username of the collector.", "carla"),
        Column("analyst", Text(64), "Username of the billing analyst.", "ann"),
        *_address_columns("bill_to", "Bill-to", required=True),
        *_address_columns("ship_to", "Ship-to", required=False),
        Column("billing_contact_name", Text(200), "Billing contact's name.", "Ann Peeters"),
        Column("billing_contact_email", Text(254), "Billing contact's e-mail (required with a name).", "ap@acme.be"),
        Column("billing_contact_phone", Text(40), "Billing contact's phone number.", "+32 2 123 45 67"),
    ),
)

# check_customer names some fields after the model; the user knows them by their column.
_COLUMN_OF = {"parent": "parent_number", "contact_email": "billing_contact_email"}


@dataclass
class CustomerBatch:
    """Checked customer rows; ``parents`` maps a number to its parent's number."""

    stored: dict[str, Customer]
    planned: list[Planned] = field(default_factory=list)
    drafts: dict[str, Customer] = field(default_factory=dict)
    parents: dict[str, str] = field(default_factory=dict)

    def write(
        self,
        uow: UnitOfWork,
        clock: Clock,
        actor: Actor,
        changed: Sequence[Planned],
        reason: Callable[[Planned], str],
    ) -> list[Written]:
        """Create or update the changed customers, parents first, with audit events; no commit."""
        known = dict(self.stored)
        written: list[Written] = []
        for item in parents_first(changed, self.parents):
            draft = self.drafts[item.external_id]
            parent = self.parents.get(item.external_id)
            draft.parent_id = None if parent is None else known[parent].id
            customer, outcome = apply_customer(uow, clock, actor, draft, reason=reason(item))
            known[customer.number] = customer
            written.append(Written(item.external_id, "customer", customer, outcome))
        return written


def prepare(uow: UnitOfWork, rows: Sequence[ParsedRow]) -> tuple[Batch, list[FieldError]]:
    """Load what the file refers to once, then check every row; writes nothing."""
    numbers = {r.text("number") for r in rows} - {""}
    parents = {r.text("parent_number") for r in rows} - {""}
    usernames = {r.text(c) for r in rows for c in ("collector", "analyst")} - {""}
    stored = uow.customers.by_numbers(numbers | parents)
    terms = {t.code for t in uow.payment_terms.all()}
    users = uow.users.by_usernames(usernames) if usernames else {}
    batch = CustomerBatch(stored=stored)
    errors: list[FieldError] = []
    for row in rows:
        draft, problems = build_draft(row, users)
        problems += _references(row, terms, numbers, stored)
        errors += reportable(row, problems)
        number = row.text("number")
        batch.drafts[number] = draft
        if row.text("parent_number"):
            batch.parents[number] = row.text("parent_number")
        batch.planned.append(Planned(row.row, SPEC.external_id(row), content_hash(SPEC, row), number in stored))
    errors += parent_loops(rows, stored)
    return batch, errors


def build_draft(row: ParsedRow, users: Mapping[str, User]) -> tuple[Customer, list[FieldError]]:
    """The customer a row describes (parent not yet resolved) and its problems, by column; pure."""
    bill_to, errors = _address(row, AddressKind.BILL_TO)
    ship_to, ship_errors = _address(row, AddressKind.SHIP_TO)
    contact, contact_errors = _contact(row)
    draft = Customer(
        number=row.text("number"),
        legal_name=row.text("legal_name"),
        country=row.text("country"),
        language=row.text("language"),
        currency=row.text("currency"),
        payment_terms_code=row.text("payment_terms"),
        vat_number=row.optional_text("vat_number"),
        registration_number=row.optional_text("registration_number"),
        credit_limit=row.decimal("credit_limit"),
        iban=row.optional_text("iban"),
        status=row.text("status") or "active",
        collector_id=_user_id(users, row.text("collector")),
        analyst_id=_user_id(users, row.text("analyst")),
        addresses=[a for a in (bill_to, ship_to) if a is not None],
        contacts=[] if contact is None else [contact],
    )
    errors += ship_errors + contact_errors
    errors += [row.error(_COLUMN_OF.get(e.field, e.field), e.message, e.value) for e in check_customer(draft)]
    for column in ("collector", "analyst"):
        username = row.text(column)
        if username and (username not in users or not users[username].active):
            errors.append(row.error(column, "is not an active user", username))
    return draft, errors


def parents_first(items: Iterable[Planned], parents: Mapping[str, str]) -> list[Planned]:
    """``items`` reordered so that a parent comes before its children (parent chains are loop-free)."""
    by_key = {item.external_id: item for item in items}
    ordered: list[Planned] = []
    seen: set[str] = set()
    for item in by_key.values():
        chain: list[Planned] = []
        key: str | None = item.external_id
        while key is not None and key in by_key and key not in seen:
            seen.add(key)
            chain.append(by_key[key])
            key = parents.get(key)
        ordered.extend(reversed(chain))
    return ordered


def parent_loops(rows: Sequence[ParsedRow], stored: Mapping[str, Customer]) -> list[FieldError]:
    """An error for every row whose parent chain (through the file and the stored parents) leads back to it."""
    by_id = {c.id: number for number, c in stored.items() if c.id is not None}
    parent_of = {n: by_id[c.parent_id] for n, c in stored.items() if c.parent_id in by_id}
    parent_of.update({r.text("number"): r.text("parent_number") for r in rows})
    errors: list[FieldError] = []
    for row in rows:
        start = row.text("number")
        chain = [start]
        current = parent_of.get(start) or None
        while current is not None and current not in chain:
            chain.append(current)
            current = parent_of.get(current) or None
        if current == start and len(chain) == 1:
            errors.append(row.error("parent_number", "is the customer itself; a customer cannot be its own parent"))
        elif current == start:
            loop = " → ".join([*chain, start])
            errors.append(row.error("parent_number", f"makes a loop of parents: {loop}", chain[1]))
    return errors


def _references(row: ParsedRow, terms: set[str], in_file: set[str], stored: Mapping[str, Customer]) -> list[FieldError]:
    errors: list[FieldError] = []
    code = row.text("payment_terms")
    if code and code not in terms:
        errors.append(row.error("payment_terms", "is not a stored payment terms code", code))
    parent = row.text("parent_number")
    if parent and parent not in in_file and parent not in stored:
        errors.append(row.error("parent_number", "is not a stored customer nor a row of this file", parent))
    return errors


def _address(row: ParsedRow, kind: AddressKind) -> tuple[Address | None, list[FieldError]]:
    prefix = f"{kind.value}_"
    part = {name: row.text(prefix + name) for name in ("name", "line1", "line2", "postal_code", "city", "country")}
    if kind == AddressKind.SHIP_TO and not any(part.values()):
        return None, []
    missing = [name for name in ("line1", "postal_code", "city") if not part[name]]
    errors = [row.error(prefix + name, f"is required when a {kind.value} address is given") for name in missing]
    address = Address(
        kind=kind.value,
        name=part["name"],
        line1=part["line1"],
        line2=part["line2"],
        postal_code=part["postal_code"],
        city=part["city"],
        country=part["country"] or row.text("country"),
    )
    return address, errors


def _contact(row: ParsedRow) -> tuple[Contact | None, list[FieldError]]:
    name, email, phone = (row.text(f"billing_contact_{part}") for part in ("name", "email", "phone"))
    if not (name or email or phone):
        return None, []
    errors = [
        row.error(f"billing_contact_{part}", "is required when a billing contact is given")
        for part, value in (("name", name), ("email", email))
        if not value
    ]
    return Contact(name=name, email=email, role=ContactRole.BILLING.value, phone=phone), errors


def reportable(row: ParsedRow, problems: list[FieldError]) -> list[FieldError]:
    """Drop problems already reported: those of bad cells, and of address countries defaulted from a bad country."""
    hidden = set(row.bad)
    if "country" in row.bad or any(e.field == "country" for e in problems):
        hidden |= {f"{kind}_country" for kind in ("bill_to", "ship_to") if not row.text(f"{kind}_country")}
    return [e for e in problems if e.field not in hidden]


def _user_id(users: Mapping[str, User], username: str) -> int | None:
    user = users.get(username) if username else None
    return None if user is None else user.id


KIND = Kind(spec=SPEC, permission=Permission.CUSTOMERS_WRITE, entity_type="customer", prepare=prepare)
