"""`seed_demo` part for the regulations library: about 20 regulations across the
categories, run through the real import and approval path; some with several versions,
one draft and one version in review, acknowledgements partly done. Idempotent: a
policy whose code exists is left alone."""

import random
from datetime import date, timedelta

from django.contrib.auth import get_user_model

from . import services
from .demo_texts import CATEGORIES, REGULATIONS
from .models import Acknowledgement, Category, Policy, PolicyVersion
from .selectors import ack_required_users

EXTRA_DRAFT = """办公用品管理规定
一、为规范办公用品的采购、领用和保管，节约办公费用，制定本规定。
二、办公用品由总经理办公室统一采购、统一保管。
三、各部门每月25日前提交下月办公用品需求，经部门负责人签字后报总经理办公室。
四、单价500元以上的办公用品按固定资产管理，须登记领用人。
五、本规定由总经理办公室负责解释，自发布之日起施行。"""


def seed(ctx: dict) -> None:
    depts, users, today = ctx["departments"], ctx["users"], ctx["today"]
    rng = random.Random(404)
    cats = {}
    for order, (code, name) in enumerate(CATEGORIES):
        cats[code], _ = Category.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})
    ops, admin = users["ops"], users["admin"]
    existing = set(Policy.objects.values_list("code", flat=True))
    created = 0
    for code, cat, owner, interp, conf, allowed, ack_scope, ack_depts, versions in REGULATIONS:
        if code in existing:
            continue
        created += 1
        owning = depts[owner]
        head = owning.head or admin
        for n, (label, effective, summary, text) in enumerate(versions):
            kwargs = dict(
                label=label,
                effective_date=date.fromisoformat(effective),
                change_summary=summary,
                ack_scope=ack_scope,
                ack_departments=[depts[c] for c in ack_depts],
                # A revision that everyone it asks is to be trained on (宣贯培训).
                needs_training=n > 0 and ack_scope != "none",
            )
            if n == 0:
                version = services.policy_create(
                    actor=ops,
                    code=code,
                    title="",
                    owning_department=owning,
                    category=cats[cat],
                    interpreting_department=depts[interp],
                    confidentiality=conf,
                    allowed_departments=[depts[c] for c in allowed],
                    text=text,
                    **kwargs,
                )
                policy = version.policy
            else:
                version = services.draft_create(policy=policy, actor=ops, text=text, **kwargs)
            _approve(version, head=head, ops=ops, today=today)
        _acknowledge_some(policy, rng, skip={"staff"})
        # Reviews were kept up: a few are due now, the rest later this year or next.
        Policy.objects.filter(pk=policy.pk).update(next_review_date=today + timedelta(days=rng.randint(-15, 330)))
    if "FIN-ZD-001" not in existing:
        _pending_examples(depts, users, cats, today)
    ctx["stdout"].write(f"  policies: {created} regulations added ({Policy.objects.count()} in the library)")


def _approve(version: PolicyVersion, *, head, ops, today) -> None:
    """`ops` wrote and submits it; four eyes: operations approval by another member."""
    services.version_transition(version=version, action="submit", actor=ops, today=today)
    services.version_transition(version=version, action="approve", actor=head, comment="同意。", today=today)
    approver = (
        get_user_model()
        .objects.filter(groups__name="ops", is_active=True)
        .exclude(pk__in={ops.pk, head.pk, version.created_by_id})
        .order_by("pk")
        .first()
    )
    services.version_transition(version=version, action="approve", actor=approver, comment="同意发布。", today=today)


def _acknowledge_some(policy: Policy, rng: random.Random, *, skip: set[str]) -> None:
    """About two thirds of the people asked have confirmed (not the demo staff login, so
    that "to acknowledge" shows on their home page)."""
    policy.refresh_from_db()
    version = policy.current_version
    if version is None or version.ack_scope == "none":
        return
    people = [u for u in ack_required_users(version) if u.username not in skip]
    chosen = [u for u in people if rng.random() < 0.65]
    Acknowledgement.objects.bulk_create(
        [Acknowledgement(user=u, version=version) for u in chosen], ignore_conflicts=True
    )


def _pending_examples(depts, users, cats, today) -> None:
    """Work in progress for the demo logins: a revision waiting for the finance head,
    a new regulation waiting for ops, and a plain draft."""
    ops = users["ops"]
    fin = Policy.objects.get(code="FIN-ZD-001")
    text = (
        services.version_as_text(fin.current_version)
        .replace("每人每天100元", "每人每天120元")
        .replace("30日内", "60日内")
    )
    v = services.draft_create(
        policy=fin,
        actor=ops,
        text=text,
        label="V2",
        change_summary="提高伙食补助标准，放宽报销时限。",
        ack_scope="everyone",
    )
    services.version_transition(version=v, action="submit", actor=ops, today=today)

    v = services.policy_create(
        actor=ops,
        code="GMO-GD-002",
        title="",
        owning_department=depts["gm-office"],
        category=cats["general"],
        interpreting_department=depts["gm-office"],
        text=EXTRA_DRAFT,
        change_summary="首次发布。",
    )
    gm = get_user_model().objects.get(pk=depts["gm-office"].head_id)
    services.version_transition(version=v, action="submit", actor=ops, today=today)
    services.version_transition(version=v, action="approve", actor=gm, comment="同意，请运营管理部审核。", today=today)

    brand = Policy.objects.get(code="MKT-ZD-001")
    services.draft_from_current(policy=brand, actor=users["manager"])
