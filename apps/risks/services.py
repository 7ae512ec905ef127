"""Every write of the risk register: keyword-only, one transaction each, notifications written
in the same transaction (notify() inserts its row with ours) and mail sent after commit.
A decision names the state the actor saw (`seen`), so a stale page or a double click never
applies twice."""

from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.permissions import users_with_role
from apps.accounts.roles import Role
from apps.approvals import services as approvals
from apps.departments.models import Department
from apps.kpis.periods import MONTHS_PER_PERIOD, Period
from apps.notifications.services import notify, notify_many

from . import notification_kinds as kinds
from .models import Assessment, Breach, KeyRiskIndicator, Measure, Review, Risk, Strategy
from .scoring import Level, level_for, score
from .selectors import bands, scale_size

HIGH_LEVELS = (Level.HIGH, Level.EXTREME)


class StaleState(ValidationError):
    """The risk changed since the actor looked at it."""


def _locked(risk: Risk, seen: str | None = None) -> Risk:
    fresh = Risk.objects.select_for_update().select_related("department").get(pk=risk.pk)
    if seen is not None and fresh.status != seen:
        raise StaleState(_("This risk has changed since you opened it; the page now shows its current state."))
    return fresh


def next_code(year: int) -> str:
    """R-2026-0001, R-2026-0002 … unique under concurrent reports (an advisory lock per year)."""
    with connection.cursor() as cur:
        cur.execute("SELECT pg_advisory_xact_lock(%s, %s)", [4817, year])
    prefix = f"R-{year}-"
    last = Risk.objects.filter(code__startswith=prefix).order_by("-code").values_list("code", flat=True).first()
    n = int(last.rsplit("-", 1)[1]) + 1 if last and last.rsplit("-", 1)[1].isdigit() else 1
    return f"{prefix}{n:04d}"


def _department_head(department):
    """The head of the department, else of the nearest department above it that has one."""
    if department.head_id:
        return department.head
    ids = department.ancestor_ids()
    heads = dict(Department.objects.filter(pk__in=ids, head__isnull=False).values_list("pk", "head_id"))
    for pk in reversed(ids):
        if pk in heads:
            return get_user_model().objects.get(pk=heads[pk])
    return None


@transaction.atomic
def report_risk(
    *,
    reporter,
    title: str,
    category,
    department,
    description: str = "",
    causes: str = "",
    consequences: str = "",
    confidential: bool = False,
    company_wide: bool = False,
) -> Risk:
    risk = Risk.objects.create(
        code=next_code(timezone.localdate().year),
        title=title,
        description=description,
        category=category,
        department=department,
        causes=causes,
        consequences=consequences,
        confidential=confidential,
        company_wide=company_wide,
        reported_by=reporter,
    )
    head = _department_head(department)
    recipients = [head] if head else list(users_with_role(Role.OPS))
    recipients = [r for r in recipients if r.pk != reporter.pk]
    if recipients:
        notify_many(
            recipients=recipients,
            kind=kinds.REPORTED,
            title=_("Risk reported: %(title)s") % {"title": title},
            body=_("%(who)s reported a risk for %(dept)s. Accept it into the register or close it.")
            % {"who": reporter.name, "dept": department.name},
            url=risk.get_absolute_url(),
        )
    return risk


@transaction.atomic
def accept_risk(*, risk: Risk, actor, owner, seen: str) -> Risk:
    risk = _locked(risk, seen)
    if not risk.is_reported:
        raise ValidationError(_("Only a reported risk can be accepted into the register."))
    risk.status, risk.owner = Risk.Status.OPEN, owner
    risk.save(update_fields=["status", "owner", "updated_at"])
    if owner.pk != actor.pk:
        notify(
            recipient=owner,
            kind=kinds.ACCEPTED,
            title=_("You own the risk %(code)s %(title)s") % {"code": risk.code, "title": risk.title},
            url=risk.get_absolute_url(),
        )
    return risk


