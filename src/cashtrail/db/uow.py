"""The SQL unit of work: one session per ``with`` block, rolled back unless ``commit()`` was called."""

from __future__ import annotations

from contextlib import AbstractContextManager
from types import TracebackType
from typing import Self

from sqlalchemy.orm import Session, sessionmaker

from cashtrail import ports
from cashtrail.db.repositories.ar_facts import SqlArFactsRepository
from cashtrail.db.repositories.audit import SqlAuditLog, SqlImportRecordRepository
from cashtrail.db.repositories.billing import SqlBillRunRepository, SqlBlockRepository, SqlReserveFundRepository
from cashtrail.db.repositories.cash import SqlCashRepository
from cashtrail.db.repositories.cashapp import SqlBankStatementRepository
from cashtrail.db.repositories.catalog import SqlPriceListRepository, SqlProductRepository
from cashtrail.db.repositories.collection_work import SqlCollectionWorkRepository
from cashtrail.db.repositories.collections import SqlDunningRepository
from cashtrail.db.repositories.contracts import SqlContractRepository
from cashtrail.db.repositories.disputes import SqlDisputeRepository
from cashtrail.db.repositories.idempotency import SqlIdempotencyRepository
from cashtrail.db.repositories.identity import SqlApiTokenRepository, SqlUserRepository
from cashtrail.db.repositories.invoicing import (
    SqlInvoiceRepository,
    SqlInvoiceStopRepository,
    SqlLegalEntityRepository,
    SqlNumberSeriesRepository,
)
from cashtrail.db.repositories.ledger import SqlLedgerRepository
from cashtrail.db.repositories.order_setup import SqlOrderSetupRepository
from cashtrail.db.repositories.orders import SqlOrderRepository
from cashtrail.db.repositories.outbox import SqlDocumentFileRepository, SqlOutboxRepository
from cashtrail.db.repositories.parties import SqlCustomerRepository, SqlPaymentTermsRepository
from cashtrail.db.repositories.pending import SqlPendingChargeRepository
from cashtrail.db.repositories.rmas import SqlRmaRepository
from cashtrail.db.repositories.toner import SqlTonerRepository
from cashtrail.db.repositories.toner_board import SqlTonerBoardRepository
from cashtrail.db.repositories.usage import SqlIndexRepository, SqlMeterReadRepository, SqlServiceJobRepository


class SqlUnitOfWork:
    """Implements ``cashtrail.ports.UnitOfWork``. Re-entrant: a nested ``with`` shares the outer session."""

    session: Session
    customers: ports.CustomerRepository
    payment_terms: ports.PaymentTermsRepository
    products: ports.ProductRepository
    price_lists: ports.PriceListRepository
    users: ports.UserRepository
    api_tokens: ports.ApiTokenRepository
    audit: ports.AuditLog
    import_records: ports.ImportRecordRepository
    contracts: ports.ContractRepository
    meter_reads: ports.MeterReadRepository
    service_jobs: ports.ServiceJobRepository
    indices: ports.IndexRepository
    blocks: ports.BlockRepository
    bill_runs: ports.BillRunRepository
    reserve_funds: ports.ReserveFundRepository
    pending_charges: ports.PendingChargeRepository
    legal_entities: ports.LegalEntityRepository
    invoices: ports.InvoiceRepository
    number_series: ports.NumberSeriesRepository
    invoice_stops: ports.InvoiceStopRepository
    ledger: ports.LedgerRepository
    document_files: ports.DocumentFileRepository
    outbox: ports.OutboxRepository
    idempotency: ports.IdempotencyRepository
    bank_statements: ports.BankStatementRepository
    dunning: ports.DunningRepository
    collection_work: ports.CollectionWorkRepository
    disputes: ports.DisputeRepository
    ar_facts: ports.ArFactsRepository
    orders: ports.OrderRepository
    order_setup: ports.OrderSetupRepository
    rmas: ports.RmaRepository
    cash: ports.CashRepository
    toner: ports.TonerRepository
    toner_board: ports.TonerBoardRepository

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self.session_factory = session_factory
        self._depth = 0

    def __enter__(self) -> Self:
        if self._depth == 0:
            self.session = self.session_factory()
            self.customers = SqlCustomerRepository(self.session)
            self.payment_terms = SqlPaymentTermsRepository(self.session)
            self.products = SqlProductRepository(self.session)
            self.price_lists = SqlPriceListRepository(self.session)
            self.users = SqlUserRepository(self.session)
            self.api_tokens = SqlApiTokenRepository(self.session)
            self.audit = SqlAuditLog(self.session)
            self.import_records = SqlImportRecordRepository(self.session)
            self.contracts = SqlContractRepository(self.session)
            self.meter_reads = SqlMeterReadRepository(self.session)
            self.service_jobs = SqlServiceJobRepository(self.session)
            self.indices = SqlIndexRepository(self.session)
            self.blocks = SqlBlockRepository(self.session)
            self.bill_runs = SqlBillRunRepository(self.session)
            self.reserve_funds = SqlReserveFundRepository(self.session)
            self.pending_charges = SqlPendingChargeRepository(self.session)
            self.legal_entities = SqlLegalEntityRepository(self.session)
            self.invoices = SqlInvoiceRepository(self.session)
            self.number_series = SqlNumberSeriesRepository(self.session)
            self.invoice_stops = SqlInvoiceStopRepository(self.session)
            self.ledger = SqlLedgerRepository(self.session)
            self.document_files = SqlDocumentFileRepository(self.session)
            self.outbox = SqlOutboxRepository(self.session)
            self.idempotency = SqlIdempotencyRepository(self.session)
            self.bank_statements = SqlBankStatementRepository(self.session)
            self.dunning = SqlDunningRepository(self.session)
            self.collection_work = SqlCollectionWorkRepository(self.session)
            self.disputes = SqlDisputeRepository(self.session)
            self.ar_facts = SqlArFactsRepository(self.session)
            self.orders = SqlOrderRepository(self.session)
            self.order_setup = SqlOrderSetupRepository(self.session)
            self.rmas = SqlRmaRepository(self.session)
            self.cash = SqlCashRepository(self.session)
            self.toner = SqlTonerRepository(self.session)
            self.toner_board = SqlTonerBoardRepository(self.session)
        self._depth += 1
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._depth -= 1
        if self._depth == 0:
            # close() rolls back whatever was not committed and detaches the objects without expiring them,
            # so what a service returns stays readable after its block ends.
            self.session.close()
        elif exc_type is not None:
            self.session.rollback()

    def commit(self) -> None:
        if self._depth <= 1:
            self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()

    def flush(self) -> None:
        self.session.flush()

    def savepoint(self) -> AbstractContextManager[object]:
        return self.session.begin_nested()
