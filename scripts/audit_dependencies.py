"""Dependency audit (pip-audit against requirements.txt), reported truthfully.

pip-audit asks the PyPI JSON API (or OSV) about each pinned package. On a machine without
that service it "finds no known vulnerabilities" while having audited nothing; this script
says so instead. Exit status: 1 when vulnerabilities were found, 0 otherwise (including
"nothing could be checked", which is printed plainly so CI logs do not mislead)."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    proc = subprocess.run(
        [sys.executable, "-m", "pip_audit", "-r", "requirements.txt", "-f", "json", "--progress-spinner", "off"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    try:
        report = json.loads(proc.stdout or "{}")
    except json.JSONDecodeError:
        report = {}
    deps = report.get("dependencies", [])
    audited = [d for d in deps if "skip_reason" not in d]
    vulnerable = [d for d in audited if d.get("vulns")]
    if not deps or not audited:
        reason = (proc.stderr.strip().splitlines() or ["no answer"])[-1][:300]
        print(
            f"dependency audit: NOT DONE - no vulnerability database was reachable ({len(deps)} packages, 0 checked)."
        )
        print(f"dependency audit: last message: {reason}")
        return 0
    skipped = len(deps) - len(audited)
    print(f"dependency audit: {len(audited)} packages checked, {skipped} could not be, {len(vulnerable)} vulnerable.")
    for d in vulnerable:
        for v in d["vulns"]:
            print(f"  {d['name']} {d['version']}: {v['id']} (fixed in {', '.join(v.get('fix_versions') or ['?'])})")
    return 1 if vulnerable else 0


if __name__ == "__main__":
    sys.exit(main())
