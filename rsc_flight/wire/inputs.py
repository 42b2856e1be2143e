"""Any input to bytes: a file, ``-`` (stdin), an ``http(s)://`` URL, gzip, brotli or WARC.

Users hand the command line (and scripts hand the library) whatever they have: a saved
page, a ``.txt`` export, a gzipped download, a WARC capture, a URL.  Every one of them is
turned into the page's bytes here, once, so the decoder above stays sans-I/O and no
command grows its own idea of what a file is.

* A ``str`` given *here* is always a name: ``-`` for stdin, a URL, or a file path.  (The
  decoding functions read a ``str`` as payload text; :func:`read_input` is the clear way
  to read a file by name.)  A :class:`~pathlib.Path` or other ``os.PathLike`` is a file;
  ``bytes`` are the page itself (still unwrapped from gzip or WARC); an open binary
  stream is read to its end.
* URLs are fetched by :mod:`rsc_flight.wire.fetch` (the standard library's
  ``urllib.request``): an explicit timeout, at most ``max_redirects`` redirects and only
  to ``http(s)``, a ``User-Agent`` naming this library, ``Accept-Encoding`` for what can
  be decoded, and ``RSC: 1`` on request (``rsc=True``) so a Next.js server answers with
  the flight payload instead of HTML.
* gzip is recognised by its magic bytes, brotli by a ``.br`` name or a ``Content-Encoding:
  br`` answer (``pip install 'rsc_flight[brotli]'``), WARC by its name or its first
  bytes: the first record holding a page or a payload is the input, and its target URI
  its URL.
* Sizes are bounded (``max_bytes``, 256 MiB by default), decompressed sizes included, so
  a small hostile file cannot inflate into all memory.
"""

from __future__ import annotations

import gzip
import io
import os
import sys
from typing import IO

import attrs

from .warc import DamagedRecordError, first_page, is_warc

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_TIMEOUT",
    "Input",
    "InputError",
    "is_url",
    "read_input",
]

#: Largest input read, after decompression: far above any real page or WARC record.
DEFAULT_MAX_BYTES = 256 * 1024 * 1024
#: Seconds to wait for a server to connect or send (each, not in total).
DEFAULT_TIMEOUT = 30.0
_MAX_REDIRECTS = 5
_GZIP_MAGIC = b"\x1f\x8b"


class InputError(OSError):
    """An input that cannot be read: an HTTP error, a bad archive, a missing optional
    decoder.  The message says which input and why."""


@attrs.frozen
class Input:
    """The bytes of one input and where they came from.

    Attributes:
        data: the page or payload, decompressed and out of any WARC record.
        name: what was asked for: the path, the URL, ``"-"`` for stdin.
        url: the URL the bytes came from (after redirects), or a WARC record's target
            URI; ``None`` for a plain file.
        content_type: the media type the server or the WARC record declared, if any.
    """

    data: bytes = attrs.field(repr=False)
    name: str
    url: str | None = None
    content_type: str | None = None

    @property
    def size(self) -> int:
        """How many bytes :attr:`data` holds."""
        return len(self.data)


def _user_agent() -> str:
    # The package is loaded before any of its modules; importing it by name here would
    # count, for the layer check, as importing every stage its lazy table names.
    version = getattr(sys.modules[__name__.split(".")[0]], "__version__", "dev")
    return f"rsc_flight/{version}"


def _bounded(stream: IO[bytes], limit: int, name: str) -> bytes:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise InputError(f"{name}: larger than {limit} bytes")
    return data


def _gunzip(data: bytes, limit: int, name: str) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            out = stream.read(limit + 1)
    except (OSError, EOFError) as exc:
        raise InputError(f"{name}: not valid gzip data ({exc})") from exc
    if len(out) > limit:
        raise InputError(f"{name}: larger than {limit} bytes")
    return out


def _unbrotli(data: bytes, limit: int, name: str) -> bytes:
    try:
        import brotli  # type: ignore[import-not-found, import-untyped, unused-ignore]
    except ImportError:
        raise InputError(
            f"{name}: brotli data needs the brotli package: pip install 'rsc_flight[brotli]'"
        ) from None
    try:
        decoder = brotli.Decompressor()
        out = bytes(decoder.process(data))
    except brotli.error as exc:
        raise InputError(f"{name}: not valid brotli data ({exc})") from exc
    if len(out) > limit:
        raise InputError(f"{name}: larger than {limit} bytes")
    return out


