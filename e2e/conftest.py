"""The portal in a real browser: Debian's chromium driven by Playwright (never a downloaded
browser), against a live server started here on its own database (the DATABASE_URL server,
database <name>_e2e, migrated and loaded with the demo company), real Redis and a real
Celery worker. Screenshots go to test-output/e2e/. Run with `make test-e2e`."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "test-output" / "e2e"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PASSWORD = os.environ.get("DEMO_PASSWORD", "opsportal-demo")


def _free_port() -> int:
    wanted = os.environ.get("E2E_PORT")
    if wanted:
        return int(wanted)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env() -> dict:
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/opsportal")
    server, _, name = base.rpartition("/")
    return {
        **os.environ,
        "DATABASE_URL": f"{server}/{name.split('?')[0]}_e2e",
        "DEBUG": "1",
        "CELERY_QUEUE": f"e2e-{uuid.uuid4().hex[:8]}",
        "DJANGO_SETTINGS_MODULE": "opsportal.settings",
    }


def _run(args, env):
    subprocess.run([sys.executable, *args], cwd=ROOT, env=env, check=True, timeout=900)


def _database(env) -> None:
    import psycopg2

    server, _, name = env["DATABASE_URL"].rpartition("/")
    conn = psycopg2.connect(f"{server}/postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()


@pytest.fixture(scope="session")
def portal_env():
    """The environment of the live portal's processes (its database, its Celery queue)."""
    return _env()


@pytest.fixture(scope="session")
def portal(portal_env):
    """The base URL of a live portal (web + Celery worker) on a fresh demo database.
    E2E_URL=http://127.0.0.1:8000 uses a portal already running on the demo company instead
    (quicker while working on a page; CI always starts its own)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium")
    if os.environ.get("E2E_URL"):
        yield os.environ["E2E_URL"].rstrip("/")
        return
    env = portal_env
    _database(env)
    _run(["manage.py", "migrate", "--noinput", "-v", "0"], env)
    _run(["manage.py", "seed_demo"], env)
    port = _free_port()
    OUTPUT.mkdir(parents=True, exist_ok=True)
    logs = open(OUTPUT / "server.log", "w")  # noqa: SIM115 (closed at the end of the session)
    procs = [
        subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT, env=env, stdout=logs, stderr=subprocess.STDOUT, start_new_session=True,
        ),
        subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "opsportal", "worker", "-Q", env["CELERY_QUEUE"],
             "--pool=solo", "--without-gossip", "--without-mingle", "--loglevel=WARNING"],
            cwd=ROOT, env=env, stdout=logs, stderr=subprocess.STDOUT, start_new_session=True,
        ),
    ]  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{base}/accounts/login/", timeout=2)
            break
        except OSError:
            if time.monotonic() > deadline:
                pytest.fail("the live server did not answer within 60 s (see test-output/e2e/server.log)")
            time.sleep(0.5)
    yield base
    for proc in procs:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
    logs.close()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": ["--no-sandbox", "--disable-gpu"]}


@pytest.fixture
def shot(request):
    """shot(page, "name"): a full-page screenshot under test-output/e2e/<test>/."""
    folder = OUTPUT / request.node.name.replace("[", "-").replace("]", "")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    counter = iter(range(1, 100))

    def take(page, name):
        page.screenshot(path=str(folder / f"{next(counter):02d}-{name}.png"), full_page=True)

    return take


@pytest.fixture
def background(portal, portal_env):
    """background(code): Python run by `manage.py shell` on the live portal's database, for
    what the rest of the company does meanwhile (never for a step the journey is proving)."""

    def run(code: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", code],
            cwd=ROOT, env=portal_env, check=True, timeout=300, capture_output=True, text=True,
        )  # fmt: skip
        return done.stdout

    return run


@pytest.fixture
def sign_in(portal):
    def login(page, username, language="zh-hans"):
        page.context.clear_cookies()
        page.context.add_cookies([{"name": "django_language", "value": language, "url": portal}])
        page.goto(f"{portal}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state()

    return login
