"""Product schemas: a product is named by its SKU."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from cashtrail.api.schemas.common import Page
from cashtrail.catalog.model import Product, ProductType, TaxCategory


class ProductCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sku: str = Field(min_length=1, max_length=64, examples=["MFP-C3000"])
    name: str = Field(max_length=200, examples=["Colour MFP C3000"])
    product_type: ProductType
    tax_category: TaxCategory = TaxCategory.STANDARD
    unit: str = Field("each", max_length=20)
    description: str = Field("", max_length=10_000)
    active: bool = True

    def to_domain(self) -> Product:
        """The unsaved domain product."""
        return Product(**self.model_dump())


class ProductOut(BaseModel):
    sku: str
    name: str
    product_type: str
    tax_category: str
    unit: str
    description: str
    active: bool

    @classmethod
    def of(cls, product: Product) -> ProductOut:
        """The API view of a domain product."""
        return cls.model_validate(product.snapshot())


class ProductPage(Page[ProductOut]):
    """A page of products."""
