"""The named jobs. A job is a function `func(now) -> int` (items processed) registered under a
dotted name; it must be idempotent and state-based ("everything due and not yet done"), so a
run that was missed catches up and a run repeated does nothing twice.

Jobs are registered by `@job(...)` in any app's `jobs.py` (found on first use), or by a
module's `reminders.py` through apps.notifications.reminding.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from apps.core.plugins import app_modules


@dataclass(frozen=True)
class Job:
    name: str
    func: Callable[[datetime], int]
    description: str = ""
    # Wrap the whole run in one transaction (all or nothing). Jobs that talk to the outside
    # world one item at a time (sending mail) commit per item instead.
    atomic: bool = True


class UnknownJob(KeyError):
    pass


_jobs: dict[str, Job] = {}
_discovered = False


class DuplicateJob(ValueError):
    pass


def register(name: str, func: Callable[[datetime], int], description: str = "", *, atomic: bool = True) -> Job:
    existing = _jobs.get(name)
    if existing and existing.func.__module__ != func.__module__:
        raise DuplicateJob(f"job {name!r} is registered by {existing.func.__module__} and {func.__module__}")
    found = Job(name=name, func=func, description=description, atomic=atomic)
    _jobs[name] = found
    return found


def job(name: str, description: str = "", *, atomic: bool = True):
    def decorate(func):
        register(name, func, description, atomic=atomic)
        return func

    return decorate


def discover() -> None:
    global _discovered
    if not _discovered:
        _discovered = True
        app_modules("jobs")
        app_modules("reminders")


def get(name: str) -> Job:
    discover()
    try:
        return _jobs[name]
    except KeyError:
        raise UnknownJob(name) from None


def all_jobs() -> list[Job]:
    discover()
    return sorted(_jobs.values(), key=lambda j: j.name)
