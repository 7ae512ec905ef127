"""`generate_scale_data` part for the regulations library: by default 2,000 policies of
about 50 articles, a fifth with two or three versions, a few restricted ones, and
company-wide acknowledgements (every employee asked, most confirmed). Bulk inserts only."""

import time
from datetime import timedelta

from django.db import connection

from .demo_texts import CATEGORIES, _cn
from .models import (
    Acknowledgement,
    AckScope,
    Category,
    Confidentiality,
    HistoryAction,
    Policy,
    PolicyHistory,
    PolicyNode,
    PolicyStatus,
    PolicyVersion,
    VersionStatus,
)

SUBJECTS = [
    "各部门",
    "部门负责人",
    "归口管理部门",
    "财务部",
    "人力资源部",
    "运营管理部",
    "采购部",
    "质检部",
    "经办人",
    "项目经理",
    "全体员工",
    "信息管理员",
    "分管副总经理",
    "总经理办公室",
    "业务承办部门",
]
VERBS = [
    "应当建立",
    "负责制定",
    "定期检查",
    "组织实施",
    "及时报告",
    "严格执行",
    "按季度汇总",
    "统一归档",
    "审核确认",
    "跟踪落实",
    "每年评估",
    "如实登记",
    "按规定审批",
]
OBJECTS = [
    "工作台账",
    "管理流程",
    "考核指标",
    "风险清单",
    "审批记录",
    "培训计划",
    "供应商名录",
    "应急预案",
    "费用预算",
    "资料流转路径",
    "岗位职责",
    "合同档案",
    "质量记录",
    "会议纪要",
    "整改措施",
]
TAILS = [
    "确保工作有序开展",
    "发现问题及时整改",
    "并报分管领导审批",
    "不得擅自变更",
    "逾期未完成的应说明原因",
    "纳入部门绩效考核",
    "相关记录保存不少于三年",
    "重大事项须提交总经理办公会审议",
    "并在运营管理门户公布",
]
TOPICS = [
    "费用",
    "采购",
    "合同",
    "档案",
    "会议",
    "培训",
    "考勤",
    "安全生产",
    "质量",
    "信息安全",
    "资产",
    "印章",
    "用车",
    "差旅",
    "招聘",
    "绩效",
    "项目",
    "供应商",
    "库存",
    "客户服务",
    "数据",
    "风险",
    "保密",
    "值班",
    "车辆",
    "办公用品",
]
KINDS = ["管理制度", "管理办法", "实施细则", "管理规定", "操作规程"]
CHAPTERS = ["总则", "职责分工", "工作要求", "流程与审批", "监督检查", "考核与奖惩", "附则"]


def add_arguments(parser) -> None:
    parser.add_argument("--policies", type=int, default=2000, help="regulations (default 2000)")
    parser.add_argument("--articles", type=int, default=50, help="average articles per regulation (default 50)")
    parser.add_argument(
        "--ack-policies", type=int, default=12, help="regulations asking every employee to acknowledge (default 12)"
    )


def _sentence(rng) -> str:
    return f"{rng.choice(SUBJECTS)}{rng.choice(VERBS)}{rng.choice(OBJECTS)}，{rng.choice(TAILS)}。"


