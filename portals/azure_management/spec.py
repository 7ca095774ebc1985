"""The Azure Support API (ARM) as a portal of the stack (see ``portals.portal_spec``): every path
answers errors in ARM's shape."""

from portals.portal_spec import ApiStyle, PortalSpec

#: Azure Resource Manager's ``{"error": {"code", "message"}}`` on every path.
ARM = ApiStyle("arm", "portals.azure_management.errors:error_response", ("/",))

SPEC = PortalSpec(
    key="azure_management",
    title="Azure Support API",
    hostname="management.azure.test",
    port_offset=3,
    alias="management",
    start_page="/providers/Microsoft.Support/services?api-version=2024-04-01",
    app="portals.azure_management:create_app",
    api=ARM,
)
