"""Loaded into a test worker with `--include`: a job that does the real reminder scan and then,
while the marker file exists, waits (inside its transaction) so the test can SIGKILL it."""

import os
import time
from pathlib import Path

from apps.notifications import reminding
from apps.scheduling.registry import job
from opsportal.celery import app

# Kombu sweeps for unacknowledged messages every unacked_restore_interval x throttle seconds
# (100 s by default); a test with a 3 s visibility timeout wants it every second.
app.conf.broker_transport_options = {
    **(app.conf.broker_transport_options or {}),
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}


@job("test.slow_scan")
def slow_scan(now) -> int:
    sent = reminding.scan_all(now)
    marker = Path(os.environ.get("SLOW_JOB_MARKER", "/nonexistent"))
    started = Path(str(marker) + ".inside")
    if marker.exists():
        started.write_text(str(sent))  # tells the test: writes done, transaction still open
        deadline = time.monotonic() + 120
        while marker.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
    return sent
