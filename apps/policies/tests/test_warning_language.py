"""The importer's warnings and upload errors are in the reader's language: a draft keeps codes
and parameters, and each page renders them in the language of whoever reads it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from apps.policies.models import PolicyVersion
from apps.policies.parsing import ParseInputError, parse_text, read_upload
from apps.policies.parsing.warnings import MESSAGES, ParseWarning, render

from .test_import_roundtrip import form_data

GAPPY = "考勤制度\n第一条 总则。\n第二条 范围。\n第九条 附则。\n本办法自XXX年XX月XX日起施行。"


def test_warnings_are_codes_rendered_in_the_active_language():
    result = parse_text(GAPPY)
    assert [w.code for w in result.warnings] == ["gap_range", "placeholder_date"]
    with translation.override("zh-hans"):
        assert str(result.warnings[0]) == "第二条 后出现 第九条（缺少第三条至第八条），可能是节选或修订后的文本"
    with translation.override("en"):
        assert str(result.warnings[0]) == (
            "第二条 is followed by 第九条 (第三条 to 第八条 missing); perhaps an excerpt or an amended text"
        )
        assert str(result.warnings[1]).startswith("The effective date is a placeholder never filled in: ")


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_every_warning_renders_in_both_languages(code):
    params = {
        "label": "第三条",
        "previous": None,
        "missing": ["第一条", "第二条"],
        "first": "第一条",
        "last": "第二条",
        "line": "- 1 -",
        "counter": "_第1页",
        "examples": ["企業(yè)", "管理(guǎn lǐ)"],
        "count": 2,
        "text": "自2026年2月30日起施行",
    }
    with translation.override("en"):
        english = render({"code": code, "params": params})
    with translation.override("zh-hans"):
        chinese = render({"code": code, "params": params})
    assert english != chinese and "%(" not in english + chinese
    if "missing" in str(MESSAGES[code]):
        assert "第一条、第二条" in chinese and "第一条, 第二条" in english
    if "previous" in str(MESSAGES[code]):
        assert "无" in chinese and "none" in english


def test_unknown_codes_are_refused_and_old_plain_strings_shown_as_written():
    with pytest.raises(ValueError):
        ParseWarning("no-such-code")
    assert render("第七条 后出现 第九条（缺少第八条）") == "第七条 后出现 第九条（缺少第八条）"
    assert render({"code": "from-a-later-release", "params": {}}) == "from-a-later-release"


def test_upload_errors_follow_the_language():
    with translation.override("en"), pytest.raises(ParseInputError, match="Files of type .odt are not supported"):
        read_upload("a.odt", b"PK")
    with translation.override("zh-hans"), pytest.raises(ParseInputError, match="不支持的文件类型 .odt"):
        read_upload("a.odt", b"PK")


def test_saved_draft_shows_its_warnings_in_the_readers_language(org, client_for):
    client = client_for(org["ops"])
    upload = SimpleUploadedFile("考勤.txt", GAPPY.encode())
    assert client.post(reverse("policies:create"), {**form_data(org, text=""), "upload": upload}).status_code == 302
    version = PolicyVersion.objects.get(policy__code="IMP-001")
    assert version.parse_warnings[0] == {
        "code": "gap_range",
        "params": {"label": "第九条", "first": "第三条", "last": "第八条", "previous": "第二条"},
    }
    chinese = client.get(version.get_absolute_url()).content.decode()
    client.post(reverse("accounts:set_language"), {"language": "en", "next": "/"})
    english = client.get(version.get_absolute_url()).content.decode()
    assert "缺少第三条至第八条" in chinese and "The effective date is a placeholder never filled in" not in chinese
    assert "(第三条 to 第八条 missing); perhaps an excerpt" in english
    assert "The effective date is a placeholder never filled in" in english and "缺少" not in english


def test_preview_warnings_in_english(org, client_for):
    upload = SimpleUploadedFile("考勤.txt", GAPPY.encode())
    data = {**form_data(org, text=""), "upload": upload, "preview": "1"}
    data.pop("save")
    client = client_for(org["ops"])
    client.post(reverse("accounts:set_language"), {"language": "en", "next": "/"})
    page = client.post(reverse("policies:create"), data).content.decode()
    assert "第二条 is followed by 第九条" in page