def _nodes_for(rng, n_articles: int, topic: str) -> list[dict]:
    """Chapters of articles, some with （一）（二） items; in document order with depths."""
    rows, article = [], 0
    per = max(3, n_articles // (len(CHAPTERS) - 1))
    for c, heading in enumerate(CHAPTERS, start=1):
        rows.append(
            dict(kind="chapter", depth=0, label=f"第{_cn(c)}章", number=c, heading=heading, text="", slug=f"c{c}")
        )
        count = 2 if heading == "附则" else per
        for _ in range(count):
            if heading != "附则" and article >= n_articles - 2:
                break
            article += 1
            text = "".join(_sentence(rng) for _ in range(rng.randint(1, 3)))
            if heading == "附则":
                text = rng.choice([f"本{topic}制度由运营管理部负责解释。", "本制度自发布之日起施行。"])
            rows.append(
                dict(
                    kind="article",
                    depth=1,
                    label=f"第{_cn(article)}条",
                    number=article,
                    heading="",
                    text=text,
                    slug=f"a{article}",
                )
            )
            if rng.random() < 0.2:
                rows[-1]["text"] = f"{rng.choice(SUBJECTS)}应当做好以下工作："
                for i in range(1, rng.randint(3, 5)):
                    rows.append(
                        dict(
                            kind="item",
                            depth=2,
                            label=f"（{_cn(i)}）",
                            number=i,
                            heading="",
                            text=_sentence(rng),
                            slug=f"a{article}-i{i}",
                        )
                    )
    return rows


def _revise(rng, rows: list[dict]) -> list[dict]:
    """The next version: a few articles reworded, one inserted (renumbering the rest)."""
    out = [dict(r) for r in rows]
    for r in rng.sample([r for r in out if r["kind"] == "article"], k=3):
        r["text"] = r["text"][:-1] + "，" + rng.choice(TAILS) + "。"
    at = rng.randrange(3, len(out) - 3)
    out.insert(at, dict(kind="article", depth=1, label="", number=0, heading="", text=_sentence(rng), slug=""))
    n = 0
    for r in out:
        if r["kind"] == "article":
            n += 1
            r["label"], r["number"], r["slug"] = f"第{_cn(n)}条", n, f"a{n}"
    return out


def generate(ctx: dict, options: dict) -> None:
    rng, today = ctx["rng"], ctx["today"]
    started = time.perf_counter()
    cats = []
    for order, (code, name) in enumerate(CATEGORIES):
        cats.append(Category.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})[0])
    dept_ids, user_ids = ctx["department_ids"], ctx["user_ids"]
    n_pol = options["policies"]
    policies, texts = [], []
    for i in range(n_pol):
        topic = rng.choice(TOPICS)
        restricted = rng.random() < 0.05
        policies.append(
            Policy(
                code=f"SC-{i + 1:05d}",
                title=f"{topic}{rng.choice(KINDS)}",
                category=rng.choice(cats),
                owning_department_id=rng.choice(dept_ids),
                interpreting_department_id=rng.choice(dept_ids),
                confidentiality=Confidentiality.RESTRICTED
                if restricted
                else rng.choice(["public", "public", "internal"]),
                review_interval_months=rng.choice([12, 12, 24, 36]),
                status=PolicyStatus.PUBLISHED,
                next_review_date=today + timedelta(days=rng.randint(-60, 700)),
            )
        )
        texts.append(topic)
    Policy.objects.bulk_create(policies, batch_size=1000)
    through = Policy.allowed_departments.through
    through.objects.bulk_create(
        [
            through(policy_id=p.pk, department_id=rng.choice(dept_ids))
            for p in policies
            if p.confidentiality == Confidentiality.RESTRICTED
        ],
        batch_size=1000,
    )

    versions, bodies = [], []
    ack_left = options["ack_policies"]
    for p, topic in zip(policies, texts, strict=False):
        n_versions = rng.choices([1, 2, 3], weights=[80, 14, 6])[0]
        rows = _nodes_for(rng, max(8, int(rng.gauss(options["articles"], options["articles"] / 5))), topic)
        day = today - timedelta(days=rng.randint(200, 2500))
        wants_ack = ack_left > 0 and p.confidentiality != Confidentiality.RESTRICTED
        ack_left -= wants_ack
        for n in range(1, n_versions + 1):
            if n > 1:
                rows = _revise(rng, rows)
                day = day + timedelta(days=rng.randint(150, 600))
            last = n == n_versions
            versions.append(
                PolicyVersion(
                    policy=p,
                    label=f"V{n}",
                    title=p.title,
                    effective_date=min(day, today),
                    status=VersionStatus.PUBLISHED if last else VersionStatus.SUPERSEDED,
                    change_summary="首次发布。" if n == 1 else "根据管理需要修订部分条款。",
                    article_count=sum(1 for r in rows if r["kind"] == "article"),
                    ack_scope=AckScope.EVERYONE if (last and wants_ack) else AckScope.NONE,
                    approved_by_id=ctx["heads"].get(p.owning_department_id),
                    published_at=None,
                )
            )
            bodies.append(rows)
    PolicyVersion.objects.bulk_create(versions, batch_size=1000)
    ctx["timings"].append(
        {
            "name": "policies: policies and versions",
            "seconds": time.perf_counter() - started,
            "items": len(policies) + len(versions),
        }
    )

    started = time.perf_counter()
    with connection.cursor() as cur:  # one index build at the end beats 200,000 GIN updates
        cur.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'policy_node_text_trgm'")
        had_trgm_index = cur.fetchone() is not None  # absent where pg_trgm is (embedded PostgreSQL)
        cur.execute("DROP INDEX IF EXISTS policy_node_text_trgm")
    batch, total = [], 0
    for v, rows in zip(versions, bodies, strict=False):
        for ordinal, r in enumerate(rows):
            batch.append(PolicyNode(version_id=v.pk, ordinal=ordinal, **r))
        if len(batch) >= 20000:
            PolicyNode.objects.bulk_create(batch, batch_size=5000)
            total += len(batch)
            batch = []
    PolicyNode.objects.bulk_create(batch, batch_size=5000)
    total += len(batch)
    if had_trgm_index:
        with connection.cursor() as cur:
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # run the deferred FK checks before the index build
            cur.execute("CREATE INDEX policy_node_text_trgm ON policies_policynode USING gin (text gin_trgm_ops)")
            cur.execute("SET CONSTRAINTS ALL DEFERRED")
    ctx["timings"].append({"name": "policies: article nodes", "seconds": time.perf_counter() - started, "items": total})

    started = time.perf_counter()
    current = {v.policy_id: v.pk for v in versions if v.status == VersionStatus.PUBLISHED}
    with connection.cursor() as cur:  # one UPDATE … FROM (VALUES …) instead of 2,000 saves
        values = ",".join(f"({pid},{vid})" for pid, vid in current.items())
        cur.execute(
            f"UPDATE policies_policy p SET current_version_id = v.vid FROM (VALUES {values}) AS v(pid, vid) "  # nosec B608 -- integers generated by the scale data
            "WHERE p.id = v.pid"
        )
        cur.execute(
            "UPDATE policies_policyversion SET published_at = effective_date::timestamptz "
            "WHERE policy_id IN (SELECT id FROM policies_policy WHERE code LIKE 'SC-%%')"
        )
    history = []
    for v in versions:
        history.append(
            PolicyHistory(
                policy_id=v.policy_id,
                version_id=v.pk,
                action=HistoryAction.PUBLISH,
                actor_id=v.approved_by_id,
                from_status="scheduled",
                to_status="published",
            )
        )
    PolicyHistory.objects.bulk_create(history, batch_size=5000)

    acks = []
    for v in versions:
        if v.ack_scope != AckScope.EVERYONE:
            continue
        share = rng.uniform(0.6, 0.95)
        acks.extend(Acknowledgement(user_id=u, version_id=v.pk) for u in user_ids if rng.random() < share)
    Acknowledgement.objects.bulk_create(acks, batch_size=5000)
    ctx["timings"].append(
        {
            "name": "policies: history and acknowledgements",
            "seconds": time.perf_counter() - started,
            "items": len(history) + len(acks),
        }
    )
    ctx["stdout"].write(
        f"  policies: {len(policies)} regulations, {len(versions)} versions, {total} nodes, "
        f"{len(acks)} acknowledgements"
    )
