"""CPU by stage inside a running service: a sampling thread that charges each thread's CPU time to the stage
its stack is in (bench/burst.py --profile).

Why not py-spy alone: SQLAlchemy's asyncio layer runs the ORM in greenlets, and a greenlet's stack starts at
the ORM call, so an outside profiler cannot tell whose statement (the inbox claim, the handler, the sender) it
is. Inside the process the main greenlet, suspended in `greenlet_spawn` while the ORM runs, still holds the
coroutine chain that called it: the sampler joins the two. Samples that find a thread idle (the event loop in
epoll, a driver or pool thread waiting on its queue) are dropped; the CPU time each thread used over the window
(its own CPU clock, so a busy machine does not inflate it) is shared among the stages of its other samples.

Control by files in the directory given (BENCH_SAMPLE_DIR): `start` appears → counting starts (from zero);
`stop` appears → `<role>-<pid>.json` is written (CPU seconds per stage and the heaviest stacks) and sampling
ends.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from types import CodeType, FrameType

STAGES = (
    "webhook ack",
    "inbox claim",
    "adapter, lease and outbox row",
    "adapter's platform calls",
    "handler logic",
    "handler's ORM queries",
    "ORM flush/commit",
    "NLP",
    "outbox send: SQL (claim, mark sent)",
    "outbox send: render and HTTP",
    "reminder sweeper",
    "SQLite driver thread",
    "event loop and other",
)

Frame = tuple[str, str]  # (qualified function name, file)

ACK = ("aiohttp/web_protocol.py", "aiohttp/web_app.py", "/bot/line/webhook.py", "/bot/telegram/webhook.py",
       "/bot/inbox_batch.py")
HTTP = ("/httpx/", "/httpcore/", "aiohttp/client", "/anyio/")  # the senders' HTTP clients (PTB: httpx; LINE: aiohttp)
SQL = ("/sqlalchemy/", "/sqlmodel/", "/asyncpg/", "/aiosqlite/", "/store/")


def stage_of(frames: list[Frame], *, main: bool = True) -> str:
    """The stage of one stack (root first)."""
    paths = [p for _, p in frames]
    funcs = [f for f, _ in frames]

    def has(parts: tuple[str, ...]) -> bool:
        return any(part in path for path in paths for part in parts)

    def method(owner: str, *names: str) -> bool:
        return any(f.startswith(owner + ".") and (not names or f.rsplit(".", 1)[-1] in names) for f in funcs)

    def called(name: str, part: str) -> bool:
        return any(f.rsplit(".", 1)[-1] == name and part in p for f, p in frames)

    if has(("/nlp/",)):
        return "NLP"
    if not main:
        return "SQLite driver thread" if has(("aiosqlite/",)) else "event loop and other"
    if has(ACK):
        return "webhook ack"
    if method("OutboxSender"):
        return "outbox send: SQL (claim, mark sent)" if has(SQL) else "outbox send: render and HTTP"
    if method("InboxWorker", "claim") or method("LeasedQueue", "claim"):  # the sender's claim is caught above
        return "inbox claim"
    if method("InboxWorker"):
        if has(HTTP):  # Telegram's answerCallbackQuery, LINE's loading animation
            return "adapter's platform calls"
        if (called("commit", "sqlalchemy/") or called("flush", "sqlalchemy/orm/session.py")
                or called("_autoflush", "sqlalchemy/orm/session.py")):
            return "ORM flush/commit"
        if has(("/handlers/",)):
            return "handler's ORM queries" if has(SQL) else "handler logic"
        return "adapter, lease and outbox row"
    if has(HTTP):  # a response read in a transport callback, outside the sender's task
        return "outbox send: render and HTTP"
    if method("ReminderSweeper") or has(("/bot/reminders.py",)):
        return "reminder sweeper"
    return "event loop and other"


IDLE = frozenset({"EpollSelector.select", "Condition.wait", "_worker", "Event.wait", "Queue.get"})


def package(path: str) -> str:
    """`sqlalchemy`, `asyncio`, `bot/pipeline.py`, … for a frame's file."""
    if "site-packages/" in path:
        return path.split("site-packages/", 1)[1].split("/", 1)[0]
    for root in ("/bot/", "/handlers/", "/store/", "/nlp/", "/bench/"):
        if root in path:
            return root.strip("/") + "/" + path.rsplit("/", 1)[-1]
    return Path(path).parent.name + "/" + Path(path).name if "/" in path else path


def _frames(frame: FrameType | None) -> list[Frame]:
    out: list[Frame] = []
    while frame is not None:
        code = frame.f_code
        out.append((code.co_qualname, code.co_filename))
        frame = frame.f_back
    out.reverse()
    return out


def _codes(frame: FrameType | None) -> tuple[CodeType, ...]:
    out: list[CodeType] = []
    while frame is not None:
        out.append(frame.f_code)
        frame = frame.f_back
    out.reverse()
    return tuple(out)


