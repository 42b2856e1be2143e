"""Attack families on the decoder (wire and model stages): the old fixed cases, the attacks
of ``docs/security.md``, and the issue's attacks on rows, references and values."""

from __future__ import annotations

import sys
from typing import Any

from _attacks import MAX_DIAGNOSTICS, Attack, count, family, flight, j, push_script

# -- the old fixed cases, scaled ----------------------------------------------------------


def doubling_rows(levels: int, code: str = "", base: int = 1) -> list[str]:
    """Rows ``base``.. that each hold two references to the one before: 2**levels leaves;
    the last row is the chain's top."""
    first = f'{base:x}:[["x",1]]' if code == "Q" else f'{base:x}:["lol"]'
    rows = [first]
    for i in range(base + 1, base + levels + 1):
        if code == "Q":
            rows.append(f'{i:x}:[["a","$Q{i - 1:x}"],["b","$Q{i - 1:x}"]]')
        else:
            rows.append(f'{i:x}:["${i - 1:x}","${i - 1:x}"]')
    return rows


def doubling_chains(size: int, levels: int, unit: int, code: str = "") -> bytes:
    """As many doubling chains of ``levels`` rows (below max_depth) as fill ``size``; the
    root lists every chain's top."""
    rows: list[str] = []
    tops: list[str] = []
    for chain in range(count(size, unit * (levels + 1))):
        rows += doubling_rows(levels, code, 1 + chain * (levels + 1))
        tops.append(f'"${code}{(chain + 1) * (levels + 1):x}"')
    return flight([*rows, f"0:[{','.join(tops)}]"])


@family("billion_laughs", "cases", "chains of 60 rows holding two references to the one before")
def _billion_laughs(size: int) -> Attack:
    return Attack(doubling_chains(size, 60, 22), ("parse", "typed_json", "render_html"))


@family("billion_laughs_maps", "cases", "the same through $Q Maps")
def _billion_laughs_maps(size: int) -> Attack:
    return Attack(doubling_chains(size, 60, 36, "Q"), ("parse", "typed_json"))


@family("nested_arrays", "cases", "one row of arrays nested size/2 deep")
def _nested_arrays(size: int) -> Attack:
    depth = count(size, 2, 4)
    return Attack(b"0:" + b"[" * depth + b"]" * depth + b"\n", ("parse", "typed_json"))


@family("nested_objects", "cases", 'one row of {"a": nested size/6 deep')
def _nested_objects(size: int) -> Attack:
    depth = count(size, 6, 5)
    return Attack(b"0:" + b'{"a":' * depth + b"1" + b"}" * depth + b"\n", ("parse", "typed_json"))


@family("backward_chain", "cases", "each row refers to the one before, root to the last")
def _backward_chain(size: int) -> Attack:
    n = count(size, 12)
    rows = ['1:"end"', *(f'{i:x}:["${i - 1:x}"]' for i in range(2, n)), f'0:"${n - 1:x}"']
    return Attack(flight(rows), ("parse", "typed_json", "render_html"))


@family("text_row_claim", "cases", "rows, then a T row claiming 2**64 bytes")
def _text_row_claim(size: int) -> Attack:
    filler = [f'{i:x}:"row {i}"' for i in range(1, count(size, 14, 30))]
    return Attack(flight(filler) + b"0:Tffffffffffffffff,abc", ("parse",))


@family("bigint_digits", "cases", "a $n BigInt of size digits")
def _bigint_digits(size: int) -> Attack:
    return Attack(b'0:"$n' + b"7" * count(size, 1, 8) + b'"\n', ("parse", "typed_json"))


@family("long_path", "cases", "a path reference of size/2 steps")
def _long_path(size: int) -> Attack:
    return Attack(b'1:{}\n0:"$1' + b":a" * count(size, 2, 12) + b'"\n', ("parse", "typed_json"))


@family("garbage_lines", "cases", "size/2 lines that are not rows: diagnostics stay bounded")
def _garbage_lines(size: int) -> Attack:
    def check(outputs: dict[str, Any]) -> str | None:
        payload = outputs.get("parse")
        # Limits.max_diagnostics kept, plus the one too-many-diagnostics that counts the rest
        if payload is not None and len(payload.diagnostics) > MAX_DIAGNOSTICS + 1:
            return f"{len(payload.diagnostics):,} diagnostics (unbounded in number)"
        return None

    return Attack(b"0:1\n" + b"x\n" * count(size, 2, 4), ("parse",), check=check)


