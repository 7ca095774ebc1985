"""The shared backend: the single home of every rule and decision of the rulebook.

Plain Python: no Flask, no HTTP. Portals are thin layers that call these operations and render
their answers or their ``Refusal``.

The seed-document names (``build_world``, ``load_document_file``, ``parse_document``,
``validate_document``) load ``portals.backend.seed`` (its pydantic models) on first use, so a
program that only runs worlds does not pay for building them.
"""

from typing import TYPE_CHECKING, Any

from portals.backend.catalog import CLOUD_PRODUCTS, PRODUCTS, find_product
from portals.backend.errors import REFUSALS, Refusal
from portals.backend.messages import LANGUAGES, negotiate, translate
from portals.backend.model import AccountKind, AzureLinkMode, Membership, Portal, Program, Role
from portals.backend.registry import DEFAULT_WORLD, WorldRegistry
from portals.backend.world import World

if TYPE_CHECKING:
    from portals.backend.seed import build_world, load_document_file, parse_document, validate_document

_SEED_NAMES = frozenset({"build_world", "load_document_file", "parse_document", "validate_document"})


def __getattr__(name: str) -> Any:
    """The seed-document names, from ``portals.backend.seed`` on first use (PEP 562)."""
    if name in _SEED_NAMES:
        from portals.backend import seed

        return getattr(seed, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
