"""``portal-harness serve --state-file`` in a subprocess, for the tests that start, kill and restart it."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from pathlib import Path

CLI = [sys.executable, "-m", "harness.cli"]
TIMEOUT = 10


class Server:
    """``portal-harness serve --state-file`` in a subprocess on free ports."""

    def __init__(self, state: Path, *extra: str) -> None:
        self.process = subprocess.Popen(
            [*CLI, "serve", "--base-port", "0", "--state-file", str(state), *extra],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        lines = []
        assert self.process.stdout is not None
        for line in self.process.stdout:
            lines.append(line)
            if line.startswith("portal-harness") and "serving" in line:
                break
        else:
            raise AssertionError("serve did not start:\n" + "".join(lines))
        self.output = "".join(lines)
        self.urls = dict(re.findall(r"(\w+)=(http://[\d.:]+)", lines[-1]))

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=TIMEOUT)
        assert self.process.stdout is not None
        self.process.stdout.close()

    def stop(self) -> str:
        """SIGTERM; everything the server printed."""
        self.process.send_signal(signal.SIGTERM)
        out, _ = self.process.communicate(timeout=TIMEOUT)
        return self.output + (out or "")
