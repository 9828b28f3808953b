"""Which of the school's products a typed name means ('pluspnt' → Pluspunt)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.matching import match_names
from services.models import Licence, Product, School

PRODUCT_CUTOFF = 85.0


async def school_products(session: AsyncSession, school: School, year: str, model: str
                          ) -> dict[int, Product]:
    """The products the school has licences of (this model, this year), by name."""
    products = (await session.scalars(
        select(Product).join(Licence, Licence.product_id == Product.id).where(
            Licence.school_id == school.id, Licence.school_year == year, Licence.model == model)
    )).all()
    return {p.id: p for p in sorted(set(products), key=lambda p: p.name.lower())}


def match_product(text: str, products: dict[int, Product]) -> Product | None:
    """The one product whose name (or code) the text means; None when none or several do."""
    found = match_names(text, {pid: p.name for pid, p in products.items()},
                        cutoff=PRODUCT_CUTOFF)
    if not found:
        found = match_names(text, {pid: p.code for pid, p in products.items()},
                            cutoff=PRODUCT_CUTOFF)
    return products[found[0]] if len(found) == 1 else None
