"""Load benchmark: signed LINE webhooks and Telegram updates against the running service, and against a
minimal receiver, in one run, reported as ratios.

    .venv/bin/python bench/load.py                                  # SQLite, then PostgreSQL
    .venv/bin/python bench/load.py --db sqlite --requests 3000 --concurrency 32 --json

What runs (everything on 127.0.0.1):
- fake LINE and Telegram platforms (tests/fakes) inside this process; the service sends its answers there;
- the service itself as a subprocess, `python -m bot serve`, its LINE_API_BASE_URL / TELEGRAM_API_BASE_URL
  pointing at the fakes, on a fresh SQLite file or a PostgreSQL schema of its own (a throw-away role whose
  search_path is that schema; both dropped afterwards);
- bench/minimal_receiver.py as a subprocess: verifies the signature / secret and answers 200, nothing else.

The generator sends the same mix to both: half LINE webhooks (one event each, unique webhookEventId, a
fresh reply token from the fake), half Telegram updates (unique update_id), from `--users` people per
channel speaking realistic Thai (greetings, complaints, praise, menu words, a survey start, cancel), with
`--concurrency` requests in flight, until `--requests` are sent or `--seconds` have passed. Request bodies
and signatures are built before the clock starts.

Reported per database:
- ack: requests/s answered 200 (service and minimal receiver) and p50/p99 ack latency, and the ratio;
- per CPU-second: the same counts divided by the CPU time each process used (/proc), a figure that holds
  when other jobs share the machine;
- end-to-end: events answered per second, from the first request sent to the last message the fakes got,
  once the service's inbox and outbox are drained (every event done, every message sent), and its ratio to
  the minimal receiver's ack rate; p50/p99 event-to-first-message latency from the service's own timestamps
  (inbound_events.received_at → outbound_messages.sent_at).
Goals (issue 9): ack ≥ 50 % and end-to-end ≥ 20 % of the minimal receiver's ack throughput.
"""

# ruff: noqa: ASYNC109, ASYNC220, S105  # a bench: blocking Popen at set-up, fixed test secrets
from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import hashlib
import hmac
import json
import os
import platform
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402
from sqlalchemy import text  # noqa: E402

from store.db import make_engine  # noqa: E402
from tests.fakes.line import FakeLine  # noqa: E402
from tests.fakes.telegram import FakeTelegram  # noqa: E402

LINE_SECRET = "bench-line-channel-secret-0123456789abcdef"  # ≥ 32 characters (bot.settings)
TELEGRAM_SECRET = "bench-telegram-webhook-secret-0123456789abcdef"
PG_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")

# What patients type (greetings, complaints, praise, menu words, questions) — mixed length, some with emoji.
TEXTS = (
    "สวัสดีครับ",
    "สวัสดีค่ะ",
    "รอตรวจนานมากค่ะ มาตั้งแต่เจ็ดโมงเช้า ตอนนี้บ่ายโมงแล้วยังไม่ได้พบหมอเลย",
    "พยาบาลที่แผนกผู้ป่วยนอกพูดจาไม่สุภาพ ตะคอกใส่แม่ผมซึ่งเป็นผู้สูงอายุ",
    "ขอบคุณคุณหมอและพยาบาลตึกอายุรกรรมหญิงที่ดูแลคุณแม่อย่างดีมากครับ 🙏",
    "ห้องน้ำชั้นสองสกปรก ไม่มีกระดาษทิชชู่ และกลิ่นแรงมาก",
    "ที่จอดรถไม่พอ วนหาที่จอดเกือบชั่วโมงจนเลยเวลานัด",
    "เจ้าหน้าที่การเงินบริการรวดเร็ว ยิ้มแย้มแจ่มใส ประทับใจค่ะ",
    "ได้รับยาผิดขนาด เภสัชกรไม่ได้อธิบายวิธีกินยาเลย",
    "ประเมิน",
    "ร้องเรียน",
    "ชมเชย",
    "เมนู",
    "ยกเลิก",
    "อยากทราบว่าเรื่องที่แจ้งไปเมื่อวานถึงไหนแล้วครับ",
    "ห้องฉุกเฉินคนเยอะมาก รอนานแต่เข้าใจว่าเจ้าหน้าที่ทำงานหนัก",
    "แอร์ในห้องพักผู้ป่วยเสีย ร้อนมากทั้งคืน นอนไม่หลับ",
    "หมอตรวจละเอียด อธิบายผลเลือดเข้าใจง่าย ขอบคุณมากครับ",
)


