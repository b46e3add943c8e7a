"""``python -m nlp tag "ข้อความ" [--ratings 4 5 3] [--engine newmm]`` prints the contract JSON."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from nlp.tokenizer import ENGINES


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m nlp", description="Patient Voice Thai NLP")
    sub = ap.add_subparsers(dest="command", required=True)
    tag = sub.add_parser("tag", help="analyse one message and print JSON")
    tag.add_argument("text", nargs="?", help="the message (read from stdin when omitted)")
    tag.add_argument("--ratings", type=int, nargs="*", help="the patient's 1–5 ratings for the visit")
    tag.add_argument("--engine", choices=ENGINES, default=None, help="tokenizer (default nlpo3)")
    tag.add_argument("--config-dir", type=Path, default=None, help="directory holding topics.toml")
    tag.add_argument("--explain", action="store_true", help="add lexicon/model details under 'details'")
    args = ap.parse_args(argv)

    from nlp.analyzer import get_analyzer

    text = args.text if args.text is not None else sys.stdin.read()
    result = get_analyzer(args.config_dir, engine=args.engine).analyse(text, ratings=args.ratings)
    out = result.to_dict()
    if args.explain:
        out["details"] = result.details
    print(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
