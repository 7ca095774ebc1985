"""One Jinja bytecode cache for every template environment of the project (the portals' pages, the
run report): a template is compiled once per version of its source, not in every process that
renders it. Jinja's own ``FileSystemBytecodeCache`` in its default folder (a directory of this user
in the temporary folder, which Jinja creates private and checks); without one, templates are
compiled as before.
"""

from __future__ import annotations

import functools

from jinja2 import BytecodeCache, FileSystemBytecodeCache


@functools.cache
def bytecode_cache() -> BytecodeCache | None:
    """The shared cache, or None where Jinja finds no safe folder for it."""
    try:
        return FileSystemBytecodeCache()
    except (OSError, RuntimeError):  # no usable temporary folder: compile every time
        return None
