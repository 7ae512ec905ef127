"""The company default template shipped by seed_demo (domain data, in Chinese):
results 60, ability 20, attitude and teamwork 20, split into concrete criteria."""

from django.db import transaction

from .models import Criterion, Template

DEFAULT_TEMPLATE_NAME = "通用岗位季度考核表"
DEFAULT_CRITERIA = [
    (
        "results",
        "任务完成情况",
        30,
        "本期工作计划、岗位职责和上级交办任务的完成程度。",
        ("全部完成且超额完成关键任务", "按时完成全部任务", "基本完成，个别任务延期", "多项任务未完成"),
    ),
    (
        "results",
        "工作质量",
        20,
        "工作成果的准确性、规范性，差错与返工情况。",
        ("成果零差错，可作为范例", "偶有小错，及时纠正", "有差错但未造成损失", "差错频繁或造成损失"),
    ),
    (
        "results",
        "工作效率",
        10,
        "在规定时间内完成工作的能力，资源使用是否合理。",
        ("显著提前完成，主动优化流程", "按期完成", "需督促才能按期完成", "经常延误"),
    ),
    (
        "ability",
        "专业知识与技能",
        10,
        "岗位所需专业知识和技能的掌握与运用。",
        ("精通并能指导他人", "熟练运用", "基本掌握", "明显不足，影响工作"),
    ),
    (
        "ability",
        "沟通协调与问题解决",
        10,
        "跨部门沟通、协调资源并解决问题的能力。",
        ("主动协调，独立解决复杂问题", "沟通顺畅，能解决常见问题", "需要上级协助", "沟通不畅，问题积压"),
    ),
    (
        "attitude",
        "责任心与纪律性",
        10,
        "对工作结果负责，遵守公司制度和劳动纪律。",
        ("高度负责，模范遵守制度", "认真负责，遵守制度", "偶有疏忽", "责任心差或违反制度"),
    ),
    (
        "attitude",
        "团队协作",
        10,
        "与同事合作、分享信息、支持团队目标。",
        ("积极支持他人，带动团队", "乐于合作", "合作一般", "不配合团队工作"),
    ),
]


@transaction.atomic
def ensure_default_template() -> Template:
    template = Template.objects.filter(name=DEFAULT_TEMPLATE_NAME).first()
    if template is None:
        template = Template.objects.create(
            name=DEFAULT_TEMPLATE_NAME,
            is_default=not Template.objects.filter(is_default=True).exists(),
            description="适用于未单独指定考核表的岗位：工作业绩 60%，工作能力 20%，工作态度与团队协作 20%。",
        )
        Criterion.objects.bulk_create(
            [
                Criterion(
                    template=template,
                    group=group,
                    name=name,
                    weight=weight,
                    description=desc,
                    guidance_excellent=g[0],
                    guidance_good=g[1],
                    guidance_pass=g[2],
                    guidance_fail=g[3],
                    sort_order=i,
                )
                for i, (group, name, weight, desc, g) in enumerate(DEFAULT_CRITERIA)
            ]
        )
    return template
