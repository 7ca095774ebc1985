"""A create-heavy flow of ``azure-mgmt-support`` 6.0.0 (api-version 2020-04-01), with the SDK's
default settings, against a ``PortalStack`` of the mode given (``inprocess`` or ``live``). Run in a
process of its own (``test_azure_support_sdk6.py``), whose ``PYTHONPATH`` puts 6.0.0 before the
7.x of the environment; it prints what it saw as one JSON object, for the test to check.
"""

from __future__ import annotations

import copy
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: the cast

import sdk_contact
from azure.core.credentials import AccessToken
from azure.core.exceptions import HttpResponseError
from azure.core.pipeline import PipelineRequest
from azure.core.pipeline.policies import SansIOHTTPPolicy
from azure.core.pipeline.transport import HttpTransport
from azure.mgmt.support import VERSION, MicrosoftSupport
from azure.mgmt.support import models as m
from cast import CAST, activate

from harness.stack import PortalStack
from portals.backend import PRODUCTS
from portals.backend.catalog import problem_classifications
from portals.web.tokens import mint_token

SUBSCRIPTION = "132d901f-189d-4381-9214-fe68e27e05a1"
SLEEPS: list[float] = []
HttpTransport.sleep = lambda self, duration: SLEEPS.append(duration)  # type: ignore[method-assign]


class Auth(SansIOHTTPPolicy):  # type: ignore[type-arg]
    """The credential and the policy that sends its token over plain http."""

    def __init__(self, upn: str, world: str) -> None:
        self.upn, self.world = upn, world

    def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        return AccessToken(mint_token(self.upn, world=self.world), int(time.time()) + 3600)

    def on_request(self, request: PipelineRequest) -> None:  # type: ignore[type-arg]
        request.http_request.headers["Authorization"] = f"Bearer {self.get_token().token}"


def ticket(title: str, service: Any, classification: Any, **extra: Any) -> m.SupportTicketDetails:
    return m.SupportTicketDetails(
        title=title,
        description="The site answers 503",
        service_id=f"/providers/Microsoft.Support/services/{service}",
        problem_classification_id=f"/providers/Microsoft.Support/services/{service}/problemClassifications/{classification}",
        severity="moderate",
        contact_details=sdk_contact.ana(m),
        **extra,
    )


def main(mode: str) -> dict[str, Any]:
    seen: dict[str, Any] = {"version": VERSION}
    with PortalStack(mode) as stack:  # type: ignore[arg-type]
        world = stack.new_world(document=copy.deepcopy(CAST))
        access_id, contract_id = activate(world)
        world.link_support_benefits("user@contoso.com", access_id, contract_id)
        auth = Auth("user@contoso.com", world.name)
        client = MicrosoftSupport(
            auth, SUBSCRIPTION, base_url=stack.url("azure_management"), authentication_policy=auth
        )
        app_service = PRODUCTS["app-service"]
        connectivity = problem_classifications(app_service)[0]
        seen["services"] = [s.display_name for s in client.services.list()]
        seen["classification"] = client.problem_classifications.get(
            app_service.guid, connectivity.id
        ).display_name
        check = m.CheckNameAvailabilityInput(name="old-1", type="Microsoft.Support/supportTickets")
        seen["available"] = client.support_tickets.check_name_availability(check).name_available
        created = [
            client.support_tickets.begin_create(
                f"old-{i}", ticket(f"Ticket {i}", app_service.guid, connectivity.id)
            ).result()
            for i in range(1, 21)
        ]
        quota = client.support_tickets.begin_create(
            "old-quota",
            ticket(
                "More Batch accounts",
                "06bfd9d3-516b-d5c6-5802-169c800dec89",
                "831b2fb3-4db3-3d32-af35-bbb3d3eaeba2",
                quota_ticket_details=m.QuotaTicketDetails(
                    quota_change_request_version="1.0",
                    quota_change_requests=[m.QuotaChangeRequest(region="EastUS", payload='{"NewLimit":200}')],
                ),
            ),
        ).result()
        first = created[0]
        seen["first"] = {
            "name": first.name,
            "status": first.status,
            "severity": first.severity,
            "service": first.service_display_name,
            "plan_type": first.support_plan_type,
            "sla_minutes": first.service_level_agreement.sla_minutes,
            "require24x7": first.require24_x7_response,
        }
        seen["quota"] = quota.quota_ticket_details.quota_change_requests[0].region
        seen["pages"] = [len(list(page)) for page in client.support_tickets.list(top=10).by_page()]
        closed = client.support_tickets.update("old-2", m.UpdateSupportTicket(status="closed"))
        seen["closed"] = closed.status
        for index in range(5):
            client.communications.begin_create(
                "old-1", f"m{index}", m.CommunicationDetails(subject="s", body=f"message {index}")
            ).result()
        seen["messages"] = [c.name for c in client.communications.list("old-1")]
        seen["tickets_in_world"] = len(world.support_requests("user@contoso.com", "azure"))
        stranger = Auth("engineer@outlook.com", world.name)
        refused = MicrosoftSupport(
            stranger, SUBSCRIPTION, base_url=stack.url("azure_management"), authentication_policy=stranger
        )
        try:
            refused.support_tickets.begin_create("x", ticket("x", app_service.guid, connectivity.id)).result()
            seen["refusal"] = None
        except HttpResponseError as error:
            seen["refusal"] = [error.status_code, error.error.code if error.error else None]
    seen["sleeps"] = SLEEPS
    return seen


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
