"""A .docx is a zip: the draft upload refuses one that unpacks beyond the limit before
python-docx opens it (apps/core/spreadsheets.check_archive)."""

import io
import zipfile

import pytest
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_a_docx_zip_bomb_is_refused_by_the_policy_upload(settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from apps.policies.forms import DraftTextForm

    settings.SPREADSHEET_MAX_UNZIPPED_BYTES = 1024 * 1024
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", " " * (2 * 1024 * 1024))
    with translation.override("en"):
        form = DraftTextForm(data={"label": "V1"}, files={"upload": SimpleUploadedFile("r.docx", out.getvalue())})
        assert not form.is_valid() and "unpacks" in str(form.errors["upload"])
