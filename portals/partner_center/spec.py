"""Partner Center as a portal of the stack (see ``portals.portal_spec``)."""

from portals.portal_spec import PortalSpec

SPEC = PortalSpec(
    key="partner_center",
    title="Partner Center",
    hostname="partner.center.test",
    port_offset=0,
    alias="pc",
    start_page="/dashboard/mpn/membership/benefits/technical?world=default",
    app="portals.partner_center:create_app",
    client="harness.clients:PartnerCenterClient",
)
