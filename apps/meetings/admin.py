from django.contrib import admin

from .models import ActionItem, Meeting, MinutesVersion, Series


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "type", "frequency", "department", "organiser", "is_active"]
    list_select_related = ["department", "organiser"]
    raw_id_fields = ["organiser", "minute_taker", "department", "attendees", "attendee_departments"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "date", "start_time", "department", "organiser", "status", "confidential"]
    list_filter = ["status", "type", "confidential"]
    list_select_related = ["department", "organiser"]
    raw_id_fields = ["series", "organiser", "minute_taker", "department", "invited_departments"]
    date_hierarchy = "date"


@admin.register(MinutesVersion)
class MinutesVersionAdmin(admin.ModelAdmin):
    list_display = ["meeting", "number", "status", "issued_at"]
    list_select_related = ["meeting"]
    raw_id_fields = ["meeting", "created_by", "issued_by"]


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "department", "due_date", "status"]
    list_filter = ["status"]
    list_select_related = ["owner", "department"]
    raw_id_fields = ["meeting", "decision", "owner", "department"]
