"""Survey burst (issue 18): N patients walk the whole satisfaction survey at once, each tapping as soon as the
bot's answer arrives.

    .venv/bin/python -m bench.burst --patients 500 --db sqlite        # the service as one process (--role all)
    .venv/bin/python -m bench.burst --patients 500 --db postgresql    # --role web + two --role worker processes
    .venv/bin/python -m bench.burst --patients 20                     # smoke
    .venv/bin/python -m bench.burst --patients 200 --profile /tmp/prof  # + CPU by stage (bench/sampler.py)

What runs, all on 127.0.0.1:
- the fake LINE and Telegram platforms (tests/fakes) inside this process; every message the service sends
  lands there and is timed on arrival;
- the service as subprocesses of `python -m bot serve` (through bench/serve_unpaced.py unless `--paced`: the
  platforms' own send limits — Telegram ≈ 30 messages a second per bot — are lifted so the figures are the
  service's). SQLite: a fresh file, one `--role all` process (splitting is slower on SQLite, bench/README.md).
  PostgreSQL: a schema of its own (bench/load.py's pg_database), one `--role web` process that gets the
  webhooks and `--workers` (default 2) `--role worker` processes that drain the inbox and outbox.

Each patient (half on LINE, half on Telegram, alternating) starts at the same moment and walks: LINE follow /
Telegram /start → ยินยอม → ประเมินความพึงพอใจ → OPD or IPD → a department or ward → วันนี้ → every 1–5 item
(4 or 5; one in eight typed, "ห้า", "5 ค่ะ") → a comment typed in Thai → the thanks and the menu. A tap is a signed LINE
webhook (a fresh reply token from the fake) or a Telegram update posted to the web process; its answer is the
message carrying what the next tap needs (the next question's buttons, the thanks). Per tap: tap → answer
delivered at the fake. Warm-up patients (one per channel) walk first, outside the clock (the NLP analyser loads
on the first comment).

Reported: per-tap latency p50/p95/p99/max (and per step), taps (events) per second from the first tap to the
last answer, the webhook ack p50/p99, and the service's CPU per drained event (user and system, from /proc, each
process and the sum; steadier than wall time on a shared machine). And the checks, which must all be zero:
- lost: a tap whose answer did not come within `--tap-timeout`, an inbound event not `done`, an outbox row not
  `sent`, a patient without exactly one saved survey response;
- duplicated: messages delivered to a chat beyond those in its sent outbox rows (a row sent twice), a question
  asked twice in a row, more than one survey response for a patient;
- unexpected: messages at the fakes outside any tap's answer (a late duplicate or an answer nobody asked for).
The exit status is 1 when any of them is not zero.

`--profile DIR` runs bench/sampler.py inside each service process for the burst (after the warm-up): every
5 ms each thread's CPU time since the last look is charged to the stage its stack is in (webhook ack, inbox
claim, adapter/lease/outbox row, handler logic, the handler's ORM queries, ORM flush/commit, NLP, outbox SQL,
outbox render and HTTP, SQLite driver thread, event loop), the ORM's greenlet joined to the coroutine that
called it. Printed as CPU ms per drained event by stage.
"""

# ruff: noqa: ASYNC220, ASYNC240, ASYNC110  # a bench: blocking Popen and files at set-up, polling the database
from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402
from sqlalchemy import text  # noqa: E402

from bench.load import (  # noqa: E402
    TELEGRAM_SECRET,
    backlog,
    free_port,
    line_signature,
    machine,
    percentile,
    pg_database,
    service_env,
    stop,
    wait_healthy,
    wait_listening,
)
from bench.sampler import STAGES  # noqa: E402
from store.db import make_engine  # noqa: E402
from tests.fakes.base import SentMessage  # noqa: E402
from tests.fakes.line import FakeLine  # noqa: E402
from tests.fakes.telegram import FakeTelegram  # noqa: E402

THANKS = "บันทึกผลการประเมินเรียบร้อย"  # config/messages.th.toml survey.thanks
TYPED_SCORES = {4: ("4", "สี่ค่ะ", "4 คะแนน"), 5: ("5", "ห้า", "5 ค่ะ", "ให้ 5 เลยครับ")}
COMMENTS = (
    "ประทับใจมากค่ะ พยาบาลใจดี พูดเพราะ",
    "บริการดีมากครับ ขอบคุณคุณหมอที่อธิบายละเอียด",
    "เจ้าหน้าที่ยิ้มแย้ม บริการรวดเร็วค่ะ ขอบคุณนะคะ",
    "หมอตรวจละเอียด อธิบายเข้าใจง่าย ขอบคุณมากครับ",
    "ห้องพักสะอาด อาหารอร่อย พยาบาลดูแลดีค่ะ",
)


