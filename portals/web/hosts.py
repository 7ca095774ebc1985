"""Where each portal answers. Reserved ``.test`` names only, never a real Microsoft host, so a
misconfigured run can never reach a real service."""

from __future__ import annotations

PORTAL_HOSTS: dict[str, str] = {
    "partner_center": "partner.center.test",
    "support_for_business": "serviceshub.test",
    "azure": "portal.azure.test",
    "azure_management": "management.azure.test",
    "partner_center_api": "api.partnercenter.test",
}

DEFAULT_URLS: dict[str, str] = {key: f"http://{host}" for key, host in PORTAL_HOSTS.items()}
