"""Which of the school's products a typed name means ('pluspnt' → Pluspunt)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.matching import match_names
from services.models import Licence, Product
from services.shared.context import SchoolRow

PRODUCT_CUTOFF = 85.0
K = TypeVar("K")
P = TypeVar("P", bound="ProductName")


@dataclass(frozen=True)
class ProductName:
    """What a typed product name is matched against (the code is unique, as the id is)."""

    code: str
    name: str


@dataclass(frozen=True)
class SchoolProduct(ProductName):
    id: int


_P, _L = Product.__table__, Licence.__table__
# Read at every typed shortcut: a Core statement, built once.
_SCHOOL_PRODUCTS = (
    select(_P.c.id, _P.c.code, _P.c.name).distinct()
    .join(_L, _L.c.product_id == _P.c.id)
    .where(_L.c.school_id == bindparam("school"), _L.c.school_year == bindparam("year"),
           _L.c.model == bindparam("model")))


async def school_products(session: AsyncSession, school: SchoolRow, year: str, model: str
                          ) -> dict[int, SchoolProduct]:
    """The products the school has licences of (this model, this year), by name."""
    products = [SchoolProduct(id=pid, code=code, name=name) for pid, code, name in
                await session.execute(
                    _SCHOOL_PRODUCTS, {"school": school.id, "year": year, "model": model})]
    return {p.id: p for p in sorted(products, key=lambda p: p.name.lower())}


def products_of(licences: Iterable[tuple[str, str]]) -> dict[str, ProductName]:
    """The products of licences already read ((code, name) of each, LicenceRows.products), by
    code, in the order school_products gives: for a use case that reads the licences anyway,
    one statement less."""
    products = {code: ProductName(code=code, name=name) for code, name in licences}
    return dict(sorted(products.items(), key=lambda item: item[1].name.lower()))


def match_product(text: str, products: Mapping[K, P]) -> P | None:
    """The one product whose name (or code) the text means; None when none or several do."""
    found = match_names(text, {pid: p.name for pid, p in products.items()},
                        cutoff=PRODUCT_CUTOFF)
    if not found:
        found = match_names(text, {pid: p.code for pid, p in products.items()},
                            cutoff=PRODUCT_CUTOFF)
    return products[found[0]] if len(found) == 1 else None
