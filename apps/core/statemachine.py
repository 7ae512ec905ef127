"""The portal's one state-machine primitive.

A machine is a transition table over a model's status field (a TextChoices): which status
may follow which. `transition()` is the only way a registered machine's status changes:
it updates the row conditionally (``UPDATE … WHERE pk = … AND status = <the status the
actor saw>``), so of two clicks at once exactly one changes the row and the other gets
`TransitionError`; the caller writes its history row in the same transaction (the `history`
callback) and queues notifications with `on_commit`.

apps/core/tests/test_statemachine.py fails when a registered machine's status field is
written anywhere else in its app's code.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import models, transaction
from django.utils.translation import gettext as _


class TransitionError(Exception):
    """A refused transition; str() is the message to show the user."""


@dataclass(frozen=True)
class Machine:
    name: str
    model_label: str  # "app_label.ModelName"
    field: str
    choices: type[models.TextChoices]
    table: dict[str, frozenset[str]]  # from status -> the statuses it may become
    initial: str = ""

    def allows(self, from_status: str, to_status: str) -> bool:
        return to_status in self.table.get(from_status, frozenset())

    @property
    def terminal(self) -> frozenset[str]:
        return frozenset(s for s in self.choices.values if not self.table.get(s))


MACHINES: dict[str, Machine] = {}


def machine(name: str, *, model: str, field: str = "status", choices, table: dict, initial: str = "") -> Machine:
    found = Machine(
        name=name,
        model_label=model,
        field=field,
        choices=choices,
        table={k: frozenset(v) for k, v in table.items()},
        initial=initial,
    )
    MACHINES[name] = found
    return found


@dataclass
class Outcome:
    obj: models.Model
    from_status: str
    to_status: str
    extra: dict = field(default_factory=dict)


def transition(
    obj: models.Model,
    *,
    machine: Machine,
    to: str,
    expected: str | Iterable[str] | None = None,
    fields: dict | None = None,
    history: Callable[[Outcome], object] | None = None,
    on_commit: Callable[[], None] | None = None,
) -> Outcome:
    """Move `obj` to status `to`. `expected` is the status (or statuses) the actor saw:
    `obj`'s in-memory status by default. Raises TransitionError when the table forbids
    it or when the row is no longer in the expected status (someone else was quicker)."""
    current = getattr(obj, machine.field)
    if expected is None:
        expected = {current}
    elif isinstance(expected, str):
        expected = {expected}
    else:
        expected = set(expected)
    if not all(machine.allows(s, to) for s in expected):
        bad = next(s for s in expected if not machine.allows(s, to))
        raise TransitionError(
            _("“%(from)s” cannot become “%(to)s”.")
            % {"from": machine.choices(bad).label, "to": machine.choices(to).label}
        )
    fields = dict(fields or {})
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("transition() runs inside the caller's transaction (history in the same one)")
    updated = (
        type(obj)
        ._default_manager.filter(pk=obj.pk, **{f"{machine.field}__in": expected})
        .update(**{machine.field: to}, **fields)
    )
    if updated != 1:
        raise TransitionError(_("This was changed by someone else meanwhile; reload the page to see its state."))
    from_status = current if current in expected else next(iter(expected))
    setattr(obj, machine.field, to)
    for name, value in fields.items():
        if not isinstance(value, models.expressions.Combinable):
            setattr(obj, name, value)
    outcome = Outcome(obj=obj, from_status=from_status, to_status=to)
    if history is not None:
        history(outcome)
    if on_commit is not None:
        transaction.on_commit(on_commit)
    return outcome


def transition_many(
    queryset: models.QuerySet, *, machine: Machine, to: str, expected: Iterable[str], fields: dict | None = None
) -> int:
    """The same for every row of `queryset` still in one of `expected` (cancelling the open
    tasks of a decided stage); returns how many changed."""
    expected = set(expected)
    for s in expected:
        if not machine.allows(s, to):
            raise TransitionError(f"{machine.name}: {s} -> {to} is not in the table")
    return queryset.filter(**{f"{machine.field}__in": expected}).update(**{machine.field: to}, **(fields or {}))


def create_in(model: type[models.Model], *, machine: Machine, status: str | None = None, **values) -> models.Model:
    """A new row starts in the machine's initial status (or another status the table knows)."""
    status = status or machine.initial
    if status not in machine.choices.values:
        raise TransitionError(f"{machine.name}: unknown status {status}")
    return model._default_manager.create(**{machine.field: status}, **values)
