"""behave with the acceptance suite's ``steps/`` and ``environment.py``, wherever the feature files
are: ``python -m harness.behave_main ROOT [behave arguments]``.

behave looks for a ``steps`` folder beside the first feature file (or above it); a feature file in
``/tmp/x`` would find none ("ConfigError: No steps directory"). This runner takes ``ROOT`` (the
folder holding ``steps/`` and ``environment.py``) as behave's base folder whatever the paths.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any


def suite_runner(root: Path) -> type:
    """behave's Runner with ``root`` as its base folder (steps, environment.py, imports)."""
    from behave.runner import Runner

    class SuiteRunner(Runner):  # type: ignore[misc]
        def setup_paths(self) -> None:
            self.base_dir = str(root)
            self.config.base_dir = str(root)
            if not self.config.paths:
                self.config.paths = [str(root / "features")]
            self.path_manager.add(str(root))

    return SuiteRunner


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args:
        print("usage: python -m harness.behave_main ROOT [behave arguments]", file=sys.stderr)
        return 2
    root = Path(args.pop(0)).resolve()
    try:
        from behave.__main__ import run_behave
        from behave.configuration import Configuration
        from behave.exception import ConfigError, TagExpressionError
    except ImportError:
        print(
            "ConfigError: behave is not installed: pip install -e '.[suite]' (make setup installs it)",
            file=sys.stderr,
        )
        return 2
    try:
        config: Any = Configuration(args)
    except (ConfigError, TagExpressionError) as error:
        print(f"{type(error).__name__}: {error}", file=sys.stderr)
        return 2
    return int(run_behave(config, runner_class=suite_runner(root)))


if __name__ == "__main__":
    sys.exit(main())
