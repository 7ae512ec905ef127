"""Steps as plain data (the JSON a change request carries) and the diff between two lists.

A step dict: {"key", "name", "department_id", "position_id", "description", "inputs",
"outputs", "time_limit_hours", "next": [{"to": key, "condition": str}]}; list order is the
step order. An empty "next" on a non-final step is not implied: links are always explicit.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from .models import ProcessStep, ProcessVersion

STEP_FIELDS = ("name", "department_id", "position_id", "description", "inputs", "outputs", "time_limit_hours")
FIELD_LABELS = {
    "name": _("Step"),
    "department_id": _("Responsible department"),
    "position_id": _("Responsible position"),
    "description": _("Description"),
    "inputs": _("Inputs"),
    "outputs": _("Outputs"),
    "time_limit_hours": _("Time limit (hours)"),
    "next": _("Next steps"),
}


def version_steps(version: ProcessVersion | None, steps=None) -> list[dict]:
    """A version's steps as dicts. `steps` may be passed already fetched (with links_out)."""
    if version is None:
        return []
    if steps is None:
        steps = list(version.steps.prefetch_related("links_out__to_step").order_by("order"))
    return [
        {
            "key": s.key,
            "name": s.name,
            "department_id": s.department_id,
            "position_id": s.position_id,
            "description": s.description,
            "inputs": s.inputs,
            "outputs": s.outputs,
            "time_limit_hours": s.time_limit_hours,
            "next": [
                {"to": link.to_step.key, "condition": link.condition}
                for link in sorted(s.links_out.all(), key=lambda lk: lk.to_step.order)
            ],
        }
        for s in steps
    ]


def new_key(existing: set[str]) -> str:
    n = len(existing) + 1
    while f"s{n}" in existing:
        n += 1
    existing.add(f"s{n}")
    return f"s{n}"


@dataclass
class FieldChange:
    field: str
    label: str
    old: object
    new: object


@dataclass
class StepChange:
    kind: str  # added / removed / changed / moved / same
    key: str
    old: dict | None
    new: dict | None
    old_order: int | None = None
    new_order: int | None = None
    fields: list[FieldChange] = field(default_factory=list)
    moved: bool = False

    @property
    def department_ids(self) -> set[int]:
        return {s["department_id"] for s in (self.old, self.new) if s}

    @property
    def position_ids(self) -> set[int]:
        return {s["position_id"] for s in (self.old, self.new) if s and s.get("position_id")}


def _lcs_keys(a: list[str], b: list[str]) -> set[str]:
    """Keys of a longest common subsequence: the steps that kept their relative order."""
    n, m = len(a), len(b)
    table = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            table[i][j] = table[i + 1][j + 1] + 1 if a[i] == b[j] else max(table[i + 1][j], table[i][j + 1])
    keep, i, j = set(), 0, 0
    while i < n and j < m:
        if a[i] == b[j]:
            keep.add(a[i])
            i, j = i + 1, j + 1
        elif table[i + 1][j] >= table[i][j + 1]:
            i += 1
        else:
            j += 1
    return keep


def _next_set(step: dict) -> list[tuple[str, str]]:
    return sorted((n["to"], n.get("condition", "") or "") for n in step.get("next", []))


def diff_steps(old: list[dict], new: list[dict]) -> list[StepChange]:
    """Every step of both lists once, in the new order, removed ones where they were."""
    old_by_key = {s["key"]: (i + 1, s) for i, s in enumerate(old)}
    new_by_key = {s["key"]: (i + 1, s) for i, s in enumerate(new)}
    common_old = [s["key"] for s in old if s["key"] in new_by_key]
    common_new = [s["key"] for s in new if s["key"] in old_by_key]
    in_order = _lcs_keys(common_old, common_new)
    changes: list[StepChange] = []
    for key, (new_order, step) in new_by_key.items():
        if key not in old_by_key:
            changes.append(StepChange("added", key, None, step, None, new_order))
            continue
        old_order, before = old_by_key[key]
        fields = [
            FieldChange(f, FIELD_LABELS[f], before.get(f), step.get(f))
            for f in STEP_FIELDS
            if (before.get(f) or None) != (step.get(f) or None)
        ]
        if _next_set(before) != _next_set(step):
            fields.append(FieldChange("next", FIELD_LABELS["next"], before.get("next", []), step.get("next", [])))
        moved = key not in in_order
        kind = "changed" if fields else ("moved" if moved else "same")
        changes.append(StepChange(kind, key, before, step, old_order, new_order, fields, moved))
    # Removed steps go right after the step that preceded them in the old list.
    for key, (old_order, step) in old_by_key.items():
        if key in new_by_key:
            continue
        pos = 0
        for i, c in enumerate(changes):
            if c.old_order is not None and c.old_order < old_order:
                pos = i + 1
        changes.insert(pos, StepChange("removed", key, step, None, old_order, None))
    return changes


def unreachable(steps: list[dict]) -> list[dict]:
    """Steps the flow never reaches from the first step."""
    if not steps:
        return []
    by_key = {s["key"]: s for s in steps}
    seen, todo = set(), [steps[0]["key"]]
    while todo:
        key = todo.pop()
        if key in seen or key not in by_key:
            continue
        seen.add(key)
        todo.extend(n["to"] for n in by_key[key].get("next", []))
    return [s for s in steps if s["key"] not in seen]


def is_changed(changes: list[StepChange]) -> bool:
    return any(c.kind != "same" for c in changes)


def materialise(version: ProcessVersion, steps: list[dict]) -> list[ProcessStep]:
    """Write a version's steps and links (two bulk inserts)."""
    from .models import StepLink

    rows = [
        ProcessStep(
            version=version,
            key=s["key"],
            order=i + 1,
            name=s["name"],
            department_id=s["department_id"],
            position_id=s.get("position_id"),
            description=s.get("description", ""),
            inputs=s.get("inputs", ""),
            outputs=s.get("outputs", ""),
            time_limit_hours=s.get("time_limit_hours"),
        )
        for i, s in enumerate(steps)
    ]
    created = ProcessStep.objects.bulk_create(rows)
    by_key = {s.key: s for s in created}
    links = [
        StepLink(from_step=by_key[s["key"]], to_step=by_key[n["to"]], condition=n.get("condition", "") or "")
        for s in steps
        for n in s.get("next", [])
        if n["to"] in by_key and n["to"] != s["key"]
    ]
    StepLink.objects.bulk_create(links)
    return created
