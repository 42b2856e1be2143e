"""One HTTP GET, done carefully: the network side of :func:`rsc_flight.wire.inputs.read_input`.

The standard library's ``urllib.request`` is enough for what a command needs — one GET
per page, no sessions, no HTTP/2 — and adds no dependency.  What it lacks by default is
made explicit here: a timeout on every connection and read, at most a few redirects and
only to ``http(s)`` (a redirect to ``file:`` must not read a local file), a bounded body,
and errors that name the URL in one line.  Decoding the body (gzip, brotli, WARC) is
left to :mod:`.inputs`; this module is imported only when a URL is read.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from typing import IO, Any

import attrs

from .inputs import InputError

__all__ = ["Answer", "fetch"]


@attrs.frozen
class Answer:
    """A server's answer: the body as sent (still content-encoded), the URL it came from
    after redirects, its media type and its ``Content-Encoding`` (lower case)."""

    data: bytes = attrs.field(repr=False)
    url: str
    content_type: str | None
    encoding: str


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follow at most ``limit`` redirects, and only to ``http(s)``: a page may move, but
    never to ``file:`` or ``ftp:``."""

    def __init__(self, limit: int) -> None:
        self.limit = limit

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        if len(getattr(req, "redirect_dict", {})) >= self.limit:
            fp.close()
            raise InputError(f"{req.full_url}: more than {self.limit} redirects")
        if not newurl.lower().startswith(("http://", "https://")):
            fp.close()
            raise InputError(f"{req.full_url}: redirected to {newurl}, which is not http(s)")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _request(
    url: str, *, rsc: bool, user_agent: str, accept_brotli: bool
) -> urllib.request.Request:
    headers = {
        "User-Agent": user_agent,
        "Accept-Encoding": "gzip, br" if accept_brotli else "gzip",
        "Accept": "text/x-component"
        if rsc
        else "text/html,application/xhtml+xml,text/x-component;q=0.9,*/*;q=0.8",
    }
    if rsc:
        headers["RSC"] = "1"
    return urllib.request.Request(url, headers=headers)


def fetch(
    url: str,
    *,
    rsc: bool,
    timeout: float,
    user_agent: str,
    accept_brotli: bool,
    max_redirects: int,
    limit: int,
) -> Answer:
    """GET ``url``.

    Raises:
        InputError: an HTTP error status, a timeout, a refused or failed connection, too
            many redirects or one to another scheme, a body over ``limit`` bytes.
    """
    opener = urllib.request.build_opener(_Redirects(max_redirects))
    request = _request(url, rsc=rsc, user_agent=user_agent, accept_brotli=accept_brotli)
    try:
        with opener.open(request, timeout=timeout) as answer:
            data = answer.read(limit + 1)
            headers = answer.headers
            final = str(answer.geturl())
    except urllib.error.HTTPError as exc:
        raise InputError(f"cannot read {url}: HTTP {exc.code} {exc.reason}") from exc
    except urllib.error.URLError as exc:
        raise InputError(f"cannot read {url}: {exc.reason}") from exc
    except TimeoutError as exc:
        raise InputError(f"cannot read {url}: no answer in {timeout:g} s") from exc
    except InputError:
        raise
    except OSError as exc:
        raise InputError(f"cannot read {url}: {exc}") from exc
    if len(data) > limit:
        raise InputError(f"{url}: larger than {limit} bytes")
    kind = headers.get_content_type() if headers.get("Content-Type") else None
    encoding = (headers.get("Content-Encoding") or "").strip().lower()
    return Answer(data, final, kind, encoding)
