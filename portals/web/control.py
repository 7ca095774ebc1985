"""The control API (``/_harness/...``) on every portal: worlds, clock, settings, faults, journal,
snapshots. Modelled on moto's ``/moto-api``, WireMock's ``/__admin`` and LocalStack's
``/_localstack``."""

from __future__ import annotations

from flask import Blueprint

control = Blueprint("control", __name__, url_prefix="/_harness")
