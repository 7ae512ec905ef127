"""Administrators (the admin role too) edit the register's lists: categories, the scale with
what each level means, and the level bands (checked as a whole table on every change)."""

from django import forms
from django.contrib import admin

from apps.scheduling.admin_access import AdminRoleAccess

from .models import Category, LevelBand, Risk, ScaleLevel
from .scoring import validate_bands
from .selectors import bands, scale_size


@admin.register(Category)
class CategoryAdmin(AdminRoleAccess, admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]


@admin.register(ScaleLevel)
class ScaleLevelAdmin(AdminRoleAccess, admin.ModelAdmin):
    list_display = ["axis", "value", "name", "name_en", "meaning"]
    list_filter = ["axis"]


class LevelBandForm(forms.ModelForm):
    class Meta:
        model = LevelBand
        fields = ["level", "min_score"]

    def clean(self):
        data = super().clean()
        if data.get("level") and data.get("min_score"):
            table = {**bands(), data["level"]: data["min_score"]}
            likelihood, impact = scale_size()
            for problem in validate_bands(table, likelihood * impact):
                self.add_error("min_score", problem)
        return data


@admin.register(LevelBand)
class LevelBandAdmin(AdminRoleAccess, admin.ModelAdmin):
    form = LevelBandForm
    list_display = ["level", "min_score"]


@admin.register(Risk)
class RiskAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "category", "department", "owner", "status", "residual_level", "in_warning"]
    list_filter = ["status", "residual_level", "category", "in_warning"]
    search_fields = ["code", "title"]
    list_select_related = ["category", "department", "owner"]
    raw_id_fields = ["owner", "reported_by", "department", "acceptance_decided_by", "acceptance_requested_by"]
    exclude = ["policies", "articles", "processes", "steps"]
