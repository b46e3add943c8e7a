"""deploy/nginx/patient-voice.conf: accepted by `nginx -t`, and run on 127.0.0.1 with a self-signed certificate
in front of the two instances as their systemd unit starts them (`python -m bot serve --role web|worker`)."""

from __future__ import annotations

import asyncio
import json
import os
import re
import shlex
import signal
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from tests.deploy.conftest import DEPLOY, INSTALLED, ROOT, run, tool, unit_lines
from tests.fakes.databases import drop_database, pg_database
from tests.fakes.harness import LINE_SECRET, sign
from tests.fakes.line import FakeLine
from tests.fakes.telegram import FakeTelegram

pytestmark = pytest.mark.subprocess
SITE = DEPLOY / "nginx" / "patient-voice.conf"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (fullchain.pem, privkey.pem)."""
    cert, key = tmp_path / "fullchain.pem", tmp_path / "privkey.pem"
    run(tool("openssl"), "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
        "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert)
    return cert, key


def _main_config(tmp_path: Path, site: str) -> Path:
    """An nginx.conf like Debian's (the site included in http{}), with every path of its own under tmp_path."""
    (tmp_path / "site.conf").write_text(site)
    for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp_path / name).mkdir(exist_ok=True)
    main = tmp_path / "nginx.conf"
    main.write_text(f"""
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log;
worker_processes 1;
events {{ worker_connections 64; }}
http {{
    access_log {tmp_path}/access.log;
    client_body_temp_path {tmp_path}/client_body;
    proxy_temp_path {tmp_path}/proxy;
    fastcgi_temp_path {tmp_path}/fastcgi;
    uwsgi_temp_path {tmp_path}/uwsgi;
    scgi_temp_path {tmp_path}/scgi;
    include {tmp_path}/site.conf;
}}
""")
    return main


def _with_certificate(site: str, cert: Path, key: Path) -> str:
    out = site.replace("/etc/ssl/patient-voice/fullchain.pem", str(cert))
    out = out.replace("/etc/ssl/patient-voice/privkey.pem", str(key))
    assert out.count(str(cert)) == 1 and out.count(str(key)) == 1
    return out


def test_site_passes_nginx_t(tmp_path: Path, certificate: tuple[Path, Path]) -> None:
    """`nginx -t` accepts the site as shipped (only the certificate's paths point at a test one)."""
    site = _with_certificate(SITE.read_text(), *certificate)
    done = run(tool("nginx"), "-t", "-c", _main_config(tmp_path, site), "-e", tmp_path / "error.log")
    assert "syntax is ok" in done.stderr and "test is successful" in done.stderr


def test_nginx_t_catches_a_mistake(tmp_path: Path, certificate: tuple[Path, Path]) -> None:
    site = _with_certificate(SITE.read_text(), *certificate).replace("proxy_pass", "proxy_passs", 1)
    done = run(tool("nginx"), "-t", "-c", _main_config(tmp_path, site), "-e", tmp_path / "error.log", check=False)
    assert done.returncode != 0 and "proxy_passs" in done.stderr


