import factory
from django.utils import timezone

from apps.departments.tests.factories import DepartmentFactory

from .. import services
from ..models import ChangeRequest, Process


class ProcessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Process

    code = factory.Sequence(lambda n: f"P-{n:04d}")
    name = factory.Sequence(lambda n: f"流程{n}")
    department = factory.SubFactory(DepartmentFactory)
    purpose = "规范业务办理"
    start_trigger = "收到申请"
    end_condition = "归档完成"


def step(key, name, dept, *, position=None, next_=None, **extra):
    """A step dict; next_ is a list of keys or (key, condition) tuples."""
    nxt = [{"to": n, "condition": ""} if isinstance(n, str) else {"to": n[0], "condition": n[1]} for n in (next_ or [])]
    return {
        "key": key,
        "name": name,
        "department_id": dept.pk,
        "position_id": position.pk if position else None,
        "description": extra.get("description", ""),
        "inputs": extra.get("inputs", ""),
        "outputs": extra.get("outputs", ""),
        "time_limit_hours": extra.get("time_limit_hours"),
        "next": nxt,
    }


def linear_steps(dept, n=3, prefix="步骤"):
    keys = [f"s{i + 1}" for i in range(n)]
    return [step(k, f"{prefix}{i + 1}", dept, next_=[keys[i + 1]] if i + 1 < n else []) for i, k in enumerate(keys)]


def published_process(dept, *, user=None, steps=None, **fields) -> Process:
    process = ProcessFactory(department=dept, **fields)
    services.version_publish(
        process=process, steps=steps or linear_steps(dept), user=user, effective_date=timezone.localdate()
    )
    return process


def change_request(process, proposer, *, steps=None, submit=False, **fields) -> ChangeRequest:
    from ..steps import version_steps

    if steps is None:
        steps = version_steps(process.current_version)
        steps[0] = {**steps[0], "name": steps[0]["name"] + "（修订）"}
    cr = services.change_request_create(
        process=process,
        proposer=proposer,
        title=fields.pop("title", "优化流程"),
        reason=fields.pop("reason", "提高效率"),
        steps=steps,
        **fields,
    )
    if submit:
        cr = services.change_request_transition(cr=cr, user=proposer, action="submit")
    return cr
