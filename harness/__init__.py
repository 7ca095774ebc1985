"""The harness: drives the emulated portals (stacks, clients, world control, command line)."""

from portals import __version__

__all__ = ["__version__"]
