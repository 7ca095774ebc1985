"""The contact details the Azure Support SDK tests send with a ticket, built from the models module
of whichever ``azure-mgmt-support`` runs them (7.x, or 6.0.0 in ``api/sdk6_flow.py``)."""

from __future__ import annotations

from typing import Any


def ana(models: Any) -> Any:
    """``models.ContactProfile`` for Ana García, by e-mail, in Spanish (``es-es``), in Spain (``ESP``)."""
    return models.ContactProfile(
        first_name="Ana",
        last_name="García",
        preferred_contact_method="email",
        primary_email_address="ana@contoso.com",
        preferred_time_zone="UTC",
        country="ESP",
        preferred_support_language="es-es",
    )
