"""Swimlane diagram of a process, drawn server-side as inline SVG from the step data (no
JavaScript, works offline, prints). One lane per department in order of first appearance;
each step is a box in its lane; columns follow the flow (a step sits right of every earlier
step that leads to it), arrows follow the links and carry the branch condition.
"""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

HEADER_W = 112
COL_W = 196
BOX_W = 148
BOX_H = 64
LANE_H = 112
TOP = 8
NODE_R = 15
PALETTE = ["#2563eb", "#059669", "#d97706", "#7c3aed", "#db2777", "#0891b2", "#65a30d", "#dc2626", "#4f46e5", "#0d9488"]
LANE_FILL = [
    "#eff6ff",
    "#ecfdf5",
    "#fffbeb",
    "#f5f3ff",
    "#fdf2f8",
    "#ecfeff",
    "#f7fee7",
    "#fef2f2",
    "#eef2ff",
    "#f0fdfa",
]
HIGHLIGHT = {"added": ("#16a34a", "#f0fdf4"), "changed": ("#d97706", "#fffbeb"), "moved": ("#2563eb", "#eff6ff")}


@dataclass
class Box:
    key: str
    order: int
    lane: int
    col: int
    step: dict

    @property
    def x(self) -> float:
        return HEADER_W + 76 + self.col * COL_W

    @property
    def y(self) -> float:
        return TOP + self.lane * LANE_H + (LANE_H - BOX_H) / 2

    @property
    def cx(self) -> float:
        return self.x + BOX_W / 2

    @property
    def cy(self) -> float:
        return self.y + BOX_H / 2


def text_width(text: str, size: float) -> float:
    return sum(size if ord(ch) > 0x2E7F else size * 0.56 for ch in text)


def wrap(text: str, size: float, width: float, max_lines: int = 2) -> list[str]:
    lines, current = [], ""
    for ch in text:
        if text_width(current + ch, size) > width:
            lines.append(current)
            current = ch
        else:
            current += ch
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and text_width(last + "…", size) > width:
            last = last[:-1]
        lines = lines[: max_lines - 1] + [last + "…"]
    return lines


def layout(steps: list[dict]) -> tuple[list[int], dict[str, Box]]:
    """Lanes (department ids in order of first appearance) and a box per step key."""
    lanes: list[int] = []
    for s in steps:
        if s["department_id"] not in lanes:
            lanes.append(s["department_id"])
    order = {s["key"]: i for i, s in enumerate(steps)}
    preds: dict[str, list[str]] = {s["key"]: [] for s in steps}
    for s in steps:
        for n in s.get("next", []):
            if n["to"] in preds and order[n["to"]] > order[s["key"]]:
                preds[n["to"]].append(s["key"])
    boxes: dict[str, Box] = {}
    taken: set[tuple[int, int]] = set()
    previous_col = 0
    for i, s in enumerate(steps):
        lane = lanes.index(s["department_id"])
        froms = [boxes[p].col for p in preds[s["key"]] if p in boxes]
        col = max(froms) + 1 if froms else (previous_col + 1 if i else 0)
        while (lane, col) in taken:
            col += 1
        taken.add((lane, col))
        boxes[s["key"]] = Box(s["key"], i + 1, lane, col, s)
        previous_col = col
    return lanes, boxes


def _label(x: float, y: float, text: str, color: str) -> str:
    w = text_width(text, 11) + 10
    return (
        f'<g class="pd-cond"><rect x="{x - w / 2:.1f}" y="{y - 9:.1f}" width="{w:.1f}" height="18" rx="9" '
        f'fill="#fff" stroke="{color}" stroke-width="1"/>'
        f'<text x="{x:.1f}" y="{y + 4:.1f}" text-anchor="middle" font-size="11" fill="{color}">'
        f"{escape(text)}</text></g>"
    )


def _route(a: Box, b: Box, boxes: dict[str, Box]) -> list[tuple[float, float]]:
    occupied = {(bx.lane, bx.col) for bx in boxes.values()}
    if b.col > a.col:
        if a.lane == b.lane:
            if any((a.lane, c) in occupied for c in range(a.col + 1, b.col)):
                # Over the boxes in between, through the lane's top margin.
                top = TOP + a.lane * LANE_H + 10
                return [(a.cx + 20, a.y), (a.cx + 20, top), (b.cx - 20, top), (b.cx - 20, b.y)]
            return [(a.x + BOX_W, a.cy), (b.x, b.cy)]
        clear_near_b = not any((a.lane, c) in occupied for c in range(a.col + 1, b.col))
        channel = b.x - (COL_W - BOX_W) / 2 if clear_near_b else a.x + BOX_W + (COL_W - BOX_W) / 2
        return [(a.x + BOX_W, a.cy), (channel, a.cy), (channel, b.cy), (b.x, b.cy)]
    # A loop back: leave from the bottom, run under the box row, enter from below (or above).
    under = TOP + a.lane * LANE_H + LANE_H - 12
    if b.lane == a.lane:
        return [(a.cx - 16, a.y + BOX_H), (a.cx - 16, under), (b.cx + 16, under), (b.cx + 16, b.y + BOX_H)]
    end_y = b.y + BOX_H if b.lane < a.lane else b.y
    return [(a.cx - 16, a.y + BOX_H), (a.cx - 16, under), (b.cx + 16, under), (b.cx + 16, end_y)]


