"""Approval kinds, registered by the domain apps in apps/<app>/approvals.py:

    KINDS = [ApprovalKind(code="processes.change", label=_("Process change"), ...)]

The engine never imports a domain app; it finds the kinds through apps.core.plugins.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps as django_apps

from apps.core.plugins import app_modules


def _nothing(*args, **kwargs) -> None:
    return None


def service_hook(path: str, obj_arg: str, *, request: bool = True, actor: bool = True) -> Callable:
    """An on_* callback that calls the service function at dotted `path` with the object as
    `obj_arg` (and the request and actor when it takes them). Imported when called: a
    module's approvals.py is loaded with the registry, before its services may be."""
    from django.utils.module_loading import import_string

    def call(obj, req, who):
        kwargs = {obj_arg: obj}
        if request:
            kwargs["request"] = req
        if actor:
            kwargs["actor"] = who
        import_string(path)(**kwargs)

    return call


@dataclass(frozen=True)
class ApprovalKind:
    code: str
    label: Any
    model: str  # "app_label.ModelName" of the object being approved
    default_stages: list[dict]
    # The object's own summary above the common stepper: a template rendered with
    # {"object", "approval"} plus whatever `summary_context(obj, user)` returns.
    summary_template: str = "approvals/summary_default.html"
    summary_context: Callable[[Any, Any], dict] = lambda obj, user: {}
    owner_department: Callable[[Any], Any] = _nothing
    # What stage conditions read: {"major": bool, "crosses": bool, "<field>": number}.
    facts: Callable[[Any], dict] = lambda obj: {}
    fields: dict[str, Any] = field(default_factory=dict)  # numeric facts a condition may compare
    url: Callable[[Any], str] = lambda obj: ""
    may_view: Callable[[Any, Any], bool] = lambda user, obj: False  # beyond proposer and approvers
    # Four eyes beyond the proposer: ids of people who may not approve this object (its
    # author when someone else submits it); they are replaced like the proposer is.
    excluded: Callable[[Any], set] = lambda obj: set()
    # The people the object itself names (a meeting's attendees), asked by a stage whose
    # approvers include {"type": "named"}; the proposer and `excluded` are left out.
    participants: Callable[[Any], list] = lambda obj: []
    # Every stage needs someone who has not approved this submission yet: an earlier approver
    # is left out of a later stage (recorded) instead of counting for it.
    distinct_approvers: bool = False
    # Called by the engine in its transaction (an exception aborts the decision):
    on_approved: Callable[..., None] = _nothing  # (obj, request, actor)
    on_rejected: Callable[..., None] = _nothing
    on_returned: Callable[..., None] = _nothing
    on_withdrawn: Callable[..., None] = _nothing
    on_resubmitted: Callable[..., None] = _nothing

    def model_class(self):
        return django_apps.get_model(self.model)

    def get_object(self, object_id: int):
        return self.model_class()._default_manager.get(pk=object_id)


_kinds: dict[str, ApprovalKind] = {}
_discovered = False


def register(kind: ApprovalKind) -> ApprovalKind:
    _kinds[kind.code] = kind
    return kind


def unregister(code: str) -> None:
    _kinds.pop(code, None)


def _discover() -> None:
    global _discovered
    if not _discovered:
        _discovered = True
        for module in app_modules("approvals"):
            for kind in getattr(module, "KINDS", []):
                register(kind)


def kinds() -> dict[str, ApprovalKind]:
    _discover()
    return dict(sorted(_kinds.items()))


def kind_for(code: str) -> ApprovalKind | None:
    _discover()
    return _kinds.get(code)
