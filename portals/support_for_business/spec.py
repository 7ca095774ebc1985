"""Support for Business as a portal of the stack (see ``portals.portal_spec``)."""

from portals.portal_spec import PortalSpec

SPEC = PortalSpec(
    key="support_for_business",
    title="Support for Business",
    hostname="serviceshub.test",
    port_offset=1,
    alias="sfb",
    start_page="/supportforbusiness/create?world=default",
    app="portals.support_for_business:create_app",
    client="harness.clients:SupportForBusinessClient",
)
