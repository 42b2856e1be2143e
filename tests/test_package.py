"""The package's surface: every public name resolves, and importing it is cheap."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import rsc_flight


def test_every_public_name_resolves():
    for name in rsc_flight.__all__:
        assert getattr(rsc_flight, name) is not None, name
    assert set(rsc_flight.__all__) <= set(dir(rsc_flight))


def test_unknown_names_raise_attribute_error():
    with pytest.raises(AttributeError, match="no_such_name"):
        rsc_flight.no_such_name  # noqa: B018


def test_import_loads_nothing_until_a_name_is_used():
    """``import rsc_flight`` loads no submodule (and so no lxml, attrs or orjson); using
    ``FlightDecoder`` loads the tokenizer, not the resolver or the extractor."""
    code = (
        "import json, sys; import rsc_flight; a = sorted(sys.modules);"
        "rsc_flight.FlightDecoder; b = sorted(sys.modules);"
        "print(json.dumps([a, b]))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True)
    after_import, after_use = json.loads(done.stdout)
    assert not [m for m in after_import if m.startswith("rsc_flight.")]
    assert not {"lxml", "attrs", "orjson", "regex"} & set(after_import)
    assert "rsc_flight.wire.decoder" in after_use
    assert not {"rsc_flight.model.resolver", "rsc_flight.extract.extractor", "lxml"} & set(
        after_use
    )
