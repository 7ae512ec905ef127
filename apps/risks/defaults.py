"""The register's starting lists: categories, the 5 × 5 scale with what each level means, and
the level bands. Written by migration 0002 and again by `generate_scale_data --reset` (which
empties every portal table); administrators edit them afterwards. Creating twice adds nothing."""

CATEGORIES = [
    ("strategic", "战略风险", "Strategic"),
    ("operational", "运营风险", "Operational"),
    ("financial", "财务风险", "Financial"),
    ("compliance", "合规风险", "Compliance"),
    ("market", "市场风险", "Market"),
    ("it", "信息技术与数据风险", "IT and data"),
    ("safety", "安全风险", "Safety"),
]
LIKELIHOOD = [
    (1, "极少", "Rare", "几乎不会发生；十年以上一次", "Almost never; less than once in ten years"),
    (2, "不太可能", "Unlikely", "可能发生但不常见；每三至十年一次", "Could happen; once in three to ten years"),
    (3, "可能", "Possible", "有时发生；每一至三年一次", "Happens at times; once in one to three years"),
    (4, "很可能", "Likely", "经常发生；每年一次或以上", "Happens often; once a year or more"),
    (
        5,
        "几乎确定",
        "Almost certain",
        "预计在多数情况下都会发生；每月一次或以上",
        "Expected in most cases; monthly or more",
    ),
]
IMPACT = [
    (1, "轻微", "Minor", "损失小于1万元；无外部影响", "Loss under ¥10,000; no outside effect"),
    (
        2,
        "较小",
        "Moderate",
        "损失1万至10万元；局部业务短时受影响",
        "Loss ¥10,000–100,000; a part of the business briefly affected",
    ),
    (
        3,
        "中等",
        "Significant",
        "损失10万至100万元；客户投诉或监管问询",
        "Loss ¥100,000–1 million; customer complaints or a regulator's inquiry",
    ),
    (
        4,
        "重大",
        "Major",
        "损失100万至1000万元；业务中断或监管处罚",
        "Loss ¥1–10 million; business interruption or a regulatory penalty",
    ),
    (
        5,
        "灾难性",
        "Severe",
        "损失超过1000万元；公司声誉或经营受到严重威胁",
        "Loss over ¥10 million; the company's reputation or operation seriously threatened",
    ),
]
BANDS = [("low", 1), ("medium", 5), ("high", 10), ("extreme", 16)]


def ensure_defaults(Category, ScaleLevel, LevelBand) -> None:
    """Create what is missing (model classes passed in, so the migration can use its own)."""
    for order, (code, name, name_en) in enumerate(CATEGORIES):
        Category.objects.get_or_create(code=code, defaults={"name": name, "name_en": name_en, "sort_order": order})
    for axis, levels in (("likelihood", LIKELIHOOD), ("impact", IMPACT)):
        for value, name, name_en, meaning, meaning_en in levels:
            ScaleLevel.objects.get_or_create(
                axis=axis,
                value=value,
                defaults={"name": name, "name_en": name_en, "meaning": meaning, "meaning_en": meaning_en},
            )
    for level, minimum in BANDS:
        LevelBand.objects.get_or_create(level=level, defaults={"min_score": minimum})
