"""Import -> save -> render loses no text; the import page previews before it saves."""

import html
import io
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.policies.models import Policy, PolicyVersion, VersionStatus
from apps.policies.parsing import parse_text, read_upload
from apps.policies.parsing.noise import without_removed
from apps.policies.parsing.parser import normalise_input

DOCS = Path(__file__).resolve().parent / "parser_docs"
SEEDS = Path(__file__).resolve().parents[3].parent / "shared" / "seeds"
SAMPLES = sorted(p for p in DOCS.glob("*.txt") if p.name not in {"empty.txt", "binary.txt"})
SAMPLES += sorted(SEEDS.glob("*.txt")) if SEEDS.exists() else []


def squash(text: str) -> str:
    return re.sub(r"\s", "", text)


def rendered_body(page: str) -> str:
    """The text of the regulation as a reader sees it: between the header and the print footer."""
    body = page.split("</header>", 1)[1].split('<footer class="reg-print-footer">', 1)[0]
    body = re.sub(r"<button.*?</button>", "", body, flags=re.S)  # "copy link" controls
    return html.unescape(re.sub(r"<[^>]+>", "", body))


def form_data(org, **extra):
    return {
        "code": "IMP-001",
        "title": "",
        "owning_department": org["sales_dept"].pk,
        "confidentiality": "public",
        "review_interval_months": 12,
        "label": "V1",
        "ack_scope": "none",
        "save": "1",
        **extra,
    }


@pytest.mark.parametrize("path", SAMPLES, ids=[p.name for p in SAMPLES])
def test_import_save_render_loses_no_text(org, client_for, path):
    text = read_upload(path.name, path.read_bytes())
    client = client_for(org["ops"])
    response = client.post(reverse("policies:create"), form_data(org, text=text))
    assert response.status_code == 302, response.content.decode()[:2000]
    version = PolicyVersion.objects.get(policy__code="IMP-001")
    page = client.get(version.get_absolute_url()).content.decode()
    # Everything but the title is in the body, in order, nothing doubled or dropped.
    title = version.title if squash(text).startswith(squash(version.title)) else ""
    # Scraping noise is removed (and listed in the warnings); nothing else may go.
    expected = without_removed(normalise_input(text), parse_text(text).removed)
    assert squash(rendered_body(page)) == squash(expected)[len(squash(title)) :]
    assert html.escape(version.title) in page


def test_preview_shows_the_outline_and_saves_nothing(org, client_for):
    text = "差旅管理办法\n第一章 总则\n第一条 为规范差旅。\n第二条 本办法由财务部负责解释，自2026年1月1日起施行。"
    response = client_for(org["ops"]).post(
        reverse("policies:create"), {**form_data(org, text=text), "save": "", "preview": "1"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "第一章" in page and "第二条" in page and "2026-01-01" in page and "财务部" in page
    assert not Policy.objects.exists()


def test_docx_upload_is_read(org, client_for):
    import docx

    document = docx.Document()
    for line in ["用车管理规定", "第一条 公务用车由总经理办公室统一管理。", "第二条 本规定自发布之日起施行。"]:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    upload = SimpleUploadedFile("用车.docx", buffer.getvalue())
    response = client_for(org["ops"]).post(reverse("policies:create"), {**form_data(org, text=""), "upload": upload})
    assert response.status_code == 302
    version = PolicyVersion.objects.get(policy__code="IMP-001")
    assert version.title == "用车管理规定" and version.article_count == 2


@pytest.mark.parametrize(
    "name,content", [("x.txt", b""), ("x.txt", b"\x00\x01\x02binary"), ("x.docx", b"not a zip"), ("x.pdf", b"%PDF")]
)
def test_bad_upload_shows_one_clear_error(org, client_for, name, content):
    upload = SimpleUploadedFile(name, content)
    response = client_for(org["ops"]).post(reverse("policies:create"), {**form_data(org, text=""), "upload": upload})
    assert response.status_code == 200
    assert response.context["form"].errors["upload"]
    assert not Policy.objects.exists()


def test_editing_a_draft_reparses_it(org, client_for):
    client = client_for(org["ops"])
    client.post(reverse("policies:create"), form_data(org, text="甲制度\n第一条 甲。\n第二条 乙。"))
    version = PolicyVersion.objects.get(policy__code="IMP-001")
    url = reverse("policies:draft_edit", args=["IMP-001", "V1"])
    assert "第二条" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "text": "甲制度\n第一条 甲。\n第二条 乙。\n第三条 丙。",
            "title": "",
            "label": "V1",
            "ack_scope": "none",
            "save": "1",
        },
    )
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.article_count == 3 and version.status == VersionStatus.DRAFT


def test_new_version_from_copy_keeps_the_text(org, client_for, published):
    client = client_for(org["ops"])
    response = client.post(reverse("policies:draft_new", args=[published.policy.code]), {"copy": "1"})
    assert response.status_code == 302
    draft = PolicyVersion.objects.get(policy=published.policy, status=VersionStatus.DRAFT)
    assert [(n.label, n.text) for n in draft.nodes.order_by("ordinal")] == [
        (n.label, n.text) for n in published.nodes.order_by("ordinal")
    ]


def test_manager_cannot_create_for_another_department(org, client_for):
    response = client_for(org["manager"]).post(
        reverse("policies:create"),
        {**form_data(org, text="甲制度\n第一条 甲。"), "owning_department": org["ops_dept"].pk},
    )
    assert response.status_code == 200 and response.context["form"].errors["owning_department"]
    assert not Policy.objects.exists()


def test_import_fills_effective_date_and_interpreting_department(org, client_for):
    text = "差旅管理办法\n第一条 为规范差旅。\n第二条 本办法由运营管理部负责解释。\n第三条 本办法自2026年2月1日起施行。"
    client_for(org["ops"]).post(reverse("policies:create"), form_data(org, text=text))
    version = PolicyVersion.objects.select_related("policy__interpreting_department").get(policy__code="IMP-001")
    assert str(version.effective_date) == "2026-02-01"
    assert version.policy.interpreting_department == org["ops_dept"]