def _longest_segment_mid(points) -> tuple[float, float]:
    best, mid = -1.0, points[0]
    for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False):
        length = abs(x2 - x1) + abs(y2 - y1)
        if length > best:
            best, mid = length, ((x1 + x2) / 2, (y1 + y2) / 2)
    return mid


def render(
    steps: list[dict],
    departments: dict,
    positions: dict | None = None,
    highlight: dict[str, str] | None = None,
    title: str = "",
) -> str:
    """SVG markup for `steps` (step dicts). `departments`/`positions`: {id: name}.
    `highlight`: {step key: added|changed|moved} to mark a proposal's changes."""
    positions = positions or {}
    highlight = highlight or {}
    if not steps:
        return ""
    lanes, boxes = layout(steps)
    max_col = max(b.col for b in boxes.values())
    ex = HEADER_W + 76 + max_col * COL_W + BOX_W + 64
    width = ex + NODE_R + 28
    height = TOP * 2 + len(lanes) * LANE_H
    aria = escape(title or _("Swimlane diagram"))
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="process-diagram" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" '
        f'style="width:100%;min-width:{width * 0.62:.0f}px;max-width:{width:.0f}px;height:auto" '
        f'role="img" aria-label="{aria}" '
        f"font-family=\"system-ui, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif\">",
        '<defs><marker id="pd-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#475569"/></marker>'
        '<marker id="pd-arrow-c" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#b45309"/></marker></defs>',
    ]
    for i, dept_id in enumerate(lanes):
        y = TOP + i * LANE_H
        color, fill = PALETTE[i % len(PALETTE)], LANE_FILL[i % len(LANE_FILL)]
        out.append(
            f'<rect x="0" y="{y}" width="{width:.0f}" height="{LANE_H}" fill="{fill}" '
            f'stroke="#cbd5e1" stroke-width="1"/>'
        )
        out.append(
            f'<rect x="0" y="{y}" width="{HEADER_W}" height="{LANE_H}" fill="{color}" fill-opacity="0.12" '
            f'stroke="#cbd5e1" stroke-width="1"/><rect x="0" y="{y}" width="5" height="{LANE_H}" fill="{color}"/>'
        )
        name_lines = wrap(str(departments.get(dept_id, "?")), 14, HEADER_W - 20, 3)
        start = y + LANE_H / 2 - (len(name_lines) - 1) * 9 + 5
        for j, line in enumerate(name_lines):
            out.append(
                f'<text x="{HEADER_W / 2 + 2}" y="{start + j * 18:.1f}" text-anchor="middle" font-size="14" '
                f'font-weight="600" fill="#1e293b">{escape(line)}</text>'
            )
    # Start and end markers (labels outside the f-strings, so makemessages finds them).
    start_label, end_label = escape(_("Start")), escape(_("End"))
    first = boxes[steps[0]["key"]]
    sx, sy = HEADER_W + 34, first.cy
    out.append(
        f'<circle cx="{sx:.1f}" cy="{sy:.1f}" r="{NODE_R}" fill="#fff" stroke="#16a34a" stroke-width="2.5"/>'
        f'<text x="{sx:.1f}" y="{sy + 32:.1f}" text-anchor="middle" font-size="11" fill="#166534">{start_label}</text>'
        f'<path d="M{sx + NODE_R:.1f},{sy:.1f} L{first.x:.1f},{sy:.1f}" stroke="#475569" stroke-width="1.6" '
        f'fill="none" marker-end="url(#pd-arrow)"/>'
    )
    terminals = [boxes[s["key"]] for s in steps if not [n for n in s.get("next", []) if n["to"] in boxes]]
    last = max(terminals or list(boxes.values()), key=lambda b: (b.col, b.order))
    ey = last.cy
    arrows, labels = [], []
    for t in terminals:
        if t is last:
            points = [(t.x + BOX_W, t.cy), (ex - NODE_R, ey)]
            arrows.append(_path(points, "#475569", "pd-arrow"))
        else:
            # Another way the flow ends: a small end mark in the gap right of the box, so
            # no line crosses the boxes further along the lane.
            mx = t.x + BOX_W + (COL_W - BOX_W) / 2 + 4
            arrows.append(_path([(t.x + BOX_W, t.cy), (mx - 8, t.cy)], "#475569", "pd-arrow"))
            arrows.append(
                f'<circle cx="{mx:.1f}" cy="{t.cy:.1f}" r="8" fill="#fff" stroke="#dc2626" stroke-width="2"/>'
                f'<circle cx="{mx:.1f}" cy="{t.cy:.1f}" r="4" fill="#dc2626"/>'
            )
    out.append(
        f'<circle cx="{ex:.1f}" cy="{ey:.1f}" r="{NODE_R}" fill="#fff" stroke="#dc2626" stroke-width="2.5"/>'
        f'<circle cx="{ex:.1f}" cy="{ey:.1f}" r="{NODE_R - 5}" fill="#dc2626"/>'
        f'<text x="{ex:.1f}" y="{ey + 32:.1f}" text-anchor="middle" font-size="11" fill="#991b1b">{end_label}</text>'
    )
    for s in steps:
        a = boxes[s["key"]]
        for n in s.get("next", []):
            b = boxes.get(n["to"])
            if b is None or b is a:
                continue
            points = _route(a, b, boxes)
            cond = (n.get("condition") or "").strip()
            arrows.append(
                _path(
                    points,
                    "#b45309" if cond else "#475569",
                    "pd-arrow-c" if cond else "pd-arrow",
                    dashed=b.col <= a.col,
                )
            )
            if cond:
                labels.append(_label(*_longest_segment_mid(points), cond, "#b45309"))
    out.extend(arrows)
    for b in boxes.values():
        out.append(_box(b, PALETTE[b.lane % len(PALETTE)], positions, highlight.get(b.key)))
    out.extend(labels)
    out.append("</svg>")
    return mark_safe("".join(out))  # nosec B308 B703 -- every text in the SVG is escaped where it is written


