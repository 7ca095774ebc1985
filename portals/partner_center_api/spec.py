"""The Partner Center REST API as a portal of the stack (see ``portals.portal_spec``): every path
answers errors in Partner Center's shape."""

from portals.portal_spec import ApiStyle, PortalSpec

#: Partner Center's ``{"code", "description", "data", "source"}`` on every path.
PARTNER_CENTER_REST = ApiStyle(
    "partner-center-rest", "portals.partner_center_api.errors:error_response", ("/",)
)

SPEC = PortalSpec(
    key="partner_center_api",
    title="Partner Center REST API",
    hostname="api.partnercenter.test",
    port_offset=4,
    alias="pc_api",
    start_page="/v1/servicerequests/supporttopics",
    app="portals.partner_center_api:create_app",
    api=PARTNER_CENTER_REST,
)
