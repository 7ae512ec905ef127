"""Search documents of the process catalogue: each process (name in pinyin too, code,
purpose, scope, start and end) and each step of its version in use, placed as
流程名 › 第3步 步骤名 and linked to the step's row. Every staff member may read the
catalogue (the `processes.view_catalogue` rule), so that is the visibility rule."""

from django.utils.translation import gettext_lazy

from apps.search.registry import Document, SearchSource

from .models import Process, ProcessStep


def documents(owner_ids):
    processes = Process.objects.select_related("department", "owner", "current_version").order_by("pk")
    if owner_ids is not None:
        processes = processes.filter(pk__in=owner_ids)
    processes = list(processes)
    docs = []
    for p in processes:
        version = p.current_version
        docs.append(
            Document(
                kind="process",
                object_id=p.pk,
                owner_id=p.pk,
                title=f"{p.name}（{p.code}）",
                url=p.get_absolute_url(),
                heading=p.department.name,
                body="\n".join(t for t in (p.purpose, p.scope, p.start_trigger, p.end_condition) if t),
                context=p.owner.name if p.owner_id else "",
                names=p.name,
                department_id=p.department_id,
                status=p.status,
                date=version.effective_date if version else None,
            )
        )
    by_version = {p.current_version_id: p for p in processes if p.current_version_id}
    steps = (
        ProcessStep.objects.filter(version_id__in=by_version)
        .select_related("department", "position")
        .order_by("version_id", "order")
    )
    for s in steps:
        p = by_version[s.version_id]
        docs.append(
            Document(
                kind="step",
                object_id=s.pk,
                owner_id=p.pk,
                title=f"{p.name} · {s.name}",  # the step's name is in its heading
                url=f"{p.get_absolute_url()}#step-{s.key}",
                heading=f"{p.name} › {s.order}. {s.name}",
                body="\n".join(
                    t
                    for t in (
                        s.description,
                        s.inputs,
                        s.outputs,
                        s.department.name,
                        s.position.name if s.position_id else "",
                    )
                    if t
                ),
                context=f"{p.name} {p.code}",
                title_is_name=False,
                department_id=s.department_id,
                status=p.status,
                date=p.current_version.effective_date,
            )
        )
    return docs


def visible(user):
    return None if user.has_perm("processes.view_catalogue") else Process.objects.none().values("pk")


SOURCES = [
    SearchSource(
        name="processes",
        kinds={"process": gettext_lazy("Processes"), "step": gettext_lazy("Process steps")},
        documents=documents,
        owner_ids=lambda: Process.objects.order_by("pk").values_list("pk", flat=True),
        visible=visible,
        statuses=lambda: list(Process.Status.choices),
        order=20,
    )
]