def _path(points, color: str, marker: str, dashed: bool = False) -> str:
    d = "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in points)
    dash = ' stroke-dasharray="5 4"' if dashed else ""
    return f'<path d="{d}" stroke="{color}" stroke-width="1.6" fill="none"{dash} marker-end="url(#{marker})"/>'


def _box(b: Box, color: str, positions: dict, mark: str | None) -> str:
    s = b.step
    stroke, fill = HIGHLIGHT.get(mark, (color, "#ffffff"))
    name_lines = wrap(s["name"], 13, BOX_W - 30, 2)
    sub = positions.get(s.get("position_id"), "") or ""
    if s.get("time_limit_hours"):
        sub = f"{sub} · ≤{s['time_limit_hours']}h" if sub else f"≤{s['time_limit_hours']}h"
    tooltip = s["name"] + (f"\n{s['description']}" if s.get("description") else "")
    parts = [
        f'<g class="pd-step" data-key="{escape(b.key)}"><title>{escape(tooltip)}</title>',
        f'<rect x="{b.x:.1f}" y="{b.y:.1f}" width="{BOX_W}" height="{BOX_H}" rx="8" fill="{fill}" '
        f'stroke="{stroke}" stroke-width="{2.5 if mark else 1.5}"/>',
        f'<circle cx="{b.x + 14:.1f}" cy="{b.y + 14:.1f}" r="9" fill="{color}"/>'
        f'<text x="{b.x + 14:.1f}" y="{b.y + 18:.1f}" text-anchor="middle" font-size="10" font-weight="700" '
        f'fill="#fff">{b.order}</text>',
    ]
    text_x = b.x + 28
    first_y = b.y + (20 if len(name_lines) > 1 or sub else 30) + (0 if sub or len(name_lines) > 1 else 6)
    for i, line in enumerate(name_lines):
        parts.append(
            f'<text x="{text_x:.1f}" y="{first_y + i * 16:.1f}" font-size="13" font-weight="600" '
            f'fill="#0f172a">{escape(line)}</text>'
        )
    if sub:
        sub_lines = wrap(sub, 10.5, BOX_W - 34, 1)
        parts.append(
            f'<text x="{text_x:.1f}" y="{b.y + BOX_H - 9:.1f}" font-size="10.5" fill="#64748b">'
            f"{escape(sub_lines[0])}</text>"
        )
    if mark:
        badge = {"added": _("new"), "changed": _("changed"), "moved": _("moved")}[mark]
        w = text_width(badge, 10) + 10
        parts.append(
            f'<rect x="{b.x + BOX_W - w - 4:.1f}" y="{b.y - 8:.1f}" width="{w:.1f}" height="15" rx="7" '
            f'fill="{stroke}"/><text x="{b.x + BOX_W - w / 2 - 4:.1f}" y="{b.y + 3:.1f}" text-anchor="middle" '
            f'font-size="10" fill="#fff">{escape(badge)}</text>'
        )
    parts.append("</g>")
    return "".join(parts)
