"""Reading the library: list, a policy, a version, its history, a comparison.

Every policy is fetched through selectors.visible_policies(user): anything else is a 404."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from . import selectors, services
from .diffing import diff_articles, diff_tables, render_inline_html
from .filters import PolicyFilter
from .models import OPEN_VERSION_STATUSES, Acknowledgement, Policy, PolicyStatus, PolicyVersion

PAGE_SIZE = 25


def get_policy(user, code: str) -> Policy:
    return get_object_or_404(
        selectors.visible_policies(user).select_related(
            "category",
            "owning_department",
            "interpreting_department",
            "current_version",
            "current_version__approved_by",
        ),
        code=code,
    )


def get_version(user, policy: Policy, label: str) -> PolicyVersion:
    """A version by label; unpublished ones only for those who may see drafts."""
    if policy.current_version and policy.current_version.label == label:
        version = policy.current_version
    else:
        version = get_object_or_404(PolicyVersion.objects.select_related("approved_by"), policy=policy, label=label)
    version.policy = policy
    if version.status in OPEN_VERSION_STATUSES and not selectors.can_see_drafts(user, policy):
        raise Http404
    return version


def policy_list(request):
    base = selectors.policy_list(request.user)
    data = request.GET.copy()
    data.setdefault("sort", "code")
    filterset = PolicyFilter(data, queryset=base, user=request.user)
    qs = filterset.qs if filterset.is_valid() else base.order_by("code")
    if not data.get("status"):  # retired texts stay readable but only show up when asked for
        qs = qs.exclude(status=PolicyStatus.RETIRED)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    q = (filterset.form.cleaned_data.get("q") or "").strip() if filterset.is_valid() else ""
    matches = selectors.search_matches([p.pk for p in page], q)
    for policy in page:
        policy.matches = matches.get(policy.pk, [])
    needing = set(
        selectors.policies_needing_ack(request.user).filter(pk__in=[p.pk for p in page]).values_list("pk", flat=True)
    )
    for policy in page:
        policy.needs_my_ack = policy.pk in needing
    return render(
        request,
        "policies/policy_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "q": q,
            "ack_count": selectors.policies_needing_ack(request.user).count(),
        },
    )


def policy_detail(request, code):
    policy = get_policy(request.user, code)
    version = policy.current_version
    if version is None:
        # Never published: editors read the draft being worked on.
        version = policy.versions.order_by("-created_at").first()
        if version is None or not selectors.can_see_drafts(request.user, policy):
            raise Http404
        version.policy = policy
    return _render_version(request, policy, version)


def version_detail(request, code, label):
    policy = get_policy(request.user, code)
    return _render_version(request, policy, get_version(request.user, policy, label))


def _render_version(request, policy, version):
    rows = selectors.version_nodes(version)
    is_current = version.pk == policy.current_version_id
    must_ack = is_current and selectors.user_must_ack(request.user, version)
    acked = Acknowledgement.objects.filter(user=request.user, version=version).first() if must_ack else None
    actions = services.allowed_actions(request.user, version)
    open_draft = None
    if selectors.can_see_drafts(request.user, policy):
        open_draft = policy.versions.filter(status__in=OPEN_VERSION_STATUSES).exclude(pk=version.pk).first()
    return render(
        request,
        "policies/policy_detail.html",
        {
            "policy": policy,
            "version": version,
            "tree": selectors.build_tree(rows),
            "toc": selectors.toc_entries(rows),
            "is_current": is_current,
            "must_ack": must_ack,
            "acked": acked,
            "actions": actions,
            "reach": selectors.step_reach(version, actions, request.user) if actions else {},
            "open_draft": open_draft,
            "base_url": policy.get_absolute_url() if is_current else version.get_absolute_url(),
            "today": timezone.localdate(),
            "processes": selectors.related_processes(policy),
            "superseded_by": selectors.superseding_policy(request.user, policy),
            "replaces": selectors.replaced_policies(request.user, version),
            "attachments": list(version.attachments.all()),
        },
    )


def policy_history(request, code):
    policy = get_policy(request.user, code)
    versions = list(selectors.versions_visible(request.user, policy))
    history = selectors.policy_history(policy)
    if not selectors.can_see_drafts(request.user, policy):
        visible_ids = {v.pk for v in versions}
        history = [h for h in history if h.version_id is None or h.version_id in visible_ids]
    return render(
        request,
        "policies/policy_history.html",
        {
            "policy": policy,
            "versions": versions,
            "history": history,
        },
    )


def policy_compare(request, code):
    policy = get_policy(request.user, code)
    versions = list(selectors.versions_visible(request.user, policy))
    by_label = {v.label: v for v in versions}
    if len(versions) < 2:
        return render(
            request, "policies/policy_compare.html", {"policy": policy, "versions": versions, "changes": None}
        )
    old_label = request.GET.get("from") or versions[1].label
    new_label = request.GET.get("to") or versions[0].label
    old, new = by_label.get(old_label), by_label.get(new_label)
    if old is None or new is None:
        raise Http404
    changes = diff_articles(selectors.version_articles(old), selectors.version_articles(new))
    for change in changes:
        change.html = render_inline_html(change.segments) if change.segments else ""
        change.table_diffs = diff_tables(change) if change.kind != "unchanged" else []
    counts = {kind: sum(1 for c in changes if c.kind == kind) for kind in ("added", "removed", "changed", "moved")}
    show_all = request.GET.get("all") == "1"
    return render(
        request,
        "policies/policy_compare.html",
        {
            "policy": policy,
            "versions": versions,
            "old": old,
            "new": new,
            "counts": counts,
            "show_all": show_all,
            "changes": changes if show_all else [c for c in changes if c.kind != "unchanged"],
        },
    )
