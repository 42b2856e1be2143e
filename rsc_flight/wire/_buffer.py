"""The tokenizer's receive buffer: bytes not yet read, where they sit, how far they were searched.

This is the one piece of state the row grammar (``_readers.py``) needs besides the limits,
kept apart from it as h11 keeps ``ReceiveBuffer`` apart from its readers.  Three numbers make
the total work linear in the input however it is chunked:

* ``base``, the absolute stream offset of the first buffered byte, so rows get absolute
  offsets although consumed bytes are dropped;
* the buffered bytes themselves, only the tail of an incomplete row (or none);
* ``searched``, the buffer index up to which the pending newline row was already searched
  for LF, so a long row arriving in many small chunks has each byte searched once;
* ``needed``, the absolute offset a pending length-prefixed row ends at, so that while its
  bytes trickle in the header is not read again for every chunk.
"""

from __future__ import annotations

__all__ = ["RowBuffer"]


class RowBuffer:
    """Input not yet turned into rows, with its absolute offset and LF-search memo.

    A reader is handed a *view* (:meth:`extend` or :meth:`pending`), reports how many bytes
    of it it used, and the buffer keeps the rest (:meth:`consume`).
    """

    __slots__ = ("_data", "base", "needed", "searched")

    def __init__(self) -> None:
        self._data = bytearray()
        #: Absolute stream offset of the first buffered byte (every byte before is read).
        self.base = 0
        #: Buffer index up to which the pending newline row was searched for LF.  It never
        #: lies past that row's LF, so it only ever helps the first row of the next read.
        self.searched = 0
        #: Absolute offset the input must reach before a read can complete a row (the end
        #: of a pending length-prefixed row), or 0.  Stale values lie behind ``base``.
        self.needed = 0

    def __len__(self) -> int:
        return len(self._data)

    def extend(self, data: bytes | bytearray | memoryview) -> bytes | bytearray:
        """The bytes to read now: the buffered tail followed by ``data``.

        When nothing is buffered (the common case: a whole payload in one ``feed``) this is
        ``data`` itself, so rows are sliced out of the caller's bytes without a copy.
        """
        if self._data:
            self._data += data
            return self._data
        return bytes(data)

    def pending(self) -> bytearray:
        """The buffered bytes (what :meth:`extend` would return for no new data)."""
        return self._data

    def consume(self, view: bytes | bytearray, used: int) -> None:
        """Drop the first ``used`` bytes of ``view`` (from :meth:`extend`); keep the rest."""
        if view is self._data:
            del self._data[:used]
        else:
            self._data = bytearray(view[used:])
        self.base += used
        if self.searched:
            # The memo is an index into the buffer, which just lost `used` bytes.
            self.searched -= used

    def clear(self, used: int) -> None:
        """End of input: ``used`` bytes were read and the rest can never be."""
        self.base += used
        self._data = bytearray()
        self.searched = 0
        self.needed = 0

    def starved(self, view: bytes | bytearray) -> bool:
        """True when ``view`` (from :meth:`extend`) still ends before a pending length row
        does: no row can complete, so there is nothing to read yet."""
        return self.base + len(view) < self.needed

    def wait_for_bytes(self, end: int) -> None:
        """Remember that a length-prefixed row ends at buffer index ``end``."""
        self.needed = self.base + end

    def wait_for_lf(self, searched: int) -> None:
        """Remember that the buffer holds no LF before index ``searched``."""
        self.searched = searched
