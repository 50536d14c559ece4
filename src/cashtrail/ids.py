"""Typed identifiers.

Surrogate keys are integers assigned by the database; the ``NewType``s keep a customer id from being passed
where a product id is expected. Business keys (customer number, SKU, price-list code) are strings and are what
imports and users refer to.
"""

from typing import NewType

CustomerId = NewType("CustomerId", int)
ProductId = NewType("ProductId", int)
PriceListId = NewType("PriceListId", int)
UserId = NewType("UserId", int)
