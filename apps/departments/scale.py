"""`generate_scale_data` part for the organisation: a large company made with bulk inserts.

Ids are reserved from the tables' sequences first, so paths ("/1/7/23/"), heads and
managers are computed in Python and every table is written in a few multi-row INSERTs
(Django's foreign keys are DEFERRABLE INITIALLY DEFERRED, so the order of rows does not
matter inside the transaction). The org part runs first and fills the ctx the other
apps' scale.py read: department_ids, user_ids, heads, manager_of, bench_users.
"""

import time
from collections import Counter
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import CommandError
from django.db import connection

from . import scale_text as text
from .models import Department, Position

CODE_PREFIX = "sc-"  # department and position codes of scale data
USERNAME_PREFIX = "sc"  # sc00001 …; bench logins are bench-<role>
ROOT_NAME = "华辰控股集团"
BENCH_ROLES = ("gm", "manager", "staff", "hr", "ops", "admin")
# Share of employees in the bench manager's team: ~50 of 5,000.
MANAGER_TEAM_SHARE = 50 / 4800
BIG_DEPT_SHARE = 0.08


def add_arguments(parser) -> None:
    parser.add_argument("--employees", type=int, default=5000, help="people in the company (default 5000)")
    parser.add_argument("--departments", type=int, default=200, help="departments in the tree (default 200)")
    parser.add_argument(
        "--depth", type=int, default=4, help="levels below the company root (default 4: a tree five levels deep)"
    )


def generate(ctx: dict, options: dict) -> None:
    n_depts, n_emps, depth = options["departments"], options["employees"], options["depth"]
    if depth < 1 or n_depts < depth + 1:
        raise CommandError(f"--departments must be at least --depth + 1 ({depth + 1}).")
    if n_emps < n_depts + 6:
        raise CommandError(
            f"--employees must be at least --departments + 6 ({n_depts + 6}): "
            "one head per department plus the bench logins."
        )
    if Department.objects.filter(code__startswith=CODE_PREFIX).exists():
        raise CommandError("Scale data is already in this database: run with --reset to rebuild it.")
    rng = ctx["rng"]

    started = time.perf_counter()
    nodes = _plan_tree(rng, n_depts, depth)
    positions = _plan_positions(rng, nodes)
    users, roles, bench = _plan_people(rng, ctx["today"], nodes, n_emps)  # sets the heads too
    Department.objects.bulk_create([n["obj"] for n in nodes], batch_size=1000)
    Position.objects.bulk_create(positions, batch_size=1000)
    ctx["timings"].append(
        {
            "name": "org: departments and positions",
            "seconds": time.perf_counter() - started,
            "items": len(nodes) + len(positions),
        }
    )

    started = time.perf_counter()
    User = get_user_model()
    User.objects.bulk_create(users, batch_size=1000)
    groups = dict(Group.objects.values_list("name", "pk"))
    through = User.groups.through
    links = [through(user_id=uid, group_id=groups[r]) for uid, rs in roles.items() for r in rs if r in groups]
    through.objects.bulk_create(links, batch_size=5000)
    ctx["timings"].append(
        {"name": "org: employees and roles", "seconds": time.perf_counter() - started, "items": len(users)}
    )

    _fill_ctx(ctx, bench)
    ctx["stdout"].write(
        f"  organisation: {len(nodes)} departments ({depth + 1} levels), "
        f"{len(positions)} positions, {len(users)} people"
    )


def _reserve_ids(model, count: int) -> list[int]:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [model._meta.db_table, count],
        )
        return [row[0] for row in cur.fetchall()]


def _level_counts(n: int, depth: int) -> list[int]:
    """How many departments on each level: few at the top, most in the middle."""
    weights = ([0.06, 0.2, 0.42, 0.32] + [0.2] * depth)[:depth]
    rest = n - 1
    counts = [max(1, round(rest * w / sum(weights))) for w in weights]
    while sum(counts) != rest:
        big = max(range(depth), key=lambda k: counts[k])
        counts[big] += 1 if sum(counts) < rest else -1
    return [1] + counts