def _instance_env(role: str, tmp_path: Path, url: str, line: FakeLine, telegram: FakeTelegram,
                  port: int) -> dict[str, str]:
    """The environment systemd gives the instance: deploy/patient-voice.env.example and deploy/ROLE.env as
    EnvironmentFile=, the unit's Environment= — with the test's database, fakes, port and directories."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("LINE_", "TELEGRAM_", "DATABASE_", "PUBLIC_BASE", "CONFIG_DIR", "ENVIRONMENT"))}
    for path in (DEPLOY / "patient-voice.env.example", DEPLOY / f"{role}.env"):
        env.update(unit_lines(path))
    for key, value in unit_lines(DEPLOY / "systemd" / "patient-voice@.service"):
        if key == "Environment":
            env.update(item.split("=", 1) for item in shlex.split(value.replace("%i", role)))
    env = {k: v.replace("/var/cache/patient-voice", str(tmp_path / "cache")) for k, v in env.items()}
    assert int(env["PORT"]) in (8081, 8082) and env["ENVIRONMENT"] == "production"
    env.update({
        "PORT": str(port), "DATABASE_URL": url, "CONFIG_DIR": str(ROOT / "config"),
        "MEDIA_DIR": str(tmp_path / "media"), "PUBLIC_BASE_URL": "https://127.0.0.1",
        "DASHBOARD_SECRET": "deploy-test-dashboard-secret-0123456789",
        "LINE_CHANNEL_SECRET": LINE_SECRET, "LINE_CHANNEL_ACCESS_TOKEN": line.access_token,
        "LINE_API_BASE_URL": line.url, "LINE_DATA_API_BASE_URL": line.url,
        "TELEGRAM_BOT_TOKEN": telegram.token, "TELEGRAM_API_BASE_URL": f"{telegram.url}/bot",
        "TELEGRAM_API_FILE_URL": f"{telegram.url}/file/bot", "TELEGRAM_BOT_USERNAME": telegram.username,
        "TELEGRAM_WEBHOOK_SECRET": "deploy-test-telegram-secret-0123456789", "WORKER_POLL_SECONDS": "0.05",
    })
    return env


@pytest.fixture
def processes() -> Iterator[dict[str, subprocess.Popen[bytes]]]:
    started: dict[str, subprocess.Popen[bytes]] = {}
    yield started
    for proc in started.values():
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    for proc in started.values():
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()


async def _up(http: aiohttp.ClientSession, url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    for _ in range(1200):
        assert proc.poll() is None, f"{url} exited at start:\n{log.read_text()[-3000:]}"
        try:
            async with http.get(f"{url}/healthz") as resp:
                if resp.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.05)
    raise AssertionError(f"{url} did not start")


@pytest.mark.slow
@pytest.mark.postgres
async def test_https_through_nginx_to_both_instances(
    tmp_path: Path, certificate: tuple[Path, Path], fake_line: FakeLine, fake_telegram: FakeTelegram,
    processes: dict[str, subprocess.Popen[bytes]],
) -> None:
    """nginx with the shipped site on a free port, TLS with a self-signed certificate, in front of
    patient-voice@web and @worker started as their unit says: a patient's LINE message through HTTPS is
    acknowledged and answered; /metrics is not served to the outside; with web stopped (an upgrade's restart)
    the worker takes the requests."""
    nginx = tool("nginx")
    url = await pg_database()
    try:
        unit = dict(unit_lines(DEPLOY / "systemd" / "patient-voice@.service"))
        argv = shlex.split(unit["ExecStart"].replace(f"{INSTALLED}/.venv/bin/python", str(ROOT / ".venv/bin/python")))
        ports = {"web": _free_port(), "worker": _free_port()}
        for role, port in ports.items():
            log = tmp_path / f"{role}.log"
            processes[role] = subprocess.Popen(
                [a.replace("%i", role) for a in argv], cwd=ROOT, stdout=log.open("wb"), stderr=subprocess.STDOUT,
                env=_instance_env(role, tmp_path, url, fake_line, fake_telegram, port))
        https, http_port = _free_port(), _free_port()
        site = _with_certificate(SITE.read_text(), *certificate)
        for old, new in ((r"listen 443 ssl http2;", f"listen 127.0.0.1:{https} ssl http2;"),
                         (r"listen \[::\]:443 ssl http2;\n", ""), (r"listen \[::\]:80;\n", ""),
                         (r"listen 80;", f"listen 127.0.0.1:{http_port};"),
                         (r"127\.0\.0\.1:8081", f"127.0.0.1:{ports['web']}"),
                         (r"127\.0\.0\.1:8082", f"127.0.0.1:{ports['worker']}")):
            site, n = re.subn(old, new, site)
            assert n == 1, old
        config = _main_config(tmp_path, site)
        processes["nginx"] = subprocess.Popen([nginx, "-c", str(config), "-e", str(tmp_path / "error.log"),
                                               "-g", "daemon off;"], stderr=subprocess.PIPE)
        tls = ssl.create_default_context(cafile=str(certificate[0]))  # verified: the certificate nginx serves
        base = f"https://127.0.0.1:{https}"
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=tls)) as http:
            for role, port in ports.items():
                await _up(http, f"http://127.0.0.1:{port}", processes[role], tmp_path / f"{role}.log")
            await _up(http, base, processes["nginx"], tmp_path / "error.log")
            async with http.get(f"http://127.0.0.1:{http_port}/healthz", allow_redirects=False) as resp:
                assert resp.status == 301 and resp.headers["Location"].startswith("https://")
            async with http.get(f"{base}/metrics") as resp:
                assert resp.status == 404
            async with http.get(f"http://127.0.0.1:{ports['worker']}/metrics") as resp:
                assert "pv_inbound_events_total" in await resp.text()  # on 127.0.0.1, for Prometheus

            async def say(user: str, text: str) -> None:
                event = {"type": "message", "mode": "active", "timestamp": int(time.time() * 1000),
                         "source": {"type": "user", "userId": user}, "webhookEventId": os.urandom(13).hex().upper(),
                         "replyToken": fake_line.reply_token_for(user), "deliveryContext": {"isRedelivery": False},
                         "message": {"id": os.urandom(6).hex(), "type": "text", "text": text, "quoteToken": "q"}}
                body = json.dumps({"destination": "U0", "events": [event]}, ensure_ascii=False).encode()
                async with http.post(f"{base}/webhook/line", data=body, headers={
                        "Content-Type": "application/json", "X-Line-Signature": sign(body)}) as resp:
                    assert resp.status == 200, await resp.text()

            await say("U-proxy", "สวัสดีค่ะ")
            assert "สวัสดีค่ะ" in (await fake_line.messages_to("U-proxy", wait_for=1, timeout=30))[0].text

            processes["web"].send_signal(signal.SIGTERM)  # patient-voice@web restarts during an upgrade
            processes["web"].wait(20)
            async with http.get(f"{base}/healthz") as resp:
                assert resp.status == 200
            await say("U-proxy-2", "สวัสดีครับ")
            assert await fake_line.messages_to("U-proxy-2", wait_for=1, timeout=30)
        access = (tmp_path / "access.log").read_text()
        assert access.count("POST /webhook/line") == 2
    finally:
        await drop_database(url)
