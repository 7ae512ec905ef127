from django.contrib import admin

from .models import Indicator, Measurement, MeasurementRevision, PeriodLock, Target


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "department", "scope", "frequency", "direction", "unit", "is_active"]
    list_filter = ["scope", "frequency", "direction", "is_active"]
    search_fields = ["code", "name"]
    list_select_related = ["department"]
    raw_id_fields = ["department", "person", "responsible", "parent"]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["indicator", "year", "index", "value"]
    list_select_related = ["indicator"]
    raw_id_fields = ["indicator", "set_by"]
    search_fields = ["indicator__code"]


class RevisionInline(admin.TabularInline):
    model = MeasurementRevision
    extra = 0
    readonly_fields = ["changed_by", "changed_at", "old_value", "new_value", "old_note", "new_note", "reason", "source"]
    can_delete = False


@admin.register(Measurement)
class MeasurementAdmin(admin.ModelAdmin):
    list_display = ["indicator", "year", "index", "value", "updated_by", "updated_at"]
    list_select_related = ["indicator", "updated_by"]
    raw_id_fields = ["indicator", "entered_by", "updated_by"]
    search_fields = ["indicator__code"]
    inlines = [RevisionInline]


@admin.register(PeriodLock)
class PeriodLockAdmin(admin.ModelAdmin):
    list_display = ["frequency", "year", "index", "locked_by", "locked_at"]
    list_select_related = ["locked_by"]