def _plan_tree(rng, n: int, depth: int) -> list[dict]:
    ids = _reserve_ids(Department, n)
    counts = _level_counts(n, depth)
    nodes: list[dict] = []
    levels: list[list[dict]] = []
    for level, count in enumerate(counts):
        row = []
        parents = levels[-1] if levels else []
        order = rng.sample(parents, len(parents))
        for i in range(count):
            # Every parent gets a child before any gets a second, so the tree keeps its depth.
            parent = None if level == 0 else (order[i] if i < len(order) else rng.choice(parents))
            node = {"id": ids[len(nodes)], "level": level, "parent": parent, "children": []}
            if parent is not None:
                parent["children"].append(node)
            row.append(node)
            nodes.append(node)
        levels.append(row)
    _name_tree(rng, levels)
    for i, node in enumerate(nodes):
        parent = node["parent"]
        node["path"] = f"{parent['path'] if parent else '/'}{node['id']}/"
        node["obj"] = Department(
            id=node["id"],
            name=node["name"],
            code=f"{CODE_PREFIX}{i + 1:04d}",
            parent_id=parent["id"] if parent else None,
            path=node["path"],
            depth=node["level"],
            description=text.department_description(rng, node["name"]),
            responsibilities=text.duty_lines(rng, 3, 5),
            sort_order=0,
        )
    for parent in nodes:
        for order, child in enumerate(parent["children"]):
            child["obj"].sort_order = order
    return nodes


def _name_tree(rng, levels: list[list[dict]]) -> None:
    root = levels[0][0]
    root.update(name=ROOT_NAME, domain="ops")
    for i, node in enumerate(levels[1] if len(levels) > 1 else []):
        if i < len(text.LEVEL1):
            node["name"], node["domain"] = text.LEVEL1[i]
        else:
            node["name"], node["domain"] = f"{text.REGIONS[i % len(text.REGIONS)]}区域事业部{i // 10 or ''}", "bu"
    for level in levels[2:]:
        for node in level:
            node["domain"] = node["parent"]["domain"]
    for parent in (n for row in levels[1:] for n in row):
        stock = (
            text.LEVEL2[parent["domain"]]
            if parent["level"] == 1
            else text.LEVEL3
            if parent["level"] == 2
            else text.LEVEL4
        )
        stock = rng.sample(stock, len(stock)) if parent["level"] >= 2 else stock
        core = parent["name"].rstrip("科室部组") if parent["level"] >= 2 else ""
        core = core.removesuffix("车间") if parent["level"] == 3 else core
        for j, child in enumerate(parent["children"]):
            name = stock[j % len(stock)]
            if j >= len(stock):
                name = f"{text.REGIONS[j % len(text.REGIONS)]}{name}"
            child["name"] = f"{core}{name}" if parent["level"] == 3 else name


def _plan_positions(rng, nodes: list[dict]) -> list[Position]:
    ids = iter(_reserve_ids(Position, sum(6 for _ in nodes)))
    positions = []
    for node in nodes:
        title = "总经理" if node["level"] == 0 else text.HEAD_TITLE.get(node["level"], "负责人")
        head_name = title if node["level"] == 0 else f"{node['name']}{title}"
        node["head_post"] = Position(
            id=next(ids),
            department_id=node["id"],
            name=head_name[:100],
            is_head=True,
            duties=text.duty_lines(rng),
            sort_order=0,
        )
        posts = text.MEMBER_POSTS[node["domain"]]
        node["member_posts"] = [
            Position(
                id=next(ids),
                department_id=node["id"],
                name=name,
                is_head=False,
                duties=text.duty_lines(rng),
                sort_order=k + 1,
            )
            for k, name in enumerate(rng.sample(posts, min(len(posts), rng.randint(2, 4))))
        ]
        positions.append(node["head_post"])
        positions.extend(node["member_posts"])
    for n, pos in enumerate(positions, start=1):
        pos.code = f"{CODE_PREFIX}p{n:05d}"
    return positions


def _pick(rng, nodes, test, avoid=()):
    found = [n for n in nodes if test(n) and n not in avoid]
    return rng.choice(found) if found else None


def _allocate_members(rng, nodes: list[dict], members: int) -> tuple[Counter, dict, dict]:
    """Members per department: one team of ~50 for the bench manager, one big
    department (its page paginates), the rest spread with leaves weighted up."""
    leaf = lambda n: not n["children"]  # noqa: E731
    plain = lambda n: n["domain"] not in ("ops", "hr", "it")  # noqa: E731
    team = (
        _pick(rng, nodes, lambda n: leaf(n) and plain(n) and n["level"] >= 2)
        or _pick(rng, nodes, lambda n: n["level"] >= 1 and plain(n))
        or _pick(rng, nodes, lambda n: n["level"] >= 1)
    )
    big = (
        _pick(rng, nodes, lambda n: n["children"] and n["domain"] == "prod" and n["level"] >= 2, [team])
        or _pick(rng, nodes, lambda n: n["children"] and n["level"] >= 1, [team])
        or _pick(rng, nodes, lambda n: True, [team])
    )
    alloc = Counter()
    alloc[team["id"]] = max(2, round(members * MANAGER_TEAM_SHARE))
    alloc[big["id"]] += max(1, round(members * BIG_DEPT_SHARE))
    # Someone to play hr, ops and admin, whatever the sizes.
    for domain in ("hr", "ops", "it"):
        unit = next((n for n in nodes if n["level"] == 1 and n["domain"] == domain), None)
        if unit is not None:
            alloc[unit["id"]] += 1
    rest = members - sum(alloc.values())
    if rest < 0:
        raise CommandError("Too few employees for the departments asked for.")
    others = [n for n in nodes if n is not team and n is not big]
    weights = [(3.0 if leaf(n) else 1.0) * rng.uniform(0.4, 1.6) for n in others]
    alloc.update(n["id"] for n in rng.choices(others, weights=weights, k=rest))
    return alloc, team, big