@transaction.atomic
def close_risk(*, risk: Risk, actor, reason: str, seen: str) -> Risk:
    if not reason.strip():
        raise ValidationError(_("Say why the risk is closed."))
    risk = _locked(risk, seen)
    if risk.is_closed:
        raise ValidationError(_("This risk is closed already."))
    risk.status, risk.closed_reason, risk.closed_at = Risk.Status.CLOSED, reason.strip(), timezone.now()
    risk.save(update_fields=["status", "closed_reason", "closed_at", "updated_at"])
    if risk.reported_by_id and risk.reported_by_id != actor.pk:
        notify(
            recipient=risk.reported_by,
            kind=kinds.CLOSED,
            title=_("Risk closed: %(title)s") % {"title": risk.title},
            body=reason.strip(),
            url=risk.get_absolute_url(),
        )
    return risk


def check_scale(likelihood: int, impact: int) -> None:
    max_l, max_i = scale_size()
    if not 1 <= likelihood <= max_l:
        raise ValidationError(_("Likelihood must be between 1 and %(n)s.") % {"n": max_l})
    if not 1 <= impact <= max_i:
        raise ValidationError(_("Impact must be between 1 and %(n)s.") % {"n": max_i})


@transaction.atomic
def assess(
    *,
    risk: Risk,
    actor,
    likelihood: int,
    impact: int,
    residual_likelihood: int,
    residual_impact: int,
    controls: str = "",
    note: str = "",
) -> Assessment:
    check_scale(likelihood, impact)
    check_scale(residual_likelihood, residual_impact)
    inherent, residual = score(likelihood, impact), score(residual_likelihood, residual_impact)
    if residual > inherent:
        raise ValidationError(_("The residual score cannot be above the inherent score: controls do not add risk."))
    risk = _locked(risk)
    if risk.is_closed:
        raise ValidationError(_("A closed risk is not assessed."))
    table = bands()
    row = Assessment.objects.create(
        risk=risk,
        likelihood=likelihood,
        impact=impact,
        inherent_score=inherent,
        inherent_level=level_for(inherent, table),
        controls=controls,
        residual_likelihood=residual_likelihood,
        residual_impact=residual_impact,
        residual_score=residual,
        residual_level=level_for(residual, table),
        note=note,
        assessed_by=actor,
    )
    risk.likelihood, risk.impact, risk.inherent_score, risk.inherent_level = (
        likelihood,
        impact,
        inherent,
        row.inherent_level,
    )
    risk.residual_likelihood, risk.residual_impact = residual_likelihood, residual_impact
    risk.residual_score, risk.residual_level = residual, row.residual_level
    fields = [
        "likelihood",
        "impact",
        "inherent_score",
        "inherent_level",
        "residual_likelihood",
        "residual_impact",
        "residual_score",
        "residual_level",
        "updated_at",
    ]
    # A reassessment that makes an accepted risk high asks the general manager again.
    if risk.strategy == Strategy.ACCEPT and row.residual_level in HIGH_LEVELS and risk.acceptance in ("", "rejected"):
        _request_acceptance(risk, actor)
        fields += ["acceptance", "acceptance_requested_by"]
    risk.save(update_fields=fields)
    return row


def _request_acceptance(risk: Risk, actor) -> None:
    """Ask the approvals engine (kind risks.acceptance); the caller saves the risk's fields."""
    risk.acceptance, risk.acceptance_requested_by = Risk.Acceptance.PENDING, actor
    title = _("Accept the %(level)s risk %(code)s %(title)s") % {
        "level": Level(risk.level).label,
        "code": risk.code,
        "title": risk.title,
    }
    try:
        approvals.submit(kind="risks.acceptance", obj=risk, proposer=actor, title=title)
    except approvals.ApprovalError as exc:
        raise ValidationError(str(exc)) from None


