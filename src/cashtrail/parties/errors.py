"""Errors of the parties domain."""

from cashtrail.errors import Conflict, NotFound


class CustomerNotFound(NotFound):
    code = "customer.not_found"


class CustomerExists(Conflict):
    code = "customer.already_exists"


class PaymentTermsNotFound(NotFound):
    code = "payment_terms.not_found"
