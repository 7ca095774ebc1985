"""A client for the control API (``/_harness``): worlds, clock, settings, faults, journal."""

from __future__ import annotations

from typing import Any

import requests

from harness.clients import PortalClient


class ControlClient(PortalClient):
    """World control over HTTP; works the same against any portal of a stack."""

    portal = "control"

    def __init__(
        self, base_url: str, token: str | None = None, session: requests.Session | None = None
    ) -> None:
        super().__init__(base_url, "default", None, session)
        self.token = token

    def headers(self) -> dict[str, str]:
        headers = {"Accept": "application/json"}
        if self.token:
            headers["X-Harness-Token"] = self.token
        return headers

    def health(self) -> dict[str, Any]:
        return self.call("GET", "/_harness/health")

    def create_world(
        self, name: str | None = None, document: dict[str, Any] | None = None, seed: str | None = None
    ) -> dict[str, Any]:
        body: dict[str, Any] = {}
        if name:
            body["name"] = name
        if document is not None:
            body["document"] = document
        if seed is not None:
            body["seed"] = seed
        return self.call("POST", "/_harness/worlds", json=body)

    def worlds(self) -> list[dict[str, Any]]:
        answer = self.call("GET", "/_harness/worlds")
        return answer["value"] if isinstance(answer, dict) and "value" in answer else answer

    def world_state(self, name: str) -> dict[str, Any]:
        return self.call("GET", f"/_harness/worlds/{name}")

    def reset_world(self, name: str) -> dict[str, Any]:
        return self.call("POST", f"/_harness/worlds/{name}/reset")

    def delete_world(self, name: str) -> None:
        self.call("DELETE", f"/_harness/worlds/{name}")

    def advance_clock(self, name: str, by: str) -> dict[str, Any]:
        return self.call("POST", f"/_harness/worlds/{name}/clock/advance", json={"by": by})

    def set_clock(self, name: str, to: str) -> dict[str, Any]:
        return self.call("POST", f"/_harness/worlds/{name}/clock/set", json={"to": to})

    def settings(self, name: str, **changes: Any) -> dict[str, Any]:
        if changes:
            return self.call("PATCH", f"/_harness/worlds/{name}/settings", json=changes)
        return self.call("GET", f"/_harness/worlds/{name}/settings")

    def add_fault(self, name: str, **rule: Any) -> dict[str, Any]:
        return self.call("POST", f"/_harness/worlds/{name}/faults", json=rule)

    def clear_faults(self, name: str) -> None:
        self.call("DELETE", f"/_harness/worlds/{name}/faults")

    def journal(self, name: str, keep_secrets: bool = False) -> Any:
        """The world's journal; credentials (Authorization, Cookie, Set-Cookie, X-Harness-Token)
        redacted unless ``keep_secrets``."""
        return self.call("GET", f"/_harness/worlds/{name}/journal{_secrets(keep_secrets)}")

    def har(self, name: str, keep_secrets: bool = False) -> dict[str, Any]:
        """The journal as HAR 1.2, credentials redacted unless ``keep_secrets``."""
        response = self.session.get(
            f"{self.base_url}/_harness/worlds/{name}/journal.har{_secrets(keep_secrets)}",
            headers=self.headers(),
        )
        return self.answer(response) if response.status_code >= 400 else response.json()

    def snapshot(self, name: str) -> dict[str, Any]:
        return self.call("GET", f"/_harness/worlds/{name}/snapshot")

    def restore(self, name: str, snapshot: dict[str, Any]) -> Any:
        return self.call("PUT", f"/_harness/worlds/{name}/snapshot", json=snapshot)


def _secrets(keep: bool) -> str:
    return "?secrets=keep" if keep else ""