def _plan_people(rng, today, nodes: list[dict], total: int):
    User = get_user_model()
    members_total = total - len(nodes)
    alloc, team, _big = _allocate_members(rng, nodes, members_total)
    ids = iter(_reserve_ids(User, total))
    users, roles = [], {}
    serial = [0]

    def person(node, post, manager_id, head=False):
        serial[0] += 1
        hired = today - timedelta(days=rng.randint(30, 18 * 365))
        user = User(
            id=next(ids),
            username=f"{USERNAME_PREFIX}{serial[0]:05d}",
            employee_no=f"S{serial[0]:05d}",
            display_name=text.person_name(rng),
            department_id=node["id"],
            position_id=post.id,
            manager_id=manager_id,
            hire_date=hired,
            password=make_password(None),
            is_active=True,
            phone=f"1{rng.choice('3578')}{rng.randrange(10**9):09d}",
        )
        user.email = f"{user.username}@scale.example.com"
        users.append(user)
        rs = ["staff"] + (["manager"] if head else [])
        if node["domain"] == "hr" and node["level"] >= 1:
            rs.append("hr")
        if node["domain"] == "ops" and node["level"] >= 1:
            rs.append("ops")
        roles[user.id] = rs
        return user

    for node in nodes:  # level order: a parent's head exists before its children's
        parent = node["parent"]
        node["head"] = person(node, node["head_post"], parent["head"].id if parent else None, head=True)
        node["obj"].head_id = node["head"].id
    members_by_node = {}
    for node in nodes:
        members_by_node[node["id"]] = [
            person(node, rng.choice(node["member_posts"]), node["head"].id) for _ in range(alloc[node["id"]])
        ]

    def member_of(domain):
        for node in nodes:
            if node["domain"] == domain and node["level"] >= 1 and members_by_node[node["id"]]:
                return members_by_node[node["id"]][-1]
        return None

    picked = {"gm": nodes[0]["head"], "manager": team["head"], "staff": members_by_node[team["id"]][0]}
    head_ids = {n["head"].id for n in nodes}
    for role, domain in (("hr", "hr"), ("ops", "ops"), ("admin", "it")):
        user = member_of(domain)
        taken = {u.id for u in picked.values()}
        if user is None or user.id in taken:
            user = next(u for u in users if u.id not in taken and u.id not in head_ids)
        picked[role] = user
    for role, user in picked.items():
        user.username = f"bench-{role}"
        user.email = f"bench-{role}@scale.example.com"
    admin = picked["admin"]
    admin.is_staff = admin.is_superuser = True  # admin changelists need model permissions
    roles[admin.id] = sorted(set(roles[admin.id]) | {"admin"})
    roles[picked["hr"].id] = sorted(set(roles[picked["hr"].id]) | {"hr"})
    roles[picked["ops"].id] = sorted(set(roles[picked["ops"].id]) | {"ops"})

    # A few people have left: still in their department, no longer active.
    protected = {u.id for u in picked.values()} | head_ids
    for user in users:
        if user.id not in protected and rng.random() < 0.015:
            user.is_active = False
            user.leave_date = today - timedelta(days=rng.randint(1, 400))
    return users, roles, {role: u.username for role, u in picked.items()}


def _fill_ctx(ctx: dict, bench: dict) -> None:
    User = get_user_model()
    ctx["department_ids"] = list(Department.objects.order_by("path").values_list("pk", flat=True))
    active = User.objects.filter(is_active=True, department__isnull=False).order_by("pk")
    ctx["manager_of"] = dict(active.values_list("pk", "manager_id"))
    ctx["user_ids"] = list(ctx["manager_of"])
    ctx["heads"] = dict(Department.objects.exclude(head=None).values_list("pk", "head_id"))
    ctx["bench_users"] = bench