@transaction.atomic
def set_response(*, risk: Risk, actor, strategy: str, plan: str = "") -> Risk:
    risk = _locked(risk)
    if risk.is_closed:
        raise ValidationError(_("A closed risk has no response to change."))
    risk.strategy, risk.strategy_note = strategy, plan
    if strategy == Strategy.ACCEPT and risk.level in HIGH_LEVELS:
        if risk.acceptance != Risk.Acceptance.APPROVED:
            _request_acceptance(risk, actor)
    else:
        risk.acceptance = Risk.Acceptance.NONE
    risk.acceptance_decided_by = None
    risk.save(
        update_fields=[
            "strategy",
            "strategy_note",
            "acceptance",
            "acceptance_requested_by",
            "acceptance_decided_by",
            "updated_at",
        ]
    )
    return risk


def _acceptance_decided(*, risk: Risk, actor, outcome: str) -> None:
    """Called by the approvals engine inside its transaction."""
    Risk.objects.filter(pk=risk.pk).update(acceptance=outcome, acceptance_decided_by=actor, updated_at=timezone.now())


def acceptance_approved(*, risk: Risk, actor) -> None:
    _acceptance_decided(risk=risk, actor=actor, outcome=Risk.Acceptance.APPROVED)


def acceptance_refused(*, risk: Risk, actor) -> None:
    _acceptance_decided(risk=risk, actor=actor, outcome=Risk.Acceptance.REJECTED)


def acceptance_withdrawn(*, risk: Risk, actor) -> None:
    _acceptance_decided(risk=risk, actor=None, outcome=Risk.Acceptance.NONE)


@transaction.atomic
def update_risk(*, risk: Risk, actor, **fields) -> Risk:
    risk = _locked(risk)
    allowed = {
        "title",
        "description",
        "category",
        "department",
        "owner",
        "causes",
        "consequences",
        "confidential",
        "company_wide",
        "review_date",
    }
    links = {name: fields.pop(name) for name in ("policies", "articles", "processes", "steps") if name in fields}
    for name, value in fields.items():
        if name not in allowed:
            raise TypeError(name)
        setattr(risk, name, value)
    risk.save()
    for name, objects in links.items():
        getattr(risk, name).set(objects)
    return risk


@transaction.atomic
def add_measure(*, risk: Risk, actor, title: str, owner, due_date: date, today: date) -> Measure:
    if due_date < today:
        raise ValidationError(_("The due date cannot be in the past."))
    risk = _locked(risk)
    if risk.is_closed:
        raise ValidationError(_("A closed risk takes no new measures."))
    measure = Measure.objects.create(risk=risk, title=title, owner=owner, due_date=due_date, created_by=actor)
    if owner.pk != actor.pk:
        notify(
            recipient=owner,
            kind=kinds.MEASURE_ASSIGNED,
            title=_("Risk measure for you: %(title)s") % {"title": title},
            body=_("For the risk %(code)s %(risk)s, due %(due)s.")
            % {"code": risk.code, "risk": risk.title, "due": due_date.isoformat()},
            url=risk.get_absolute_url(),
        )
    return measure


@transaction.atomic
def update_measure(
    *, measure: Measure, actor, status: str, progress_note: str = "", evidence=None, seen: str | None = None
) -> Measure:
    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    if seen is not None and measure.status != seen:
        raise StaleState(_("This measure has changed since you opened it."))
    measure.status, measure.progress_note = status, progress_note
    if evidence:
        measure.evidence = evidence
    measure.completed_at = timezone.now() if status == Measure.Status.DONE else None
    measure.save()
    return measure


@transaction.atomic
def bind_kri(*, risk: Risk, actor, indicator, comparator: str, threshold) -> KeyRiskIndicator:
    kri, _created = KeyRiskIndicator.objects.update_or_create(
        risk=risk, indicator=indicator, defaults={"comparator": comparator, "threshold": threshold}
    )
    transaction.on_commit(lambda: evaluate_kris(KeyRiskIndicator.objects.filter(pk=kri.pk)))
    return kri


@transaction.atomic
def unbind_kri(*, kri: KeyRiskIndicator, actor) -> None:
    risk = kri.risk
    kri.delete()
    _refresh_warning(risk.pk)


