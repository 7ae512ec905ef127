"""Large spreadsheet imports are read by a Celery worker, not by the web request.

The upload request stores the file in Redis (bounded by the upload limit, kept an hour),
queues `core.read_import` and answers at once with a page showing a progress bar that
refreshes itself; the worker reads the rows (reporting how far it got) and hands them to
the importing app, whose preview page the progress page then opens. Small files are read in
the request as before. The importing app is found as a plug-in: `apps/<app>/importing.py`
with IMPORT_KIND, read_table(filename, data, progress=None) and
store_batch(*, user_id, filename, rows) -> the preview URL."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import redirect
from django.utils import translation

from .plugins import app_modules

KEEP_SECONDS = 3600


def async_from_bytes() -> int:
    return getattr(settings, "IMPORT_ASYNC_FROM_BYTES", 256 * 1024)


def importer(kind: str):
    for module in app_modules("importing"):
        if getattr(module, "IMPORT_KIND", None) == kind:
            return module
    raise LookupError(kind)


def _key(job: str) -> str:
    return f"import-job:{job}"


def state(job: str) -> dict | None:
    return cache.get(_key(job))


def _save(job: str, **values) -> None:
    current = cache.get(_key(job)) or {}
    cache.set(_key(job), {**current, **values}, timeout=KEEP_SECONDS)


def start(request, *, kind: str, upload, data: bytes):
    """Queue the reading of a large upload and send the browser to its progress page; for a
    small one return None (the caller reads it in the request)."""
    if len(data) < async_from_bytes():
        return None
    from .tasks import read_import

    job = uuid.uuid4().hex
    cache.set(f"{_key(job)}:data", data, timeout=KEEP_SECONDS)
    _save(
        job,
        kind=kind,
        user_id=request.user.pk,
        filename=upload.name,
        back=request.get_full_path(),
        lang=translation.get_language(),  # the worker's messages in the uploader's language
        state="queued",
        done=0,
        total=0,
    )
    read_import.apply_async(args=[job], queue=settings.CELERY_TASK_DEFAULT_QUEUE)
    return redirect("core:import_progress", job)


def run(job: str) -> None:
    """The worker's part: read, report progress, store the batch, say where to go."""
    from .spreadsheets import ImportFileError

    info = state(job)
    data = cache.get(f"{_key(job)}:data")
    if info is None or data is None:
        return
    module = importer(info["kind"])
    _save(job, state="reading")

    def progress(done: int, total: int) -> None:
        _save(job, done=done, total=total)

    try:
        with translation.override(info.get("lang")):
            rows = module.read_table(info["filename"], data, progress=progress)
    except ImportFileError as exc:
        _save(job, state="failed", error=str(exc))
    else:
        url = module.store_batch(user_id=info["user_id"], filename=info["filename"], rows=rows)
        _save(job, state="done", done=len(rows), total=len(rows), url=url)
    finally:
        cache.delete(f"{_key(job)}:data")
