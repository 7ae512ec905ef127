"""Drafting and approval: import a new policy, new versions, edit a draft (with an outline
preview), machine transitions, settings, periodic review."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.params import query_int
from apps.core.permissions import require_perm
from apps.departments.models import Department

from . import selectors, services
from .forms import CommentForm, DraftTextForm, PolicyCreateForm, PolicySettingsForm, ReviewForm
from .importing import import_split, split_preview
from .parsing import parse_text
from .views import get_policy, get_version


def _require(user, perm, policy):
    """The policy was fetched through get_policy (the user sees it): 403 if they may not act."""
    if not user.has_perm(perm, policy):
        raise PermissionDenied


def _preview(text: str):
    """The parser's view of a text, for the outline preview."""
    if not (text or "").strip():
        return None
    return parse_text(text)


def _match_department(name: str | None):
    if not name:
        return None
    name = name.strip()
    return Department.objects.filter(name=name).first() or Department.objects.filter(name__startswith=name[:4]).first()


@require_perm("policies.create_policy")
def policy_create(request):
    initial = {"confidentiality": "public", "review_interval_months": 12, "label": "V1"}
    if request.user.department_id:
        initial["owning_department"] = request.user.department_id
    # Prefilled from a link (?title=&change_summary=, e.g. from a meeting decision).
    initial.update({k: request.GET[k][:2000] for k in ("title", "change_summary") if k in request.GET})
    form = PolicyCreateForm(request.POST or None, request.FILES or None, initial=initial)
    result = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result = _preview(data["text"])
        owning = data["owning_department"]
        if not (request.user.has_perm("policies.edit_policy", _Owned(owning))):
            form.add_error("owning_department", _("You may only create policies for a department you head."))
        elif request.POST.get("split") and split_preview(result):
            try:
                versions = import_split(
                    actor=request.user,
                    code=data["code"],
                    title=data["title"],
                    result=result,
                    owning_department=owning,
                    category=data["category"],
                    interpreting_department=data["interpreting_department"],
                    confidentiality=data["confidentiality"],
                    allowed_departments=data["allowed_departments"],
                    review_interval_months=data["review_interval_months"],
                    label=data["label"],
                    ack_scope=data["ack_scope"],
                    ack_departments=data["ack_departments"],
                    needs_training=data["needs_training"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("%(n)s regulations saved as drafts: %(codes)s.")
                    % {"n": len(versions), "codes": "、".join(v.policy.code for v in versions)},
                )
                return redirect("policies:list")
        elif request.POST.get("save"):
            try:
                version = services.policy_create(
                    actor=request.user,
                    code=data["code"],
                    title=data["title"] or result.title or data["code"],
                    owning_department=owning,
                    category=data["category"],
                    interpreting_department=data["interpreting_department"] or _match_department(result.interpreter),
                    confidentiality=data["confidentiality"],
                    allowed_departments=data["allowed_departments"],
                    review_interval_months=data["review_interval_months"],
                    text=data["text"],
                    label=data["label"],
                    effective_date=data["effective_date"],
                    change_summary=data["change_summary"],
                    ack_scope=data["ack_scope"],
                    ack_departments=data["ack_departments"],
                    needs_training=data["needs_training"],
                    replaces=_abolished(request, result)["replaces"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Draft saved. Check the text, then submit it for approval."))
                return redirect(version.get_absolute_url())
    elif request.method == "POST":
        result = _preview(form.data.get("text", ""))
    return render(
        request,
        "policies/draft_form.html",
        {
            "form": form,
            "result": result,
            "heading": _("Import a regulation"),
            "policy": None,
            "split_parts": split_preview(result),
            "interpreter_match": _match_department(result.interpreter) if result else None,
            **_abolished(request, result),
        },
    )


def _abolished(request, result) -> dict:
    """Abolished titles found in the text with the existing regulations they may name,
    and the ones ticked (原《…》同时废止 -> retire them when this is published)."""
    titles = result.metadata.abolishes if result and result.metadata else []
    matches = selectors.policies_matching_titles(request.user, titles)
    offered = {p.pk: p for found in matches.values() for p in found}
    chosen = set()
    for raw in request.POST.getlist("replaces"):
        if raw.isdigit() and int(raw) in offered:
            chosen.add(int(raw))
    return {
        "abolished": [(t, matches.get(t, [])) for t in titles],
        "replaces_chosen": chosen,
        "replaces": [offered[pk] for pk in sorted(chosen)],
    }


class _Owned:
    """Stand-in for a policy not created yet, for the is_owning_head predicate."""

    def __init__(self, department):
        self.owning_department = department


def draft_new(request, code):
    """A new version: import a text, or (POST copy=1) start from a copy of the one in force."""
    policy = get_policy(request.user, code)
    _require(request.user, "policies.edit_policy", policy)
    if request.method == "POST" and request.POST.get("copy"):
        try:
            version = services.draft_from_current(policy=policy, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(policy)
        messages.success(request, _("Draft %(label)s started from the version in force.") % {"label": version.label})
        return redirect("policies:draft_edit", policy.code, version.label)
    form = DraftTextForm(request.POST or None, request.FILES or None, initial={"label": services.next_label(policy)})
    result = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result = _preview(data["text"])
        if request.POST.get("save"):
            try:
                version = services.draft_create(
                    policy=policy,
                    actor=request.user,
                    text=data["text"],
                    title=data["title"],
                    label=data["label"],
                    effective_date=data["effective_date"],
                    change_summary=data["change_summary"],
                    ack_scope=data["ack_scope"],
                    ack_departments=data["ack_departments"],
                    needs_training=data["needs_training"],
                    result=result,
                    replaces=_abolished(request, result)["replaces"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Draft saved."))
                return redirect(version.get_absolute_url())
    elif request.method == "POST":
        result = _preview(form.data.get("text", ""))
    return render(
        request,
        "policies/draft_form.html",
        {
            "form": form,
            "result": result,
            "policy": policy,
            "heading": _("New version of %(title)s") % {"title": policy.title},
            **_abolished(request, result),
        },
    )


def draft_edit(request, code, label):
    policy = get_policy(request.user, code)
    version = get_version(request.user, policy, label)  # a draft they may not see: 404 first
    _require(request.user, "policies.edit_policy", policy)
    if not version.is_editable:
        messages.error(request, _("Only a draft can be edited."))
        return redirect(version.get_absolute_url())
    initial = {
        "text": services.version_as_text(version),
        "title": version.title,
        "label": version.label,
        "effective_date": version.effective_date,
        "change_summary": version.change_summary,
        "ack_scope": version.ack_scope,
        "ack_departments": list(version.ack_departments.all()),
        "needs_training": version.needs_training,
    }
    form = DraftTextForm(request.POST or None, request.FILES or None, initial=initial)
    result = _preview(initial["text"]) if request.method == "GET" else None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result = _preview(data["text"])
        if request.POST.get("save"):
            try:
                version = services.draft_update(
                    version=version,
                    actor=request.user,
                    text=data["text"],
                    title=data["title"],
                    label=data["label"],
                    effective_date=data["effective_date"],
                    change_summary=data["change_summary"],
                    ack_scope=data["ack_scope"],
                    ack_departments=data["ack_departments"],
                    needs_training=data["needs_training"],
                    replaces=_abolished(request, result)["replaces"],
                )
            except (ValidationError, services.TransitionError) as exc:
                form.add_error(None, exc if isinstance(exc, ValidationError) else str(exc))
            else:
                messages.success(request, _("Draft saved."))
                return redirect(version.get_absolute_url())
    elif request.method == "POST":
        result = _preview(form.data.get("text", ""))
    return render(
        request,
        "policies/draft_form.html",
        {
            "form": form,
            "result": result,
            "policy": policy,
            "version": version,
            "heading": _("Edit draft %(label)s") % {"label": version.label},
            **_abolished(request, result),
        },
    )


@require_POST
def draft_delete(request, code, label):
    policy = get_policy(request.user, code)
    version = get_version(request.user, policy, label)  # a draft they may not see: 404 first
    _require(request.user, "policies.edit_policy", policy)
    try:
        services.draft_delete(version=version, actor=request.user)
    except services.TransitionError as exc:
        messages.error(request, str(exc))
        return redirect(version.get_absolute_url())
    messages.success(request, _("Draft deleted."))
    if policy.current_version_id:
        return redirect(policy)
    return redirect("policies:list")


ACTION_MESSAGES = {
    "submit": _("Submitted for approval."),
    "approve": _("Approved."),
    "return": _("Returned with your comment."),
    "retire": _("The policy is retired."),
}


@require_POST
def version_transition(request, code, label, action):
    policy = get_policy(request.user, code)
    version = get_version(request.user, policy, label)
    if action not in services.ACTIONS:
        raise Http404
    form = CommentForm(request.POST)
    form.is_valid()
    try:
        version = services.version_transition(
            version=version,
            action=action,
            actor=request.user,
            comment=form.cleaned_data.get("comment", ""),
            from_status=request.GET.get("from") or None,
        )
    except services.TransitionError as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, str(ACTION_MESSAGES.get(action, _("Done."))))
        if version.status == "published":
            messages.info(request, _("Version %(label)s is now in force.") % {"label": version.label})
    return redirect(version.get_absolute_url())


def policy_settings(request, code):
    policy = get_policy(request.user, code)
    _require(request.user, "policies.edit_policy", policy)
    form = PolicySettingsForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        allowed = data.pop("allowed_departments")
        services.policy_update_settings(policy=policy, actor=request.user, allowed_departments=allowed, **data)
        messages.success(request, _("Settings saved."))
        return redirect(policy)
    return render(request, "policies/policy_settings.html", {"form": form, "policy": policy})


def policy_review(request, code):
    policy = get_policy(request.user, code)
    _require(request.user, "policies.review_policy", policy)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            draft = services.policy_record_review(policy=policy, actor=request.user, **form.cleaned_data)
        except services.TransitionError as exc:
            messages.error(request, str(exc))
            return redirect(policy)
        messages.success(request, _("Review recorded."))
        if draft is not None:
            return redirect("policies:draft_edit", policy.code, draft.label)
        return redirect(policy)
    return render(request, "policies/policy_review.html", {"form": form, "policy": policy})


@require_perm("policies.view_review_list")
def review_list(request):
    today = timezone.localdate()
    qs = selectors.policies_due_for_review(
        request.user, today=today, horizon_days=query_int(request, "days", 30, maximum=3650)
    )
    from django.core.paginator import Paginator

    return render(
        request,
        "policies/review_list.html",
        {
            "page_obj": Paginator(qs, 50).get_page(request.GET.get("page")),
            "today": today,
        },
    )
