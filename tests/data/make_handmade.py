"""Write the hand-made fixtures in ``handmade/``: one small payload per dialect.

Run ``python tests/data/make_handmade.py`` from the project root after changing it; the
files are committed.  Each payload is written the way its React build frames rows (see
``docs/format.md``), with the text-row lengths computed here rather than typed by hand.
"""

from __future__ import annotations

import base64
import itertools
import json
from pathlib import Path

OUT = Path(__file__).resolve().parent / "handmade"


def text_row(row_id: int, text: str) -> bytes:
    body = text.encode()
    return f"{row_id:x}:T{len(body):x},".encode() + body


BODY = "<p>안녕하세요, RSC! 😀 Flight rows carry this body.</p>\n" * 12

PAYLOADS: dict[str, bytes] = {
    # React experimental 2022 (Next 13.0-13.1): tag first, @hex lazies, M/S/P rows.
    "f0-next13.1.txt": (
        b'M1:{"id":"./app/layout.js","chunks":["app/layout:app/layout.js"],"name":""}\n'
        b'S2:"react.suspense"\n'
        b'J0:["$","@1",null,{"children":["$","$2",null,{"fallback":"...",'
        b'"children":"@3"}]}]\n'
        b'J3:["$","p",null,{"children":"$$1 costs one dollar"}]\n'
    ),
    # Next 13.2-13.3: id-first, newline only, object-form I rows, hints with ids.
    "f1-next13.3.txt": (
        b'1:I{"id":"123","chunks":["123:static/chunks/123.js"],"name":"","async":false}\n'
        b'2:HL["/_next/static/css/a.css",{"as":"style"}]\n'
        b'0:[["$","$L1",null,{"initialTree":["",{"children":["__PAGE__",{}]},"$undefined"]}]]\n'
    ),
    # Next 13.4-13.5: T rows appear, I rows still objects.
    "f2-next13.4.txt": (
        b'1:I{"id":"9","chunks":["9:static/chunks/9.js"],"name":"default","async":false}\n'
        + text_row(3, BODY)
        + b'0:["build-1",[[["",{"children":["__PAGE__",{}]}],["$","$L1",null,'
        b'{"dangerouslySetInnerHTML":{"__html":"$3"}}],null]]]\n'
    ),
    # Next 14.2 (React 18.3 canary 2024): array I rows, $W sets, outlined dedup.
    "f3-next14.txt": (
        b'3:I[9275,[],""]\n'
        b'4:["slug","hello","d"]\n'
        b'5:HL["/_next/static/css/b.css","style"]\n'
        b'0:["b2",[[["",{"children":[["slug","hello","d"],{}]}],'
        b'["$","$L3",null,{"segmentPath":["children","$4"]}],null]]]\n'
        + text_row(6, BODY)
        + b'2:{"__html":"$6"}\n'
        b"1:null\n"
    ),
    # Next 14 with experimental React: typed arrays under the old letters.
    "f3-experimental.txt": (
        b"1:c4,\n\x00\xff:" + b"2:F8,\x00\x00\x80?\x00\x00\x00@" + b'0:{"u8":"$1","f32":"$2"}\n'
    ),
    # React 19.0: typed arrays, streams, hints with ids.
    "r19.0-streams.txt": (
        b'1:HL["/f.woff2","font"]\n'
        b"2:o3,\n\n\n"
        b'3:R\n3:{"n":1}\n' + text_row(3, "streamed text item") + b"3:C\n"
        b'0:{"bytes":"$2","stream":"$3"}\n'
    ),
    # React 19.1-19.2 (Next 15): id-less hints, console and time-origin rows, dev rows.
    "r19.1-devrows.txt": (
        b":N1732000000000.5\n"
        b':HL["/_next/static/media/font.woff2","font",{"crossOrigin":"","type":"font/woff2"}]\n'
        b'1:D{"name":"Page","env":"Server","key":null,"owner":null,"props":{}}\n'
        b':W["log",[],"$1","Server","hello from the server"]\n'
        b'0:["$","main",null,{"children":"$L2"},"$1",null,1]\n'
        b'2:["$","h1",null,{"children":"Hi"},"$1",null,1]\n'
    ),
    # React 19.3 (Next 16.4): import strings, byte-stream b rows, async I rows.
    "r19.3-imports.txt": (
        b'1:"static/chunks/0f3c8e2e9b7d1a22.js"\n'
        b'2:I[22016,["$1"],"default",1]\n'
        b"3:r\n3:b4,\x00\x01\n\n3:b2,ok3:C\n"
        b'0:{"P":null,"c":["","posts","hello"],"q":"","i":false,"f":[[["$","$L2",null,{}]]],'
        b'"s":"$3"}\n'
    ),
}


def push(kind: int, value: str) -> str:
    text = json.dumps([kind, value], ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(raw, escaped)
    return f"<script>self.__next_f.push({text})</script>"


def html_page(flight: bytes, binary_tail: bytes) -> str:
    """A Next 15 style page: text pushes cut mid-row and mid-character, then a base64 push."""
    text = flight.decode()
    cuts = [0, 7, 40, 41, 200, len(text)]
    pushes = [push(1, text[a:b]) for a, b in itertools.pairwise(cuts) if a < b]
    pushes.append(push(3, base64.b64encode(binary_tail).decode()))
    return (
        '<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8"><title>Hello</title>'
        '</head><body><main><h1>Hello</h1></main><script nonce="n0nce">'
        "(self.__next_f=self.__next_f||[]).push([0])</script>" + "".join(pushes) + "</body></html>"
    )


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for name, data in PAYLOADS.items():
        (OUT / name).write_bytes(data)
    flight = PAYLOADS["f3-next14.txt"]
    tail = b"7:o3,\xff\n\x00"
    (OUT / "next15-page.html").write_text(html_page(flight, tail), encoding="utf-8")
    (OUT / "next15-page.flight").write_bytes(flight + tail)


if __name__ == "__main__":
    main()
