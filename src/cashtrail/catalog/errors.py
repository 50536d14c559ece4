"""Errors of the catalog domain."""

from cashtrail.errors import Conflict, NotFound


class ProductNotFound(NotFound):
    code = "product.not_found"


class ProductExists(Conflict):
    code = "product.already_exists"


class PriceListOverlap(Conflict):
    code = "price_list.overlap"
