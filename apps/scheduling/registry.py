"""The named jobs. A job is a function `func(now) -> int` (items processed) registered under a
dotted name; it must be idempotent and state-based ("everything due and not yet done"), so a
run that was missed catches up and a run repeated does nothing twice.

Each app declares its own jobs, with their schedule, in its `jobs.py` plug-in (found on first
use through apps.core.plugins.app_modules):

    @job("kpis.remind_missing_figures", _("What it does."), schedule="0 9 * * *")
    def remind_missing_figures(now) -> int: ...

`schedule` is a crontab in the portal's time zone ("minute hour day-of-month month
day-of-week"); a job without one runs only on demand. apps/scheduling/beat.py turns the
declarations into the beat schedule.
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
    schedule: str = ""  # crontab "minute hour day-of-month month day-of-week"; "" = on demand

    @property
    def crontab(self) -> dict[str, str]:
        """The schedule as django-celery-beat CrontabSchedule fields."""
        minute, hour, day_of_month, month_of_year, day_of_week = self.schedule.split()
        return {
            "minute": minute,
            "hour": hour,
            "day_of_month": day_of_month,
            "month_of_year": month_of_year,
            "day_of_week": day_of_week,
        }


class UnknownJob(KeyError):
    pass


_jobs: dict[str, Job] = {}
_discovered = False


class DuplicateJob(ValueError):
    pass


def register(
    name: str, func: Callable[[datetime], int], description: str = "", *, atomic: bool = True, schedule: str = ""
) -> Job:
    existing = _jobs.get(name)
    if existing and existing.func.__module__ != func.__module__:
        raise DuplicateJob(f"job {name!r} is registered by {existing.func.__module__} and {func.__module__}")
    if schedule and len(schedule.split()) != 5:
        raise ValueError(f"job {name!r}: schedule {schedule!r} is not a five-field crontab")
    found = Job(name=name, func=func, description=description, atomic=atomic, schedule=schedule)
    _jobs[name] = found
    return found


def job(name: str, description: str = "", *, atomic: bool = True, schedule: str = ""):
    def decorate(func):
        register(name, func, description, atomic=atomic, schedule=schedule)
        return func

    return decorate


def discover() -> None:
    global _discovered
    if not _discovered:
        app_modules("jobs")  # importing registers (a second import is a no-op)
        _discovered = True


def get(name: str) -> Job:
    discover()
    try:
        return _jobs[name]
    except KeyError:
        raise UnknownJob(name) from None


def all_jobs() -> list[Job]:
    discover()
    return sorted(_jobs.values(), key=lambda j: j.name)