# --- subprocesses and databases -------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def service_env(line: FakeLine, telegram: FakeTelegram, database_url: str, port: int, workdir: Path) -> dict[str, str]:
    """The environment of a `python -m bot serve` whose platforms are the fakes."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("LINE_", "TELEGRAM_", "DATABASE_", "PUBLIC_BASE", "CONFIG_DIR", "ENVIRONMENT"))}
    env.update({
        "ENVIRONMENT": "development",
        "LOG_LEVEL": "WARNING",
        "LOG_FORMAT": "json",
        "DATABASE_URL": database_url,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        "MEDIA_DIR": str(workdir / "media"),
        "HOSPITAL_NAME": "โรงพยาบาลทดสอบโหลด",
        "LINE_CHANNEL_SECRET": LINE_SECRET,
        "LINE_CHANNEL_ACCESS_TOKEN": line.access_token,
        "LINE_API_BASE_URL": line.url,
        "LINE_DATA_API_BASE_URL": line.url,
        "TELEGRAM_BOT_TOKEN": telegram.token,
        "TELEGRAM_WEBHOOK_SECRET": TELEGRAM_SECRET,
        "TELEGRAM_API_BASE_URL": f"{telegram.url}/bot",
        "TELEGRAM_API_FILE_URL": f"{telegram.url}/file/bot",
        "TELEGRAM_BOT_USERNAME": telegram.username,
        "WORKER_POLL_SECONDS": "0.2",
        "PYTHONPATH": str(ROOT),
    })
    return env


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (Linux /proc); 0.0 where unavailable."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def wait_healthy(url: str, proc: subprocess.Popen[bytes] | None, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as http:
        while time.monotonic() < deadline:
            if proc is not None and proc.poll() is not None:
                raise RuntimeError(f"service exited with {proc.returncode} before becoming healthy")
            with contextlib.suppress(aiohttp.ClientError, OSError):
                async with http.get(f"{url}/healthz") as resp:
                    if resp.status == 200:
                        return
            await asyncio.sleep(0.1)
    raise TimeoutError(f"{url} not healthy after {timeout}s")


async def wait_port(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        await asyncio.sleep(0.05)
    raise TimeoutError(f"nothing listens on {port}")


def listens(pid: int, port: int) -> bool:
    """Whether process `pid` itself holds a listening TCP socket on `port` (Linux /proc): with several processes on
    one port (SO_REUSEPORT) a health check may be answered by another one."""
    try:
        inodes = {os.readlink(f"/proc/{pid}/fd/{fd}")[8:-1] for fd in os.listdir(f"/proc/{pid}/fd")}
        lines = Path("/proc/net/tcp").read_text().splitlines()[1:] + Path("/proc/net/tcp6").read_text().splitlines()[1:]
    except OSError:
        return False
    for line in lines:
        fields = line.split()
        if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port and fields[9] in inodes:
            return True
    return False


async def wait_listening(proc: subprocess.Popen[bytes], port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not listens(proc.pid, port):
        if proc.poll() is not None:
            raise RuntimeError(f"service exited with {proc.returncode} before listening on {port}")
        if time.monotonic() > deadline:
            raise TimeoutError(f"process {proc.pid} not listening on {port} after {timeout}s")
        await asyncio.sleep(0.1)


def stop(proc: subprocess.Popen[bytes], timeout: float = 15.0) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextlib.asynccontextmanager
async def pg_database() -> AsyncIterator[str]:
    """A schema of its own on PG_URL's database, reached through a throw-away role whose search_path is
    that schema (the service takes only a URL). Both are dropped afterwards."""
    name = f"pv_bench_{uuid.uuid4().hex[:10]}"
    admin = make_engine(PG_URL)
    async with admin.begin() as conn:
        await conn.execute(text(f'CREATE ROLE "{name}" LOGIN'))
        await conn.execute(text(f'CREATE SCHEMA "{name}" AUTHORIZATION "{name}"'))
        await conn.execute(text(f'ALTER ROLE "{name}" SET search_path = "{name}"'))
    try:
        base = PG_URL.split("://", 1)[1].split("@", 1)[1]
        yield f"postgresql+asyncpg://{name}@{base}"
    finally:
        async with admin.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
            await conn.execute(text(f'DROP OWNED BY "{name}"'))
            await conn.execute(text(f'DROP ROLE IF EXISTS "{name}"'))
        await admin.dispose()


# --- the load ---------------------------------------------------------------------------------------

def line_signature(body: bytes, secret: str = LINE_SECRET) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


@dataclass(frozen=True, slots=True)
class Request:
    path: str
    body: bytes
    headers: dict[str, str]


class Traffic:
    """Builds signed requests: LINE and Telegram alternately, from a pool of users per channel."""

    def __init__(self, users: int, line: FakeLine | None, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self.line_users = [f"U{uuid.UUID(int=self.rng.getrandbits(128)).hex}" for _ in range(users)]
        self.tg_users = [700_000_000 + i for i in range(users)]
        self.line = line
        self.update_id = 10_000
        self.n = 0

    def line_request(self) -> Request:
        user = self.rng.choice(self.line_users)
        token = self.line.reply_token_for(user) if self.line is not None else uuid.uuid4().hex
        event = {
            "type": "message", "mode": "active", "timestamp": int(time.time() * 1000),
            "source": {"type": "user", "userId": user}, "webhookEventId": uuid.uuid4().hex.upper()[:26],
            "deliveryContext": {"isRedelivery": False}, "replyToken": token,
            "message": {"id": uuid.uuid4().hex[:16], "type": "text", "quoteToken": uuid.uuid4().hex,
                        "text": self.rng.choice(TEXTS)},
        }
        body = json.dumps({"destination": "Ubench", "events": [event]}, ensure_ascii=False).encode()
        return Request("/webhook/line", body, {"Content-Type": "application/json",
                                               "X-Line-Signature": line_signature(body)})

    def telegram_request(self) -> Request:
        user = self.rng.choice(self.tg_users)
        self.update_id += 1
        message = {"message_id": self.update_id, "date": int(time.time()),
                   "chat": {"id": user, "type": "private", "first_name": "ผู้ป่วย"},
                   "from": {"id": user, "is_bot": False, "first_name": "ผู้ป่วย", "language_code": "th"},
                   "text": self.rng.choice(TEXTS)}
        body = json.dumps({"update_id": self.update_id, "message": message}, ensure_ascii=False).encode()
        return Request("/webhook/telegram", body, {"Content-Type": "application/json",
                                                   "X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET})

    def build(self, count: int) -> list[Request]:
        return [self.line_request() if i % 2 == 0 else self.telegram_request() for i in range(count)]


@dataclass
class AckResult:
    target: str
    sent: int = 0
    ok: int = 0
    errors: int = 0
    seconds: float = 0.0
    rps: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    cpu_seconds: float = 0.0  # CPU the target process used while answering (the machine may be shared)
    per_cpu_second: float = 0.0  # requests answered 200 per CPU-second of the target
    started: float = field(default=0.0, repr=False)
    ok_paths: dict[str, int] = field(default_factory=dict)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def drive(url: str, requests: list[Request], *, concurrency: int, seconds: float, target: str) -> AckResult:
    """Send `requests` with `concurrency` in flight until all are sent or `seconds` pass."""
    result = AckResult(target)
    latencies: list[float] = []
    feed: Iterator[Request] = iter(requests)
    deadline = 0.0

    async def worker(http: aiohttp.ClientSession) -> None:
        for req in feed:
            if time.perf_counter() > deadline:
                return
            t0 = time.perf_counter()
            try:
                async with http.post(url + req.path, data=req.body, headers=req.headers) as resp:
                    await resp.read()
                    status = resp.status
            except (aiohttp.ClientError, TimeoutError):
                status = 0
            latencies.append(time.perf_counter() - t0)
            result.sent += 1
            if status == 200:
                result.ok += 1
                result.ok_paths[req.path] = result.ok_paths.get(req.path, 0) + 1
            else:
                result.errors += 1

    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=30)) as http:
        result.started = time.perf_counter()
        deadline = result.started + seconds
        await asyncio.gather(*(worker(http) for _ in range(concurrency)))
        result.seconds = time.perf_counter() - result.started
    result.rps = result.ok / result.seconds if result.seconds else 0.0
    result.p50_ms = percentile(latencies, 0.50) * 1000
    result.p99_ms = percentile(latencies, 0.99) * 1000
    return result


# --- one database ---------------------------------------------------------------------------------

@dataclass
class E2EResult:
    events: int = 0
    answered: int = 0
    failed: int = 0
    seconds: float = 0.0
    rate: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    drained: bool = False
    messages_at_fakes: int = 0
    cpu_seconds: float = 0.0  # the service's CPU from the first request until drained
    per_cpu_second: float = 0.0


@dataclass
class DbRun:
    database: str
    minimal: AckResult
    service: AckResult
    e2e: E2EResult
    ack_ratio: float
    e2e_ratio: float
    ack_cpu_ratio: float  # the same ratios per CPU-second of each process: stable when the machine is shared
    e2e_cpu_ratio: float
    ack_goal_met: bool
    e2e_goal_met: bool
    ack_only: bool = False


class Arrivals:
    """Timestamps of messages arriving at a fake (wraps its `deliver`)."""

    def __init__(self, *fakes: FakeLine | FakeTelegram) -> None:
        self.times: list[float] = []
        for fake in fakes:
            original = fake.deliver

            async def deliver(messages: list[Any], _original: Any = original) -> None:
                self.times.extend(time.perf_counter() for _ in messages)
                await _original(messages)

            fake.deliver = deliver  # type: ignore[method-assign]


async def backlog(engine: Any) -> tuple[int, int]:
    async with engine.connect() as conn:
        inbox = (await conn.execute(text(
            "SELECT count(*) FROM inbound_events WHERE status IN ('pending', 'processing')"))).scalar_one()
        outbox = (await conn.execute(text(
            "SELECT count(*) FROM outbound_messages WHERE status IN ('pending', 'sending')"))).scalar_one()
    return int(inbox), int(outbox)


async def e2e_figures(engine: Any, result: E2EResult) -> None:
    async with engine.connect() as conn:
        rows = (await conn.execute(text(
            "SELECT e.received_at, min(o.sent_at) FROM inbound_events e "
            "JOIN outbound_messages o ON o.inbound_event_id = e.id AND o.status = 'sent' "
            "GROUP BY e.id, e.received_at"))).all()
        result.events = int((await conn.execute(text("SELECT count(*) FROM inbound_events"))).scalar_one())
        result.failed = int((await conn.execute(text(
            "SELECT count(*) FROM inbound_events WHERE status = 'failed'"))).scalar_one())
    result.answered = len(rows)

    def aware(value: Any) -> Any:
        if isinstance(value, str):  # SQLite hands back text
            from datetime import datetime
            value = datetime.fromisoformat(value)
        return value

    latencies = [(aware(sent) - aware(received)).total_seconds() for received, sent in rows if sent is not None]
    result.p50_ms = percentile(latencies, 0.50) * 1000
    result.p99_ms = percentile(latencies, 0.99) * 1000


async def run_database(kind: str, args: argparse.Namespace) -> DbRun:
    workdir = Path(tempfile.mkdtemp(prefix=f"pv-bench-{kind}-"))
    line, telegram = FakeLine(), FakeTelegram()
    await line.start()
    await telegram.start()
    arrivals = Arrivals(line, telegram)
    try:
        # 1. the minimal receiver
        port = free_port()
        minimal_proc = subprocess.Popen(
            [sys.executable, str(ROOT / "bench" / "minimal_receiver.py"), "--port", str(port),
             "--line-secret", LINE_SECRET, "--telegram-secret", TELEGRAM_SECRET,
             *(["--asyncio"] if args.bare_asyncio else [])])
        try:
            await wait_port(port)
            warm = Traffic(args.users, None, seed=1).build(200)
            await drive(f"http://127.0.0.1:{port}", warm, concurrency=args.concurrency, seconds=10, target="warm")
            cpu0 = cpu_seconds(minimal_proc.pid)
            minimal = await drive(f"http://127.0.0.1:{port}", Traffic(args.users, None, seed=2).build(args.requests),
                                  concurrency=args.concurrency, seconds=args.seconds, target="minimal")
            minimal.cpu_seconds = cpu_seconds(minimal_proc.pid) - cpu0
            minimal.per_cpu_second = minimal.ok / minimal.cpu_seconds if minimal.cpu_seconds else 0.0
        finally:
            stop(minimal_proc)

        # 2. the service
        async with contextlib.AsyncExitStack() as stack:
            if kind == "sqlite":
                url = f"sqlite+aiosqlite:///{workdir / 'bench.db'}"
            else:
                url = await stack.enter_async_context(pg_database())
            port = free_port()
            log = (workdir / "service.log").open("wb")
            command = ([sys.executable, str(ROOT / "bench" / "serve_unpaced.py")] if args.unpaced
                       else [sys.executable, "-m", "bot", "serve"])
            procs: list[subprocess.Popen[bytes]] = []
            if args.ack_only:  # the web tier alone: webhooks are stored and acked, nobody handles them
                command = [*command, "--role", "web"]
            if args.split:  # `serve --role worker` started (and its migrations done) before the web process
                worker_port = free_port()
                worker_env = {**service_env(line, telegram, url, worker_port, workdir), "INBOX_CONCURRENCY": "12"}
                # `--worker-nice N`, a deployment's choice (`nice -n N python -m bot serve --role worker`): set before
                # exec, so every thread the worker starts inherits it (setpriority on its pid later reached only the
                # main thread, not the executor thread that runs its analyses)
                niceness = args.worker_nice
                worker = subprocess.Popen([*command, "--role", "worker", "--port", str(worker_port)], cwd=workdir,
                                          env=worker_env, preexec_fn=(lambda: os.nice(niceness)) if niceness else None,
                                          stdout=log, stderr=subprocess.STDOUT)
                stack.callback(stop, worker)
                await wait_healthy(f"http://127.0.0.1:{worker_port}", worker)
                procs.append(worker)
                command = [*command, "--role", "web"]
            if args.web > 1:  # `--web N`: N web processes on one port, the kernel spreading connections (SO_REUSEPORT)
                command = [*command, "--reuse-port"]
            for _ in range(args.web):
                proc = subprocess.Popen(command, cwd=workdir,
                                        env=service_env(line, telegram, url, port, workdir),
                                        stdout=log, stderr=subprocess.STDOUT)
                stack.callback(stop, proc)
                await wait_healthy(f"http://127.0.0.1:{port}", proc)
                await wait_listening(proc, port)
                procs.append(proc)
            engine = make_engine(url)
            stack.push_async_callback(engine.dispose)
            traffic = Traffic(args.users, line, seed=3)
            requests = traffic.build(args.requests)
            line.clear()
            telegram.clear()
            arrivals.times.clear()
            cpu0 = sum(cpu_seconds(p.pid) for p in procs)
            service = await drive(f"http://127.0.0.1:{port}", requests, concurrency=args.concurrency,
                                  seconds=args.seconds, target="service")
            service.cpu_seconds = sum(cpu_seconds(p.pid) for p in procs) - cpu0
            service.per_cpu_second = service.ok / service.cpu_seconds if service.cpu_seconds else 0.0
            e2e = E2EResult()
            deadline = time.monotonic() + (0 if args.ack_only else args.drain_timeout)
            while time.monotonic() < deadline:
                if await backlog(engine) == (0, 0):
                    e2e.drained = True
                    break
                await asyncio.sleep(0.1)
            e2e.cpu_seconds = sum(cpu_seconds(p.pid) for p in procs) - cpu0
            await e2e_figures(engine, e2e)
            e2e.per_cpu_second = e2e.answered / e2e.cpu_seconds if e2e.cpu_seconds else 0.0
            last = max(arrivals.times) if arrivals.times else time.perf_counter()
            e2e.seconds = last - service.started
            e2e.rate = e2e.answered / e2e.seconds if e2e.seconds > 0 else 0.0
            e2e.messages_at_fakes = len(line.sent) + len(telegram.sent)
            if any(p.poll() is not None for p in procs):
                codes = [p.returncode for p in procs]
                raise RuntimeError(f"service died (exit {codes}); see {workdir / 'service.log'}")
    finally:
        await line.close()
        await telegram.close()
    ack_ratio = service.rps / minimal.rps if minimal.rps else 0.0
    e2e_ratio = e2e.rate / minimal.rps if minimal.rps else 0.0
    per = minimal.per_cpu_second
    return DbRun(kind, minimal, service, e2e, ack_ratio, e2e_ratio,
                 service.per_cpu_second / per if per else 0.0, e2e.per_cpu_second / per if per else 0.0,
                 ack_ratio >= 0.5, e2e_ratio >= 0.2, args.ack_only)


def machine() -> dict[str, Any]:
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {"cpus": os.cpu_count(), "cpu_model": model, "python": platform.python_version(),
            "system": f"{platform.system()} {platform.release()}"}


def print_run(run: DbRun) -> None:
    m, s, e = run.minimal, run.service, run.e2e
    print(f"\n== {run.database} ==")
    print(f"minimal receiver : {m.ok:6d} ok {m.errors:4d} err  {m.rps:8.1f} req/s  p50 {m.p50_ms:6.1f} ms  "
          f"p99 {m.p99_ms:6.1f} ms")
    print(f"service (ack)    : {s.ok:6d} ok {s.errors:4d} err  {s.rps:8.1f} req/s  p50 {s.p50_ms:6.1f} ms  "
          f"p99 {s.p99_ms:6.1f} ms")
    if run.ack_only:
        print("service (e2e)    : not measured (--ack-only: no worker handles the events)")
    else:
        print(f"service (e2e)    : {e.answered:6d}/{e.events} events answered in {e.seconds:.1f}s = {e.rate:.1f} ev/s  "
          f"event→first message p50 {e.p50_ms:.0f} ms p99 {e.p99_ms:.0f} ms  ({e.messages_at_fakes} messages, "
              f"{e.failed} failed, drained={e.drained})")
    print(f"per CPU-second   : minimal {m.per_cpu_second:.0f} req, service ack {s.per_cpu_second:.0f} req "
          f"({run.ack_cpu_ratio:.0%}), service e2e {e.per_cpu_second:.1f} events ({run.e2e_cpu_ratio:.1%})")
    e2e_goal = "not measured" if run.ack_only else f"{run.e2e_ratio:.0%} (goal ≥ 20 %: " + (
        "met)" if run.e2e_goal_met else "NOT met)")
    print(f"ratios           : ack {run.ack_ratio:.0%} (goal ≥ 50 %: {'met' if run.ack_goal_met else 'NOT met'}), "
          f"e2e {e2e_goal}")


async def main_async(args: argparse.Namespace) -> int:
    kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    runs = [await run_database(kind, args) for kind in kinds]
    info = machine()
    if args.json:
        print(json.dumps({"machine": info, "options": {k: v for k, v in vars(args).items() if k != "json"},
                          "runs": [asdict(r) for r in runs]}, ensure_ascii=False, indent=2, default=str))
    else:
        print(f"machine: {info['cpus']} CPUs, {info['cpu_model']}, Python {info['python']}, {info['system']}")
        print(f"load: {args.requests} requests max, {args.seconds}s max, concurrency {args.concurrency}, "
              f"{args.users} users per channel, platform pacing {'lifted' if args.unpaced else 'on'}"
              f"{', service split: web + worker processes' if args.split else ''}")
        for run in runs:
            print_run(run)
    if args.ack_only:
        return 0 if all(r.ack_goal_met for r in runs) else 1
    return 0 if all(r.ack_goal_met and r.e2e_goal_met and r.e2e.drained for r in runs) else 1


def main() -> int:
    parser = argparse.ArgumentParser(description="Webhook load benchmark: service vs minimal receiver.")
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--requests", type=int, default=4000, help="requests per target (default 4000)")
    parser.add_argument("--seconds", type=float, default=30.0, help="stop sending after this long (default 30)")
    parser.add_argument("--concurrency", type=int, default=32, help="requests in flight (default 32)")
    parser.add_argument("--users", type=int, default=500, help="distinct people per channel (default 500)")
    parser.add_argument("--drain-timeout", type=float, default=180.0,
                        help="wait at most this long for every event to be answered (default 180)")
    parser.add_argument("--unpaced", action="store_true",
                        help="lift the service's platform send pacing (Telegram 30/s overall, 1/s per chat) so the "
                             "end-to-end figure measures the service, not the platform limit (bench/serve_unpaced.py)")
    parser.add_argument("--split", action="store_true",
                        help="run the service as two processes, `serve --role web` (gets the load) and "
                             "`serve --role worker` (INBOX_CONCURRENCY=12); CPU figures are the sum of both")
    parser.add_argument("--bare-asyncio", action="store_true",
                        help="run the minimal receiver on asyncio's own loop (before round 9); by default it runs on "
                             "the loop `serve` runs on (uvloop where installed): the same HTTP stack as the service")
    parser.add_argument("--worker-nice", type=int, default=0,
                        help="with --split: run the worker process at this nice value (as `nice -n N`), so the web "
                             "process's acks take the CPU first while the worker drains the backlog")
    parser.add_argument("--web", type=int, default=1,
                        help="with --split or --ack-only: this many `serve --role web --reuse-port` processes on one "
                             "port (default 1)")
    parser.add_argument("--ack-only", action="store_true",
                        help="run the service as `serve --role web` alone: the ack path's own capacity (events are "
                             "stored, not handled; no end-to-end figure)")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    args = parser.parse_args()
    if args.web > 1 and not (args.split or args.ack_only):
        parser.error("--web N needs --split or --ack-only: only `--role web` processes share a port")
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
