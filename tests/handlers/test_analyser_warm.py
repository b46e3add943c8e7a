"""The service loads the analyser warm: every pattern database it compiles lazily is built in the loading thread,
not by the first short text analysed in place on the event loop (handlers/services.py)."""

from __future__ import annotations

import gc

from handlers.services import Services
from nlp.prefilter import PatternSet


def _pattern_sets() -> list[PatternSet]:
    return [o for o in gc.get_objects() if isinstance(o, PatternSet)]


async def test_the_first_messages_after_loading_build_no_pattern_database(services: Services) -> None:
    analyzer = await services.analyzer()
    assert analyzer is await services.analyzer()  # loaded once
    known = {id(s): s._ready for s in _pattern_sets()}
    assert known, "the analyser compiles its cue sets with Hyperscan"
    analyzer.analyse("ห้องน้ำสกปรกค่ะ รอนานด้วย", question="dissatisfaction")
    analyzer.analyse("ผป.ตกเตียง ศีรษะกระแทกพื้น GCS 15 แจ้งแพทย์", question="incident")
    built = [s for s in _pattern_sets() if s._ready and not known.get(id(s), False)]
    assert not built, f"{len(built)} pattern databases were left for the first messages to build"
