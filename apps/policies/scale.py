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
# Words of each topic, so that texts differ by subject the way real regulations do (a search
# for 发票 or 考勤 finds the regulations about them, not every text alike).
TOPIC_TERMS = {
    "费用": ["报销单", "发票", "借款", "费用预算", "付款申请", "差旅补助"],
    "采购": ["询价单", "比价记录", "招标文件", "验收单", "采购申请", "供应商报价"],
    "合同": ["合同文本", "法务审查意见", "用印申请", "合同台账", "履约情况", "补充协议"],
    "档案": ["档案目录", "借阅登记", "电子档案", "归档清单", "销毁记录", "保管期限"],
    "会议": ["会议纪要", "议程", "决议事项", "参会名单", "会议室预订", "督办清单"],
    "培训": ["培训需求", "课程表", "讲师名单", "培训效果评估", "学时记录", "考试成绩"],
    "考勤": ["打卡记录", "请假单", "加班申请", "调休记录", "迟到早退", "出勤统计"],
    "安全生产": ["隐患排查表", "安全交底", "特种作业证", "应急演练", "事故报告", "安全巡查"],
    "质量": ["检验报告", "不合格品", "纠正预防措施", "质量目标", "来料检验", "客户投诉"],
    "信息安全": ["账号权限", "密码策略", "数据备份", "漏洞扫描", "访问日志", "终端管理"],
    "资产": ["固定资产卡片", "资产盘点", "报废申请", "调拨单", "资产编号", "折旧记录"],
    "印章": ["用印登记", "印章保管", "外借审批", "电子签章", "印模备案", "用印申请"],
    "用车": ["派车单", "行车记录", "油耗统计", "车辆保养", "违章处理", "出车登记"],
    "差旅": ["出差申请", "机票", "住宿标准", "行程单", "差旅补助", "交通费"],
    "招聘": ["招聘需求", "面试评价", "录用通知", "背景调查", "入职手续", "试用期考核"],
    "绩效": ["考核指标", "评分表", "考核等级", "绩效面谈", "结果申诉", "绩效奖金"],
    "项目": ["立项申请", "项目计划", "里程碑", "验收报告", "变更申请", "项目周报"],
    "供应商": ["准入评审", "供应商评价", "黑名单", "年度复审", "现场审核", "合作协议"],
    "库存": ["入库单", "出库单", "盘点差异", "安全库存", "呆滞物料", "库位调整"],
    "客户服务": ["客户投诉", "回访记录", "服务工单", "满意度调查", "处理时限", "知识库"],
    "数据": ["数据字典", "报表口径", "数据质量", "指标定义", "数据权限", "数据脱敏"],
    "风险": ["风险清单", "风险矩阵", "应对措施", "预警指标", "风险评估", "整改跟踪"],
    "保密": ["保密协议", "涉密文件", "密级标识", "脱密处理", "保密检查", "泄密事件"],
    "值班": ["值班表", "交接班记录", "值班日志", "突发事件", "值班电话", "巡检记录"],
    "车辆": ["车辆档案", "保险续保", "年检", "车辆调度", "维修申请", "加油卡"],
    "办公用品": ["领用登记", "采购清单", "库存台账", "低值易耗品", "月度盘点", "申领单"],
}
TITLE_PREFIXES = ["", "", "", "公司", "集团", "关于加强", "华东区", "生产基地", "总部", "分公司"]
TRADITIONAL_SHARE = 0.03  # texts received in Traditional characters (from a Hong Kong or Taiwan office)
CHAPTERS = ["总则", "职责分工", "工作要求", "流程与审批", "监督检查", "考核与奖惩", "附则"]


def add_arguments(parser) -> None:
    parser.add_argument("--policies", type=int, default=2000, help="regulations (default 2000)")
    parser.add_argument("--articles", type=int, default=50, help="average articles per regulation (default 50)")
    parser.add_argument(
        "--ack-policies", type=int, default=12, help="regulations asking every employee to acknowledge (default 12)"
    )


def _sentence(rng, topic: str = "") -> str:
    terms = TOPIC_TERMS.get(topic)
    if terms and rng.random() < 0.6:
        a, b = rng.sample(terms, 2)
        return rng.choice(
            [
                f"{rng.choice(SUBJECTS)}{rng.choice(VERBS)}{a}，{b}须经{rng.choice(SUBJECTS)}确认。",
                f"{a}应当真实完整，{rng.choice(SUBJECTS)}对{b}{rng.choice(VERBS)}，{rng.choice(TAILS)}。",
                f"未按规定提交{a}的，{rng.choice(SUBJECTS)}不予办理{b}，{rng.choice(TAILS)}。",
            ]
        )
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
            text = "".join(_sentence(rng, topic) for _ in range(rng.randint(1, 3)))
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
                            text=_sentence(rng, topic),
                            slug=f"a{article}-i{i}",
                        )
                    )
    return rows


def _traditional(rows: list[dict]) -> list[dict]:
    import opencc

    to_t = opencc.OpenCC("s2t")
    return [
        {**r, "label": to_t.convert(r["label"]), "heading": to_t.convert(r["heading"]), "text": to_t.convert(r["text"])}
        for r in rows
    ]


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
                title=f"{rng.choice(TITLE_PREFIXES)}{topic}{rng.choice(KINDS)}",
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
        if rng.random() < TRADITIONAL_SHARE:
            rows = _traditional(rows)
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
            f"UPDATE policies_policy p SET current_version_id = v.vid FROM (VALUES {values}) AS v(pid, vid) "
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
