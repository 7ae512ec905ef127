"""Register import: upload → preview with every row's errors → apply all rows or none."""

from dataclasses import asdict

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.spreadsheets import ImportFileError

from . import importing
from .models import RegisterImport

may_import = permission_required("risks.import", raise_exception=True)


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Register file (.xlsx or .csv)"))


@may_import
def upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        f = form.cleaned_data["file"]
        try:
            if f.size > importing.MAX_BYTES:
                raise ImportFileError(_("The file is larger than 5 MB."))
            rows = importing.validate(importing.read_rows(f.name, f.read()))
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            batch = RegisterImport.objects.create(
                created_by=request.user, filename=f.name[:255], rows=[asdict(r) for r in rows]
            )
            return redirect("risks:import_preview", batch.pk)
    return render(request, "risks/import.html", {"form": form, "columns": importing.COLUMNS})


@may_import
def preview(request, pk):
    batch = get_object_or_404(RegisterImport, pk=pk, created_by=request.user)
    errors = [r for r in batch.rows if r["errors"]]
    if request.method == "POST":
        if errors:
            messages.error(request, _("Fix the rows with errors and upload the file again; nothing was saved."))
            return redirect("risks:import_preview", pk)
        try:
            with transaction.atomic():
                locked = RegisterImport.objects.select_for_update().get(pk=pk)
                if locked.applied_at:
                    messages.info(request, _("This file was imported already."))
                    return redirect("risks:register")
                count = importing.apply([r["values"] for r in locked.rows], actor=request.user)
                locked.applied_at, locked.applied_count = timezone.now(), count
                locked.save(update_fields=["applied_at", "applied_count"])
        except ValidationError as exc:
            messages.error(request, _("Nothing was saved: %(e)s") % {"e": " ".join(exc.messages)})
            return redirect("risks:import_preview", pk)
        messages.success(request, _("%(n)s risks imported.") % {"n": count})
        return redirect("risks:register")
    return render(request, "risks/import_preview.html", {"batch": batch, "rows": batch.rows, "errors": errors})
