"""``partnercenterservices``, the Python client generated from Microsoft's Partner Center swagger,
against the served ``/v1`` API, in-process and live: the MPN profile, support topics (integer IDs,
as the swagger types them), and a service request created, read, listed and updated (a new note,
then closed)."""

from __future__ import annotations

import copy
from collections.abc import Iterator

import pytest
from cast import CAST
from microsoft.store.partnercenterservices import MicrosoftPartnerStoreApis
from microsoft.store.partnercenterservices import models as pcm
from msrest.authentication import BasicTokenAuthentication

from harness.stack import PortalStack
from portals.web.tokens import mint_token

V = "1"  # the client's {version} path parameter: /v1/…


@pytest.fixture(scope="module", params=["inprocess", "live"])
def stack(request: pytest.FixtureRequest) -> Iterator[PortalStack]:
    with PortalStack(request.param) as started:
        yield started


@pytest.fixture
def client(stack: PortalStack) -> Iterator[MicrosoftPartnerStoreApis]:
    world = stack.new_world(document=copy.deepcopy(CAST))
    token = mint_token("admin@contoso.com", world=world.name)
    try:
        yield MicrosoftPartnerStoreApis(
            BasicTokenAuthentication({"access_token": token}), base_url=stack.url("partner_center_api")
        )
    finally:
        stack.drop_world(world.name)


def test_the_generated_client_runs_the_partners_service_requests(client: MicrosoftPartnerStoreApis) -> None:
    profile = client.getvversionprofilesmpnmpn_idmpn_id.value(V)
    assert profile.partner_name == "Contoso" and profile.profile_type == "MpnProfile"
    assert profile.links.itself.uri == "/profiles/mpn"
    missing = client.getvversionprofilesmpnmpn_idmpn_id.value(V, mpn_id="9999999", raw=True)
    assert missing.response.status_code == 404 and missing.response.json()["code"] == 3000

    topics = client.getvversionservicerequestssupporttopics(V).items
    assert [(t.id, t.name) for t in topics][-1] == (32444671, "Cannot manage my profile")
    assert all(isinstance(t.id, int) for t in topics)

    new = pcm.MicrosoftPartnerSdkContractsV1ServiceRequest(
        title="TrialSR", description="Ignore this SR", severity="critical", support_topic_id="32444671"
    )
    created = client.postvversionservicerequestsagent.locale("en-US", new, V)
    assert created.title == "TrialSR" and created.support_topic_name == "Cannot manage my profile"
    assert created.status == "open" and created.country_code == "US"
    assert created.primary_contact.email == "admin@contoso.com"
    assert created.organization.name == "Contoso"

    got = client.getvversionservicerequestsservice.id(created.id, V)
    assert got.id == created.id and got.title == "TrialSR"
    listed = client.getvversionservicerequestsfilterfilter.value(V)
    assert [r.id for r in listed.items] == [created.id]

    note = pcm.MicrosoftPartnerSdkContractsV1ServiceRequestNote(text="Sample Note")
    noted = client.patchvversionservicerequestsservice.id(
        created.id, pcm.MicrosoftPartnerSdkContractsV1ServiceRequest(new_note=note), V
    )
    assert [n.text for n in noted.notes] == ["Sample Note"] and noted.notes[0].created_by_name == "admin"
    closed = client.patchvversionservicerequestsservice.id(
        created.id, pcm.MicrosoftPartnerSdkContractsV1ServiceRequest(status="closed"), V
    )
    assert closed.status == "closed"
    assert client.getvversionservicerequestsservice.id(created.id, V).status == "closed"
