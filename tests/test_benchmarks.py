"""The benchmark scripts' own logic: the walk floor, the target verdicts, the summary.

Nothing here is timed (speed is measured by ``benchmarks/``, not by tests).  These tests
keep the scripts honest: a verdict must follow from the numbers it is given, a floor must
do the work it claims, and the one-command summary must survive a script that measured
nothing.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import _common  # noqa: E402
import bench_decode  # noqa: E402
import bench_scaling  # noqa: E402
import run_all  # noqa: E402


def test_walk_floor_makes_elements_and_unescapes() -> None:
    (root,) = _common.walk_floor(
        ['["$","div",null,{"title":"$$5","children":[["$","a","k",{"href":"/"}],"$L1"]}]']
    )
    assert isinstance(root, _common.FloorElement)
    assert (root.type, root.key) == ("div", None)
    assert root.props["title"] == "$5"
    link, lazy = root.props["children"]
    assert isinstance(link, _common.FloorElement)
    assert (link.type, link.key, link.props) == ("a", "k", {"href": "/"})
    assert lazy == "$L1"  # the floor resolves nothing


def result(
    name: str, size: int, json_share: float, peak: float, kept: float = 0.0, **seconds: float
) -> Any:
    """A measured input: ``peak`` and ``kept`` (what the payload holds) as multiples of
    its size."""
    cells = {key: bench_decode.Cell(best=value) for key, value in seconds.items()}
    return bench_decode.Result(
        name, name, size, 1, int(size * json_share), 0, int(peak * size), int(kept * size), cells
    )


def verdicts(checks: list[dict[str, Any]]) -> dict[str, bool]:
    return {check["target"].split(" ")[0]: check["met"] for check in checks}


def test_decode_targets_follow_the_numbers() -> None:
    checks = bench_decode.targets(
        [
            # a small input counts for the nextflight goal (every payload) but not for
            # React's (payloads of 100 KB and more)
            result("small.txt", 10_000, 0.9, 3.0, rsc=1.0, nextflight=5.5, react=0.1, floor=0.4),
            result(
                "react19/bench_large_tree.txt",
                700_000,
                0.95,
                5.0,
                kept=2.0,
                rsc=1.0,
                nextflight=6.0,
                react=0.9,
                floor=0.4,
            ),
            # mostly text rows: no JSON floor to speak of, left out of the total
            result("text.txt", 2_000_000, 0.0, 2.0, rsc=1.0, nextflight=9.0, react=2.0, floor=1e-5),
        ]
    )
    got = {check["target"]: check for check in checks}
    speed = [c for t, c in got.items() if t.startswith("nextflight")]
    assert speed[0]["met"]
    assert speed[0]["value"] == pytest.approx(5.5)  # the small input is the worst
    assert "small.txt" in speed[0]["got"]
    react = [c for t, c in got.items() if t.startswith("react")]
    assert not react[0]["met"]
    assert "bench_large_tree" in react[0]["got"]
    total = [c for t, c in got.items() if t.startswith("total")]
    assert total[0]["value"] == pytest.approx((1.0 + 1.0 + 1.0) / (0.4 + 0.4 + 0.4))
    assert not total[0]["met"]
    memory = [c for t, c in got.items() if t.startswith("peak")]
    assert memory[0]["value"] == pytest.approx(5.0 / 2.0)  # peak over what the payload keeps
    assert not memory[0]["met"]


def test_decode_nextflight_target_counts_small_inputs() -> None:
    checks = bench_decode.targets(
        [
            result("small.txt", 15_000, 0.8, 3.0, rsc=1.0, nextflight=3.5),
            result("big.txt", 500_000, 0.9, 3.0, rsc=1.0, nextflight=6.0),
        ]
    )
    speed = [c for c in checks if c["target"].startswith("nextflight")]
    assert speed[0]["target"].endswith("on every input")
    assert not speed[0]["met"]
    assert "small.txt" in speed[0]["got"]


def test_decode_targets_skip_what_was_not_measured() -> None:
    checks = bench_decode.targets([result("a.txt", 500_000, 0.9, 3.0, rsc=1.0, floor=0.6)])
    assert [c["target"].split(" ")[0] for c in checks] == ["total"]
    assert checks[0]["met"]


def scaling_record(mb: int, parse: float, peak: int, largest: int) -> dict[str, Any]:
    return {
        "mb": mb,
        "bytes": mb * 1_000_000,
        "rows": 1,
        "tokenize_s_per_mb": 0.001,
        "parse_s_per_mb": parse,
        "parse_peak_over_input": 7.0,
        "streamed_peak_bytes": peak,
        "largest_row_bytes": largest,
    }


def test_scaling_targets() -> None:
    bounded = [
        scaling_record(1, 0.04, 460_000, 15_000),
        scaling_record(100, 0.045, 1_100_000, 53_000),
    ]
    checks = bench_scaling.targets(bounded, {"parse": 0.045 / 0.04, "peak": 2.0})
    assert [c["met"] for c in checks] == [True, False, True]
    # a streamed peak that grows with the input is not bounded by the rows
    growing = [
        scaling_record(1, 0.04, 460_000, 15_000),
        scaling_record(100, 0.04, 46_000_000, 15_000),
    ]
    assert not bench_scaling.targets(growing, {})[-1]["met"]


def test_summary_collects_lines_and_targets() -> None:
    target = {"target": "x", "got": "1", "value": 1, "met": True}
    found = run_all.summary(
        {
            "decode": {
                "inputs": [
                    {
                        "size": 100,
                        "json_bytes": 90,
                        "peak_over_input": 12.0,
                        "ratios": {"nextflight": 1.5, "react": 0.7, "rsc_over_floor": 3.0},
                    }
                ],
                "targets": [target],
            },
            "render": {"inputs": "not a list"},  # a script that changed its output
            "import": {"import_s": {"median": 0.03}, "processes": 5, "lxml_loaded": False},
        }
    )
    rows = {row[0]: row for row in found["rows"][1:]}
    assert "vs nextflight 1.50x" in rows["decode"][2]
    assert "x json floor 3.00x" in rows["decode"][2]
    assert rows["render"][2].startswith("summary failed")
    assert "import 30.0 ms" in rows["import"][2]
    assert found["targets"] == [{"stage": "decode", **target}]


def run_script(*args: str, tmp_path: Path) -> dict[str, Any]:
    out = tmp_path / "out.json"
    done = subprocess.run(
        [sys.executable, *args, "--json", str(out)], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert "target:" in done.stdout
    return json.loads(out.read_text())


def test_bench_import_runs(tmp_path: Path) -> None:
    doc = run_script(str(BENCHMARKS / "bench_import.py"), "--quick", tmp_path=tmp_path)
    assert doc["processes"] == 5
    assert doc["lxml_loaded"] is False
    assert doc["targets"][0]["value"] == doc["import_s"]["median"]


def test_bench_scaling_runs(tmp_path: Path) -> None:
    doc = run_script(
        str(BENCHMARKS / "bench_scaling.py"), "--sizes", "1,2", "--repeat", "1", tmp_path=tmp_path
    )
    assert [s["mb"] for s in doc["sizes"]] == [1, 2]
    assert set(doc["growth"]) == {"tokenize", "parse", "peak"}
    assert len(doc["targets"]) == 4


def test_a_sample_gives_back_cyclic_results_inside_its_timing() -> None:
    """With the GC off, ``give_back`` collects the youngest generation after each call, so a
    reader whose results are reference cycles frees them in its own time, as a reader whose
    results reference counting frees does; without it they wait for the next collection."""
    import gc

    def cyclic() -> object:
        cell: list[object] = []
        cell.append(cell)
        return cell

    gc.collect()
    _common.sample(cyclic, 50, keep_gc=False, give_back=True)
    assert gc.collect() == 0
    _common.sample(cyclic, 50, keep_gc=False)
    assert gc.collect() >= 50
