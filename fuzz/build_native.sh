#!/bin/sh
# Build the native engine twice (fuzz/README.md):
#   rsc_flight/wire/_cscan*.so   plain, in place: what the tests and PYTHONPATH=. use;
#   fuzz/native/_cscan*.so       clang -fsanitize=address,fuzzer-no-link, for the harness.
# Direct compiler calls, not setup.py: they need only the Python headers, not a
# setuptools new enough to read pyproject.toml.
set -eu
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python}
INCLUDE=$("$PYTHON" -c "import sysconfig; print(sysconfig.get_paths()['include'])")
SUFFIX=$("$PYTHON" -c "import sysconfig; print(sysconfig.get_config_var('EXT_SUFFIX'))")
SOURCE=rsc_flight/wire/_cscan.c
${CC:-cc} -shared -fPIC -O2 -Wall -I"$INCLUDE" "$SOURCE" -o "rsc_flight/wire/_cscan$SUFFIX"
echo "built rsc_flight/wire/_cscan$SUFFIX"
if command -v clang >/dev/null; then
    mkdir -p fuzz/native
    clang -shared -fPIC -O1 -g -fno-omit-frame-pointer -fsanitize=address,fuzzer-no-link \
        -I"$INCLUDE" "$SOURCE" -o "fuzz/native/_cscan$SUFFIX"
    echo "built fuzz/native/_cscan$SUFFIX (ASan + libFuzzer coverage)"
else
    echo "no clang: the harness will have Python coverage only" >&2
fi
