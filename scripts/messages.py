"""Refresh and compile the Simplified Chinese catalogues (needs GNU gettext; the compiled
.mo files are committed, so running the portal does not).

Each module app keeps its own catalogue in apps/<app>/locale (its Python and templates);
the project catalogue in locale/ covers templates/, opsportal/, apps/core and apps/accounts.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
OWN_CATALOGUE = {"core", "accounts"}  # these go to the project catalogue


def run(args, cwd):
    subprocess.run(args, cwd=cwd, check=True)


def main() -> None:
    # makemessages files each string under the nearest locale/ folder above its source
    # file, so one run from the root fills every app's catalogue and the project's.
    for app in (ROOT / "apps").iterdir():
        if (app / "apps.py").exists() and app.name not in OWN_CATALOGUE:
            (app / "locale").mkdir(exist_ok=True)
    (ROOT / "locale").mkdir(exist_ok=True)
    ignores = [
        "--ignore",
        "./.venv",
        "--ignore",
        "./staticfiles",
        "--ignore",
        "./var",
        "--ignore",
        "./bench",
        "--ignore",
        "tests",
        "--ignore",
        "static",
    ]
    only = sys.argv[1:]  # `scripts/messages.py policies`: that app's catalogue alone
    if only:
        # "./x" patterns match that top-level folder only ("x/*" would match every folder named x).
        ignores += ["--ignore", "./templates", "--ignore", "./opsportal", "--ignore", "./scripts", "--ignore", "*.txt"]
        ignores += [
            arg
            for app in (ROOT / "apps").iterdir()
            if app.name not in only
            for arg in ("--ignore", f"./apps/{app.name}")
        ]
    run([PY, "manage.py", "makemessages", "-l", "zh_Hans", "--no-obsolete", *ignores], cwd=ROOT)
    targets = (
        [ROOT / "apps" / a / "locale" for a in only] if only else [ROOT / "locale", *(ROOT / "apps").glob("*/locale")]
    )
    for target in targets:
        for po in target.glob("*/LC_MESSAGES/django.po"):
            run(["msgfmt", "--check-format", "-o", str(po.with_suffix(".mo")), str(po)], cwd=ROOT)


if __name__ == "__main__":
    main()