# --- the platforms, timed ---------------------------------------------------------------------------

class Platforms:
    """The fakes, with every message's arrival kept per chat (perf_counter time, message)."""

    def __init__(self, line: FakeLine, telegram: FakeTelegram) -> None:
        self.line, self.telegram = line, telegram
        self.boxes: dict[str, list[tuple[float, SentMessage]]] = defaultdict(list)
        self.news: dict[str, asyncio.Event] = {}
        for fake in (line, telegram):
            original = fake.deliver

            async def deliver(messages: list[SentMessage], _original: Any = original) -> None:
                now = time.perf_counter()
                for message in messages:
                    self.boxes[message.to].append((now, message))
                    event = self.news.get(message.to)
                    if event is not None:
                        event.set()
                await _original(messages)

            fake.deliver = deliver  # type: ignore[method-assign]

    def event(self, chat: str) -> asyncio.Event:
        return self.news.setdefault(chat, asyncio.Event())


# --- a patient ----------------------------------------------------------------------------------------

class Lost(Exception):
    """A tap whose answer never came."""


@dataclass
class Tap:
    step: str
    sent: float  # perf_counter when the request left
    acked: float = 0.0  # when the webhook answered
    status: int = 0
    done: float = 0.0  # when the answer's completing message arrived; 0.0 = lost
    messages: int = 0  # messages in the answer (up to the completing one)

    @property
    def latency(self) -> float:
        return self.done - self.sent


Until = Callable[[SentMessage], bool]


def payload(exact: str) -> Until:
    return lambda m: exact in m.payloads


def prefix(*starts: str) -> Until:
    return lambda m: any(p.startswith(starts) for p in m.payloads)


def then_menu(words: str) -> Until:
    """A message saying `words`, then (or with) the menu that ends the flow."""
    said = False

    def until(m: SentMessage) -> bool:
        nonlocal said
        said = said or words in m.text
        return said and "survey" in m.payloads

    return until


_update_ids = iter(range(50_000_000, 10**12))


