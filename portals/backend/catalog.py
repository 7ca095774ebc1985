"""Fixed reference data: products (the cloud catalog, and the names of the on-premises versions of
``lifecycle.py``), competencies (R-EN-03), offers, workloads.

Product IDs are stable slugs; cloud products also carry the GUID of their Azure Support API service
(the public one, else a uuid5 of the slug), the same in every world and every run.
"""

from __future__ import annotations

import re
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
    ``World.on_premises_catalog()`` (D7, R-SFB-01), never this table.

    Cloud products are also the Azure Support API's services: ``service_guid`` is the service's
    name there (its public GUID, where one is known), ``service_name`` its display name there when
    it differs from the portal's label ``name``, ``resource_types`` the ARM types it covers, and
    ``aliases`` other names it is found by (the placeholders of the API's published examples)."""

    id: str
    name: str
    kind: ProductKind
    service_guid: str | None = None
    service_name: str | None = None
    resource_types: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()

    @property
    def guid(self) -> str:
        """The service GUID: the public one, else a stable uuid5 of the slug."""
        return self.service_guid or str(uuid.uuid5(_NAMESPACE, self.id))

    @property
    def display_name(self) -> str:
        """The name the Azure Support API shows (``service_name``, else ``name``)."""
        return self.service_name or self.name


def _cloud(
    name: str,
    guid: str | None = None,
    service_name: str | None = None,
    resource_types: tuple[str, ...] = (),
    aliases: tuple[str, ...] = (),
) -> Product:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return Product(slug, name, ProductKind.CLOUD, guid, service_name, resource_types, aliases)


#: Every on-premises version of the lifecycle table (``lifecycle.py``), released or not: for look-ups
#: by ID, name or GUID only.
_ON_PREMISES: tuple[Product, ...] = tuple(
    Product(v.id, v.name, ProductKind.ON_PREMISES) for v in VERSIONS.values()
)

_VM_TYPES = ("MICROSOFT.CLASSICCOMPUTE/VIRTUALMACHINES", "MICROSOFT.COMPUTE/VIRTUALMACHINES")
_STORAGE_TYPES = ("MICROSOFT.CLASSICSTORAGE/STORAGEACCOUNTS", "MICROSOFT.STORAGE/STORAGEACCOUNTS")
_SQL_TYPES = (
    "MICROSOFT.SQL/SERVERS",
    "MICROSOFT.SQL/SERVERS/DATABASES",
    "MICROSOFT.SQL/SERVERS/ELASTICPOOLS",
)

#: Cloud products: what the Azure portal's "+ New support request" offers, and the Azure Support
#: API's services. Service GUIDs, the API's display names and resource types are the live
#: service's own, from its Services_List answer (api-version 2024-04-01, 2024-05-01) recorded in
#: Azure/azure-cli-extensions, src/support/azext_support/tests/latest/recordings/
#: test_support_services.yaml. The portal keeps its own labels where the API's name differs
#: ("App Service" is the API's "Web App (Windows)"); every name finds the product. Microsoft 365
#: has no service in the Azure Support API: its GUID is the emulator's own. The aliases are the
#: placeholders the published examples of the API (api-versions 2020-04-01 and 2024-04-01) use for
#: these services, so the examples run as published.
CLOUD_PRODUCTS: tuple[Product, ...] = (
    _cloud("Virtual Machine running Windows", "6f16735c-b0ae-b275-ad3a-03479cfa1396", None, _VM_TYPES),
    _cloud(
        "Virtual Machine running Linux",
        "cddd3eb5-1830-b494-44fd-782f691479dc",
        None,
        _VM_TYPES,
        ("virtual_machine_running_linux_service_guid", "virtual_machine_service_guid"),
    ),
    _cloud(
        "App Service", "1890289e-747c-7ef6-b4f5-b1dbb0bead28", "Web App (Windows)", ("MICROSOFT.WEB/SITES",)
    ),
    _cloud("Azure SQL Database", "95412dd5-f222-a91f-98a6-144a84418c66", "SQL Database", _SQL_TYPES),
    _cloud(
        "Azure Kubernetes Service",
        "5a3a423f-8667-9095-1770-0a554a934512",
        "Kubernetes Service (AKS)",
        ("MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS",),
    ),
    _cloud(
        "Storage Account",
        "6a9c20ed-85c7-c289-d5e2-560da8f2a7c8",
        "Storage Account Management",
        _STORAGE_TYPES,
    ),
    _cloud(
        "Azure Active Directory",
        "3a36c1ba-f910-91c3-9f17-075d63c9488a",
        "Microsoft Entra Directories, Domains, and Objects",
    ),
    _cloud("Microsoft 365"),
    _cloud(
        "Billing", "517f2da6-78fd-0498-4e22-ad26996b1dfc", None, (), ("billing_service_guid", "service_guid")
    ),
    _cloud(
        "Subscription management",
        "f3dc5421-79ef-1efa-41a5-42bf3cbb52c6",
        None,
        (),
        ("subscription_management_service_guid", "submgmt_service_guid"),
    ),
    _cloud(
        "Service and subscription limits (quotas)",
        "06bfd9d3-516b-d5c6-5802-169c800dec89",
        None,
        (),
        ("quota_service_guid",),
    ),
)

#: The service of quota tickets (``quotaTicketDetails``).
QUOTA_PRODUCT = "service-and-subscription-limits-quotas"

#: Every product known, on-premises and cloud, by ID.
PRODUCTS: dict[str, Product] = {p.id: p for p in (*_ON_PREMISES, *CLOUD_PRODUCTS)}


@dataclass(frozen=True)
class ProblemClassification:
    """A kind of problem with a cloud product, as the Azure Support API lists them."""

    id: str  # a stable GUID
    product: str
    name: str
    aliases: tuple[str, ...] = ()


#: The problem kinds the portal's own cloud products offer; each gets a stable GUID per product.
PROBLEM_KINDS: tuple[str, ...] = (
    "Connectivity",
    "Performance",
    "Configuration and setup",
    "Billing and subscription",
    "Outage or unavailability",
)

#: Problem classifications the Azure Support API's sources name, listed before the problem kinds:
#: (GUID or None, display name, aliases). A GUID is the live service's where a recording shows it:
#: Billing's from Azure/azure-cli-extensions (src/support/azext_support/tests/latest/recordings/
#: test_support_tickets.yaml, 2020-01-16), quotas' "Batch" from Azure/azure-sdk-for-python
#: (sdk/support/azure-mgmt-support/tests/recordings/test_cli_mgmt_support.test_support.yaml,
#: 2020-05-01). The others are the display names of the published examples of api-version
#: 2024-04-01 (CreateTechnicalSupportTicketForSubscription.json, GetSubscriptionSupportTicket
#: Details.json, ListProblemClassifications.json), whose IDs are placeholders: their GUIDs are the
#: emulator's own and the placeholder is an alias.
NAMED_CLASSIFICATIONS: dict[str, tuple[tuple[str | None, str, tuple[str, ...]], ...]] = {
    "virtual-machine-running-linux": (
        (
            None,
            "Connectivity / Cannot connect to virtual machine by using RDP or SSH",
            ("problemclassification_guid",),
        ),
    ),
    "billing": (
        ("44114011-6a66-e902-c00f-e419b6b4509f", "Cost Management / Access control issues", ()),
        (None, "Reservation Management / Exchanges and Refunds", ("problemclassification_guid_1",)),
        (None, "Reservation Management / Request Invoices", ("problemclassification_guid_2",)),
        (None, "Other General Billing Questions", ("problemclassification_guid_4",)),
    ),
    "subscription-management": (
        (None, "Add or Edit VAT, TAX ID, or PO Number", ("problemclassification_guid",)),
    ),
    QUOTA_PRODUCT: (("831b2fb3-4db3-3d32-af35-bbb3d3eaeba2", "Batch", ()),),
}
#: The API's own services (not a product of the portal's scenarios) list only their named ones.
_NAMED_ONLY = frozenset({"billing", "subscription-management", QUOTA_PRODUCT})


def problem_classifications(product: Product) -> tuple[ProblemClassification, ...]:
    """A cloud product's problem classifications (none for on-premises products): the named ones
    of ``NAMED_CLASSIFICATIONS``, then (but for Billing, Subscription management and quotas) one per
    ``PROBLEM_KINDS``."""
    if product.kind is not ProductKind.CLOUD:
        return ()
    named = tuple(
        ProblemClassification(guid or _classification_guid(product, name), product.id, name, aliases)
        for guid, name, aliases in NAMED_CLASSIFICATIONS.get(product.id, ())
    )
    if product.id in _NAMED_ONLY:
        return named
    kinds = tuple(
        ProblemClassification(_classification_guid(product, kind), product.id, kind) for kind in PROBLEM_KINDS
    )
    return named + kinds


def _classification_guid(product: Product, name: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{product.id}/{name}"))


def find_classification(product: Product, key: str) -> ProblemClassification | None:
    """One of ``product``'s problem classifications by GUID or alias (any case)."""
    wanted = key.strip().lower()
    return next((c for c in problem_classifications(product) if wanted == c.id or wanted in c.aliases), None)


@dataclass(frozen=True)
class SupportTopic:
    """A topic of the partner's own service requests in Partner Center (not product support).
    ``id`` is the backend's stable key (a GUID); ``number`` is the topic's ID in Partner Center's
    REST API, an integer as its documentation and swagger give it."""

    id: str
    name: str
    description: str
    number: int


SUPPORT_TOPICS: tuple[SupportTopic, ...] = tuple(
    SupportTopic(str(uuid.uuid5(_NAMESPACE, f"topic/{name}")), name, description, number)
    for name, description, number in (
        ("Partner Center account", "Sign-in, users, roles and account settings", 1001),
        ("Technical benefits", "Activation of support benefits, Access ID and Contract ID", 1002),
        ("Billing", "Invoices, payments and reconciliation files", 1003),
        ("Customer management", "CSP customers, subscriptions and service management", 1004),
        # The topic of Partner Center's documented examples (create, get and update a service
        # request: "supportTopicId": "32444671", "supportTopicName": "Cannot manage my profile").
        ("Cannot manage my profile", "The partner's profile in Partner Center", 32444671),
    )
)


def find_support_topic(key: object) -> SupportTopic | None:
    """A support topic by its key (GUID), its number (an integer, or its digits) or its name (any
    case)."""
    if isinstance(key, bool):
        return None
    text = str(key).strip().lower() if isinstance(key, str | int) else None
    if text is None:
        return None
    return next(
        (t for t in SUPPORT_TOPICS if text in (t.id, str(t.number), t.name.lower())),
        None,
    )


def find_product(key: str) -> Product | None:
    """A product by slug, name or the Azure Support API's display name (any case), service GUID or
    alias."""
    if key in PRODUCTS:
        return PRODUCTS[key]
    lowered = key.strip().lower()
    for product in PRODUCTS.values():
        names = (product.name.lower(), product.display_name.lower(), product.guid)
        if lowered in names or lowered in product.aliases:
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
