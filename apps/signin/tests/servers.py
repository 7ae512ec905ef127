"""Real servers for the sign-in tests: OpenLDAP's slapd with a small directory of its own,
and a small OpenID Connect provider (oidc_provider.py). Each listens on 127.0.0.1 only."""

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

HERE = Path(__file__).parent
SLAPD = shutil.which("slapd") or "/usr/sbin/slapd"
SLAPADD = shutil.which("slapadd") or "/usr/sbin/slapadd"
BASE = "dc=example,dc=com"
ADMIN_DN, ADMIN_PW = f"cn=admin,{BASE}", "admin-secret"


def free_port(preferred: int) -> int:
    """The preferred port when free (a developer's own range), else any free one."""
    for port in (preferred, 0):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise RuntimeError("no free port")


def wait_for_port(port: int, proc: subprocess.Popen, what: str, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), 0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{what} did not listen on {port} within {timeout} s")


def require(binary: str) -> None:
    if not Path(binary).exists():
        message = f"{binary} is missing: apt-get install slapd ldap-utils (.ci/run does)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def write_tls_files(folder: Path) -> None:
    """A throwaway CA and a server certificate for 127.0.0.1 (StartTLS tests)."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    def key():
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)

    now = datetime.datetime.now(datetime.UTC)
    ca_key, server_key = key(), key()
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "signin test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    server = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name)
        .public_key(server_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    (folder / "ca.pem").write_bytes(ca.public_bytes(pem))
    (folder / "server.pem").write_bytes(server.public_bytes(pem))
    (folder / "server.key").write_bytes(
        server_key.private_bytes(pem, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption())
    )
    (folder / "server.key").chmod(0o600)


class Directory:
    def __init__(self, url: str, ca_file: str = ""):
        self.url = url
        self.ca_file = ca_file

    def admin(self):
        import ldap

        conn = ldap.initialize(self.url)
        conn.simple_bind_s(ADMIN_DN, ADMIN_PW)
        return conn

    def modify(self, dn: str, **attrs: str) -> None:
        import ldap

        conn = self.admin()
        try:
            conn.modify_s(dn, [(ldap.MOD_REPLACE, k, [v.encode()]) for k, v in attrs.items()])
        finally:
            conn.unbind_s()


@pytest.fixture(scope="session")
def slapd(tmp_path_factory):
    require(SLAPD)
    tmp = tmp_path_factory.mktemp("slapd")
    (tmp / "db").mkdir()
    write_tls_files(tmp)
    conf = tmp / "slapd.conf"
    conf.write_text((HERE / "directory" / "slapd.conf.in").read_text().format(dir=HERE / "directory", tmp=tmp))
    subprocess.run(
        [SLAPADD, "-f", str(conf), "-l", str(HERE / "directory" / "company.ldif")], check=True, capture_output=True
    )
    port = free_port(int(os.environ.get("SIGNIN_TEST_LDAP_PORT", "8151")))
    url = f"ldap://127.0.0.1:{port}/"
    # -d keeps slapd in the foreground (no fork), so we own the process and its end.
    proc = subprocess.Popen(
        [SLAPD, "-h", url, "-f", str(conf), "-d", "0"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        wait_for_port(port, proc, "slapd")
        yield Directory(url, ca_file=str(tmp / "ca.pem"))
    finally:
        proc.terminate()
        proc.wait(10)
