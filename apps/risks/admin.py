from django.contrib import admin

from .models import Category, LevelBand, Risk, ScaleLevel


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "sort_order", "is_active"]
    list_editable = ["sort_order", "is_active"]


@admin.register(ScaleLevel)
class ScaleLevelAdmin(admin.ModelAdmin):
    list_display = ["axis", "value", "name", "name_en", "meaning"]
    list_filter = ["axis"]


@admin.register(LevelBand)
class LevelBandAdmin(admin.ModelAdmin):
    list_display = ["level", "min_score"]


@admin.register(Risk)
class RiskAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "category", "department", "owner", "status", "residual_level", "in_warning"]
    list_filter = ["status", "residual_level", "category", "in_warning"]
    search_fields = ["code", "title"]
    list_select_related = ["category", "department", "owner"]
    raw_id_fields = ["owner", "reported_by", "department", "acceptance_decided_by", "acceptance_requested_by"]
    autocomplete_fields = []
    filter_horizontal = []
    exclude = ["policies", "articles", "processes", "steps"]
