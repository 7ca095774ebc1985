"""Fixed reference data: products (D7 and the cloud catalog), competencies (R-EN-03), offers, workloads.

Product IDs are stable slugs; cloud products also carry a stable GUID (uuid5 of the slug) so that
API shapes that want GUID service names get the same value in every world and every run.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import StrEnum

_NAMESPACE = uuid.UUID("6f1c2a1e-4d1b-4c55-9a57-8a6d2f3b7c10")


class ProductKind(StrEnum):
    ON_PREMISES = "on_premises"
    CLOUD = "cloud"


@dataclass(frozen=True)
class Product:
    id: str
    name: str
    kind: ProductKind
    recent: bool = True  # False: an older (n-1) on-premises product, not covered (R-SFB-01)

    @property
    def guid(self) -> str:
        return str(uuid.uuid5(_NAMESPACE, self.id))


def _on_prem(name: str, recent: bool) -> Product:
    slug = name.lower().replace(" ", "-")
    return Product(slug, name, ProductKind.ON_PREMISES, recent)


def _cloud(name: str) -> Product:
    return Product(name.lower().replace(" ", "-"), name, ProductKind.CLOUD)


#: D7: recent on-premises products, then the n-1 ones.
ON_PREMISES_PRODUCTS: tuple[Product, ...] = (
    *(
        _on_prem(n, True)
        for n in (
            "Windows 10",
            "Windows 11",
            "Windows Server 2019",
            "Windows Server 2022",
            "SQL Server 2019",
            "SQL Server 2022",
            "Exchange Server 2019",
            "SharePoint Server Subscription Edition",
        )
    ),
    *(
        _on_prem(n, False)
        for n in (
            "Windows 7",
            "Windows 8.1",
            "Windows Server 2008 R2",
            "Windows Server 2012",
            "SQL Server 2012",
            "Exchange Server 2010",
        )
    ),
)

#: Cloud products: what the Azure portal's "+ New support request" offers.
CLOUD_PRODUCTS: tuple[Product, ...] = tuple(
    _cloud(n)
    for n in (
        "Virtual Machine running Windows",
        "Virtual Machine running Linux",
        "App Service",
        "Azure SQL Database",
        "Azure Kubernetes Service",
        "Storage Account",
        "Azure Active Directory",
        "Microsoft 365",
    )
)

PRODUCTS: dict[str, Product] = {p.id: p for p in (*ON_PREMISES_PRODUCTS, *CLOUD_PRODUCTS)}


@dataclass(frozen=True)
class ProblemClassification:
    """A kind of problem with a cloud product, as the Azure Support API lists them."""

    id: str  # a stable GUID
    product: str
    name: str


#: The problem kinds every cloud product offers; each gets a stable GUID per product.
PROBLEM_KINDS: tuple[str, ...] = (
    "Connectivity",
    "Performance",
    "Configuration and setup",
    "Billing and subscription",
    "Outage or unavailability",
)


def problem_classifications(product: Product) -> tuple[ProblemClassification, ...]:
    if product.kind is not ProductKind.CLOUD:
        return ()
    return tuple(
        ProblemClassification(str(uuid.uuid5(_NAMESPACE, f"{product.id}/{kind}")), product.id, kind)
        for kind in PROBLEM_KINDS
    )


@dataclass(frozen=True)
class SupportTopic:
    """A topic of the partner's own service requests in Partner Center (not product support)."""

    id: str
    name: str
    description: str


SUPPORT_TOPICS: tuple[SupportTopic, ...] = tuple(
    SupportTopic(str(uuid.uuid5(_NAMESPACE, f"topic/{name}")), name, description)
    for name, description in (
        ("Partner Center account", "Sign-in, users, roles and account settings"),
        ("Technical benefits", "Activation of support benefits, Access ID and Contract ID"),
        ("Billing", "Invoices, payments and reconciliation files"),
        ("Customer management", "CSP customers, subscriptions and service management"),
    )
)


def find_product(key: str) -> Product | None:
    """A product by slug, display name (any case) or GUID."""
    if key in PRODUCTS:
        return PRODUCTS[key]
    lowered = key.strip().lower()
    for product in PRODUCTS.values():
        if product.name.lower() == lowered or product.guid == lowered:
            return product
    return None


def product_of_kind(key: object, kind: ProductKind) -> Product:
    """A product of one kind (on-premises for Support for Business, cloud for Azure), or
    ProductNotFound: a portal's catalog holds only its own kind."""
    from portals.backend.errors import Refusal

    product = find_product(key) if isinstance(key, str) else None
    if product is None or product.kind is not kind:
        raise Refusal("ProductNotFound", product=str(key))
    return product


#: R-EN-03: the cloud competencies.
CLOUD_COMPETENCIES: frozenset[str] = frozenset(
    {
        "Security",
        "Cloud Business Applications",
        "Cloud Platform",
        "Cloud Productivity",
        "Enterprise Mobility Management",
        "Small and Midmarket Cloud Solutions",
    }
)


def is_cloud_competency(name: str) -> bool:
    return name.strip().lower() in {c.lower() for c in CLOUD_COMPETENCIES}


class PaidOffer(StrEnum):
    """R-AZ-09: paid partner support plans."""

    PREMIER = "premier"
    ADVANCED = "advanced"


#: CSP workloads whose portal opens from Service management > New request (R-CSP-01).
WORKLOADS: dict[str, str] = {"azure": "Microsoft Azure"}

#: Severities a support request may carry (A critical, B moderate, C minimal), as in Azure.
SEVERITIES: tuple[str, ...] = ("A", "B", "C")