@transaction.atomic
def record_review(*, risk: Risk, actor, note: str, next_review: date | None, today: date) -> Review:
    if not note.strip():
        raise ValidationError(_("Write what the review found."))
    if next_review and next_review <= today:
        raise ValidationError(_("The next review must be after today."))
    risk = _locked(risk)
    review = Review.objects.create(risk=risk, reviewed_by=actor, note=note.strip(), next_review=next_review)
    risk.review_date = next_review
    risk.save(update_fields=["review_date", "updated_at"])
    return review


# --- key risk indicators --------------------------------------------------------------------


def _begun_by(day: date) -> Q:
    """Figures of periods that have begun by `day` (a figure entered ahead for a later period,
    or a scan run for an earlier moment, never looks into the future)."""
    begun = Q()
    for frequency in MONTHS_PER_PERIOD:
        index = Period.containing(day, frequency).index
        begun |= Q(indicator__frequency=frequency) & (Q(year__lt=day.year) | Q(year=day.year, index__lte=index))
    return begun


def latest_figures(indicator_ids, day: date | None = None) -> dict[int, tuple]:
    """{indicator id: (year, index, value)} of the newest figure of each indicator among the
    periods begun by `day` (default today; one query)."""
    from apps.kpis.models import Measurement

    rows = (
        Measurement.objects.filter(indicator_id__in=list(indicator_ids), value__isnull=False)
        .filter(_begun_by(day or timezone.localdate()))
        .order_by("indicator_id", "-year", "-index")
        .distinct("indicator_id")
        .values_list("indicator_id", "year", "index", "value")
    )
    return {r[0]: r[1:] for r in rows}


def _refresh_warning(risk_id: int) -> None:
    Risk.objects.filter(pk=risk_id).update(
        in_warning=KeyRiskIndicator.objects.filter(risk_id=risk_id, in_breach=True).exists()
    )


def evaluate_kris(kris, now=None) -> int:
    """Compare each KRI with its indicator's newest figure. A figure past the threshold opens a
    breach (owner and ops notified, once: the open-breach row is unique per KRI); a figure back
    inside closes it, so a later crossing is a new breach. Returns the number of new breaches."""
    now = now or timezone.now()
    kris = list(kris.select_related("risk", "indicator"))
    figures = latest_figures({k.indicator_id for k in kris}, timezone.localdate(now))
    opened = 0
    ops = None
    for kri in kris:
        figure = figures.get(kri.indicator_id)
        value = figure[2] if figure else None
        period = Period(figure[0], figure[1], kri.indicator.frequency).key if figure else ""
        breached = kri.breached_by(value)
        if breached == kri.in_breach and kri.last_value == value:
            continue
        with transaction.atomic():
            locked = KeyRiskIndicator.objects.select_for_update().get(pk=kri.pk)
            locked.last_value, locked.last_period, locked.checked_at = value, period, now
            if breached and not locked.in_breach:
                locked.in_breach = True
                Breach.objects.create(kri=locked, period=period, value=value, started_at=now)
                opened += 1
                ops = ops if ops is not None else list(users_with_role(Role.OPS))
                recipients = {u.pk: u for u in ops}
                if kri.risk.owner_id:
                    recipients[kri.risk.owner_id] = kri.risk.owner
                notify_many(
                    recipients=recipients.values(),
                    kind=kinds.KRI_WARNING,
                    title=_("Early warning on %(code)s: %(indicator)s is %(value)s")
                    % {"code": kri.risk.code, "indicator": kri.indicator.name, "value": _plain(value)},
                    body=_("The threshold is %(cmp)s %(threshold)s.")
                    % {"cmp": kri.get_comparator_display(), "threshold": _plain(kri.threshold)},
                    url=kri.risk.get_absolute_url(),
                )
            elif not breached and locked.in_breach:
                locked.in_breach = False
                Breach.objects.filter(kri=locked, ended_at__isnull=True).update(ended_at=now)
            locked.save(update_fields=["last_value", "last_period", "checked_at", "in_breach"])
            _refresh_warning(kri.risk_id)
    return opened


def _plain(value) -> str:
    return "—" if value is None else f"{value.normalize():f}"
