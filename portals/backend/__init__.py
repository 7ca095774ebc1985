"""The shared backend: the single home of every rule and decision of the rulebook.

Plain Python: no Flask, no HTTP. Portals are thin layers that call these operations and render
their answers or their ``Refusal``.
"""

from portals.backend.catalog import CLOUD_PRODUCTS, PRODUCTS, find_product
from portals.backend.errors import REFUSALS, Refusal
from portals.backend.messages import LANGUAGES, negotiate, translate
from portals.backend.model import AccountKind, AzureLinkMode, Membership, Portal, Program, Role
from portals.backend.registry import DEFAULT_WORLD, WorldRegistry
from portals.backend.seed import build_world, load_document_file, parse_document, validate_document
from portals.backend.world import World

__all__ = [
    "CLOUD_PRODUCTS",
    "DEFAULT_WORLD",
    "LANGUAGES",
    "PRODUCTS",
    "REFUSALS",
    "AccountKind",
    "AzureLinkMode",
    "Membership",
    "Portal",
    "Program",
    "Refusal",
    "Role",
    "World",
    "WorldRegistry",
    "build_world",
    "find_product",
    "load_document_file",
    "negotiate",
    "parse_document",
    "translate",
    "validate_document",
]
