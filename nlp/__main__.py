"""``python -m nlp tag "ข้อความ" [--question Q] [--ratings 4 5 3] [--engine newmm]`` prints the contract JSON.

With ``--question`` (what the text answers: expectation, dissatisfaction, improvement, message, complaint,
compliment, incident) the output also carries ``suggestions``: confidence, needs_review and, for an
incident, the three likeliest NRLS risk codes and a severity."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from nlp.tokenizer import ENGINES

QUESTIONS = ("expectation", "dissatisfaction", "improvement", "message", "complaint", "compliment", "incident")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m nlp", description="Patient Voice Thai NLP")
    sub = ap.add_subparsers(dest="command", required=True)
    tag = sub.add_parser("tag", help="analyse one message and print JSON")
    tag.add_argument("text", nargs="?", help="the message (read from stdin when omitted)")
    tag.add_argument("--ratings", type=int, nargs="*", help="the patient's 1–5 ratings for the visit")
    tag.add_argument("--engine", choices=ENGINES, default=None, help="tokenizer (default nlpo3)")
    tag.add_argument("--config-dir", type=Path, default=None, help="directory holding topics.toml")
    tag.add_argument("--question", choices=QUESTIONS, default=None, help="what the text answers")
    tag.add_argument("--explain", action="store_true", help="add lexicon/model details under 'details'")
    args = ap.parse_args(argv)

    from nlp.analyzer import get_analyzer

    text = args.text if args.text is not None else sys.stdin.read()
    result = get_analyzer(args.config_dir, engine=args.engine).analyse(
        text, ratings=args.ratings, question=args.question
    )
    out = result.to_dict()
    if args.question is not None or args.explain:
        out["suggestions"] = result.suggestions()
    if args.explain:
        out["details"] = result.details
    print(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
