"""`python -m bot serve` with the platforms' send pacing lifted, for bench/load.py --unpaced.

The service paces its sends to the platforms' published limits (Telegram ≈ 30 messages a second overall and
one a second per chat; LINE 500/s here). Those caps are the platform's, not the service's: with them on, the
end-to-end rate of a Telegram-heavy load is the platform limit. This launcher lifts them so the benchmark
measures the service itself; it is never used in production.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import bot.line.channel
import bot.telegram.channel
from bot.cli import main
from bot.sender import Limits, RateLimiter


def _unpaced() -> Limits:
    fast = RateLimiter(1_000_000, 1_000_000)
    return Limits(overall=fast, per_chat=fast, per_group=fast)


bot.telegram.channel.telegram_limits = _unpaced  # type: ignore[assignment]
bot.line.channel.line_limits = _unpaced  # type: ignore[assignment]

if __name__ == "__main__":
    import os

    if os.environ.get("BENCH_CPROFILE"):  # a cProfile of the whole service, written at exit (pid appended)
        import atexit
        import cProfile

        profiler = cProfile.Profile()
        atexit.register(lambda: profiler.dump_stats(f"{os.environ['BENCH_CPROFILE']}.{os.getpid()}"))
        profiler.enable()
    sys.exit(main(["serve", *sys.argv[1:]]))
