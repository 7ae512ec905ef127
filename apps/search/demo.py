"""`seed_demo` part for search: index the demo company once every module has seeded it
(RUN_LAST). Idempotent: a rebuild replaces each owner's documents."""

from .indexing import rebuild

RUN_LAST = True


def seed(ctx: dict) -> None:
    written = rebuild()
    ctx["stdout"].write(f"search: {sum(written.values())} documents indexed")
