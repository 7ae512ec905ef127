"""Search documents of the meetings: title, department and date, place, the agenda, and the
minutes as issued (summary, minutes per item, decisions). Visibility is
`visible_meetings(user)`, the rule of the meeting pages (a confidential meeting is found by
its attendees only)."""

from django.utils.translation import gettext_lazy as _

from apps.search.registry import Document, SearchSource

from .models import Meeting, MeetingStatus, MinutesStatus
from .selectors import visible_meetings


def documents(owner_ids):
    meetings = (
        Meeting.objects.select_related("department", "organiser")
        .prefetch_related("agenda", "minutes_versions")
        .order_by("pk")
    )
    if owner_ids is not None:
        meetings = meetings.filter(pk__in=owner_ids)
    out = []
    for m in meetings:
        issued = next((v for v in m.minutes_versions.all() if v.status == MinutesStatus.ISSUED), None)
        doc = issued.snapshot if issued else {}
        body = [doc.get("summary", "")]
        body += [f"{item['title']}：{item['notes']}" for item in doc.get("agenda", []) if item.get("notes")]
        body += doc.get("decisions", [])
        out.append(
            Document(
                kind="meeting",
                object_id=m.pk,
                owner_id=m.pk,
                title=f"{m.title} {m.date:%Y-%m-%d}",
                url=m.get_absolute_url(),
                heading=f"{m.department.name} · {m.get_type_display()}",
                body="\n".join(t for t in body if t),
                context=" ".join([m.place, m.organiser.name, *(a.title for a in m.agenda.all())]),
                names=m.title,
                department_id=m.department_id,
                status=m.status,
                date=m.date,
            )
        )
    return out


SOURCES = [
    SearchSource(
        name="meetings",
        kinds={"meeting": _("Meetings")},
        documents=documents,
        owner_ids=lambda: Meeting.objects.order_by("pk").values_list("pk", flat=True),
        visible=lambda user: visible_meetings(user).values("pk"),
        statuses=lambda: [(s.value, str(s.label)) for s in MeetingStatus],
        order=50,
    )
]
