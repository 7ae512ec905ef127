"""Paginating long ordered lists on their ids.

A page of 50 out of 5,000 rows joined to people and departments made PostgreSQL sort all
5,000 wide rows to return 50. `page_by_ids` finds the page on the ids alone (a narrow
sort), then loads only those rows with everything they show, in the same order.
"""

from django.core.paginator import Page, Paginator


def page_by_ids(qs, number, per_page: int = 50) -> Page:
    found = Paginator(qs.values_list("pk", flat=True), per_page).get_page(number)
    ids = list(found.object_list)
    rows = {row.pk: row for row in qs.order_by().filter(pk__in=ids)}
    found.object_list = [rows[pk] for pk in ids if pk in rows]
    return found
