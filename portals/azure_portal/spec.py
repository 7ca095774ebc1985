"""The Azure portal as a portal of the stack (see ``portals.portal_spec``)."""

from portals.portal_spec import PortalSpec

SPEC = PortalSpec(
    key="azure",
    title="Microsoft Azure",
    hostname="portal.azure.test",
    port_offset=2,
    alias="azure",
    start_page="/help-support/plans?world=default",
    app="portals.azure_portal:create_app",
    client="harness.clients:AzurePortalClient",
)
