"""Support requests once created, in any portal: reading them, updating status, severity and
contact details, and their communications. No incident is ever given back or used here."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from datetime import datetime
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
    """A resource name a client chose: 1 to 100 letters, digits, '.', '_' or '-', starting with a
    letter or a digit (``_NAME``). Names are compared in any case, as ARM compares them."""
    if not isinstance(name, str) or not _NAME.match(name):
        raise Refusal(
            "InvalidInput",
            detail=f"{what}: 1 to 100 letters, digits, '.', '_' or '-', starting with a letter or a digit",
        )
    return name


def message_named(request: SupportRequest, name: str) -> Communication | None:
    """The request's message of this name, in any case (ARM names match case-insensitively)."""
    wanted = name.lower()
    return next((c for c in request.communications if c.name.lower() == wanted), None)


def free_message_name(request: SupportRequest) -> str:
    """The name of a message whose caller chose none: the first ``msg-N`` (from the request's
    message count + 1) that no message of the request has, so it never collides with a name a
    client chose."""
    taken = {c.name.lower() for c in request.communications}
    number = len(request.communications) + 1
    while f"msg-{number}" in taken:
        number += 1
    return f"msg-{number}"


def make_message(
    request: SupportRequest, subject: str, body: str, name: str | None = None, *, now: datetime
) -> Communication:
    """A checked message from the request's account, not yet added to it: ``name`` is one its
    client chose (``check_name``; 409 ``CommunicationNameTaken`` when the request has it, in any
    case), else a free ``msg-N``."""
    if name is not None:
        check_name(name, "communication name")
        if message_named(request, name) is not None:
            raise Refusal("CommunicationNameTaken", name=name)
    return Communication(
        name=name if name is not None else free_message_name(request),
        sender=request.upn,
        subject=require_text(subject, "subject", 200),
        body=require_text(body, "body", 10000),
        created_at=now,
    )


class SupportRequestOps(WorldCore):
    @atomic
    def support_requests(self, upn: str, portal: Portal | str | None = None) -> list[SupportRequest]:
        """The account's requests, oldest first, in one portal or all (from the world's request
        index: the cost follows the account's requests, not the world's)."""
        account = self.account(upn)
        requests = self.state.requests
        return [requests[i] for i in self.requests_index.ids(account.upn.lower(), _portal(portal))]

    @atomic
    def partner_service_requests(self, upn: str) -> list[SupportRequest]:
        """The Partner Center service requests of the account's partner organisation, filed by any
        of its accounts, oldest first ("Retrieves Service Requests associated to the partner", as
        Partner Center's SDK reference says of ``ServiceRequests.Get``); an account of no
        organisation sees its own."""
        account = self.account(upn)
        members = [account.upn.lower()]
        if account.organisation:
            members = [
                a.upn.lower() for a in self.state.accounts.values() if a.organisation == account.organisation
            ]
        requests = self.state.requests
        found = [
            requests[i] for upn_ in members for i in self.requests_index.ids(upn_, Portal.PARTNER_CENTER)
        ]
        return sorted(found, key=lambda r: (r.created_at, r.id))

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
        partner organisation opened for CSP customers (the ones ``customer_requests`` lists), and
        every account of a partner its organisation's Partner Center service requests."""
        account = self.account(upn)
        request = self.state.requests.get(request_id) if isinstance(request_id, str) else None
        if request is None or not self._may_read(account, request):
            raise Refusal("RequestNotFound", request_id=str(request_id))
        return request

    def _may_read(self, account: Account, request: SupportRequest) -> bool:
        if request.upn == account.upn.lower():
            return True
        opener = self.state.accounts.get(request.upn)
        if request.portal is Portal.PARTNER_CENTER and opener is not None and account.organisation:
            return opener.organisation == account.organisation  # the partner's own service requests
        return bool(
            request.customer
            and opener is not None
            and account.organisation is not None
            and opener.organisation == account.organisation
            and account.has_role(Role.ADMIN_AGENT)
        )

    @atomic
    def support_request_named(self, upn: str, name: str) -> SupportRequest:
        """One of the account's Azure requests by the resource name its client gave it (in any
        case, as ARM matches names; the name keeps the case it was created with)."""
        account = self.account(upn)
        key = (account.upn.lower(), name.lower()) if isinstance(name, str) else None
        found = self.requests_index.named.get(key) if key is not None else None
        if found is None:
            raise Refusal("RequestNotFound", request_id=str(name))
        return self.state.requests[found]

    @atomic
    def request_name_available(self, upn: str, name: str) -> bool:
        """Whether the account may give a new Azure request this resource name: not one of its
        tickets' names, nor a request number (a request made in the Azure portal is a ticket named
        by its number; numbers and chosen names share one namespace, so a name identifies one
        ticket)."""
        check_name(name)
        account = self.account(upn)
        key = (account.upn.lower(), name.lower())
        return key not in self.requests_index.named and name not in self.state.requests

    @changes
    def update_support_request(
        self,
        upn: str,
        request_id: str,
        status: str | None = None,
        severity: str | None = None,
        contact: dict[str, str] | None = None,
        properties: dict[str, Any] | None = None,
        message: tuple[str, str] | None = None,
    ) -> SupportRequest:
        """Close or reopen a request, change its severity or contact details (and the properties a
        client API keeps with it), and add a ``message`` (subject, body) from the account, as one
        step: every check first, then every change, so a refused update changes nothing. A message
        needs the request open before or after the update (it may come with the closing, or with
        the reopening, of a request)."""
        request = self.support_request(upn, request_id)
        if status is not None and status not in tuple(RequestStatus):
            raise Refusal("InvalidInput", detail="status: must be one of open, closed")
        if severity is not None and severity not in SEVERITIES:
            raise Refusal("InvalidInput", detail=f"severity: must be one of {', '.join(SEVERITIES)}")
        checked = check_contact(contact) if contact is not None else None
        written = None
        if message is not None:
            if request.status == RequestStatus.CLOSED and status != RequestStatus.OPEN:
                raise Refusal("InvalidInput", detail=f"request {request.id} is closed; reopen it first")
            written = make_message(request, *message, now=self.now)
        if status is not None:
            request.status = status
        if severity is not None:
            request.severity = severity
        if checked is not None:
            request.contact = {**request.contact, **checked}
        if properties:
            request.properties = {**request.properties, **properties}
        if written is not None:
            request.communications.append(written)
        request.updated_at = self.now
        return request

    @atomic
    def communication(self, upn: str, request_id: str, name: str) -> Communication:
        """One message of one of the account's requests, by name (in any case)."""
        request = self.support_request(upn, request_id)
        found = message_named(request, name) if isinstance(name, str) else None
        if found is None:
            raise Refusal("CommunicationNotFound", name=str(name))
        return found

    @changes
    def add_communication(
        self, upn: str, request_id: str, subject: str, body: str, name: str | None = None
    ) -> Communication:
        """A message from the account on one of its requests (not on a closed one). ``name`` is the
        one its client chose (unique per request, in any case: 409 ``CommunicationNameTaken``);
        without one, a free ``msg-N`` (``free_message_name``)."""
        request = self.support_request(upn, request_id)
        if request.status == RequestStatus.CLOSED:
            raise Refusal("InvalidInput", detail=f"request {request.id} is closed; reopen it first")
        message = make_message(request, subject, body, name, now=self.now)
        request.communications.append(message)
        request.updated_at = self.now
        return message
