"""The one state-machine primitive: conditional transitions, the table, and a guard that
fails when a registered machine's status field is written anywhere but through it."""

import ast
import pathlib

import pytest
from django.apps import apps as django_apps
from django.db import transaction

from apps.core.statemachine import MACHINES, TransitionError, transition

ROOT = pathlib.Path(__file__).resolve().parents[3]  # the repository (parents[2] is apps/)


@pytest.mark.django_db
def test_transition_checks_the_table_and_the_state_the_actor_saw(org):
    from apps.approvals.machines import REQUEST
    from apps.approvals.models import Request

    row = Request(pk=10**9, status=Request.Status.PENDING)
    with transaction.atomic():
        with pytest.raises(TransitionError):  # not in the table
            transition(row, machine=REQUEST, to=Request.Status.PENDING, expected=Request.Status.APPROVED)
        with pytest.raises(TransitionError):  # the row is not in the status the actor saw
            transition(row, machine=REQUEST, to=Request.Status.APPROVED)


def test_transition_needs_the_callers_transaction():
    from apps.approvals.machines import REQUEST
    from apps.approvals.models import Request

    with pytest.raises(RuntimeError):
        transition(Request(pk=1, status="pending"), machine=REQUEST, to=Request.Status.APPROVED)


def _writes(tree: ast.AST, field: str, model_names: set[str]):
    """Attribute assignments `x.<field> = …` and `.update(<field>=…)` / `.create(<field>=…)`
    calls on a queryset of one of the models."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in targets:
                if isinstance(t, ast.Attribute) and t.attr == field:
                    yield node.lineno
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("update", "create", "get_or_create", "update_or_create", "bulk_update")
            and any(name in ast.unparse(node.func.value) for name in model_names)
            and any(k.arg == field for k in node.keywords)
        ):
            yield node.lineno


def _register_every_machine() -> None:
    """Machines live in an app's machines.py (or processes' workflow.py): import them all."""
    import importlib

    for path in sorted((ROOT / "apps").glob("*/machines.py")) + sorted((ROOT / "apps").glob("*/workflow.py")):
        importlib.import_module(f"apps.{path.parent.name}.{path.stem}")


def test_status_fields_of_registered_machines_change_only_through_the_primitive():
    _register_every_machine()
    assert {"approvals.request", "policies.version", "policies.policy", "meetings.minutes"} <= set(MACHINES)
    checked = 0

    offenders = []
    for m in MACHINES.values():
        model = django_apps.get_model(m.model_label)
        app_dir = ROOT / "apps" / model._meta.app_label
        for path in app_dir.rglob("*.py"):
            if "tests" in path.parts or "migrations" in path.parts:
                continue
            checked += 1
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for line in _writes(tree, m.field, {model.__name__}):
                offenders.append(f"{path.relative_to(ROOT)}:{line} writes {model.__name__}.{m.field}")
    assert checked > 50, "the guard read no code (wrong root?)"
    assert offenders == []


def test_the_guard_sees_direct_writes():
    code = "req.status = 'approved'\nRequest.objects.filter(pk=1).update(status='x')\nOther.objects.update(status=1)\n"
    assert list(_writes(ast.parse(code), "status", {"Request"})) == [1, 2]
