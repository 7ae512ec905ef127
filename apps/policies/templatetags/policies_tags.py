from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def highlight(text, query):
    """Escape `text` and wrap each occurrence of `query` in <mark>."""
    text = escape(text or "")
    query = escape((query or "").strip())
    if not query:
        return mark_safe(text)  # nosec B308 B703 -- text escaped above
    return mark_safe(text.replace(query, f"<mark>{query}</mark>"))  # nosec B308 B703 -- text and query escaped above
