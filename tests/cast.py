"""The cast of the backend tests: one seed document with an organisation for every case."""

from __future__ import annotations

import copy
from typing import Any

from portals.backend import Refusal, World, build_world

CAST: dict[str, Any] = {
    "world": {"seed": "cast", "start": "2021-03-04T09:00:00Z", "activation_delay": "P0D"},
    "organisations": [
        {
            "id": "contoso",
            "name": "Contoso",
            "membership": "gold",
            "competencies": [{"name": "Cloud Platform", "level": "gold"}],
        },
        {
            "id": "fabrikam",
            "name": "Fabrikam",
            "membership": "gold",
            "competencies": [{"name": "Data Analytics", "level": "gold"}],
        },
        {
            "id": "northwind",
            "name": "Northwind",
            "membership": "silver",
            "competencies": [{"name": "Application Development", "level": "silver"}],
        },
        {"id": "tailspin", "name": "Tailspin", "membership": "action_pack"},
        {
            "id": "adatum",
            "name": "Adatum",
            "programs": ["csp"],
            "customers": [{"id": "woodgrove", "name": "Woodgrove Bank"}],
        },
        {"id": "litware", "name": "Litware", "membership": None},
        {
            "id": "wingtip",
            "name": "Wingtip",
            "programs": ["mpn", "csp"],
            "membership": "silver",
            "competencies": [{"name": "Security", "level": "silver"}],
            "customers": [
                {"id": "woodgrove", "name": "Woodgrove Bank"},
                {"id": "relecloud", "name": "Relecloud"},
            ],
        },
    ],
    "accounts": [
        {"upn": "admin@contoso.com", "organisation": "contoso", "roles": ["global_admin"]},
        {"upn": "mpn@contoso.com", "organisation": "contoso", "roles": ["mpn_partner_admin"]},
        {"upn": "agent@contoso.com", "organisation": "contoso", "roles": ["admin_agent"]},
        {"upn": "user@contoso.com", "organisation": "contoso"},
        {"upn": "admin@fabrikam.com", "organisation": "fabrikam", "roles": ["global_admin"]},
        {"upn": "admin@northwind.com", "organisation": "northwind", "roles": ["global_admin"]},
        {"upn": "admin@tailspin.com", "organisation": "tailspin", "roles": ["global_admin"]},
        {"upn": "agent@adatum.com", "organisation": "adatum", "roles": ["admin_agent", "global_admin"]},
        {"upn": "admin@litware.com", "organisation": "litware", "roles": ["global_admin"]},
        {"upn": "agent@wingtip.com", "organisation": "wingtip", "roles": ["admin_agent"]},
        {"upn": "admin@wingtip.com", "organisation": "wingtip", "roles": ["global_admin"]},
        {"upn": "user@wingtip.com", "organisation": "wingtip"},
        {"upn": "engineer@outlook.com", "kind": "msa"},
        {"upn": "consultant@external.example", "kind": "aad", "tenant": "external.example"},
    ],
}


def cast_world(name: str = "test", **settings: Any) -> World:
    document = copy.deepcopy(CAST)
    document["world"].update(settings)
    return build_world(name, document)


def activate(world: World, admin: str = "admin@contoso.com") -> tuple[str, str]:
    """Activate the admin's organisation (delay 0 in the cast) and return (access_id, contract_id)."""
    view = world.activate_benefits(admin)
    assert view.state == "active", view
    assert view.access_id and view.contract_id
    return view.access_id, view.contract_id


class refused:
    """Expect the block to raise a Refusal with this code; the refusal is kept in ``.error``."""

    def __init__(self, code: str) -> None:
        self.code = code
        self.error: Refusal | None = None

    def __enter__(self) -> refused:
        return self

    def __exit__(self, kind: object, error: BaseException | None, tb: object) -> bool:
        assert isinstance(error, Refusal), f"expected a {self.code} refusal, got {error!r}"
        assert error.code == self.code, f"expected {self.code}, got {error.code}: {error}"
        self.error = error
        return True
