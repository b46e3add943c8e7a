"""`python -m bot serve` for bench/burst.py: the platforms' send pacing lifted unless BENCH_PACED=1 (as in
bench/serve_unpaced.py), and the stage sampler (bench/sampler.py) running when BENCH_SAMPLE_DIR is set.
Never used in production."""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import bot.line.channel
import bot.telegram.channel
from bench.sampler import install_from_env
from bot.cli import main
from bot.sender import Limits, RateLimiter


def _unpaced() -> Limits:
    fast = RateLimiter(1_000_000, 1_000_000)
    return Limits(overall=fast, per_chat=fast, per_group=fast)


if __name__ == "__main__":
    if os.environ.get("BENCH_PACED") != "1":
        bot.telegram.channel.telegram_limits = _unpaced
        bot.line.channel.line_limits = _unpaced
    args = sys.argv[1:]
    install_from_env(args[args.index("--role") + 1] if "--role" in args else "all")
    sys.exit(main(["serve", *args]))
