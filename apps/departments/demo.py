"""`seed_demo` part for the organisation: a believable company of about 60 people."""

import random
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from apps.accounts.services import user_set_roles

from . import services
from .demo_data import COMPANY, DEMO_LOGINS, DEPARTMENTS, GIVEN, SURNAMES
from .models import Department, Position

# members per department besides its head (and the demo logins placed there)
STAFF_PER_DEPT = {
    "board": 1,
    "supervisors": 1,
    "gm-office": 1,
    "finance": 3,
    "hr": 2,
    "marketing": 3,
    "production": 5,
    "rnd": 5,
    "service": 4,
    "ops": 0,
    "ops-planning": 2,
    "ops-data": 2,
    "ops-process": 2,
    "ops-pmo": 2,
    "purchasing": 2,
    "quality": 3,
    "sales": 5,
}


def seed(ctx: dict) -> None:
    User = get_user_model()
    rng = random.Random(2026)
    password_hash = make_password(settings.DEMO_PASSWORD)  # hashed once, shared by the demo people
    depts = _departments()
    positions = {p.code: p for p in Position.objects.all()}
    users = {u.username: u for u in User.objects.all()}
    used_names = {u.display_name for u in users.values()}
    counter = [User.objects.exclude(employee_no=None).count()]

    def person(username, name, dept_code, position_code, roles, manager=None):
        user = users.get(username)
        if user is None:
            counter[0] += 1
            user = User(username=username, employee_no=f"E{counter[0]:04d}", password=password_hash)
            user.display_name = name
            user.email = f"{username}@huachen.example.com"
            user.department = depts[dept_code]
            user.position = positions.get(position_code)
            user.manager = manager
            user.hire_date = date(2015 + rng.randrange(11), rng.randrange(1, 13), rng.randrange(1, 28))
            user.save()
            user_set_roles(user=user, roles=roles)
            users[username] = user
        used_names.add(user.display_name)
        return user

    def random_name():
        while True:
            name = rng.choice(SURNAMES) + rng.choice(GIVEN)
            if name not in used_names:
                used_names.add(name)
                return name

    logins = {row[0]: row for row in DEMO_LOGINS}
    gm_row = logins["gm"]
    chair = person("board-chair", "赵德明", "board", "board-chair", ["staff", "manager"])
    gm = person(gm_row[0], gm_row[1], gm_row[2], gm_row[3], gm_row[4], manager=chair)
    _set_head(depts["company"], gm)
    _set_head(depts["gm-office"], gm)
    _set_head(depts["board"], chair)

    # Heads first, so members can report to them.
    heads = {"gm-office": gm, "board": chair}
    for code, _name, parent, _d, _r, posts in DEPARTMENTS:
        if code in heads:
            continue
        head_post = next((p for p in posts if p[2]), None)
        login = next((r for r in DEMO_LOGINS if r[2] == code and r[3] == (head_post[0] if head_post else None)), None)
        if head_post:
            if login:
                head = person(login[0], login[1], code, head_post[0], login[4], manager=gm)
            else:
                head = person(
                    f"{code}-head",
                    random_name(),
                    code,
                    head_post[0],
                    _roles_for(code, True),
                    manager=chair if code == "supervisors" else gm,
                )
        else:
            # A group (组) of a department: its leader is the first member, under the parent's head.
            member_post = posts[0][0]
            head = person(
                f"{code}-lead", random_name(), code, member_post, _roles_for(code, False), manager=heads[parent]
            )
        heads[code] = head
        _set_head(depts[code], head)

    for code, _name, _parent, _d, _r, posts in DEPARTMENTS:
        staff_posts = [p[0] for p in posts if not p[2]] or [posts[0][0]]
        for row in DEMO_LOGINS:
            if row[2] == code and row[0] not in ("gm", "manager"):
                mgr = users.get(row[5]) if row[5] else heads[code]
                person(row[0], row[1], code, row[3], row[4], manager=mgr)
        for i in range(STAFF_PER_DEPT.get(code, 0)):
            person(
                f"{code}-{i + 1:02d}",
                random_name(),
                code,
                staff_posts[i % len(staff_posts)],
                _roles_for(code, False),
                manager=heads[code],
            )
    ctx["departments"] = depts
    ctx["users"] = users
    ctx["heads"] = heads
    ctx["stdout"].write(f"  organisation: {len(depts)} departments, {len(users)} people")


def _roles_for(dept_code: str, is_head: bool) -> list[str]:
    roles = ["staff"]
    if is_head:
        roles.append("manager")
    if dept_code == "hr":
        roles.append("hr")
    if dept_code.startswith("ops"):
        roles.append("ops")
    return roles


def _set_head(dept: Department, user) -> None:
    if dept.head_id != user.pk:
        Department.objects.filter(pk=dept.pk).update(head=user)
        dept.head = user


def _departments() -> dict[str, Department]:
    depts = {d.code: d for d in Department.objects.all()}
    if COMPANY[1] not in depts:
        depts[COMPANY[1]] = services.department_create(
            name=COMPANY[0],
            code=COMPANY[1],
            description="一家从事智能制造设备研发、生产与销售的科技企业。",
        )
    for order, (code, name, parent, description, responsibilities, posts) in enumerate(DEPARTMENTS):
        if code not in depts:
            depts[code] = services.department_create(
                name=name,
                code=code,
                parent=depts[parent],
                description=description,
                responsibilities=responsibilities,
                sort_order=order,
            )
        for p_order, (p_code, p_name, is_head, duties) in enumerate(posts):
            Position.objects.get_or_create(
                code=p_code,
                defaults={
                    "department": depts[code],
                    "name": p_name,
                    "is_head": is_head,
                    "duties": duties,
                    "sort_order": p_order,
                },
            )
    return depts
