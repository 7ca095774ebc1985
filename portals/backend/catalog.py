"""Fixed reference data: products (the cloud catalog, and the names of the on-premises versions of
``lifecycle.py``), competencies (R-EN-03), offers, workloads.

Product IDs are stable slugs; cloud products also carry a stable GUID (uuid5 of the slug) so that
API shapes that want GUID service names get the same value in every world and every run.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import StrEnum

from portals.backend.lifecycle import VERSIONS

_NAMESPACE = uuid.UUID("6f1c2a1e-4d1b-4c55-9a57-8a6d2f3b7c10")


class ProductKind(StrEnum):
    ON_PREMISES = "on_premises"
    CLOUD = "cloud"


@dataclass(frozen=True)
class Product:
    """A product by its stable slug and display name. Whether Support for Business offers an
    on-premises product, and whether the n-1 policy covers it, depends on a world's date: ask
    ``World.on_premises_catalog()`` (D7, R-SFB-01), never this table."""

    id: str
    name: str
    kind: ProductKind

    @property
    def guid(self) -> str:
        return str(uuid.uuid5(_NAMESPACE, self.id))


def _cloud(name: str) -> Product:
    return Product(name.lower().replace(" ", "-"), name, ProductKind.CLOUD)


#: Every on-premises version of the lifecycle table (``lifecycle.py``), released or not: for look-ups
#: by ID, name or GUID only.
_ON_PREMISES: tuple[Product, ...] = tuple(
    Product(v.id, v.name, ProductKind.ON_PREMISES) for v in VERSIONS.values()
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

#: Every product known, on-premises and cloud, by ID.
PRODUCTS: dict[str, Product] = {p.id: p for p in (*_ON_PREMISES, *CLOUD_PRODUCTS)}


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


#: R-EN-03's cloud competencies in the seeds' order, as pages list them: each name is also the
#: message key ``competency_<slug>`` of its name in the page's language (the seeds keep most names in
#: English and translate some); the data always holds the English name.
CLOUD_COMPETENCY_ORDER: tuple[str, ...] = (
    "Security",
    "Cloud Business Applications",
    "Cloud Platform",
    "Cloud Productivity",
    "Enterprise Mobility Management",
    "Small and Midmarket Cloud Solutions",
)


def competency_key(name: str) -> str:
    """The message key of a competency's name: ``Cloud Platform`` -> ``competency_cloud_platform``."""
    return "competency_" + name.lower().replace(" ", "_")


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
