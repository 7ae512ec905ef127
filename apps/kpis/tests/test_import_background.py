"""A large figure file is read by a real Celery worker while the page shows a progress bar;
an oversized file is refused before it is read."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.core.tests.test_health_and_celery import celery_worker_process  # noqa: F401 (fixture)
from apps.kpis.importing import HEADER
from apps.kpis.models import FigureImport

from .test_import import csv_bytes


@pytest.fixture(autouse=True)
def _role_groups(django_db_blocker):
    from django.contrib.auth.models import Group

    from apps.accounts.roles import Role

    with django_db_blocker.unblock():
        for role in Role.values:
            Group.objects.get_or_create(name=role)


@pytest.mark.celery_worker
def test_a_large_file_is_read_in_the_background_with_progress(kpi, client_for, settings, celery_worker_process):  # noqa: F811
    settings.CELERY_TASK_DEFAULT_QUEUE = celery_worker_process
    settings.IMPORT_ASYNC_FROM_BYTES = 10_000
    rows = [HEADER] + [
        ["S-1", "回款率", f"{2000 + i // 12}-{i % 12 + 1:02d}", "%", "", str(i % 100), ""] for i in range(3000)
    ]
    data = csv_bytes(rows)
    assert len(data) > settings.IMPORT_ASYNC_FROM_BYTES
    c = client_for(kpi["manager"])
    response = c.post(reverse("kpis:import"), {"file": SimpleUploadedFile("big.csv", data)})
    assert response.status_code == 302 and "/imports/" in response["Location"]  # answered at once
    progress_url = response["Location"]
    assert client_for(kpi["hr"]).get(progress_url).status_code == 404  # only the uploader follows it
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        page = c.get(progress_url)
        if page.status_code == 302:
            break
        assert page.status_code == 200 and 'role="progressbar"' in page.content.decode()
        time.sleep(0.2)
    else:
        pytest.fail("the worker did not finish reading within 60 s")
    batch = FigureImport.objects.get(created_by=kpi["manager"])
    assert page["Location"] == reverse("kpis:import_preview", args=[batch.pk])
    assert len(batch.rows) == 3000 and batch.rows[0]["code"] == "S-1"


def test_the_progress_page_shows_how_far_the_worker_got_and_a_failure_plainly(kpi, client_for):
    from apps.core import imports

    imports._save("job-a", user_id=kpi["manager"].pk, filename="big.csv", state="reading", done=500, total=2000)
    page = client_for(kpi["manager"]).get(reverse("core:import_progress", args=["job-a"])).content.decode()
    assert 'aria-valuenow="25"' in page and 'http-equiv="refresh"' in page
    imports._save("job-b", user_id=kpi["manager"].pk, filename="x.csv", state="failed", error="文件超过 20000 行。")
    page = client_for(kpi["manager"]).get(reverse("core:import_progress", args=["job-b"])).content.decode()
    assert "文件超过 20000 行。" in page and 'http-equiv="refresh"' not in page


def test_a_file_over_the_upload_limit_is_refused_with_a_message(kpi, client_for, settings):
    settings.SPREADSHEET_MAX_UPLOAD_BYTES = 50_000
    data = csv_bytes([HEADER] + [["S-1", "x" * 100, "2026-03", "%", "", "1", ""]] * 1000)
    response = client_for(kpi["manager"]).post(reverse("kpis:import"), {"file": SimpleUploadedFile("big.csv", data)})
    assert response.status_code == 200
    assert "MB" in str(response.context["form"].errors["file"])
    assert not FigureImport.objects.exists()
