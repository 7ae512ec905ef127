"""Admin: the scheduled jobs with their last run (a PeriodicTask proxy annotated from JobRun),
the full run history, and the company calendar (closures and extra working days)."""

from datetime import timedelta

from django.contrib import admin, messages
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import calendar, registry
from .admin_access import AdminRoleAccess, AdminRoleManages
from .models import CompanyDay, JobRun, ScheduledJob
from .runner import TASK_NAME


@admin.register(ScheduledJob)
class ScheduledJobAdmin(AdminRoleAccess, admin.ModelAdmin):
    list_display = (
        "job",
        "schedule",
        "enabled",
        "last_started",
        "last_duration",
        "outcome_badge",
        "last_items",
        "last_failure",
    )
    list_editable = ("enabled",)
    list_select_related = ("crontab", "interval")
    search_fields = ("name",)
    fields = ("name", "description", "enabled", "crontab", "interval", "last_run_at", "total_run_count")
    # The schedule is declared with the job in code (apps/scheduling/beat.py keeps the row in
    # line); the administrator switches a job on or off and runs it now.
    readonly_fields = ("name", "description", "crontab", "interval", "last_run_at", "total_run_count")
    actions = ["run_now"]
    ordering = ("name",)
    list_display_links = ("job",)

    def get_queryset(self, request):
        runs = JobRun.objects.filter(name=OuterRef("name")).order_by("-started_at", "-id")
        failed = runs.filter(outcome=JobRun.Outcome.FAILED)
        return (
            super()
            .get_queryset(request)
            .filter(task=TASK_NAME)
            .annotate(
                _started=Subquery(runs.values("started_at")[:1]),
                _duration=Subquery(runs.values("duration")[:1]),
                _outcome=Subquery(runs.values("outcome")[:1]),
                _items=Subquery(runs.values("items")[:1]),
                _failed_at=Subquery(failed.values("started_at")[:1]),
                _error=Subquery(failed.values("error")[:1]),
            )
        )

    def has_add_permission(self, request):
        return False  # rows come from the jobs' declarations; a job needs code

    @admin.display(description=_("job"), ordering="name")
    def job(self, obj):
        try:
            description = registry.get(obj.name).description  # translated
        except registry.UnknownJob:
            description = obj.description
        return format_html('<b>{}</b><div class="help">{}</div>', obj.name, description)

    @admin.display(description=_("schedule"))
    def schedule(self, obj):
        return obj.crontab or obj.interval or "—"

    @admin.display(description=_("last run"), ordering="_started")
    def last_started(self, obj):
        return obj._started

    @admin.display(description=_("duration (s)"))
    def last_duration(self, obj):
        return obj._duration

    @admin.display(description=_("outcome"))
    def outcome_badge(self, obj):
        if not obj._outcome:
            return "—"
        colour = {"ok": "#2f855a", "failed": "#c53030", "interrupted": "#b7791f"}.get(obj._outcome, "#4a5568")
        return format_html('<b style="color:{}">{}</b>', colour, JobRun.Outcome(obj._outcome).label)

    @admin.display(description=_("items"))
    def last_items(self, obj):
        return obj._items

    @admin.display(description=_("last failure"))
    def last_failure(self, obj):
        if not obj._error:
            return "—"
        last_line = obj._error.strip().splitlines()[-1][:160]
        when = timezone.localtime(obj._failed_at).strftime("%Y-%m-%d %H:%M")
        return format_html('<span title="{}">{} · {}</span>', obj._error[-2000:], when, last_line)

    @admin.action(description=_("Run now (in the background)"))
    def run_now(self, request, queryset):
        from .tasks import run_job_task

        for task in queryset:
            run_job_task.delay(task.name)
        n = queryset.count()
        self.message_user(request, ngettext("%(n)d job queued.", "%(n)d jobs queued.", n) % {"n": n}, messages.SUCCESS)


@admin.register(JobRun)
class JobRunAdmin(AdminRoleAccess, admin.ModelAdmin):
    list_display = ("name", "started_at", "duration", "outcome", "items", "short_error")
    list_filter = ("outcome", "name")
    search_fields = ("name", "error")
    date_hierarchy = "started_at"
    readonly_fields = [f.name for f in JobRun._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("error"))
    def short_error(self, obj):
        return obj.error.strip().splitlines()[-1][:120] if obj.error else ""


WARN_AHEAD_DAYS = 60


@admin.register(CompanyDay)
class CompanyDayAdmin(AdminRoleManages, admin.ModelAdmin):
    list_display = ("first_day", "last_day", "kind", "reason")
    list_filter = ("kind",)
    search_fields = ("reason",)
    date_hierarchy = "first_day"
    fields = ("kind", "first_day", "last_day", "reason")

    def changelist_view(self, request, extra_context=None):
        today = timezone.localdate()
        years = {today.year, (today + timedelta(days=WARN_AHEAD_DAYS)).year}  # deadlines reach ahead
        years.update(d.year for d in CompanyDay.objects.filter(last_day__gte=today).values_list("last_day", flat=True))
        missing = calendar.unknown_years(years)
        if missing:
            self.message_user(request, calendar_warning(missing), messages.WARNING)
        return super().changelist_view(request, extra_context)


def calendar_warning(years: list[int]) -> str:
    known = calendar.OFFICIAL_YEARS
    return _(
        "The holiday calendar (%(package)s) knows the public holidays and make-up working days of "
        "%(first)d–%(last)d only. For %(years)s the portal counts Monday to Friday as working days, "
        "plus the company days entered here, until the package is updated: enter that year's "
        "holidays here as closures (and make-up working days as extra working days) if deadlines must "
        "respect them now."
    ) % {
        "package": calendar.PACKAGE,
        "first": known.start,
        "last": known.stop - 1,
        "years": ", ".join(str(y) for y in years),
    }