class Patient:
    def __init__(self, *, platforms: Platforms, http: aiohttp.ClientSession, url: str, channel: str, number: int,
                 rng: random.Random, timeout: float) -> None:
        self.platforms, self.http, self.url = platforms, http, url
        self.channel = channel
        self.user = (f"U{uuid.UUID(int=rng.getrandbits(128)).hex}" if channel == "line"
                     else str(700_000_000 + number))
        self.rng = rng
        self.timeout = timeout
        self.taps: list[Tap] = []
        self.read = 0  # messages of this chat already read
        self.repeated = 0  # answers whose question was the previous answer's again
        self.finished = False
        self.error = ""

    @property
    def chat(self) -> str:
        return self.user

    # the requests ---------------------------------------------------------------------------------------

    def _line(self, **fields: Any) -> tuple[str, bytes, dict[str, str]]:
        event = {"mode": "active", "timestamp": int(time.time() * 1000),
                 "source": {"type": "user", "userId": self.user},
                 "webhookEventId": uuid.uuid4().hex.upper()[:26], "deliveryContext": {"isRedelivery": False},
                 "replyToken": self.platforms.line.reply_token_for(self.user), **fields}
        body = json.dumps({"destination": "Ubench", "events": [event]}, ensure_ascii=False).encode()
        return "/webhook/line", body, {"Content-Type": "application/json", "X-Line-Signature": line_signature(body)}

    def _telegram(self, update: dict[str, Any]) -> tuple[str, bytes, dict[str, str]]:
        body = json.dumps(update, ensure_ascii=False).encode()
        return "/webhook/telegram", body, {"Content-Type": "application/json",
                                           "X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET}

    def _tg_user(self) -> dict[str, Any]:
        return {"id": int(self.user), "is_bot": False, "first_name": "ผู้ป่วย", "language_code": "th"}

    def typed(self, words: str) -> tuple[str, bytes, dict[str, str]]:
        if self.channel == "line":
            return self._line(type="message", message={"id": uuid.uuid4().hex[:16], "type": "text",
                                                       "quoteToken": uuid.uuid4().hex, "text": words})
        message: dict[str, Any] = {"message_id": next(_update_ids), "date": int(time.time()),
                                   "chat": {"id": int(self.user), "type": "private", "first_name": "ผู้ป่วย"},
                                   "from": self._tg_user(), "text": words}
        if words.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(words.split(" ", 1)[0])}]
        return self._telegram({"update_id": next(_update_ids), "message": message})

    def pressed(self, data: str) -> tuple[str, bytes, dict[str, str]]:
        if self.channel == "line":
            return self._line(type="postback", postback={"data": data})
        message = {"message_id": next(_update_ids), "date": int(time.time()), "text": "…",
                   "chat": {"id": int(self.user), "type": "private", "first_name": "ผู้ป่วย"},
                   "from": {"id": 999000, "is_bot": True, "first_name": "Hospital"}}
        return self._telegram({"update_id": next(_update_ids), "callback_query": {
            "id": uuid.uuid4().hex[:16], "from": self._tg_user(), "chat_instance": "ci", "data": data,
            "message": message}})

    def followed(self) -> tuple[str, bytes, dict[str, str]]:
        return self._line(type="follow", follow={"isUnblocked": False})

    # one tap ----------------------------------------------------------------------------------------------

    async def tap(self, step: str, request: tuple[str, bytes, dict[str, str]], until: Until) -> list[SentMessage]:
        """Send the request, wait for the message that completes its answer; returns the answer's messages."""
        path, body, headers = request
        box = self.platforms.boxes[self.chat]
        news = self.platforms.event(self.chat)
        start = self.read
        record = Tap(step, time.perf_counter())
        self.taps.append(record)
        try:
            async with self.http.post(self.url + path, data=body, headers=headers) as resp:
                await resp.read()
                record.status = resp.status
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise Lost(f"{step}: webhook failed ({type(exc).__name__})") from None
        record.acked = time.perf_counter()
        if record.status != 200:
            raise Lost(f"{step}: webhook answered {record.status}")
        deadline = record.sent + self.timeout
        while True:
            news.clear()
            for i in range(start, len(box)):
                arrived, message = box[i]
                if until(message):
                    answer = [m for _, m in box[start:i + 1]]
                    record.done, record.messages, self.read = arrived, len(answer), i + 1
                    previous = box[start - 1][1] if start else None
                    if previous is not None and previous.payloads and (previous.text, previous.payloads) == (
                            message.text, message.payloads):
                        self.repeated += 1
                    return answer
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise Lost(f"{step}: no answer in {self.timeout:.0f}s ({len(box) - start} messages came)")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(news.wait(), remaining)

    async def press(self, step: str, data: str, until: Until) -> list[SentMessage]:
        return await self.tap(step, self.pressed(data), until)

    async def say(self, step: str, words: str, until: Until) -> list[SentMessage]:
        return await self.tap(step, self.typed(words), until)

    # the survey -------------------------------------------------------------------------------------------

    async def walk(self) -> None:
        try:
            await self._walk()
            self.finished = True
        except Lost as exc:
            self.error = str(exc)
        except Exception as exc:  # a bench bug or an unexpected answer: report it, do not hide the others
            self.error = f"{type(exc).__name__}: {exc}"

    async def _walk(self) -> None:
        rng = self.rng
        if self.channel == "line":
            await self.tap("start", self.followed(), payload("consent:yes"))
        else:
            await self.say("start", "/start", payload("consent:yes"))
        await self.press("consent", "consent:yes", payload("survey"))
        await self.press("survey", "survey", prefix("survey:type:"))
        kind = rng.choice(("opd", "ipd"))
        answer = await self.press("type", f"survey:type:{kind}", prefix("survey:dept:"))
        units = [p for p in answer[-1].payloads if p.startswith("survey:dept:")]
        await self.press("unit", rng.choice(units), prefix("survey:date:"))
        answer = await self.press("date", "survey:date:today", prefix("survey:s:", "survey:skip"))
        items = 0
        while True:
            scores = [p for p in answer[-1].payloads if p.startswith("survey:s:")]
            if not scores:
                break
            score = rng.choice((4, 5))
            items += 1
            until = prefix("survey:s:", "survey:skip")
            if rng.random() < 0.125:
                answer = await self.say("score", rng.choice(TYPED_SCORES[score]), until)
            else:
                answer = await self.press("score", scores[score - 1], until)
        if "survey:skip" not in answer[-1].payloads or items < 10:
            raise RuntimeError(f"the survey ended after {items} items without the comment question")
        await self.say("comment", rng.choice(COMMENTS), then_menu(THANKS))