# -- docs/security.md ---------------------------------------------------------------------


@family("dunder_paths", "docs", "$1:__class__:__init__:__globals__ paths: data only")
def _dunder_paths(size: int) -> Attack:
    ref = '"$1:__class__:__init__:__globals__:os"'
    n = count(size, len(ref) + 1, 20)
    return Attack(flight(['1:{"a":1}', f"0:[{','.join([ref] * n)}]"]), ("parse", "typed_json"))


@family("proto_thenable", "docs", "__proto__ keys and CVE-2025-55182 thenable chunks")
def _proto_thenable(size: int) -> Attack:
    fake = {
        "then": "$1:__proto__:then",
        "status": "resolved_model",
        "reason": -1,
        "value": '{"then":"$B1337"}',
        "_response": {"_prefix": "process.exit(1)//", "_formData": {"get": "$1:constructor"}},
        "__proto__": {"polluted": True},
    }
    n = count(size, len(j(fake)) + 1, 20)
    rows = ['1:{"__proto__":{"then":"$h2"}}', f"0:{j([fake] * n)}"]
    return Attack(flight(rows), ("parse", "typed_json", "render_html"), expect="ok")


@family("references_do_not_run", "docs", "I rows, $h/$F, $E and hints naming modules")
def _references_do_not_run(size: int) -> Attack:
    unit = [
        '{i:x}:I["this",["this"],"default"]',
        '{i:x}:HL["/evil.js","script"]',
        '{i:x}:{{"f":"$E(()=>{{import(\'this\')}})()","h":"$h1","F":"$F1"}}',
    ]
    rows = [unit[i % 3].format(i=i) for i in range(1, count(size, 40))]
    refs = ",".join(f'"$L{i:x}"' for i in range(3, len(rows), 3))
    rows.append(f"0:[{refs}]")

    def check(outputs: dict[str, Any]) -> str | None:
        return "the module a payload names was imported" if "this" in sys.modules else None

    return Attack(flight(rows), ("parse", "typed_json", "render_html"), check=check)


@family("many_pushes", "docs", "a page of size/40 tiny __next_f pushes")
def _many_pushes(size: int) -> Attack:
    pushes = "".join(push_script(f"{i:x}:1\n") for i in range(count(size, 40, 200)))
    body = "<script>(self.__next_f=self.__next_f||[]).push([0])</script>" + pushes
    return Attack(f"<!DOCTYPE html><html><body>{body}</body></html>".encode(), ("next_f", "parse"))


@family("bytewise_feed", "docs", "the tokenizer fed one byte at a time: still linear")
def _bytewise_feed(size: int) -> Attack:
    rows = [f'{i:x}:["$","p",null,{{"children":"text {i}"}}]' for i in range(count(size, 44))]
    return Attack(flight(rows), ("feed_bytes",))


@family("unterminated_row", "docs", "one newline row without its LF, fed 1 KiB at a time")
def _unterminated_row(size: int) -> Attack:
    return Attack(b'0:"' + b"a" * count(size, 1, 3), ("feed_chunks",))


# -- the issue: threads -------------------------------------------------------------------


def element_chain(first: int, length: int) -> list[str]:
    """Rows ``first``..``first+length-1``: each a div whose child is the next row."""
    rows = [
        f'{i:x}:["$","div",null,{{"children":"${i + 1:x}"}}]'
        for i in range(first, first + length - 1)
    ]
    return [*rows, f'{first + length - 1:x}:"end"']


@family("threads_recursion_room", "issue", "4 threads decoding 400-deep pages at once")
def _threads_recursion_room(size: int) -> Attack:
    chains = count(size, 400 * 40, 10)
    rows = [row for c in range(chains) for row in element_chain(1 + c * 400, 400)]
    roots = ",".join(f'"${1 + c * 400:x}"' for c in range(chains))
    return Attack(flight([*rows, f"0:[{roots}]"]), ("threads",), expect="ok")


