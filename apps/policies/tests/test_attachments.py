"""Attachments of a version: limited in type and size, served only to those who may
read the version (404 otherwise), kept per version and carried into the next draft."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.policies import services
from apps.policies.models import PolicyAttachment

from .documents import make_pdf
from .factories import make_draft, publish

PDF = make_pdf(["附件：报销申请表"])


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(client, version, name="申请表.pdf", content=PDF):
    url = reverse("policies:attachment_upload", args=[version.policy.code, version.label])
    return client.post(url, {"file": SimpleUploadedFile(name, content)}, follow=True)


def download_url(attachment):
    version = attachment.version
    return reverse("policies:attachment", args=[version.policy.code, version.label, attachment.pk])


def test_editor_attaches_to_a_draft_and_readers_download_after_publication(org, client_for):
    draft = make_draft(actor=org["ops"], owning_department=org["sales_dept"])
    editor = client_for(org["ops"])
    page = upload(editor, draft).content.decode()
    attachment = PolicyAttachment.objects.get(version=draft)
    assert attachment.name == "申请表.pdf" and attachment.size == len(PDF)
    assert "申请表.pdf" in page
    # A draft's attachment is as hidden as the draft itself.
    assert client_for(org["staff"]).get(download_url(attachment)).status_code == 404
    publish(draft, head=org["manager"], ops=org["ops_head"])
    response = client_for(org["staff"]).get(download_url(attachment))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Cache-Control"] == "private, no-store"
    assert "attachment" in response["Content-Disposition"]


def test_restricted_policy_attachment_is_404_for_outsiders(org, client_for, restricted, rnd):
    upload(client_for(org["ops"]), restricted)
    attachment = PolicyAttachment.objects.get(version=restricted)
    assert client_for(rnd["member"]).get(download_url(attachment)).status_code == 200
    assert client_for(org["staff"]).get(download_url(attachment)).status_code == 404
    assert client_for(None).get(download_url(attachment)).status_code in (302, 404)


def test_attachment_of_another_version_is_404(org, client_for, published):
    draft = make_draft(actor=org["ops"], owning_department=org["sales_dept"])
    upload(client_for(org["ops"]), draft)
    attachment = PolicyAttachment.objects.get(version=draft)
    url = reverse("policies:attachment", args=[published.policy.code, published.label, attachment.pk])
    assert client_for(org["admin"]).get(url).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("run.exe", b"MZ\x90\x00", "cannot be attached"),
        ("empty.pdf", b"", "empty"),
        ("fake.pdf", b"<html>not a pdf</html>", "not a .pdf file"),
        ("fake.docx", b"%PDF-1.4", "not a .docx file"),
    ],
)
def test_type_and_content_are_checked(org, client_for, name, content, message):
    draft = make_draft(actor=org["ops"], owning_department=org["sales_dept"])
    client = client_for(org["ops"])
    client.cookies["django_language"] = "en"
    page = upload(client, draft, name, content).content.decode()
    assert message in page
    assert not PolicyAttachment.objects.exists()


def test_size_is_limited(org, client_for, monkeypatch):
    from apps.policies import attachments

    monkeypatch.setattr(attachments, "MAX_BYTES", 1000)
    draft = make_draft(actor=org["ops"], owning_department=org["sales_dept"])
    upload(client_for(org["ops"]), draft, "big.txt", b"x" * 1001)
    assert not PolicyAttachment.objects.exists()


def test_only_editors_may_upload_or_remove(org, client_for):
    draft = make_draft(actor=org["ops"], owning_department=org["sales_dept"])
    assert upload(client_for(org["staff"]), draft).redirect_chain == []  # 404, nothing saved
    assert not PolicyAttachment.objects.exists()
    upload(client_for(org["ops"]), draft)
    attachment = PolicyAttachment.objects.get()
    url = reverse("policies:attachment_delete", args=[draft.policy.code, draft.label, attachment.pk])
    assert client_for(org["staff"]).post(url).status_code == 404
    assert client_for(org["ops"]).post(url).status_code == 302
    assert not PolicyAttachment.objects.exists()


def test_attachments_are_kept_per_version_and_copied_into_the_next_draft(org, client_for):
    version = make_draft(actor=org["ops"], owning_department=org["sales_dept"])
    upload(client_for(org["ops"]), version)
    publish(version, head=org["manager"], ops=org["ops_head"])
    draft = services.draft_from_current(policy=version.policy, actor=org["ops"])
    copied = PolicyAttachment.objects.get(version=draft)
    original = PolicyAttachment.objects.get(version=version)
    assert copied.file.name == original.file.name
    # Removing it from the draft leaves the published version's file in place.
    client_for(org["ops"]).post(reverse("policies:attachment_delete", args=[draft.policy.code, draft.label, copied.pk]))
    assert client_for(org["staff"]).get(download_url(original)).status_code == 200
    # An approved version keeps its attachments.
    url = reverse("policies:attachment_delete", args=[version.policy.code, version.label, original.pk])
    client_for(org["ops"]).post(url)
    assert PolicyAttachment.objects.filter(pk=original.pk).exists()


def test_detail_queries_do_not_grow_with_attachments_tables_or_abolished(org, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .factories import make_published

    def queries(code):
        with CaptureQueriesContext(connection) as ctx:
            assert client_for(org["staff"]).get(reverse("policies:detail", args=[code])).status_code == 200
        return len(ctx.captured_queries)

    table = "\n".join("| 岗位 | 职责 |" for _ in range(3))
    counts = []
    for code, n in (("FEW", 1), ("MANY", 25)):
        old = [make_published(org=org, code=f"{code}-OLD-{k}").policy for k in range(n)]
        text = "多附件制度\n" + "\n".join(f"第{k}条 见下表：\n{table}" for k in range(1, n + 1))
        version = make_published(org=org, code=code, text=text, replaces=old)
        PolicyAttachment.objects.bulk_create(
            PolicyAttachment(version=version, file=f"x/{code}-{k}.pdf", name=f"{k}.pdf", size=1, content_type="x")
            for k in range(n)
        )
        counts.append(queries(code))
    assert counts[0] == counts[1]
