"""Attachments of a regulation version: what may be uploaded (type and size), checked on
the file's first bytes as well as its name, and the services that add, remove and copy them."""

from __future__ import annotations

import mimetypes
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import HistoryAction, PolicyAttachment, PolicyVersion, VersionStatus

MAX_BYTES = getattr(settings, "POLICY_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024)
MAX_PER_VERSION = 30
_ZIP, _OLE, _PDF = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"%PDF"
# extension -> accepted first bytes (None: a text file, checked for NUL bytes instead)
ALLOWED: dict[str, tuple[bytes, ...] | None] = {
    ".pdf": (_PDF,),
    ".docx": (_ZIP,),
    ".xlsx": (_ZIP,),
    ".pptx": (_ZIP,),
    ".doc": (_OLE,),
    ".xls": (_OLE,),
    ".ppt": (_OLE,),
    ".wps": (_OLE,),
    ".et": (_OLE,),
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".txt": None,
    ".csv": None,
}
# Kept on drafts and on the version in force (a signed scan comes after approval).
ATTACHABLE = (VersionStatus.DRAFT, VersionStatus.PUBLISHED)


def validate_upload(upload) -> str:
    """The file's safe name, or a ValidationError in the user's language."""
    name = PurePath(upload.name or "").name.strip()
    ext = PurePath(name).suffix.lower()
    if ext not in ALLOWED:
        raise ValidationError(
            _("Files of type %(ext)s cannot be attached. Allowed: %(allowed)s.")
            % {"ext": ext or "—", "allowed": " ".join(sorted(ALLOWED))}
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."))
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("The file is %(size)s MB; at most %(max)s MB may be attached.")
            % {"size": round(upload.size / 1048576, 1), "max": MAX_BYTES // 1048576}
        )
    head = upload.read(8)
    upload.seek(0)
    signatures = ALLOWED[ext]
    if (signatures is None and b"\x00" in upload.read(4096)) or (
        signatures is not None and not head.startswith(signatures)
    ):
        raise ValidationError(_("The file's content is not a %(ext)s file.") % {"ext": ext})
    upload.seek(0)
    return name[-200:]


@transaction.atomic
def attachment_add(*, version: PolicyVersion, actor, upload) -> PolicyAttachment:
    version = PolicyVersion.objects.select_for_update().get(pk=version.pk)
    if version.status not in ATTACHABLE:
        raise ValidationError(_("Files can be attached to a draft or to the version in force only."))
    if version.attachments.count() >= MAX_PER_VERSION:
        raise ValidationError(_("A version may have at most %(n)s attachments.") % {"n": MAX_PER_VERSION})
    name = validate_upload(upload)
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    attachment = PolicyAttachment(
        version=version, name=name, size=upload.size, content_type=content_type, uploaded_by=actor
    )
    attachment.file.save(name, upload, save=False)
    attachment.save()
    from .services import _history

    _history(policy=version.policy, version=version, actor=actor, action=HistoryAction.EDIT, comment=f"+ {name}")
    return attachment


@transaction.atomic
def attachment_delete(*, attachment: PolicyAttachment, actor) -> None:
    version = PolicyVersion.objects.select_for_update().get(pk=attachment.version_id)
    if version.status != VersionStatus.DRAFT:
        raise ValidationError(_("Attachments of an approved version stay with it."))
    name = attachment.name
    shared = PolicyAttachment.objects.filter(file=attachment.file.name).exclude(pk=attachment.pk).exists()
    attachment.delete()
    if not shared:  # the file may still belong to an earlier version
        transaction.on_commit(lambda: attachment.file.storage.delete(attachment.file.name))
    from .services import _history

    _history(policy=version.policy, version=version, actor=actor, action=HistoryAction.EDIT, comment=f"- {name}")


def copy_attachments(*, source: PolicyVersion, target: PolicyVersion) -> None:
    """A new draft starts with the attachments of the version it was copied from (same files)."""
    PolicyAttachment.objects.bulk_create(
        PolicyAttachment(
            version=target,
            file=a.file.name,
            name=a.name,
            size=a.size,
            content_type=a.content_type,
            uploaded_by=a.uploaded_by,
        )
        for a in source.attachments.all()
    )
