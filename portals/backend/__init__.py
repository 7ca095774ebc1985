"""The shared backend: the single home of every rule and decision of the rulebook.

Plain Python: no Flask, no HTTP. Portals are thin layers that call these operations and render
their answers or their ``Refusal``.

Every name below is loaded from its module on first use (PEP 562), so importing one leaf module
(``portals.backend.rules`` for the rule IDs, ``portals.backend.errors``) does not load the
whole backend, and the seed-document names (``build_world``, ``load_document_file``,
``parse_document``, ``validate_document``) load ``portals.backend.seed`` (its pydantic models)
only when a program uses them.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from portals.backend.catalog import CLOUD_PRODUCTS, PRODUCTS, find_product
    from portals.backend.errors import REFUSALS, Refusal
    from portals.backend.messages import LANGUAGES, negotiate, translate
    from portals.backend.model import AccountKind, AzureLinkMode, Membership, Portal, Program, Role
    from portals.backend.registry import DEFAULT_WORLD, WorldRegistry
    from portals.backend.seed import build_world, load_document_file, parse_document, validate_document
    from portals.backend.world import World

#: Each public name and the module (of this package) that defines it.
_HOMES = {
    "CLOUD_PRODUCTS": "catalog",
    "PRODUCTS": "catalog",
    "find_product": "catalog",
    "REFUSALS": "errors",
    "Refusal": "errors",
    "LANGUAGES": "messages",
    "negotiate": "messages",
    "translate": "messages",
    "AccountKind": "model",
    "AzureLinkMode": "model",
    "Membership": "model",
    "Portal": "model",
    "Program": "model",
    "Role": "model",
    "DEFAULT_WORLD": "registry",
    "WorldRegistry": "registry",
    "World": "world",
    "build_world": "seed",
    "load_document_file": "seed",
    "parse_document": "seed",
    "validate_document": "seed",
}


def __getattr__(name: str) -> Any:
    """A public name, from its module on first use (PEP 562); kept here after that."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    found = getattr(import_module(f"{__name__}.{home}"), name)
    globals()[name] = found
    return found


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES})


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