# --- the service --------------------------------------------------------------------------------------

def cpu_times(pid: int) -> tuple[float, float]:
    """(user, system) CPU seconds a process has used (Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0, 0.0
    tick = os.sysconf("SC_CLK_TCK")
    return int(fields[11]) / tick, int(fields[12]) / tick


def pg_backends_cpu(role: str) -> dict[int, tuple[float, float]]:
    """(user, system) CPU of each PostgreSQL backend serving `role` (titled `postgres: [CLUSTER: ]ROLE DB …`)."""
    found = {}
    marks = (f"postgres: {role} ".encode(), f": {role} ".encode())
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            title = (entry / "cmdline").read_bytes()
            if title.startswith(b"postgres: ") and any(mark in title for mark in marks):
                found[int(entry.name)] = cpu_times(int(entry.name))
    return found


@dataclass
class Process:
    role: str
    proc: subprocess.Popen[bytes]
    cpu0: tuple[float, float] = (0.0, 0.0)
    user: float = 0.0
    system: float = 0.0

    def mark(self) -> None:
        self.cpu0 = cpu_times(self.proc.pid)

    def measure(self) -> None:
        user, system = cpu_times(self.proc.pid)
        self.user, self.system = user - self.cpu0[0], system - self.cpu0[1]


async def start_service(kind: str, url: str, args: argparse.Namespace, line: FakeLine, telegram: FakeTelegram,
                        workdir: Path, stack: contextlib.AsyncExitStack) -> tuple[str, list[Process]]:
    command = [sys.executable, str(ROOT / "bench" / "serve_burst.py")]
    log = (workdir / "service.log").open("wb")
    extra = {"WORKER_POLL_SECONDS": str(args.poll), "BENCH_PACED": "1" if args.paced else "0"}
    if args.profile:
        extra["BENCH_SAMPLE_DIR"] = str(Path(args.profile).resolve())

    async def launch(role: str, env_more: dict[str, str], port: int = 0,
                     more: tuple[str, ...] = ()) -> tuple[int, Process]:
        port = port or free_port()
        env = {**service_env(line, telegram, url, port, workdir), **extra, **env_more}
        proc = subprocess.Popen([*command, "--role", role, "--port", str(port), *more], cwd=workdir, env=env,
                                stdout=log, stderr=subprocess.STDOUT)
        stack.callback(stop, proc)
        await wait_healthy(f"http://127.0.0.1:{port}", proc)
        await wait_listening(proc, port)  # itself, not another web process on the same port
        return port, Process(role, proc)

    if kind == "sqlite":
        port, one = await launch("all", {})
        return f"http://127.0.0.1:{port}", [one]
    workers = {"INBOX_CONCURRENCY": str(args.worker_concurrency)}
    _, first = await launch("worker", workers)  # migrates the schema before the others start
    web_port = free_port()
    shared = ("--reuse-port",) if args.web > 1 else ()  # `--web N`: N web processes on one port (SO_REUSEPORT)
    rest = await asyncio.gather(*(launch("worker", workers) for _ in range(args.workers - 1)),
                                *(launch("web", {}, web_port, shared) for _ in range(args.web)))
    webs = [p for _, p in rest[len(rest) - args.web:]]
    return f"http://127.0.0.1:{web_port}", [*webs, first, *(p for _, p in rest[:len(rest) - args.web])]


# --- figures ------------------------------------------------------------------------------------------

@dataclass
class Checks:
    unanswered_taps: int = 0  # taps whose answer did not come in time (or whose webhook failed)
    unfinished_patients: int = 0
    events_not_done: dict[str, int] = field(default_factory=dict)  # inbound status → count, other than done
    outbox_not_sent: dict[str, int] = field(default_factory=dict)
    missing_responses: int = 0  # patients without a saved survey response
    messages_short: int = 0  # chats' sent outbox messages that never reached the fake
    duplicated_messages: int = 0  # delivered beyond the chat's sent outbox rows
    repeated_questions: int = 0
    extra_responses: int = 0  # survey responses beyond one per patient
    unexpected_messages: int = 0  # at the fakes outside any tap's answer
    errors: list[str] = field(default_factory=list)  # first few patients' errors

    @property
    def lost(self) -> int:
        return (self.unanswered_taps + sum(self.events_not_done.values()) + sum(self.outbox_not_sent.values())
                + self.missing_responses + self.messages_short)

    @property
    def duplicated(self) -> int:
        return self.duplicated_messages + self.repeated_questions + self.extra_responses


@dataclass
class Run:
    database: str
    layout: str
    patients: int
    taps: int
    seconds: float  # first tap → last answer
    taps_per_second: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    ack_p50_ms: float
    ack_p99_ms: float
    served_ack_p50_ms: float  # the web process's own histogram: the bucket bound under which half fall
    served_ack_p99_ms: float
    per_step: dict[str, dict[str, float]]
    events: int  # inbound events handled during the burst
    messages: int  # messages delivered during the burst
    cpu: dict[str, dict[str, float]]  # process → user / system seconds
    user_ms_per_event: float  # the service's processes
    system_ms_per_event: float
    db_ms_per_event: float  # PostgreSQL backends (user + system); 0 on SQLite (in the service's process)
    bench_cpu_seconds: float  # this process (generator + fakes)
    checks: Checks
    stages: dict[str, float] = field(default_factory=dict)  # stage → share of the sampled CPU
    stage_ms_per_event: dict[str, float] = field(default_factory=dict)  # stage → sampled CPU ms per event
    profile_samples: int = 0


async def served_acks(http: aiohttp.ClientSession, base: str) -> dict[float, int]:
    """The web process's own webhook ack times (its `pv_webhook_ack_seconds` histogram: the handler's start to its
    200, both channels), as cumulative counts per bucket bound: what the service took, without the bench's own
    client time and the time a request waited to be read."""
    async with http.get(base + "/metrics") as resp:
        body = await resp.text()
    counts: dict[float, int] = defaultdict(int)
    for line in body.splitlines():
        if line.startswith("pv_webhook_ack_seconds_bucket{"):
            le = line.split('le="', 1)[1].split('"', 1)[0]
            counts[float(le)] += int(float(line.rsplit(" ", 1)[1]))
    return dict(counts)


def bucket_quantile(cumulative: dict[float, int], q: float) -> float:
    """The smallest bucket bound at or under which a share `q` of the observations fall (seconds)."""
    total = cumulative.get(float("inf"), 0)
    for le in sorted(cumulative):
        if total and cumulative[le] >= q * total:
            return le
    return 0.0


def summarise(taps: list[Tap]) -> dict[str, float]:
    lat = [t.latency for t in taps if t.done]
    acks = [t.acked - t.sent for t in taps if t.acked]
    return {"n": len(lat), "p50_ms": percentile(lat, 0.5) * 1000, "p95_ms": percentile(lat, 0.95) * 1000,
            "ack_p50_ms": percentile(acks, 0.5) * 1000, "ack_p99_ms": percentile(acks, 0.99) * 1000,
            "p99_ms": percentile(lat, 0.99) * 1000}


async def reconcile(engine: Any, patients: list[Patient], platforms: Platforms, checks: Checks) -> None:
    """What the database says against what the fakes got."""
    async with engine.connect() as conn:
        for status, count in (await conn.execute(text(
                "SELECT status, count(*) FROM inbound_events GROUP BY status"))).all():
            if status != "done":
                checks.events_not_done[str(status)] = int(count)
        rows = (await conn.execute(text("SELECT chat_id, status, payload FROM outbound_messages"))).all()
        responses = (await conn.execute(text(
            "SELECT i.external_id, count(*) FROM survey_responses r "
            "JOIN channel_identities i ON i.patient_id = r.patient_id GROUP BY i.external_id"))).all()
    queued: Counter[str] = Counter()
    for chat, status, body in rows:
        if status != "sent":
            checks.outbox_not_sent[str(status)] = checks.outbox_not_sent.get(str(status), 0) + 1
            continue
        data = json.loads(body) if isinstance(body, str) else body
        queued[str(chat)] += len(data.get("messages", []))
    saved = {str(user): int(count) for user, count in responses}
    for p in patients:
        delivered = len(platforms.boxes.get(p.chat, []))
        checks.duplicated_messages += max(0, delivered - queued[p.chat])
        checks.messages_short += max(0, queued[p.chat] - delivered)
        checks.unexpected_messages += max(0, delivered - p.read)
        checks.repeated_questions += p.repeated
        count = saved.get(p.user, 0)
        checks.missing_responses += count == 0
        checks.extra_responses += max(0, count - 1)


# --- profile: the drain path's stages (bench/sampler.py inside each service process) --------------------

def read_profile(directory: Path) -> tuple[dict[str, float], int]:
    """CPU seconds per stage, summed over the processes' sampler files; and the samples."""
    cpu: Counter[str] = Counter()
    samples = 0
    for file in sorted(directory.glob("*.json")):
        data = json.loads(file.read_text())
        cpu.update(data["cpu_seconds"])
        samples += int(data["samples"])
    return {stage: cpu[stage] for stage in STAGES}, samples


