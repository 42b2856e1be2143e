#!/bin/sh
# One fuzzing run against the native build (fuzz/README.md).
#   fuzz/run_fuzz.sh SEED SECONDS [libFuzzer options...]
# With fuzz/native/ built, the instrumented scanner is loaded under AddressSanitizer
# (atheris's asan_with_fuzzer.so preloaded); else the in-place build runs with Python
# coverage only.  ASan sees the C scanner's own accesses and every malloc; Python's small
# object allocator stays on unless FUZZ_PYTHONMALLOC=malloc (ten times slower: a whole
# pipeline run is mostly Python).
set -eu
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python}
SEED=$1
SECONDS_=$2
shift 2
SUFFIX=$("$PYTHON" -c "import sysconfig; print(sysconfig.get_config_var('EXT_SUFFIX'))")
INSTRUMENTED="$PWD/fuzz/native/_cscan$SUFFIX"
RUN=fuzz/runs/seed-$SEED
mkdir -p fuzz/corpus "$RUN/corpus"
# Breaks of the invariant are written to $RUN/breaks and the run goes on (fuzz_pipeline.py).
export RSC_FLIGHT_FUZZ_BREAKS="${RSC_FLIGHT_FUZZ_BREAKS-$RUN/breaks}"
if [ -f "$INSTRUMENTED" ]; then
    ATHERIS=$("$PYTHON" -c "import atheris; print(atheris.path())")
    export LD_PRELOAD="$ATHERIS/asan_with_fuzzer.so"
    export RSC_FLIGHT_FUZZ_NATIVE="$INSTRUMENTED"
    if [ -n "${FUZZ_PYTHONMALLOC-}" ]; then export PYTHONMALLOC="$FUZZ_PYTHONMALLOC"; fi
    export ASAN_OPTIONS="detect_leaks=0:allocator_may_return_null=1"
fi
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
# New units go to the run's own corpus; fuzz/corpus (the seeds) is only read.
exec "$PYTHON" fuzz/fuzz_pipeline.py "$RUN/corpus" fuzz/corpus -dict=fuzz/flight.dict \
    -seed="$SEED" -max_total_time="$SECONDS_" -timeout=10 -rss_limit_mb=3072 \
    -max_len=8192 -artifact_prefix="$RUN/" -print_final_stats=1 "$@"
