"""The hostile-input benchmark's own logic: generators sized as asked, flags that follow
from the numbers.

Nothing here is timed or run against the attacks' stages (``benchmarks/bench_hostile.py``
does that, each run in a subprocess); these tests keep the benchmark honest: a family's
size parameter must scale its input, and a verdict must follow from the figures given.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import _attacks  # noqa: E402
import _stages  # noqa: E402
import bench_hostile as bench  # noqa: E402

KIB, MIB = 1024, 1024 * 1024


@pytest.mark.parametrize("name", sorted(_attacks.FAMILIES))
def test_generator_sizes_follow_the_request(name: str) -> None:
    family = _attacks.FAMILIES[name]
    small, large = family.make(16 * KIB), family.make(64 * KIB)
    for attack, size in ((small, 16 * KIB), (large, 64 * KIB)):
        assert size / 2 <= attack.size <= size * 2, f"{attack.size} bytes for {size}"
        assert attack.stages
        assert set(attack.stages) <= set(_attacks.STAGES)
        assert attack.expect in ("any", "ok", "error")
    # the size scales the attack itself: the input grows with it
    assert large.size > 2 * small.size


def test_every_family_of_the_issue_and_the_old_cases_is_there() -> None:
    origins = {f.origin for f in _attacks.FAMILIES.values()}
    assert origins == {"issue", "docs", "cases"}
    names = set(_attacks.FAMILIES)
    for expected in (
        "threads_recursion_room",
        "blob_doubling",
        "forward_chain",
        "map_per_path",
        "push_regex_spaces",
        "selector_descendant",
        "shared_text_row",
        "deep_push_argument",
        "batch_damaged_warc",
        "truncated_final_row",
        "injection_template",
        "billion_laughs",
        "garbage_lines",
    ):
        assert expected in names


def test_stage_runners_cover_every_stage() -> None:
    assert set(_stages.RUNNERS) == set(_attacks.STAGES)


def test_checks_see_what_they_look_for() -> None:
    check = _attacks.contains("html_to_markdown", "TAILMARK")
    assert check({"html_to_markdown": "a TAILMARK b"}) is None
    assert "lacks" in (check({"html_to_markdown": "a b"}) or "")
    assert check({}) is None  # the stage failed: its exception is the finding
    absent = _attacks.contains("next_f", "FAKE", present=False)
    assert "has" in (absent({"next_f": b"0:FAKE"}) or "")


def test_verdict_orders_bugs_silence_and_errors() -> None:
    attack = _attacks.Attack(b"", ("parse",))
    ok = {"stage": "parse", "outcome": "ok", "error": None}
    limit = {"stage": "parse", "outcome": "FlightError", "error": "FlightLimitError: x"}
    bug = {"stage": "render_html", "outcome": "bug", "error": "RecursionError: y"}
    assert _stages.verdict(attack, [ok])[0] == "ok"
    assert _stages.verdict(attack, [limit])[0] == "FlightError"
    assert _stages.verdict(attack, [limit, bug])[0] == "bug"
    strict = _attacks.Attack(b"", ("parse",), expect="error")
    assert _stages.verdict(strict, [ok]) == (
        "silent",
        "damaged input accepted without a FlightError",
    )
    valid = _attacks.Attack(b"", ("parse",), expect="ok")
    assert _stages.verdict(valid, [limit])[0] == "silent"


def test_growth_is_normalised_per_doubling() -> None:
    # quadratic: 4x per doubling, whether the sizes are 2x or 4x apart
    assert bench.per_doubling(1, 1.0, 2, 4.0, 0.0) == pytest.approx(4.0)
    assert bench.per_doubling(1, 1.0, 4, 16.0, 0.0) == pytest.approx(4.0)
    # linear
    assert bench.per_doubling(64, 1.0, 256, 4.0, 0.0) == pytest.approx(2.0)
    # noise below the floor is not growth
    assert bench.per_doubling(1, 0.001, 2, 0.01, 0.05) == pytest.approx(1.0)
    assert bench.per_doubling(1, None, 2, 1.0, 0.0) is None
    assert bench.growths([1, 2, 4], [1.0, 2.0, 8.0], 0.0) == pytest.approx([2.0, 4.0])


def test_projection_to_one_mib() -> None:
    assert bench.projected(MIB, 3.0, 4.0) == 3.0
    assert bench.projected(MIB * 0.9, 3.0, 4.0) == 3.0  # generators round the size
    assert bench.projected(MIB // 4, 1.0, 2.0) == pytest.approx(4.0)
    assert bench.projected(MIB // 4, 1.0, None) == 1.0


def run(size: int, seconds: float | None, peak: float = 30 * MIB, **extra: Any) -> dict[str, Any]:
    base = {"size": size, "kind": "ok", "detail": "", "seconds": seconds, "peak": peak}
    return base | {"work": 1 * MIB, "output": None} | extra


def test_linear_family_is_not_flagged() -> None:
    runs = [run(64 * KIB, 0.1), run(256 * KIB, 0.4), run(MIB, 1.6)]
    assert bench.flag_reasons(runs) == []


def test_quadratic_time_is_flagged() -> None:
    runs = [run(64 * KIB, 0.1), run(256 * KIB, 1.6), run(MIB, 25.6)]
    reasons = bench.flag_reasons(runs)
    assert any(r.startswith("time x4.0") for r in reasons)
    assert any("at 1 MiB" in r for r in reasons)


def test_absolute_limits_at_one_mib() -> None:
    # linear but slow, and linear but big
    slow = [run(64 * KIB, 0.8), run(256 * KIB, 3.2), run(MIB, 12.8)]
    assert bench.flag_reasons(slow) == ["13 s at 1 MiB"]
    big = [run(64 * KIB, 0.1, peak=200 * MIB), run(256 * KIB, 0.4, 800 * MIB)]
    big.append(run(MIB, 1.6, peak=3200 * MIB))
    assert bench.flag_reasons(big) == ["3.1 GiB at 1 MiB"]
    # below 1 MiB, the largest run is projected: 2 s at 64 KiB, linear -> 32 s
    quick = [run(16 * KIB, 0.5), run(32 * KIB, 1.0), run(64 * KIB, 2.0)]
    assert bench.flag_reasons(quick) == ["32 s projected to 1 MiB"]


def test_memory_and_output_growth_are_flagged() -> None:
    runs = [
        run(64 * KIB, 0.1, work=20 * MIB, output=10 * MIB),
        run(128 * KIB, 0.2, work=80 * MIB, output=40 * MIB),
    ]
    reasons = bench.flag_reasons(runs)
    assert "memory x4.0 per doubling" in reasons
    assert "output x4.0 per doubling" in reasons


def test_escapes_timeouts_and_crashes_are_flagged_once() -> None:
    bug = {"kind": "bug", "detail": "render_html: RecursionError"}
    runs = [run(64 * KIB, 0.1, **bug), run(256 * KIB, 0.4, **bug)]
    runs.append(run(MIB, None, kind="timeout", detail="no result after 20 s"))
    reasons = bench.flag_reasons(runs)
    assert reasons[0] == "bug at 64 KiB, 256 KiB: render_html: RecursionError"
    assert reasons[1] == "timeout at 1.0 MiB: no result after 20 s"
    crash = [run(64 * KIB, None, kind="crash", detail="signal SIGSEGV")]
    assert bench.flag_reasons(crash) == ["crash at 64 KiB: signal SIGSEGV"]
    # a FlightError is the expected answer to hostile input
    fine = [run(64 * KIB, 0.1, kind="FlightError", detail="parse: FlightLimitError")]
    assert bench.flag_reasons(fine) == []
