"""The production topology of deploy/ started here, from the same files: nginx on
deploy/nginx/buurtwacht.conf (rendered by deploy/render.py, TLS with a certificate made for
the test), the processes of deploy/Procfile (two web processes and the worker), on the
test's PostgreSQL database and on Redis (channel names and cache keys of its own)."""

import datetime as dt
import importlib.util
import ipaddress
import os
import re
import shutil
import signal
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SHELL = shutil.which("sh") or "/bin/sh"
# nginx's certificate is made for the test; urllib trusts it (and only it) when it is set.
TRUST: list[ssl.SSLContext] = []


def load_render():
    spec = importlib.util.spec_from_file_location("deploy_render", DEPLOY / "render.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def procfile() -> dict[str, str]:
    """deploy/Procfile: name -> shell command (comments and blank lines left out)."""
    lines = (DEPLOY / "Procfile").read_text().splitlines()
    found = (re.match(r"^([A-Za-z0-9_]+):\s*(.+)$", line) for line in lines)
    return {m.group(1): m.group(2) for m in found if m}


def self_signed(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert, private = folder / "cert.pem", folder / "key.pem"
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    private.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert, private


def nginx_main_config(folder: Path, site: Path) -> Path:
    """What Debian's /etc/nginx/nginx.conf gives the site file, with this test's paths."""
    main = folder / "nginx.conf"
    temp = folder / "nginx-temp"
    temp.mkdir(exist_ok=True)
    main.write_text(
        f"""
user root;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/nginx-error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    access_log {folder}/nginx-access.log;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {site};
}}
"""
    )
    return main


def get(url: str, timeout: float = 5, headers: dict | None = None) -> tuple[int, bytes, Message]:
    """(status, body, headers: case-insensitive)."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        context = TRUST[-1] if TRUST and url.startswith("https:") else None
        with urllib.request.urlopen(request, timeout=timeout, context=context) as answer:
            return answer.status, answer.read(), answer.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers


def wait_for(url: str, *, status: int = 200, timeout: float = 60) -> bytes:
    deadline = time.monotonic() + timeout
    last: object = None
    while time.monotonic() < deadline:
        try:
            code, body, _headers = get(url, timeout=3)
            if code == status:
                return body
            last = (code, body[:300])
        except OSError as error:
            last = error
        time.sleep(0.3)
    raise AssertionError(f"{url} did not answer {status}: {last}")


@dataclass
class Topology:
    folder: Path
    env: dict[str, str]
    https_port: int
    web_ports: dict[str, int]
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def origin(self) -> str:
        return f"https://127.0.0.1:{self.https_port}"

    def log(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text(errors="replace")

    def start(self, name: str, command: str) -> None:
        out = (self.folder / f"{name}.log").open("ab")
        self.processes[name] = subprocess.Popen(
            [SHELL, "-c", f"exec {command}"],
            cwd=ROOT,
            env=self.env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self, name: str) -> None:
        process = self.processes[name]
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)


def start_topology(*, folder: Path, database_url: str, free_port) -> Topology:
    web_ports = {"web1": free_port(), "web2": free_port()}
    http_port, https_port = free_port(), free_port()
    data = folder / "data"
    metrics = folder / "metrics"
    metrics.mkdir()
    secret = folder / "secret_key"
    secret.write_text(uuid.uuid4().hex * 2 + "\n")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))},
        "DJANGO_SETTINGS_MODULE": "buurtwacht.settings",
        "DATA_DIR": str(data),
        "DATABASE_URL": database_url,
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "CHANNEL_PREFIX": f"bwdeploy{uuid.uuid4().hex[:10]}.",  # this run's own names
        "SECRET_KEY_FILE": str(secret),
        "ALLOWED_HOSTS": "127.0.0.1",
        "CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{https_port}",
        "PROXY_COUNT": "1",
        "HTTPS": "1",
        "LOG_FORMAT": "json",
        "PROMETHEUS_MULTIPROC_DIR": str(metrics),
        "MAP_TILES_URL": "",
        "WORKER_HEARTBEAT_SECONDS": "1",
        "HEARTBEAT_SECONDS": "2",
        "PRESENCE_SECONDS": "6",
        "BW_PYTHON": sys.executable,
        "BW_WEB1_PORT": str(web_ports["web1"]),
        "BW_WEB2_PORT": str(web_ports["web2"]),
    }
    env.pop("SECRET_KEY", None)
    topology = Topology(folder=folder, env=env, https_port=https_port, web_ports=web_ports)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    cert, key = self_signed(folder)
    TRUST.append(ssl.create_default_context(cafile=str(cert)))
    render = load_render()
    site = folder / "buurtwacht.conf"
    site.write_text(
        render.render(
            (DEPLOY / "nginx" / "buurtwacht.conf").read_text(),
            {
                "BW_SERVER_NAME": "127.0.0.1",
                "BW_HTTP_PORT": str(http_port),
                "BW_HTTPS_PORT": str(https_port),
                "BW_WEB_PORTS": f"{web_ports['web1']} {web_ports['web2']}",
                "BW_STATIC_ROOT": str(data / "static"),
                "BW_TLS_CERTIFICATE": str(cert),
                "BW_TLS_KEY": str(key),
            },
        )
    )
    main = nginx_main_config(folder, site)
    try:
        for name, command in procfile().items():
            topology.start(name, command)
        topology.start("nginx", f"{NGINX} -c {main} -g 'daemon off;'")
        for port in web_ports.values():
            wait_for(f"http://127.0.0.1:{port}/healthz")
        wait_for(f"{topology.origin}/readyz")  # through nginx: database, Redis, worker
    except BaseException:
        topology.stop()
        raise
    return topology