class Sampler:
    """The main thread (event loop, handlers, ORM) is sampled by SIGPROF, which fires per `interval` of the
    process's CPU time and runs its handler in the main thread at the next bytecode: where the interpreter is,
    not where it last let go of the GIL (a sampling thread mostly finds the loop in epoll or at a socket call).
    Other threads (the SQLite driver, the NLP pool) are looked at by a thread every `interval`."""

    def __init__(self, directory: Path, role: str, interval: float = 0.002) -> None:
        self.directory = directory
        self.role = role
        self.interval = interval
        self.main_ident = threading.main_thread().ident or 0
        self.main_greenlet = None
        try:
            import greenlet

            self.main_greenlet = greenlet.getcurrent()  # the main thread's own greenlet (called from it)
        except ImportError:  # pragma: no cover - SQLAlchemy's asyncio needs greenlet
            pass
        self.main_stacks: Counter[tuple[CodeType, ...]] = Counter()  # busy samples of the main thread
        self.other: dict[int, Counter[str]] = {}  # other thread → stage → busy samples
        self.fallback: dict[int, str] = {}  # other thread → the stage of its last stack
        self.clocks: dict[int, float] = {}  # thread → its CPU clock when counting started
        self.counting = False
        self.statements: Counter[str] = Counter()  # SQL texts sent to the database while counting

    def start(self) -> None:
        from sqlalchemy import event
        from sqlalchemy.engine import Engine

        event.listen(Engine, "before_cursor_execute", self._on_statement)  # every engine of the process
        signal.signal(signal.SIGPROF, self._on_prof)
        signal.setitimer(signal.ITIMER_PROF, self.interval, self.interval)
        threading.Thread(target=self._run, name="bench-sampler", daemon=True).start()

    def _on_prof(self, signum: int, frame: FrameType | None) -> None:
        if not self.counting or frame is None:
            return
        stack = _codes(frame)
        if self.main_greenlet is not None:
            suspended = getattr(self.main_greenlet, "gr_frame", None)  # None while it runs itself
            if suspended is not None:  # inside an ORM greenlet: the caller's chain under it
                stack = _codes(suspended) + stack
        self.main_stacks[stack] += 1

    def _on_statement(self, _conn: object, _cursor: object, statement: str, *_: object) -> None:
        if self.counting:
            self.statements[statement] += 1

    def _thread_cpu(self, ident: int) -> float:
        try:
            return time.clock_gettime(time.pthread_getcpuclockid(ident))
        except OSError:
            return 0.0

    def _run(self) -> None:
        start, stop = self.directory / "start", self.directory / "stop"
        me = threading.get_ident()
        while True:
            time.sleep(0.01)
            if not self.counting:
                if start.exists():
                    self.clocks = {t.ident: self._thread_cpu(t.ident) for t in threading.enumerate()
                                   if t.ident and t.ident != me}
                    self.counting = True
                continue
            if stop.exists():
                self.counting = False
                signal.setitimer(signal.ITIMER_PROF, 0, 0)
                self._write()
                return
            self._sample_others(me)

    def _sample_others(self, me: int) -> None:
        for ident, top in sys._current_frames().items():
            if ident in (me, self.main_ident):
                continue
            if ident not in self.clocks:  # a thread started after counting began
                self.clocks[ident] = self._thread_cpu(ident)
            stack = _frames(top)
            stage = stage_of(stack, main=False)
            self.fallback[ident] = stage
            if stack and stack[-1][0] not in IDLE:
                self.other.setdefault(ident, Counter())[stage] += 1

    def results(self) -> dict[str, object]:
        cpu: dict[str, float] = defaultdict(float)
        stacks: Counter[str] = Counter()
        packages: Counter[str] = Counter()
        main_counts: Counter[str] = Counter()
        inclusive: Counter[str] = Counter()  # main-thread busy samples with a function anywhere on the stack
        for codes, n in self.main_stacks.items():
            frames = [(c.co_qualname, c.co_filename) for c in codes]
            if frames and frames[-1][0] in IDLE:
                continue
            stage = stage_of(frames)
            main_counts[stage] += n
            stacks[f"{stage} | " + ";".join(f"{f} ({Path(p).name})" for f, p in frames[-14:])] += n
            packages[f"{stage} | {package(frames[-1][1])}"] += n
            for name in {f"{f} ({package(p)})" for f, p in frames}:
                inclusive[name] += n
        for ident, start in self.clocks.items():
            used = self._thread_cpu(ident) - start
            if used <= 0:
                continue
            counts = main_counts if ident == self.main_ident else self.other.get(ident)
            if not counts:
                cpu[self.fallback.get(ident, "event loop and other")] += used
                continue
            total = sum(counts.values())
            for stage, n in counts.items():
                cpu[stage] += used * n / total
        return {"role": self.role, "pid": os.getpid(), "samples": sum(main_counts.values()),
                "cpu_seconds": dict(cpu), "packages": [[n, k] for k, n in packages.most_common()],
                "top_stacks": [[n, k] for k, n in stacks.most_common(200)],
                # the whole stacks' functions, each counted once per sample (what a cut below it could save)
                "inclusive": [[n, k] for k, n in inclusive.most_common(400)],
                # SQL statements sent (savepoints and transaction control included) and how many texts they had:
                # on PostgreSQL each new text is one more prepared statement (a parse and a plan)
                "statements": sum(self.statements.values()), "statement_texts": len(self.statements),
                "top_statements": [[n, k[:160]] for k, n in self.statements.most_common(60)]}

    def _write(self) -> None:
        out = self.directory / f"{self.role}-{os.getpid()}.json"
        out.write_text(json.dumps(self.results(), ensure_ascii=False, indent=1))
        # every busy main-thread stack whole, root first, in the "folded" format of flame graph tools
        # (`frame;frame;… count`): for questions the summary cannot answer (what runs under a given call)
        folded: Counter[str] = Counter()
        for codes, n in self.main_stacks.items():
            frames = [f"{c.co_qualname} ({package(c.co_filename)})" for c in codes]
            if frames and codes[-1].co_qualname not in IDLE:
                folded[";".join(frames)] += n
        lines = (f"{stack} {n}" for stack, n in folded.most_common())
        (self.directory / f"{self.role}-{os.getpid()}.folded").write_text("\n".join(lines) + "\n")


def install_from_env(role: str) -> None:
    """Start the sampler when BENCH_SAMPLE_DIR is set; call it from the main thread."""
    directory = os.environ.get("BENCH_SAMPLE_DIR")
    if directory:
        Sampler(Path(directory), role).start()
