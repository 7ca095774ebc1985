"""portal-harness: emulated Partner Center, Support for Business and Azure portal over one backend."""

__version__ = "0.1.0"
