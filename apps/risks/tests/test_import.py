from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from apps.risks.models import Risk

pytestmark = pytest.mark.django_db

HEADER = ["风险名称", "风险类别", "责任部门", "责任人", "可能性", "影响程度", "剩余可能性", "剩余影响", "应对策略"]


def xlsx(rows, header=HEADER) -> SimpleUploadedFile:
    wb = Workbook()
    wb.active.append(header)
    for row in rows:
        wb.active.append(row)
    out = BytesIO()
    wb.save(out)
    return SimpleUploadedFile("register.xlsx", out.getvalue())


@pytest.fixture
def english_ops(org):
    """The messages are checked in English (their Chinese is checked by the catalogue test)."""
    org["ops"].preferred_language = "en"
    org["ops"].save(update_fields=["preferred_language"])
    return org["ops"]


def upload(client, file):
    return client.post(reverse("risks:import"), {"file": file})


def test_a_valid_register_is_previewed_then_saved_whole(org, client_for, pinned_today):
    client = client_for(org["ops"])
    before = Risk.objects.count()
    response = upload(
        client,
        xlsx(
            [
                ["渠道风险", "market", "sales", "manager", 4, 4, 3, 3, "降低"],
                ["系统风险", "信息技术与数据风险", "运营管理部", "", "", "", "", "", ""],
            ]
        ),
    )
    assert response.status_code == 302 and Risk.objects.count() == before  # nothing saved before confirming
    preview = response["Location"]
    assert "OK" in client.get(preview).content.decode() or "无误" in client.get(preview).content.decode()
    client.post(preview)
    channel = Risk.objects.get(title="渠道风险")
    assert channel.owner == org["manager"] and channel.inherent_score == 16 and channel.residual_score == 9
    assert channel.strategy == "reduce" and Risk.objects.get(title="系统风险").inherent_score is None
    client.post(preview)  # a second click imports nothing more
    assert Risk.objects.filter(title="渠道风险").count() == 1


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (["", "market", "sales", "", 1, 1, 1, 1, ""], "is empty"),
        (["x", "天气", "sales", "", 1, 1, 1, 1, ""], "Unknown category"),
        (["x", "market", "no-such-dept", "", 1, 1, 1, 1, ""], "Unknown department"),
        (["x", "market", "sales", "nobody", 1, 1, 1, 1, ""], "Unknown person"),
        (["x", "market", "sales", "", 6, 1, 1, 1, ""], "from 1 to 5"),
        (["x", "market", "sales", "", "高", 1, 1, 1, ""], "from 1 to 5"),
        (["x", "market", "sales", "", 3, "", "", "", ""], "both likelihood and impact"),
        (["x", "market", "sales", "", 3, 3, 2, "", ""], "both residual"),
        (["x", "market", "sales", "", 3, 3, 2, 2, "躲开"], "Unknown response"),
    ],
)
def test_any_bad_row_saves_nothing_and_says_which_row_and_why(english_ops, client_for, pinned_today, row, message):
    client = client_for(english_ops)
    good = ["好的风险", "market", "sales", "", 2, 2, 1, 1, ""]
    response = upload(client, xlsx([good, row]))
    page = client.get(response["Location"]).content.decode()
    assert message in page and "<td>3</td>" in page  # the bad one is row 3 of the sheet
    client.post(response["Location"])
    assert not Risk.objects.filter(title="好的风险").exists()


def test_a_file_that_is_not_a_register_is_refused_with_a_message(english_ops, client_for):
    client = client_for(english_ops)
    response = upload(client, SimpleUploadedFile("x.xlsx", b"not a zip"))
    assert response.status_code == 200 and "could not be read" in response.content.decode()
    response = upload(client, xlsx([["a"]], header=["name"]))
    assert response.status_code == 200 and "Missing columns" in response.content.decode()


def test_only_ops_and_admins_import(org, client_for):
    assert client_for(org["manager"]).get(reverse("risks:import")).status_code == 403
    assert client_for(org["admin"]).get(reverse("risks:import")).status_code == 200
