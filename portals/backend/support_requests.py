"""Support requests once created, in any portal: reading them, updating status, severity and
contact details, and their communications. No incident is ever given back or used here."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from typing import Any

from portals.backend.catalog import SEVERITIES
from portals.backend.core import WorldCore, atomic, changes, require_text
from portals.backend.errors import Refusal
from portals.backend.model import Account, Communication, Portal, RequestStatus, Role, SupportRequest

#: ARM resource names of tickets and communications: what the Azure Support API accepts.
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
CONTACT_FIELDS = (
    "first_name",
    "last_name",
    "primary_email",
    "preferred_contact_method",
    "preferred_time_zone",
    "country",
    "preferred_language",
    "phone",
)


def check_contact(contact: Any) -> dict[str, str]:
    """Contact details: known fields, each a short text."""
    if not isinstance(contact, dict):
        raise Refusal("InvalidInput", detail="contact: must be an object")
    unknown = sorted(set(contact) - set(CONTACT_FIELDS))
    if unknown:
        raise Refusal("InvalidInput", detail=f"contact.{unknown[0]}: is not a known field")
    for key, value in contact.items():
        if not isinstance(value, str) or len(value) > 200:
            raise Refusal("InvalidInput", detail=f"contact.{key}: must be a text of at most 200 characters")
    return dict(contact)


def _portal(portal: Portal | str | None) -> Portal | None:
    return Portal(portal) if portal else None


def check_name(name: Any, what: str = "name") -> str:
    if not isinstance(name, str) or not _NAME.match(name):
        raise Refusal(
            "InvalidInput",
            detail=f"{what}: 1 to 100 letters, digits, '.', '_' or '-', starting with a letter",
        )
    return name


class SupportRequestOps(WorldCore):
    @atomic
    def support_requests(self, upn: str, portal: Portal | str | None = None) -> list[SupportRequest]:
        """The account's requests, oldest first, in one portal or all (from the world's request
        index: the cost follows the account's requests, not the world's)."""
        account = self.account(upn)
        requests = self.state.requests
        return [requests[i] for i in self.requests_index.ids(account.upn.lower(), _portal(portal))]

    @atomic
    def support_requests_page(
        self,
        upn: str,
        portal: Portal | str | None,
        start: int,
        size: int,
        where: Callable[[SupportRequest], bool] | None = None,
    ) -> tuple[list[SupportRequest], bool]:
        """One page of the account's requests, oldest first: up to ``size`` of them from the
        ``start``-th (0-based) that passes ``where`` (every request without it), and whether more
        follow. Without ``where`` it costs the same with 10 requests or 10,000; with it, the
        requests up to the end of the page (and one more) are tested, never the rest."""
        if start < 0 or size < 1:
            raise Refusal("InvalidInput", detail="a page starts at 0 or later and holds 1 or more")
        account = self.account(upn)
        requests = self.state.requests
        ids = self.requests_index.ids(account.upn.lower(), _portal(portal))
        if where is None:
            return [requests[i] for i in ids[start : start + size]], start + size < len(ids)
        passing = (request for request in map(requests.__getitem__, ids) if where(request))
        found = list(itertools.islice(passing, start, start + size + 1))
        return found[:size], len(found) > size

    @atomic
    def support_request(self, upn: str, request_id: str) -> SupportRequest:
        """One of the account's requests, by number; an Admin agent also reaches the requests its
        partner organisation opened for CSP customers (the ones ``customer_requests`` lists)."""
        account = self.account(upn)
        request = self.state.requests.get(request_id) if isinstance(request_id, str) else None
        if request is None or not self._may_read(account, request):
            raise Refusal("RequestNotFound", request_id=str(request_id))
        return request

    def _may_read(self, account: Account, request: SupportRequest) -> bool:
        if request.upn == account.upn.lower():
            return True
        opener = self.state.accounts.get(request.upn)
        return bool(
            request.customer
            and opener is not None
            and account.organisation is not None
            and opener.organisation == account.organisation
            and account.has_role(Role.ADMIN_AGENT)
        )

    @atomic
    def support_request_named(self, upn: str, name: str) -> SupportRequest:
        """One of the account's Azure requests by the resource name its client gave it."""
        account = self.account(upn)
        found = self.requests_index.named.get((account.upn.lower(), name)) if isinstance(name, str) else None
        if found is None:
            raise Refusal("RequestNotFound", request_id=str(name))
        return self.state.requests[found]

    @atomic
    def request_name_available(self, upn: str, name: str) -> bool:
        """Whether the account may give a new Azure request this resource name."""
        check_name(name)
        account = self.account(upn)
        return (account.upn.lower(), name) not in self.requests_index.named

    @changes
    def update_support_request(
        self,
        upn: str,
        request_id: str,
        status: str | None = None,
        severity: str | None = None,
        contact: dict[str, str] | None = None,
        properties: dict[str, Any] | None = None,
    ) -> SupportRequest:
        """Close or reopen a request, change its severity or contact details (and the properties a
        client API keeps with it). All checks first, so a refused update changes nothing."""
        request = self.support_request(upn, request_id)
        if status is not None and status not in tuple(RequestStatus):
            raise Refusal("InvalidInput", detail="status: must be one of open, closed")
        if severity is not None and severity not in SEVERITIES:
            raise Refusal("InvalidInput", detail=f"severity: must be one of {', '.join(SEVERITIES)}")
        checked = check_contact(contact) if contact is not None else None
        if status is not None:
            request.status = status
        if severity is not None:
            request.severity = severity
        if checked is not None:
            request.contact = {**request.contact, **checked}
        if properties:
            request.properties = {**request.properties, **properties}
        request.updated_at = self.now
        return request

    @atomic
    def communication(self, upn: str, request_id: str, name: str) -> Communication:
        """One message of one of the account's requests, by name."""
        request = self.support_request(upn, request_id)
        found = next((c for c in request.communications if c.name == name), None)
        if found is None:
            raise Refusal("CommunicationNotFound", name=str(name))
        return found

    @changes
    def add_communication(
        self, upn: str, request_id: str, subject: str, body: str, name: str | None = None
    ) -> Communication:
        """A message from the account on one of its requests (not on a closed one)."""
        request = self.support_request(upn, request_id)
        if request.status == RequestStatus.CLOSED:
            raise Refusal("InvalidInput", detail=f"request {request.id} is closed; reopen it first")
        if name is not None:
            name = check_name(name, "communication name")
        else:  # the next free msg-N, so an unnamed message is never refused for its name
            taken, number = {c.name for c in request.communications}, len(request.communications) + 1
            while f"msg-{number}" in taken:
                number += 1
            name = f"msg-{number}"
        if any(c.name == name for c in request.communications):
            raise Refusal("CommunicationNameTaken", name=name)
        message = Communication(
            name=name,
            sender=request.upn,
            subject=require_text(subject, "subject", 200),
            body=require_text(body, "body", 10000),
            created_at=self.now,
        )
        request.communications.append(message)
        request.updated_at = self.now
        return message
