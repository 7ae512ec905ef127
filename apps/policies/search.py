"""Search documents of the regulations library: one per regulation (title, code, preamble)
and one per article of every published, retired or superseded version (its items folded
in), placed as 制度名 › 第三章 职责分工 › 第十二条. Drafts are not indexed. Visibility is
`visible_policies(user)`, the rule every list of the library uses."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.search.registry import Document, SearchSource

from .models import Category, Policy, PolicyNode, PolicyVersion, VersionStatus
from .selectors import sees_everything, visible_policies

INDEXED_VERSIONS = (VersionStatus.PUBLISHED, VersionStatus.RETIRED, VersionStatus.SUPERSEDED)
STRUCTURE = ("part", "chapter", "section")


def _policy_documents(policies: list[Policy], versions: dict[int, list[PolicyVersion]]) -> list[Document]:
    docs = []
    for p in policies:
        current = p.current_version
        docs.append(
            Document(
                kind="policy",
                object_id=p.pk,
                owner_id=p.pk,
                title=f"{p.title}（{p.code}）",
                url=p.get_absolute_url(),
                heading=p.category.name if p.category_id else "",
                body=current.preamble if current else "",
                context=p.owning_department.name,
                names=p.title,
                category=p.category.code if p.category_id else "",
                department_id=p.owning_department_id,
                status=p.status,
                date=current.effective_date if current else None,
            )
        )
    return docs


def _article_documents(policy: Policy, version: PolicyVersion, nodes: list[PolicyNode]) -> list[Document]:
    """An article with the items under it; headings above it make its place."""
    current = version.pk == policy.current_version_id
    base_url = policy.get_absolute_url() if current else reverse("policies:version", args=[policy.code, version.label])
    docs: list[Document] = []
    open_headings: dict[int, str] = {}
    article: Document | None = None
    article_depth = 0
    for node in nodes:
        if node.kind in STRUCTURE:
            open_headings = {d: h for d, h in open_headings.items() if d < node.depth}
            open_headings[node.depth] = f"{node.label} {node.heading}".strip()
            article = None
            continue
        if article is not None and node.depth > article_depth:
            article.body += f"\n{node.label}{node.heading}{node.text}"
            continue
        open_headings = {d: h for d, h in open_headings.items() if d < node.depth}
        place = [open_headings[d] for d in sorted(open_headings)] + [f"{node.label} {node.heading}".strip()]
        article = Document(
            kind="article",
            object_id=node.pk,
            owner_id=policy.pk,
            title=f"{version.title} {node.label}" if current else f"{version.title}（{version.label}）{node.label}",
            url=f"{base_url}#{node.slug}",
            heading=" › ".join(place),
            body=node.text,
            context=policy.code,
            title_is_name=False,
            category=policy.category.code if policy.category_id else "",
            department_id=policy.owning_department_id,
            status=version.status,
            date=version.effective_date,
            is_current=current,
        )
        article_depth = node.depth
        docs.append(article)
    return docs


def documents(owner_ids):
    policies = Policy.objects.select_related("category", "owning_department", "current_version").order_by("pk")
    if owner_ids is not None:
        policies = policies.filter(pk__in=owner_ids)
    policies = list(policies)
    by_pk = {p.pk: p for p in policies}
    versions = list(
        PolicyVersion.objects.filter(policy__in=by_pk, status__in=INDEXED_VERSIONS).order_by("policy_id", "pk")
    )
    nodes: dict[int, list[PolicyNode]] = {}
    for node in PolicyNode.objects.filter(version__in=[v.pk for v in versions]).order_by("version_id", "ordinal"):
        nodes.setdefault(node.version_id, []).append(node)
    docs = _policy_documents([p for p in policies if p.current_version_id], {})
    for v in versions:
        docs.extend(_article_documents(by_pk[v.policy_id], v, nodes.get(v.pk, [])))
    return docs


def visible(user):
    return None if sees_everything(user) else visible_policies(user).values("pk")


SOURCES = [
    SearchSource(
        name="policies",
        kinds={"policy": _("Regulations"), "article": _("Articles")},
        documents=documents,
        owner_ids=lambda: (
            Policy.objects.filter(current_version__isnull=False).order_by("pk").values_list("pk", flat=True)
        ),
        visible=visible,
        categories=lambda: list(Category.objects.order_by("sort_order", "name").values_list("code", "name")),
        statuses=lambda: [(s.value, s.label) for s in INDEXED_VERSIONS],
        order=10,
    )
]
