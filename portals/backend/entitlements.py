"""R-EN-01..03: what each membership offer entitles an organisation to.

``None`` as an incident count means unlimited; a missing pool (``has_cloud`` False) means the offer
includes no Signature Cloud Support at all (Action Pack, R-AZ-03).
"""

from __future__ import annotations

from dataclasses import dataclass

from portals.backend.catalog import is_cloud_competency
from portals.backend.model import Competency, Membership

ON_PREMISES_INCIDENTS: dict[Membership, int] = {
    Membership.ACTION_PACK: 10,
    Membership.SILVER: 15,
    Membership.GOLD: 20,
}

#: Signature Cloud Support for organisations without a cloud competency ("other competencies").
SIGNATURE_PACK: dict[Membership, int | None] = {
    Membership.SILVER: 5,
    Membership.GOLD: 10,
}


@dataclass(frozen=True)
class Entitlement:
    """One column of the seeds' entitlement table, made concrete for one organisation."""

    membership: Membership
    on_premises_incidents: int
    has_cloud: bool
    cloud_incidents_for_cloud_competencies: int | None  # None: unlimited
    cloud_incidents_for_other_competencies: int | None
    holds_cloud_competency: bool

    @property
    def cloud_incidents(self) -> int | None:
        """The Signature Cloud pool this organisation gets (None: unlimited); only if has_cloud."""
        if self.holds_cloud_competency:
            return self.cloud_incidents_for_cloud_competencies
        return self.cloud_incidents_for_other_competencies


def holds_cloud_competency(competencies: list[Competency]) -> bool:
    """D1: a cloud competency (R-EN-03) held at Silver or Gold level."""
    return any(is_cloud_competency(c.name) and c.level in ("silver", "gold") for c in competencies)


def entitlement_for(membership: Membership, competencies: list[Competency]) -> Entitlement:
    has_cloud = membership in SIGNATURE_PACK
    return Entitlement(
        membership=membership,
        on_premises_incidents=ON_PREMISES_INCIDENTS[membership],
        has_cloud=has_cloud,
        cloud_incidents_for_cloud_competencies=None,
        cloud_incidents_for_other_competencies=SIGNATURE_PACK.get(membership),
        holds_cloud_competency=holds_cloud_competency(competencies),
    )
