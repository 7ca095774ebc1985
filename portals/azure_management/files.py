"""File workspaces, files and chat transcripts of the Azure Support API (api-version 2024-04-01, in
the subscription and the tenant-level forms).

A file workspace belongs to the account that made it and lives one day on the world's clock (the
live service answers an ``expirationTime`` one day after ``createdOn``); a file is declared with its
sizes (``PUT``, at most 5 MB in at most 2 chunks of at most 2.5 MB, the spec's limits) and then
uploaded chunk by chunk (``POST …/upload``, base64, 204). Only each chunk's size and SHA-256 are
kept, not its bytes. A ticket's ``fileWorkspaceName`` is kept as given. Chat transcripts come from
chats in the Azure portal, which this emulator has none of: a ticket's list is empty.

What is kept lives beside the world object, like the long-running operations
(``portals.azure_management.state``): resetting, restoring or dropping a world forgets it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from typing import Any

from flask import Response, jsonify, request
from flask.typing import ResponseReturnValue

from portals.azure_management import requests_in as inp
from portals.azure_management.api import (
    api_version,
    arm_route,
    base_url,
    empty,
    find_ticket,
    live_workspace,
    scope,
    world,
)
from portals.azure_management.resources import FILE_TYPE, PROVIDER, WORKSPACE_TYPE, iso
from portals.azure_management.state import FileWorkspace, UploadedFile, state_of
from portals.azure_management.versions import LATEST
from portals.web.context import current_upn
from portals.web.errors import EdgeRefusal
from portals.web.requests_in import json_body

#: An upload carries a chunk of up to 2.5 MB in base64 (about 3.4 MB): its own body limit.
UPLOAD_BODY_BYTES = 4 * 1024 * 1024
LATEST_ONLY = (LATEST,)


def workspace_json(workspace: FileWorkspace, subscription: str | None) -> dict[str, Any]:
    return {
        "id": f"{scope(subscription)}{PROVIDER}/fileWorkspaces/{workspace.name}",
        "name": workspace.name,
        "type": WORKSPACE_TYPE,
        "properties": {"createdOn": iso(workspace.created), "expirationTime": iso(workspace.expires)},
    }


def file_json(workspace: FileWorkspace, item: UploadedFile, subscription: str | None) -> dict[str, Any]:
    return {
        "id": f"{scope(subscription)}{PROVIDER}/fileWorkspaces/{workspace.name}/files/{item.name}",
        "name": item.name,
        "type": FILE_TYPE,
        "properties": {
            "createdOn": iso(item.created),
            "fileSize": item.file_size,
            "chunkSize": item.chunk_size,
            "numberOfChunks": item.chunks,
        },
    }


def created(body: dict[str, Any]) -> Response:
    """201 with the resource and its URL in ``Location``, as the live service answers."""
    response = jsonify(body)
    response.status_code = 201
    response.headers["Location"] = f"{base_url()}{body['id']}?api-version={api_version()}"
    return response


def find_workspace(name: str) -> FileWorkspace:
    found = live_workspace(current_upn(), name)
    if found is None:
        raise EdgeRefusal("FileWorkspaceNotFound", workspace=name)
    return found


def find_file(workspace: FileWorkspace, name: str) -> UploadedFile:
    found = workspace.files.get(name.lower())
    if found is None:
        raise EdgeRefusal("FileNotFound", name=name, workspace=workspace.name)
    return found


# --- file workspaces --------------------------------------------------------------------------------------
@arm_route("/fileWorkspaces/<name>", ["PUT"], versions=LATEST_ONLY)
def create_workspace(subscription: str | None, name: str) -> ResponseReturnValue:
    """Create a workspace, or answer the live one of that name again (PUT is idempotent)."""
    inp.resource_name(name, "fileWorkspaceName")
    json_body(inp.WorkspaceBody, any_type=True, empty={})
    found = state_of(world()).add_workspace(current_upn(), name, world().now)
    return created(workspace_json(found, subscription))


@arm_route("/fileWorkspaces/<name>", ["GET"], versions=LATEST_ONLY)
def get_workspace(subscription: str | None, name: str) -> ResponseReturnValue:
    return jsonify(workspace_json(find_workspace(name), subscription))


# --- files -------------------------------------------------------------------------------------------------
@arm_route("/fileWorkspaces/<workspace>/files", ["GET"], versions=LATEST_ONLY)
def list_files(subscription: str | None, workspace: str) -> ResponseReturnValue:
    found = find_workspace(workspace)
    return jsonify(value=[file_json(found, f, subscription) for f in found.files.values()])


@arm_route("/fileWorkspaces/<workspace>/files/<name>", ["GET"], versions=LATEST_ONLY)
def get_file(subscription: str | None, workspace: str, name: str) -> ResponseReturnValue:
    found = find_workspace(workspace)
    return jsonify(file_json(found, find_file(found, name), subscription))


@arm_route("/fileWorkspaces/<workspace>/files/<name>", ["PUT"], versions=LATEST_ONLY)
def create_file(subscription: str | None, workspace: str, name: str) -> ResponseReturnValue:
    """Declare a file by its sizes (PUT again replaces the declaration and what was uploaded)."""
    inp.resource_name(name, "fileName")
    sizes = json_body(inp.FileBody).properties
    found = find_workspace(workspace)
    item = UploadedFile(name, world().now, sizes.fileSize, sizes.chunkSize, sizes.numberOfChunks)
    with state_of(world()).lock:
        found.files[name.lower()] = item
    return created(file_json(found, item, subscription))


@arm_route("/fileWorkspaces/<workspace>/files/<name>/upload", ["POST"], versions=LATEST_ONLY)
def upload_file(subscription: str | None, workspace: str, name: str) -> ResponseReturnValue:
    """One chunk, in base64; each chunk but the last is ``chunkSize`` bytes, the last the rest of
    ``fileSize``. 204."""
    request.max_content_length = UPLOAD_BODY_BYTES
    chunk = json_body(inp.UploadBody)
    found = find_workspace(workspace)
    item = find_file(found, name)
    if chunk.chunkIndex >= item.chunks:
        raise inp.invalid(f"chunkIndex: this file has {item.chunks} chunk(s), indexed from 0")
    try:
        content = base64.b64decode(chunk.content, validate=True)
    except (binascii.Error, ValueError):
        raise inp.invalid("content: must be base64") from None
    last = chunk.chunkIndex == item.chunks - 1
    expected = item.file_size - item.chunk_size * (item.chunks - 1) if last else item.chunk_size
    if len(content) != expected:
        raise inp.invalid(f"content: chunk {chunk.chunkIndex} must be {expected} bytes, not {len(content)}")
    with state_of(world()).lock:
        item.uploaded[chunk.chunkIndex] = (len(content), hashlib.sha256(content).hexdigest())
    return empty(204)


# --- chat transcripts --------------------------------------------------------------------------------------
@arm_route("/supportTickets/<name>/chatTranscripts", ["GET"], versions=LATEST_ONLY)
def list_chat_transcripts(subscription: str | None, name: str) -> ResponseReturnValue:
    find_ticket(name)
    return jsonify(value=[])


@arm_route("/supportTickets/<name>/chatTranscripts/<transcript>", ["GET"], versions=LATEST_ONLY)
def get_chat_transcript(subscription: str | None, name: str, transcript: str) -> ResponseReturnValue:
    find_ticket(name)
    raise EdgeRefusal("ChatTranscriptNotFound", name=transcript)
