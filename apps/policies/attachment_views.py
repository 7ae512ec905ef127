"""Attachments of a version: download (whoever may read the version, 404 otherwise),
upload and delete (those who may edit the policy)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .attachments import attachment_add
from .attachments import attachment_delete as delete_attachment
from .models import PolicyAttachment
from .views import get_policy, get_version


def attachment_download(request, code, label, pk):
    policy = get_policy(request.user, code)  # the visibility selector: 404 for the unseen
    version = get_version(request.user, policy, label)  # drafts only for those who may see them
    attachment = get_object_or_404(PolicyAttachment, pk=pk, version=version)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=attachment.name, content_type=attachment.content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _editable(request, code, label):
    policy = get_policy(request.user, code)
    if not request.user.has_perm("policies.edit_policy", policy):
        raise Http404
    return get_version(request.user, policy, label)


@require_POST
def attachment_upload(request, code, label):
    version = _editable(request, code, label)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file to attach."))
    else:
        try:
            attachment = attachment_add(version=version, actor=request.user, upload=upload)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Attached %(name)s.") % {"name": attachment.name})
    return redirect(f"{version.get_absolute_url()}#attachments")


@require_POST
def attachment_delete(request, code, label, pk):
    version = _editable(request, code, label)
    attachment = get_object_or_404(PolicyAttachment, pk=pk, version=version)
    try:
        delete_attachment(attachment=attachment, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Attachment removed."))
    return redirect(f"{version.get_absolute_url()}#attachments")
