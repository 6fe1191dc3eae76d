"""The front a deployment puts before the service (deploy/nginx-phieu.conf, README «Triển khai»):
the real nginx before the real gunicorn. Fifty connections that send part of a request and wait
hold every thread of gunicorn alone (issue 14.3: /healthz stopped answering); behind nginx,
/healthz and a render still answer at once."""

import os
import shutil
import socket
import subprocess
import time

import pytest

from bench.load import Server, _free_port, request
from conftest import ROOT, example, pdf_pages

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SLOW = 50


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    work = tmp_path_factory.mktemp("front")
    service = Server(work, f"sqlite:///{work}/archive.sqlite3", work / "files")
    service.env |= {"PHIEU_ALLOW_ANONYMOUS_RENDER": "true", "PHIEU_TRUSTED_PROXIES": "1",
                    "PHIEU_CONVERT_WORKERS": "1"}
    service.start()
    yield service
    service.stop()


@pytest.fixture(scope="module")
def front(server, tmp_path_factory):
    """nginx with the repository's site file, only its ports changed, in a folder of its own."""
    if not os.access(NGINX, os.X_OK):
        pytest.fail("nginx is missing: `make test` installs it (scripts/install-system-deps.sh)")
    home = tmp_path_factory.mktemp("nginx")
    home.chmod(0o755)
    port = _free_port()
    site = (ROOT / "deploy" / "nginx-phieu.conf").read_text()
    assert "server 127.0.0.1:5000;" in site and "listen 80;" in site
    site = site.replace("server 127.0.0.1:5000;", f"server 127.0.0.1:{server.port};")
    site = site.replace("listen 80;", f"listen 127.0.0.1:{port};")
    (home / "site.conf").write_text(site)
    temp = "\n".join(f"    {kind}_temp_path {home}/{kind};"
                     for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (home / "nginx.conf").write_text(f"""
daemon off;
pid {home}/nginx.pid;
error_log {home}/error.log;
worker_processes 1;
{"user root;" if os.geteuid() == 0 else ""}
events {{ worker_connections 1024; }}
http {{
    access_log off;
{temp}
    include {home}/site.conf;
}}
""")
    check = subprocess.run([NGINX, "-t", "-c", f"{home}/nginx.conf", "-p", str(home)],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen([NGINX, "-c", f"{home}/nginx.conf", "-p", str(home)])
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 10
    while request("GET", f"{base}/healthz", timeout=1)[0] != 200:
        assert time.monotonic() < deadline, (home / "error.log").read_text()
        time.sleep(0.1)
    yield base
    process.terminate()
    process.wait(10)


def slow_connections(port, count=SLOW):
    """Half send an unfinished request line and headers, half a body's first byte of many."""
    sockets = []
    for number in range(count):
        sock = socket.create_connection(("127.0.0.1", port))
        if number % 2:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        else:
            sock.sendall(b"POST /api/v1/phieu-01 HTTP/1.1\r\nHost: x\r\n"
                         b"Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{")
        sockets.append(sock)
    time.sleep(0.5)
    return sockets


def answered_within(url, seconds):
    started = time.monotonic()
    status, _ = request("GET", url, timeout=seconds)
    return status == 200 and time.monotonic() - started < seconds


def test_slow_clients_hold_gunicorn_alone(server):
    """Without the front the attack works: nothing answers while they wait (gunicorn has 8
    threads). This is why a deployment open to a network needs nginx before it."""
    sockets = slow_connections(server.port)
    try:
        assert not answered_within(f"{server.base}/healthz", 2)
    finally:
        for sock in sockets:
            sock.close()
    deadline = time.monotonic() + 30
    while not answered_within(f"{server.base}/healthz", 1):
        assert time.monotonic() < deadline


def test_behind_nginx_slow_clients_stop_nothing(server, front):
    sockets = slow_connections(int(front.rsplit(":", 1)[1]))
    try:
        assert answered_within(f"{front}/healthz", 1)
        started = time.monotonic()
        status, pdf = request("POST", f"{front}/api/v1/phieu-01?format=pdf",
                              body=example("phieu-01"), timeout=60)
        assert status == 200, pdf[:300]
        assert "PHIẾU ĐÁNH GIÁ" in "".join(pdf_pages(pdf)).upper()
        assert time.monotonic() - started < 30
        # The bounds still hold, in nginx's own words before the service's: a body past
        # client_max_body_size is refused without reaching gunicorn.
        status, _ = request("POST", f"{front}/api/v1/phieu-01", body={"x": "y" * (32 << 20)})
        assert status == 413
    finally:
        for sock in sockets:
            sock.close()
