from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("title", "recipient", "kind", "created_at", "read_at")
    list_select_related = ("recipient",)
    list_filter = ("kind",)
    search_fields = ("title", "recipient__username", "recipient__display_name")
    raw_id_fields = ("recipient",)
