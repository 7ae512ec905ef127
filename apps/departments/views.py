from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import ProtectedError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from apps.core.permissions import require_perm

from . import selectors, services
from .forms import DepartmentForm, EmployeeImportForm, PositionForm
from .importing import TEMPLATE_HEADER, ImportFileError, read_table, validate_rows
from .models import Department, EmployeeImport, Position

view_org = require_perm("departments.view_org")
edit_org = require_perm("departments.edit_org")
import_employees = require_perm("departments.import_employees")


@view_org
def org_chart(request):
    return render(request, "departments/org_chart.html", {"rows": selectors.org_rows(selectors.org_tree())})


@view_org
def department_detail(request, code):
    try:
        dept = selectors.department_detail(code)
    except Department.DoesNotExist:
        raise Http404 from None
    members = Paginator(selectors.department_members(dept), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "departments/department_detail.html",
        {
            "dept": dept,
            "breadcrumbs": selectors.department_breadcrumbs(dept),
            "children": selectors.department_children(dept),
            "positions": selectors.department_positions(dept),
            "page_obj": members,
        },
    )


@view_org
def person_detail(request, username):
    try:
        person = selectors.person_detail(username)
    except get_user_model().DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "departments/person_detail.html",
        {
            "person": person,
            "reports": selectors.person_reports(person),
            "breadcrumbs": selectors.department_breadcrumbs(person.department) + [person.department]
            if person.department_id
            else [],
        },
    )


@edit_org
def department_edit(request, code=None):
    dept = get_object_or_404(Department, code=code) if code else None
    initial = {}
    if dept is None and request.GET.get("parent"):
        initial["parent"] = Department.objects.filter(code=request.GET["parent"]).first()
    form = DepartmentForm(request.POST or None, instance=dept, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in form.Meta.fields}
        try:
            if dept is None:
                dept = services.department_create(**data)
                messages.success(request, _("Department “%(name)s” created.") % {"name": dept.name})
            else:
                dept = services.department_update(department=dept, **data)
                messages.success(request, _("Department “%(name)s” saved.") % {"name": dept.name})
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect(dept)
    return render(request, "departments/department_form.html", {"form": form, "dept": dept})


@edit_org
def department_delete(request, code):
    dept = get_object_or_404(Department, code=code)
    if request.method == "POST":
        try:
            dept.delete()
        except ProtectedError:
            messages.error(
                request, _("“%(name)s” still has sub-departments: move or delete them first.") % {"name": dept.name}
            )
            return redirect(dept)
        messages.success(request, _("Department “%(name)s” deleted.") % {"name": dept.name})
        return redirect("departments:org_chart")
    return render(request, "departments/department_confirm_delete.html", {"dept": dept})


@edit_org
def position_edit(request, code, position_code=None):
    dept = get_object_or_404(Department, code=code)
    position = get_object_or_404(Position, code=position_code, department=dept) if position_code else None
    form = PositionForm(request.POST or None, instance=position)
    if request.method == "POST" and form.is_valid():
        try:
            services.position_save(position=position, department=dept, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Position saved."))
            return redirect(dept)
    return render(request, "departments/position_form.html", {"form": form, "dept": dept, "position": position})


@import_employees
def employee_import(request):
    form = EmployeeImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            raw = read_table(upload.name, upload.read())
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            batch = EmployeeImport.objects.create(created_by=request.user, filename=upload.name, rows=raw)
            return redirect("departments:employee_import_preview", batch.pk)
    return render(request, "departments/employee_import.html", {"form": form})


@import_employees
def employee_import_preview(request, pk):
    batch = get_object_or_404(EmployeeImport, pk=pk, created_by=request.user)
    if request.method == "POST":
        try:
            created, updated = services.employee_import_apply(
                batch=batch, send_activation=request.POST.get("send_activation") == "1", actor=request.user
            )
        except services.ImportNotValid:
            messages.error(request, _("The file has errors; nothing was saved."))
        else:
            messages.success(
                request, _("Import done: %(c)d people added, %(u)d updated.") % {"c": created, "u": updated}
            )
            return redirect("departments:org_chart")
    rows = validate_rows(batch.rows)
    bad = [r for r in rows if r.errors]
    return render(
        request,
        "departments/employee_import_preview.html",
        {
            "batch": batch,
            "rows": rows,
            "bad_count": len(bad),
            "new_count": sum(r.is_new for r in rows),
        },
    )


@import_employees
def employee_import_template(request):
    import csv

    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="employees-template.csv"'
    response.write("\ufeff")  # so Excel opens UTF-8 Chinese correctly
    writer = csv.writer(response)
    writer.writerow(TEMPLATE_HEADER)
    writer.writerow(
        ["E0999", "zhangsan", "张三", "zhangsan@example.com", "ops-planning", "", "E0002", "2026-01-05", ""]
    )
    return response