# -- the issue: exponential memory, quadratic time ----------------------------------------


@family("blob_doubling", "issue", "chains of $B Blobs listing the Blob before twice, per row")
def _blob_doubling(size: int) -> Attack:
    # 24 levels (128 MiB per chain) stay far below max_depth; the size adds chains.
    levels = 24
    rows: list[str] = []
    tops: list[str] = []
    for chain in range(count(size, 40 * (levels + 1))):
        base = 1 + chain * (levels + 1)
        rows.append(f'{base:x}:["text/plain","abcdefgh"]')
        for i in range(base + 1, base + levels + 1):
            rows.append(f'{i:x}:["text/plain","$B{i - 1:x}","$B{i - 1:x}"]')
        tops.append(f'"$B{base + levels:x}"')
    return Attack(flight([*rows, f"0:[{','.join(tops)}]"]), ("parse", "typed_json"))


@family("forward_chain", "issue", "rows each referring forward to the next")
def _forward_chain(size: int) -> Attack:
    n = count(size, 13)
    rows = ['0:"$1"', *(f'{i:x}:["${i + 1:x}"]' for i in range(1, n)), f'{n:x}:"end"']
    return Attack(flight(rows), ("parse", "typed_json"))


@family("blocked_cycle", "issue", "elements waiting on each other: the blocked-cycle check")
def _blocked_cycle(size: int) -> Attack:
    n = count(size, 60)
    rows = ['0:"$1"']
    rows += [
        f'{i:x}:["$","div","k",{{"a":"${i + 1:x}:props:b","b":"${(i + 2) % n or 1:x}"}}]'
        for i in range(1, n)
    ]
    return Attack(flight([*rows, f'{n:x}:["$","i",null,{{"b":"$1"}}]']), ("parse", "typed_json"))


@family("close_rescan", "issue", "holes that wake chunks waiting on earlier holes at close()")
def _close_rescan(size: int) -> Attack:
    n = count(size, 40)
    # Row i waits, through row i+1's lazy, on missing row m(i); the missing ids run backwards
    # so that close() resolves one hole per pass over all the chunks.
    missing = 0x100000
    rows = [f'{i:x}:{{"l":"$L{missing - i:x}","n":"${i + 1:x}:l:x"}}' for i in range(1, n)]
    return Attack(flight(['0:"$1"', *rows]), ("parse", "typed_json"))


@family("undefined_keys", "issue", 'one object with size/20 "$undefined" keys')
def _undefined_keys(size: int) -> Attack:
    n = count(size, 20)
    body = ",".join(f'"k{i:x}":"$undefined"' for i in range(n))
    return Attack(flight([f"0:{{{body}}}"]), ("parse", "typed_json"))