def _unwrap(data: bytes, name: str, limit: int, *, brotli: bool = False) -> Input:
    """Undo the compression and archiving of ``data``: brotli (when told), gzip, WARC."""
    if brotli:
        data = _unbrotli(data, limit, name)
    if data.startswith(_GZIP_MAGIC):
        data = _gunzip(data, limit, name)
    if data.startswith(b"WARC/"):
        return _warc_page(io.BytesIO(data), name, limit)
    return Input(data, name)


def _warc_page(stream: IO[bytes], name: str, limit: int) -> Input:
    try:
        page = first_page(stream, limit=limit)
    except DamagedRecordError as exc:
        raise InputError(f"{name}: not a readable WARC file ({exc})") from exc
    if page is None:
        raise InputError(f"{name}: the WARC file holds no HTML or text/x-component response")
    return Input(page.body, name, page.url, page.content_type)


def _read_file(path: str, limit: int) -> Input:
    # open()'s own errors (FileNotFoundError...) pass unchanged: callers and batch
    # results name them by their usual class.
    if is_warc(path):
        with open(path, "rb") as stream:
            return _warc_page(stream, path, limit)
    with open(path, "rb") as stream:
        data = _bounded(stream, limit, path)
    return _unwrap(data, path, limit, brotli=path.lower().endswith(".br"))


def _fetch(
    url: str,
    *,
    rsc: bool,
    timeout: float,
    user_agent: str | None,
    max_redirects: int,
    limit: int,
) -> Input:
    from .fetch import fetch  # the HTTP client is loaded only when a URL is read

    answer = fetch(
        url,
        rsc=rsc,
        timeout=timeout,
        user_agent=user_agent or _user_agent(),
        accept_brotli=_brotli_available(),
        max_redirects=max_redirects,
        limit=limit,
    )
    data = answer.data
    if answer.encoding == "br":
        data = _unbrotli(data, limit, url)
    elif answer.encoding not in ("", "identity", "gzip", "x-gzip"):
        raise InputError(f"cannot read {url}: unknown Content-Encoding {answer.encoding!r}")
    found = _unwrap(data, url, limit)  # gzip is found by its magic bytes
    return attrs.evolve(
        found, url=found.url or answer.url, content_type=found.content_type or answer.content_type
    )


def _brotli_available() -> bool:
    try:
        import brotli  # type: ignore[import-not-found, unused-ignore]  # noqa: F401
    except ImportError:
        return False
    return True


def is_url(name: str) -> bool:
    """Whether an input name is an ``http(s)://`` URL."""
    return name[:8].lower().startswith(("http://", "https://"))


def read_input(
    source: bytes | bytearray | memoryview | str | os.PathLike[str] | IO[bytes],
    *,
    rsc: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
    user_agent: str | None = None,
    max_redirects: int = _MAX_REDIRECTS,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Input:
    """The bytes of a page or payload, from wherever they are.

    Args:
        source: bytes (the page itself); ``"-"`` (stdin); an ``http(s)://`` URL; a file
            path as ``str`` or :class:`~pathlib.Path`; or an open binary stream.
        rsc: for a URL, send ``RSC: 1`` so a Next.js server answers with the flight
            payload (``text/x-component``) instead of the HTML page.
        timeout: for a URL, seconds to wait to connect and for each read.
        user_agent: for a URL (default ``rsc_flight/<version>``).
        max_redirects: for a URL, redirects followed before giving up.
        max_bytes: largest input, after decompression.

    Raises:
        OSError: a file cannot be opened (``FileNotFoundError``, ``PermissionError``...,
            as :func:`open` raises them).
        InputError: any other input that cannot be read (an HTTP error, a timeout,
            damaged gzip, a WARC without a page, a missing brotli); the message names
            the input and says why.

    Example::

        >>> read_input(b'0:"hi"\\n').data
        b'0:"hi"\\n'
    """
    if isinstance(source, (bytes, bytearray, memoryview)):
        return _unwrap(bytes(source), "<bytes>", max_bytes)
    if isinstance(source, os.PathLike):
        return _read_file(os.fspath(source), max_bytes)
    if isinstance(source, str):
        if source == "-":
            return _unwrap(_bounded(sys.stdin.buffer, max_bytes, "stdin"), "-", max_bytes)
        if is_url(source):
            return _fetch(
                source,
                rsc=rsc,
                timeout=timeout,
                user_agent=user_agent,
                max_redirects=max_redirects,
                limit=max_bytes,
            )
        return _read_file(source, max_bytes)
    name = str(getattr(source, "name", "<stream>"))
    return _unwrap(_bounded(source, max_bytes, name), name, max_bytes)
