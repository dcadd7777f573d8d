"""Jinja's compiled templates, kept for the life of the process.

mkdocs makes a new Jinja environment for every build, and so does the engine, so each build
compiled material's templates and ours again: a tenth of a build's work, repeated on every
``mkdocs serve`` rebuild and on each of the test suite's builds in one process. Jinja's own
bytecode cache keeps the compiled code; Jinja stores each template's source checksum with it
and compiles again when the source has changed, so an edited template is never served stale.
Jinja has a file-backed cache and a memcached one, not an in-memory one: this is that.
"""

from __future__ import annotations

from jinja2 import BytecodeCache, Environment
from jinja2.bccache import Bucket


class ProcessBytecodeCache(BytecodeCache):
    """Compiled templates in memory, by Jinja's key (template name and file)."""

    def __init__(self) -> None:
        self._compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        compiled = self._compiled.get(bucket.key)
        if compiled is not None:
            bucket.bytecode_from_string(compiled)  # left empty if the source has changed

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._compiled[bucket.key] = bucket.bytecode_to_string()


#: One cache per kind of environment, as compiled code depends on the environment's settings
#: (autoescape, whitespace control), which Jinja's key leaves out.
_CACHES: dict[str, ProcessBytecodeCache] = {}


def keep_compiled(env: Environment, kind: str) -> Environment:
    """Give ``env`` the process's cache for environments of ``kind`` (always made with the
    same settings, e.g. "theme" for mkdocs's, "pages" for the engine's); return it."""
    env.bytecode_cache = _CACHES.setdefault(kind, ProcessBytecodeCache())
    return env
