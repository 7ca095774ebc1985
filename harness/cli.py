"""The ``portal-harness`` command line. Its verbs (serve, world, run) arrive with the harness issue;
until then it tells its version and says plainly what is not built yet."""

from __future__ import annotations

import argparse
import sys

from portals import __version__


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="portal-harness",
        description="Emulated Partner Center, Support for Business and Azure portal for integration tests.",
    )
    parser.add_argument("--version", action="version", version=f"portal-harness {__version__}")
    parser.parse_args(argv)
    print(f"portal-harness {__version__}: the serve, world and run verbs are not built yet.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