# --- one run ------------------------------------------------------------------------------------------

async def run_burst(kind: str, args: argparse.Namespace) -> Run:
    workdir = Path(tempfile.mkdtemp(prefix=f"pv-burst-{kind}-"))
    if args.profile:
        Path(args.profile).mkdir(parents=True, exist_ok=True)
    line, telegram = FakeLine(), FakeTelegram()
    await line.start()
    await telegram.start()
    platforms = Platforms(line, telegram)
    checks = Checks()
    try:
        async with contextlib.AsyncExitStack() as stack:
            url = (f"sqlite+aiosqlite:///{workdir / 'burst.db'}" if kind == "sqlite"
                   else await stack.enter_async_context(pg_database()))
            base, processes = await start_service(kind, url, args, line, telegram, workdir, stack)
            engine = make_engine(url)
            stack.push_async_callback(engine.dispose)
            connector = aiohttp.TCPConnector(limit=args.connections)
            http = await stack.enter_async_context(aiohttp.ClientSession(
                connector=connector, timeout=aiohttp.ClientTimeout(total=args.tap_timeout)))
            rng = random.Random(args.seed)

            def patient(number: int) -> Patient:
                return Patient(platforms=platforms, http=http, url=base, channel=("line", "telegram")[number % 2],
                               number=number, rng=random.Random(rng.getrandbits(64)), timeout=args.tap_timeout)

            warm = [patient(n) for n in range(args.warmup * 2)]
            await asyncio.gather(*(p.walk() for p in warm))
            while await backlog(engine) != (0, 0):
                await asyncio.sleep(0.05)
            async with engine.connect() as conn:
                events0 = int((await conn.execute(text("SELECT count(*) FROM inbound_events"))).scalar_one())
            messages0 = len(line.sent) + len(telegram.sent)
            served0 = await served_acks(http, base)
            crowd = [patient(n) for n in range(args.warmup * 2, args.warmup * 2 + args.patients)]
            profile = Path(args.profile) if args.profile else None
            if profile is not None:
                for old in [*profile.glob("*.json"), profile / "start", profile / "stop"]:
                    old.unlink(missing_ok=True)
                (profile / "start").touch()
                await asyncio.sleep(0.1)  # the samplers look every 5 ms
            role = url.split("://", 1)[1].split("@", 1)[0] if kind == "postgresql" else ""
            backends0 = pg_backends_cpu(role) if role else {}
            for p in processes:
                p.mark()
            bench0 = resource.getrusage(resource.RUSAGE_SELF)
            started = time.perf_counter()
            await asyncio.gather(*(p.walk() for p in crowd))
            deadline = time.monotonic() + args.tap_timeout
            while time.monotonic() < deadline and await backlog(engine) != (0, 0):
                await asyncio.sleep(0.05)
            for p in processes:
                p.measure()
            served = {le: n - served0.get(le, 0) for le, n in (await served_acks(http, base)).items()}
            backends1 = pg_backends_cpu(role) if role else {}
            bench1 = resource.getrusage(resource.RUSAGE_SELF)
            if profile is not None:
                (profile / "stop").touch()
                for _ in range(100):
                    if len(list(profile.glob("*.json"))) >= len(processes):
                        break
                    await asyncio.sleep(0.1)
            await asyncio.sleep(args.grace)  # a late duplicate has time to arrive
            for p in processes:
                if p.proc.poll() is not None:
                    raise RuntimeError(f"service {p.role} exited with {p.proc.returncode}; see {workdir}/service.log")
            async with engine.connect() as conn:
                events = int((await conn.execute(text("SELECT count(*) FROM inbound_events"))).scalar_one()) - events0
            messages = len(line.sent) + len(telegram.sent) - messages0
            everyone = warm + crowd
            await reconcile(engine, everyone, platforms, checks)
    finally:
        await line.close()
        await telegram.close()

    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    taps = [t for p in crowd for t in p.taps]
    answered = [t for t in taps if t.done]
    checks.unanswered_taps = len(taps) - len(answered)
    checks.unfinished_patients = sum(not p.finished for p in everyone)
    checks.errors = [f"{p.channel} {p.chat[:10]}…: {p.error}" for p in everyone if p.error][:5]
    last = max((t.done for t in answered), default=started)
    seconds = last - started
    lat = [t.latency for t in answered]
    acks = [t.acked - t.sent for t in taps if t.acked]
    steps: dict[str, list[Tap]] = defaultdict(list)
    for t in taps:
        steps[t.step].append(t)
    user = sum(p.user for p in processes)
    system = sum(p.system for p in processes)
    cpu: dict[str, dict[str, float]] = {}
    for i, p in enumerate(processes):
        cpu[f"{p.role}-{i}"] = {"user": round(p.user, 2), "system": round(p.system, 2)}
    if backends1:  # the database server's share: the backends of the bench's own role (alive at the end)
        used = [(u - backends0.get(pid, (0.0, 0.0))[0], s - backends0.get(pid, (0.0, 0.0))[1])
                for pid, (u, s) in backends1.items()]
        cpu["postgresql-backends"] = {"user": round(sum(u for u, _ in used), 2),
                                      "system": round(sum(s for _, s in used), 2)}
    stage_cpu, samples = read_profile(profile) if profile is not None else ({}, 0)
    sampled = sum(stage_cpu.values())
    return Run(
        database=kind,
        layout="--role all" if kind == "sqlite" else f"{args.web} × --role web + {args.workers} × --role worker",
        patients=args.patients, taps=len(answered), seconds=seconds,
        taps_per_second=len(answered) / seconds if seconds > 0 else 0.0,
        p50_ms=percentile(lat, 0.5) * 1000, p95_ms=percentile(lat, 0.95) * 1000, p99_ms=percentile(lat, 0.99) * 1000,
        max_ms=max(lat, default=0.0) * 1000,
        ack_p50_ms=percentile(acks, 0.5) * 1000, ack_p99_ms=percentile(acks, 0.99) * 1000,
        served_ack_p50_ms=bucket_quantile(served, 0.5) * 1000, served_ack_p99_ms=bucket_quantile(served, 0.99) * 1000,
        per_step={step: summarise(group) for step, group in steps.items()},
        events=events, messages=messages, cpu=cpu,
        user_ms_per_event=user / events * 1000 if events else 0.0,
        system_ms_per_event=system / events * 1000 if events else 0.0,
        db_ms_per_event=(sum(cpu.get("postgresql-backends", {}).values()) / events * 1000) if events else 0.0,
        bench_cpu_seconds=(bench1.ru_utime + bench1.ru_stime) - (bench0.ru_utime + bench0.ru_stime),
        checks=checks,
        stages={stage: seconds / sampled for stage, seconds in stage_cpu.items()} if sampled else {},
        stage_ms_per_event={stage: seconds / events * 1000 for stage, seconds in stage_cpu.items()} if events else {},
        profile_samples=samples,
    )