def per_path(size: int, code: str) -> Attack:
    """A row of entries reached by many distinct paths, each building its own copy."""
    entries = count(size // 3, 12)
    paths = count(size // 3, 8)
    shared = ",".join(['"$1"'] * paths)
    refs = ",".join(f'"${code}2:{i}"' for i in range(paths))  # path steps are decimal
    rows = [f"1:{j([[f'k{i:x}', i] for i in range(entries)])}", f"2:[{shared}]", f"0:[{refs}]"]
    return Attack(flight(rows), ("parse", "typed_json"))


@family("map_per_path", "issue", "a Map rebuilt for every distinct path to the same row")
def _map_per_path(size: int) -> Attack:
    return per_path(size, "Q")


@family("iterator_per_path", "issue", "an iterator rebuilt for every distinct path")
def _iterator_per_path(size: int) -> Attack:
    return per_path(size, "i")


# -- the issue: amplification past the budgets --------------------------------------------


@family("shared_text_row", "issue", "a text row of size/2 bytes referenced size/10 times")
def _shared_text_row(size: int) -> Attack:
    text = b"x" * (size // 2)
    refs = ",".join(['"$1"'] * count(size // 2, 5))
    data = b"1:T%x," % len(text) + text + flight([f'0:["$","div",null,{{"children":[{refs}]}}]'])
    return Attack(data, ("parse", "typed_json", "render_html"))


@family("shared_binary_row", "issue", "a Uint8Array row of size/2 bytes referenced many times")
def _shared_binary_row(size: int) -> Attack:
    blob = bytes(range(256)) * (size // 512)
    refs = ",".join(['"$1"'] * count(size // 2, 5))
    data = b"1:o%x," % len(blob) + blob + flight([f'0:{{"blobs":[{refs}]}}'])
    return Attack(data, ("parse", "typed_json", "render_html"))


@family("shared_props_row", "issue", "one props row of many attributes, shared by many divs")
def _shared_props_row(size: int) -> Attack:
    props = {f"data-a{i:x}": "v" for i in range(count(size // 2, 14))}
    divs = ",".join(['["$","div",null,"$1"]'] * count(size // 2, 23))
    return Attack(flight([f"1:{j(props)}", f"0:[{divs}]"]), ("parse", "render_html"))


# -- the issue: exceptions other than FlightError -----------------------------------------


@family("deep_push_argument", "issue", "a __next_f.push argument nested size/2 deep")
def _deep_push_argument(size: int) -> Attack:
    depth = count(size, 2, 200)
    script = "<script>self.__next_f.push([1," + "[" * depth + "]" * depth + "])</script>"
    first = push_script("0:1\n")
    html = f"<!DOCTYPE html><html><body>{first}{script}</body></html>"
    return Attack(html.encode(), ("next_f", "parse"))


@family("self_list_attribute", "issue", "a list that contains itself, used as className")
def _self_list_attribute(size: int) -> Attack:
    n = count(size, 50)
    divs = ",".join(['["$","div",null,{"className":"$1","children":"x"}]'] * n)
    return Attack(
        flight(['1:["a","$1"]', f"0:[{divs}]"]), ("parse", "render_html", "extract_article")
    )


@family("lazy_nested_lists", "issue", "lists nested through size/12 lazies, rendered")
def _lazy_nested_lists(size: int) -> Attack:
    n = count(size, 16)
    rows = ['0:"$L1"', *(f'{i:x}:["$L{i + 1:x}"]' for i in range(1, n)), f'{n:x}:"end"']
    return Attack(flight(rows), ("parse", "render_html", "extract_article"))


@family("deep_row_max_depth_2000", "issue", "Limits(max_depth=2000) and a row size/2 deep")
def _deep_row_max_depth(size: int) -> Attack:
    depth = count(size, 2, 4)
    data = b"0:" + b"[" * depth + b"]" * depth + b"\n"
    return Attack(data, ("parse", "typed_json"), limits={"max_depth": 2000})


@family("int_309_digits", "issue", "309-digit integers as children and attributes")
def _int_309_digits(size: int) -> Attack:
    big = "9" * 309
    unit = f'["$","p",null,{{"data-n":{big},"children":{big}}}]'
    items = ",".join([unit] * count(size, len(unit) + 1, 60))
    rows = [f'0:["$","article",null,{{"children":[["$","h1",null,{{"children":"T"}}],{items}]}}]']
    return Attack(flight(rows), ("parse", "render_html", "extract_article", "article_to_dict"))


# -- the issue: silent loss ---------------------------------------------------------------


@family("truncated_final_row", "issue", "strict mode and a final row 1:12345 cut to 1:12")
def _truncated_final_row(size: int) -> Attack:
    n = count(size, 30)
    rows = ['0:["$1",' + ",".join(f'"${i:x}"' for i in range(2, n)) + "]"]
    rows += [f'{i:x}:"row {i}"' for i in range(2, n)]
    data = flight(rows) + b"1:12345\n"
    return Attack(data[:-4], ("parse",), strict=True, expect="error")


@family("invalid_utf8_diagnostic", "issue", "a row of size invalid UTF-8 bytes: all kept?")
def _invalid_utf8_diagnostic(size: int) -> Attack:
    bad = count(size, 1, 20)

    def check(outputs: dict[str, Any]) -> str | None:
        payload = outputs.get("parse")
        if payload is None:
            return None
        kept = sum(len(d.raw) for d in payload.diagnostics)
        return None if kept >= bad else f"diagnostics keep {kept} of {bad:,} invalid bytes"

    return Attack(b'0:"$1"\n1:"' + b"\xff" * bad + b'"\n', ("parse",), check=check)
