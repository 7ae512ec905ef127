"""pg_dump of the configured database (run inside opsportal.devstack by `make backup`)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opsportal.settings")
django.setup()
from django.conf import settings  # noqa: E402


def main(target: str) -> None:
    db = settings.DATABASES["default"]
    pg_dump = shutil.which("pg_dump")
    if db["HOST"].startswith("/") or pg_dump is None:
        import pgserver  # the embedded server's own client matches its version

        pg_dump = str(Path(pgserver.__file__).parent / "pginstall" / "bin" / "pg_dump")
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    args = [pg_dump, "--format=custom", f"--file={target}", "-h", db["HOST"], "-U", db["USER"] or "postgres"]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    subprocess.run([*args, db["NAME"]], check=True, env=env)
    print(f"backup written to {target}")


if __name__ == "__main__":
    main(sys.argv[1])