def print_run(run: Run, args: argparse.Namespace) -> None:
    c = run.checks
    print(f"\n== {run.database} ({run.layout}) ==")
    print(f"patients {run.patients}: {run.taps} taps answered in {run.seconds:.1f} s = {run.taps_per_second:.1f} taps/s"
          f" ({run.events} events, {run.messages} messages delivered)")
    print(f"tap → answer delivered: p50 {run.p50_ms:.0f} ms  p95 {run.p95_ms:.0f} ms  p99 {run.p99_ms:.0f} ms  "
          f"max {run.max_ms:.0f} ms   (webhook ack p50 {run.ack_p50_ms:.0f} ms p99 {run.ack_p99_ms:.0f} ms; in the "
          f"web process ≤ {run.served_ack_p50_ms:.0f} / ≤ {run.served_ack_p99_ms:.0f} ms)")
    for step, s in run.per_step.items():
        print(f"  {step:8s} n={int(s['n']):6d}  p50 {s['p50_ms']:7.0f} ms  p95 {s['p95_ms']:7.0f} ms  "
              f"p99 {s['p99_ms']:7.0f} ms   ack p50 {s['ack_p50_ms']:5.0f} ms p99 {s['ack_p99_ms']:5.0f} ms")
    procs = ", ".join(f"{name} {v['user']:.1f} u + {v['system']:.1f} s" for name, v in run.cpu.items())
    print(f"service CPU: {procs} → {run.user_ms_per_event:.2f} ms user + {run.system_ms_per_event:.2f} ms system "
          f"per event; bench process {run.bench_cpu_seconds:.1f} s"
          + (f"; PostgreSQL backends {run.db_ms_per_event:.2f} ms per event" if run.db_ms_per_event else ""))
    print(f"lost {c.lost} (taps unanswered {c.unanswered_taps}, events not done {c.events_not_done or 0}, outbox not "
          f"sent {c.outbox_not_sent or 0}, responses missing {c.missing_responses}, messages short "
          f"{c.messages_short}); duplicated {c.duplicated} (messages {c.duplicated_messages}, repeated questions "
          f"{c.repeated_questions}, extra responses {c.extra_responses}); unexpected messages {c.unexpected_messages};"
          f" unfinished patients {c.unfinished_patients}")
    for error in c.errors:
        print(f"  ! {error}")
    if run.stages:
        sampled = sum(run.stage_ms_per_event.values())
        print(f"CPU by stage ({run.profile_samples} samples, {sampled:.2f} ms of thread CPU per event sampled; "
              f"/proc: {run.user_ms_per_event + run.system_ms_per_event:.2f} ms):")
        for stage, share in run.stages.items():
            print(f"  {stage:38s} {share:6.1%}  {run.stage_ms_per_event[stage]:6.2f} ms/event")


