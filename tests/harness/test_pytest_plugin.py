"""The pytest plugin gives a pytest user the portals and an isolated world in two lines."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]


def test_fixtures_give_isolated_worlds(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest
        from portals.backend.model import Account, AccountKind, Organisation, Program

        SEEN = []

        @pytest.fixture
        def world_document():
            return {"organisations": [{"id": "contoso", "membership": "gold", "activated": True}],
                    "accounts": [{"upn": "admin@contoso.com", "organisation": "contoso",
                                  "roles": ["global_admin"]}]}

        @pytest.mark.parametrize("n", [1, 2])
        def test_world(world, portal_clients, portal_stack, n):
            SEEN.append(world.name)
            benefits = portal_clients("admin@contoso.com").pc.technical_benefits()
            assert benefits.state == "active"
            assert len(set(SEEN)) == n  # a fresh world each time
            assert world.name in portal_stack.registry
        """
    )
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "--portal-mode", "inprocess")
    result.assert_outcomes(passed=2)