async def main_async(args: argparse.Namespace) -> int:
    kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    runs = [await run_burst(kind, args) for kind in kinds]
    info = machine()
    with contextlib.suppress(OSError):
        info["loadavg_after"] = Path("/proc/loadavg").read_text().split()[:3]
    if args.json:
        print(json.dumps({"machine": info, "options": vars(args), "runs": [
            {**asdict(r), "lost": r.checks.lost, "duplicated": r.checks.duplicated} for r in runs]},
            ensure_ascii=False, indent=2))
    else:
        print(f"machine: {info['cpus']} CPUs, {info['cpu_model']}, Python {info['python']}, {info['system']}, "
              f"load average after {info.get('loadavg_after')}")
        print(f"burst: {args.patients} patients (LINE and Telegram alternately) + {args.warmup * 2} warm-up, platform "
              f"pacing {'on' if args.paced else 'lifted'}, worker INBOX_CONCURRENCY {args.worker_concurrency}")
        for run in runs:
            print_run(run, args)
    bad = any(r.checks.lost or r.checks.duplicated or r.checks.unexpected_messages or r.checks.unfinished_patients
              for r in runs)
    return 1 if bad else 0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.burst", description=__doc__.split("\n\n")[0] if __doc__
                                     else None)
    parser.add_argument("--patients", type=int, default=500, help="patients in the burst (default 500)")
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="sqlite")
    parser.add_argument("--workers", type=int, default=2, help="PostgreSQL: `--role worker` processes (default 2)")
    parser.add_argument("--web", type=int, default=1,
                        help="PostgreSQL: `--role web` processes on one port (default 1; more: `serve --reuse-port`)")
    parser.add_argument("--worker-concurrency", type=int, default=12,
                        help="INBOX_CONCURRENCY of each worker process (PostgreSQL; default 12)")
    parser.add_argument("--poll", type=float, default=0.2, help="WORKER_POLL_SECONDS (default 0.2)")
    parser.add_argument("--connections", type=int, default=0,
                        help="webhook connections open at once (default 0: one per waiting patient)")
    parser.add_argument("--tap-timeout", type=float, default=180.0, help="a tap without an answer by then is lost")
    parser.add_argument("--warmup", type=int, default=1, help="warm-up patients per channel, outside the clock")
    parser.add_argument("--grace", type=float, default=1.0, help="seconds to wait for stray messages after the drain")
    parser.add_argument("--paced", action="store_true", help="keep the platforms' send pacing (Telegram 30/s)")
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--keep", action="store_true", help="keep the work directory (database, service.log)")
    parser.add_argument("--profile", metavar="DIR",
                        help="sample each service process's CPU by stage (bench/sampler.py) into DIR; print the stages")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    return asyncio.run(main_async(parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
