/* rsc_flight.wire._cscan: the id-first row reader of _readers.py, in C.
 *
 * The native twin of ``read_id_first`` in ``_readers.py``, which stays the reference (as
 * CPython's ``json/scanner.py`` stays beside ``_json.c``).  An ``IdFirstReader`` is built
 * once from a context: the row class of the fast path, the tag-kind table and the Python
 * helpers that own every rare path.  Called as ``reader(decoder, view, rows, final) ->
 * used``, it reads the common rows itself: the header ``<hex id>:`` and the tag byte;
 * length rows whose bytes are all there; newline rows whose LF is there (memchr from the
 * decoder's LF-search memo), building an untagged model row in valid UTF-8 without a CR
 * slot by slot at the offsets of the class's member descriptors (what
 * ``rows.fast_constructor`` does through the descriptors, without a call per field).
 *
 * When built with ``tagged_rows`` (the JSON row classes by tag letter) and ``hint_row``,
 * it builds the tagged newline rows in valid UTF-8 without a CR the same way (import,
 * hint, error, debug, stream... rows: each was a chain of Python calls, most of the
 * reading of a small page) and dates the stream as ``dialect.row_evidence`` does for
 * them, keeping the newest evidence of the call and moving ``decoder._dialect`` forward
 * once at its end (the dialect only moves forward, so the result is the same).  Built
 * with ``text_row`` and ``binary_row``, it builds complete length rows too: a ``T`` row
 * decoded as strict UTF-8 (a page of long text rows spent more in the Python calls around
 * each row than in the decoding), a binary row of its bytes; a text row in invalid UTF-8
 * goes to the decoder's ``_make_row``, which owns the diagnostic and the U+FFFD policy.
 *
 * Anything else goes, one row at a time, to the Python helper the reference calls at that
 * point (bad header, bad or incomplete length, no LF yet, a limit broken, a CR, a tag
 * without a class here), so diagnostics, errors and rows are the reference's by
 * construction; tests/test_native_scanner.py checks it on random bytes and chunkings.
 *
 * Hostile input: every read of the view is bounds-checked against its length; there is
 * no recursion; nothing is allocated whose size the payload picks beyond slices of the
 * input; every failure (allocation included) is a Python exception, and rows appended
 * before it stay appended, as in the reference.  The view is held through the buffer
 * protocol, so a bytearray cannot be resized under the reader.
 */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include "../_cslots.h"
#include <stdint.h>
#include <string.h>

/* Longest id or length, in hex digits: 16 digits fit a uint64_t. */
#define MAX_DIGITS 16

/* Tag kinds: the values of _readers._TAG_KIND, which is passed in as the table. */
enum { K_WAIT = -1, K_MODEL = 0, K_LENGTH = 1, K_NEWLINE = 2, K_MAYBE = 3 };

/* The attribute names the reader reads on every call, interned once at import. */
enum { A_BUFFER, A_LIMITS, A_ROWS, A_BASE, A_SEARCHED, A_MAX_ROW_BYTES, A_MAX_ROWS, A_MAKE_ROW,
       A_DIALECT, N_ATTRS };
static const char *const ATTR_NAMES[N_ATTRS] = {
    "_buffer",  "limits",   "_rows",     "base",    "searched",
    "max_row_bytes", "max_rows", "_make_row", "_dialect"};
static PyObject *attrs[N_ATTRS];
static PyObject *zero;

/* Slots of the fast-path row class, in constructor order; a hint row has one more. */
enum { F_ID, F_TAG, F_OFFSET, F_SIZE, F_PAYLOAD, F_CODE, N_HINT_FIELDS };
#define N_FIELDS F_CODE
static const char *const FIELD_NAMES[N_HINT_FIELDS] = {"id",   "tag",     "offset",
                                                       "size", "payload", "code"};

/* The dialects by rank (dialect.py's _RANK), as passed in ``dialects``: the evidence a
 * row gives, as dialect.row_evidence says it for the rows built here. */
enum { R_NONE = 0, R_F1 = 1, R_F2 = 2, R_F3 = 3, R_F3_EXP = 4, R_19_0 = 5, R_19_1 = 6,
       R_19_3 = 7, N_RANKS = 8 };

/* What a tagged row class is, for its evidence. */
enum { RT_NONE, RT_PLAIN, RT_IMPORT, RT_STREAM, RT_HINT, RT_MODEL };

/* A row class and the offsets of its fields' slots (checked once: rsc_slot_offset). */
typedef struct {
    PyTypeObject *cls;
    Py_ssize_t offsets[N_HINT_FIELDS];
    int nfields;
} RowClass;

#define MAX_CLASSES 32

typedef struct {
    PyObject_HEAD
    RowClass model;                /* ModelRow (id, tag, offset, size, payload) */
    unsigned char kinds[256];      /* _TAG_KIND */
    Py_ssize_t max_digits;         /* MAX_ID_DIGITS == MAX_HEX_DIGITS */
    PyObject *bad_header;          /* _bad_header(dec, buf, pos, final, resume) -> skip */
    PyObject *read_length_row;     /* _read_length_row(dec, buf, pos, q, id, final, resume, rows) */
    PyObject *read_unterminated;   /* _read_unterminated(dec, buf, pos, q, id, tag, final, rows) */
    PyObject *line_row;            /* _line_row(dec, make, buf, pos, q, nl, end, id, tag) -> Row */
    PyObject *too_many_rows;       /* _too_many_rows(dec, offset): raises */
    PyObject *row_too_long;        /* _row_too_long(dec, size, offset, id): raises */
    PyObject *empty;               /* "" */
    /* tagged newline rows built here (optional: none when not given) */
    unsigned char tag_type[256];   /* T_* by tag byte; RT_NONE: the reference builds it */
    unsigned char tag_class[256];  /* index into classes by tag byte */
    RowClass classes[MAX_CLASSES];
    int n_classes;
    /* length rows built here (optional: cls NULL when not given) */
    RowClass text_row;             /* TextRow, for ``T`` */
    RowClass binary_row;           /* BinaryRow, for every other length tag */
    PyObject *dialects;            /* tuple of the dialects by rank, or NULL */
} Reader;

/* The state of one call: the view and the decoder's numbers, read once. */
typedef struct {
    PyObject *dec, *buf, *rows, *make;
    const unsigned char *p;
    Py_ssize_t n, base, resume;
    long long max_row, room;
    int final;
    int rank;  /* the newest evidence of the rows built here (R_*) */
} Call;

static int
hexval(unsigned char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

/* Read up to ``limit`` hex digits at p[i:n]; return how many, their value in *value. */
static Py_ssize_t
hex_run(const unsigned char *p, Py_ssize_t i, Py_ssize_t n, Py_ssize_t limit, uint64_t *value)
{
    Py_ssize_t d = 0;
    uint64_t v = 0;
    int h;
    while (d < limit && i + d < n && (h = hexval(p[i + d])) >= 0) {
        v = (v << 4) | (uint64_t)h;
        d++;
    }
    *value = v;
    return d;
}

/* A Python int as a long long, clamped to its range (limits may be any int). */
static int
clamped(PyObject *obj, long long *out)
{
    int overflow = 0;
    long long v;
    if (obj == NULL) return -1;
    v = PyLong_AsLongLongAndOverflow(obj, &overflow);
    Py_DECREF(obj);
    if (v == -1 && PyErr_Occurred()) return -1;
    *out = overflow > 0 ? LLONG_MAX : overflow < 0 ? LLONG_MIN : v;
    return 0;
}

/* obj.name as a Py_ssize_t; -1 with an exception on failure. */
static int
attr_ssize(PyObject *obj, int name, Py_ssize_t *out)
{
    PyObject *v = PyObject_GetAttr(obj, attrs[name]);
    if (v == NULL) return -1;
    *out = PyLong_AsSsize_t(v);
    Py_DECREF(v);
    return (*out == -1 && PyErr_Occurred()) ? -1 : 0;
}

/* Call a helper with a format of arguments; return its result as a count in [0, most].
 * Returns -1 with an exception set on failure (or a result out of range). */
static Py_ssize_t
call_count(PyObject *fn, Py_ssize_t most, const char *fmt, ...)
{
    va_list va;
    PyObject *args, *res;
    Py_ssize_t v;
    va_start(va, fmt);
    args = Py_VaBuildValue(fmt, va);
    va_end(va);
    if (args == NULL) return -1;
    res = PyObject_Call(fn, args, NULL);
    Py_DECREF(args);
    if (res == NULL) return -1;
    v = PyLong_AsSsize_t(res);
    Py_DECREF(res);
    if (v == -1 && PyErr_Occurred()) return -1;
    if (v < 0 || v > most) {
        PyErr_Format(PyExc_SystemError, "rsc_flight reader helper returned %zd, not in [0, %zd]",
                     v, most);
        return -1;
    }
    return v;
}

/* Append a new reference to rows; steals ``row``. */
static int
append(PyObject *rows, PyObject *row)
{
    int r;
    if (row == NULL) return -1;
    r = PyList_Append(rows, row);
    Py_DECREF(row);
    return r;
}

/* A row of class ``k`` built from its values (all borrowed, none NULL), each stored in its
 * slot as the slot's member descriptor would store it in a new object (the offsets were
 * checked to be writable object slots of the class, so there is nothing else to check:
 * the descriptor's call per field was a fifth of reading a small row). */
static PyObject *
new_row(const RowClass *k, PyObject *const *values)
{
    PyObject *row = k->cls->tp_alloc(k->cls, 0);
    if (row == NULL) return NULL;
    for (int i = 0; i < k->nfields; i++)
        *(PyObject **)((char *)row + k->offsets[i]) = Py_NewRef(values[i]);
    return row;
}

/* The fast path: a model row ``p[q:nl]`` in valid UTF-8.  1 built, 0 not (invalid UTF-8:
 * the caller takes the general path), -1 error. */
static int
fast_model(Reader *self, Call *c, PyObject *row_id, Py_ssize_t pos, Py_ssize_t q, Py_ssize_t nl)
{
    PyObject *values[N_FIELDS];
    PyObject *text, *offset, *size, *row;
    text = PyUnicode_DecodeUTF8((const char *)c->p + q, nl - q, NULL);
    if (text == NULL) {
        if (!PyErr_ExceptionMatches(PyExc_UnicodeDecodeError)) return -1;
        PyErr_Clear();
        return 0;
    }
    offset = PyLong_FromSsize_t(c->base + pos);
    size = PyLong_FromSsize_t(nl + 1 - pos);
    if (offset == NULL || size == NULL) {
        row = NULL;
    } else {
        values[F_ID] = row_id;
        values[F_TAG] = self->empty;
        values[F_OFFSET] = offset;
        values[F_SIZE] = size;
        values[F_PAYLOAD] = text;
        row = new_row(&self->model, values);
    }
    Py_DECREF(text);
    Py_XDECREF(offset);
    Py_XDECREF(size);
    return append(c->rows, row) < 0 ? -1 : 1;
}

/* The evidence a tagged row built here gives (dialect.row_evidence): an import row by
 * its payload, any other id-less row 19.1, a stream or close row 19.0. */
static int
evidence(int type, PyObject *row_id, const unsigned char *s, Py_ssize_t len)
{
    if (type == RT_MODEL) return R_NONE;
    if (type == RT_IMPORT) {
        if (len > 0 && s[0] == '{') return R_F1;
        for (Py_ssize_t i = 0; i + 1 < len; i++) {
            if (s[i] == '"' && s[i + 1] == '$') return R_19_3;
        }
        return R_F3;
    }
    if (row_id == Py_None) return R_19_1;
    return type == RT_STREAM ? R_19_0 : R_NONE;
}

/* A tagged newline row ``p[q:nl]`` (tag letter at q - 1) in valid UTF-8, of a class given
 * in tagged_rows (or the hint row): as decoder._make_row builds it.  1 built, 0 not
 * (invalid UTF-8: the caller takes the general path), -1 error. */
static int
fast_tagged(Reader *self, Call *c, PyObject *row_id, PyObject *tag, Py_ssize_t pos,
            Py_ssize_t q, Py_ssize_t nl)
{
    unsigned char letter = c->p[q - 1];
    int type = self->tag_type[letter];
    RowClass *k = &self->classes[self->tag_class[letter]];
    PyObject *values[N_HINT_FIELDS] = {NULL};
    PyObject *text, *row = NULL;
    int rank;
    text = PyUnicode_DecodeUTF8((const char *)c->p + q, nl - q, NULL);
    if (text == NULL) {
        if (!PyErr_ExceptionMatches(PyExc_UnicodeDecodeError)) return -1;
        PyErr_Clear();
        return 0;
    }
    values[F_ID] = row_id;
    values[F_TAG] = tag;
    values[F_OFFSET] = PyLong_FromSsize_t(c->base + pos);
    values[F_SIZE] = PyLong_FromSsize_t(nl + 1 - pos);
    if (type == RT_HINT) {  /* text[:1], text[1:] */
        Py_ssize_t len = PyUnicode_GET_LENGTH(text);
        values[F_CODE] = PyUnicode_Substring(text, 0, len < 1 ? len : 1);
        values[F_PAYLOAD] = PyUnicode_Substring(text, len < 1 ? len : 1, len);
    } else {
        values[F_PAYLOAD] = Py_NewRef(text);
        values[F_CODE] = Py_NewRef(Py_None);  /* (not a field of these classes) */
    }
    if (values[F_OFFSET] != NULL && values[F_SIZE] != NULL && values[F_PAYLOAD] != NULL &&
        values[F_CODE] != NULL)
        row = new_row(k, values);
    rank = evidence(type, row_id, c->p + q, nl - q);
    Py_DECREF(text);
    Py_XDECREF(values[F_OFFSET]);
    Py_XDECREF(values[F_SIZE]);
    Py_XDECREF(values[F_PAYLOAD]);
    Py_XDECREF(values[F_CODE]);
    if (append(c->rows, row) < 0) return -1;
    if (rank > c->rank) c->rank = rank;
    return 1;
}

/* Move decoder._dialect forward to the newest evidence of the call, as _make_row does row
 * by row (a dialect not in the table is one of rank 0, as F0).  Keeps an exception that
 * is set.  0 on success, -1 on error. */
static int
settle_dialect(Reader *self, Call *c)
{
    PyObject *exc_type, *exc_value, *exc_tb, *now;
    Py_ssize_t rank = 0;
    int r = 0;
    if (c->rank <= 0 || self->dialects == NULL) return 0;
    PyErr_Fetch(&exc_type, &exc_value, &exc_tb);
    now = PyObject_GetAttr(c->dec, attrs[A_DIALECT]);
    if (now == NULL) {
        r = -1;
    } else {
        for (Py_ssize_t i = 0; i < N_RANKS; i++) {
            if (PyTuple_GET_ITEM(self->dialects, i) == now) rank = i;
        }
        Py_DECREF(now);
        if (c->rank > rank)
            r = PyObject_SetAttr(c->dec, attrs[A_DIALECT],
                                 PyTuple_GET_ITEM(self->dialects, c->rank));
    }
    if (exc_type != NULL) {  /* the first error wins */
        if (r < 0) PyErr_Clear();
        PyErr_Restore(exc_type, exc_value, exc_tb);
        r = -1;
    }
    return r;
}

/* The decoder's bound row factory, looked up once per call when first needed. */
static PyObject *
maker(Call *c)
{
    if (c->make == NULL) c->make = PyObject_GetAttr(c->dec, attrs[A_MAKE_ROW]);
    return c->make;
}

/* The kind of a ``C c F d N`` tag at q: as _readers._length_or_not. */
static int
length_or_not(Call *c, Reader *self, Py_ssize_t q)
{
    uint64_t ignored;
    Py_ssize_t d = hex_run(c->p, q + 1, c->n, self->max_digits, &ignored);
    Py_ssize_t after = q + 1 + d;
    if (d >= 1 && after < c->n && c->p[after] == ',') return K_LENGTH;
    if (!c->final && c->n - (q + 1) <= self->max_digits && after == c->n) return K_WAIT;
    return (c->p[q] >= 'A' && c->p[q] <= 'Z') ? K_NEWLINE : K_MODEL;
}

/* The evidence a binary row gives (dialect.row_evidence): an id-less row 19.1, ``b``
 * 19.3, the 2024 experimental letters their dialect, any other 19.0. */
static int
binary_evidence(PyObject *row_id, unsigned char letter)
{
    if (row_id == Py_None) return R_19_1;
    if (letter == 'b') return R_19_3;
    if (letter == 'C' || letter == 'c' || letter == 'F' || letter == 'd' || letter == 'N')
        return R_F3_EXP;
    return R_19_0;
}

/* A complete length row, payload ``p[start:start + length]`` (tag letter at q), of the
 * classes given as text_row and binary_row: as decoder._make_row builds it (a ``T`` row
 * decoded as strict UTF-8, dating the stream F2; any other a BinaryRow of the bytes).
 * 1 built, 0 not (no class given, or invalid UTF-8 in a text row: the caller takes the
 * general path, which owns the UTF-8 policy), -1 error. */
static int
fast_length(Reader *self, Call *c, PyObject *row_id, Py_ssize_t pos, Py_ssize_t q,
            Py_ssize_t start, Py_ssize_t length)
{
    unsigned char letter = c->p[q];
    PyObject *values[N_FIELDS];
    PyObject *payload, *row = NULL;
    RowClass *k;
    int rank;
    if (letter == 'T') {
        k = &self->text_row;
        if (k->cls == NULL) return 0;
        payload = PyUnicode_DecodeUTF8((const char *)c->p + start, length, NULL);
        if (payload == NULL) {
            if (!PyErr_ExceptionMatches(PyExc_UnicodeDecodeError)) return -1;
            PyErr_Clear();
            return 0;
        }
        rank = R_F2;
    } else {
        k = &self->binary_row;
        if (k->cls == NULL) return 0;
        payload = PyBytes_FromStringAndSize((const char *)c->p + start, length);
        if (payload == NULL) return -1;
        rank = binary_evidence(row_id, letter);
    }
    values[F_ID] = row_id;
    values[F_TAG] = PyUnicode_FromOrdinal(letter);
    values[F_OFFSET] = PyLong_FromSsize_t(c->base + pos);
    values[F_SIZE] = PyLong_FromSsize_t(start + length - pos);
    values[F_PAYLOAD] = payload;
    if (values[F_TAG] != NULL && values[F_OFFSET] != NULL && values[F_SIZE] != NULL)
        row = new_row(k, values);
    Py_XDECREF(values[F_TAG]);
    Py_XDECREF(values[F_OFFSET]);
    Py_XDECREF(values[F_SIZE]);
    Py_DECREF(payload);
    if (append(c->rows, row) < 0) return -1;
    if (rank > c->rank) c->rank = rank;
    return 1;
}

/* A length row at pos (tag at q).  Returns bytes used, 0 to wait, -1 on error.  Anything
 * but a complete, well-formed row within the limit goes to _read_length_row; a complete
 * one is built here (fast_length) or by the decoder's _make_row. */
static Py_ssize_t
read_length(Reader *self, Call *c, PyObject *row_id, Py_ssize_t pos, Py_ssize_t q)
{
    uint64_t length;
    Py_ssize_t d = hex_run(c->p, q + 1, c->n, self->max_digits, &length);
    Py_ssize_t start = q + 1 + d + 1;
    PyObject *raw, *row, *make;
    int built;
    int ok = d >= 1 && start - 1 < c->n && c->p[start - 1] == ',' &&
             c->max_row >= 0 && length <= (uint64_t)c->max_row &&
             length <= (uint64_t)(c->n - start);
    if (!ok) {
        return call_count(self->read_length_row, c->n - pos, "OOnnOOnO", c->dec, c->buf, pos,
                          q, row_id, c->final ? Py_True : Py_False, c->resume, c->rows);
    }
    built = fast_length(self, c, row_id, pos, q, start, (Py_ssize_t)length);
    if (built != 0) return built < 0 ? -1 : start + (Py_ssize_t)length - pos;
    if ((make = maker(c)) == NULL) return -1;
    raw = PyBytes_FromStringAndSize((const char *)c->p + start, (Py_ssize_t)length);
    if (raw == NULL) return -1;
    row = PyObject_CallFunction(make, "OCnnOO", row_id, (int)c->p[q], c->base + pos,
                                start + (Py_ssize_t)length - pos, raw, Py_True);
    Py_DECREF(raw);
    if (append(c->rows, row) < 0) return -1;
    return start + (Py_ssize_t)length - pos;
}

/* A newline row at pos, payload from q, its LF at nl: the fast path or _line_row.
 * ``tag`` is "" or the tag letter.  0 on success, -1 on error. */
static int
read_line(Reader *self, Call *c, PyObject *row_id, PyObject *tag, Py_ssize_t pos,
          Py_ssize_t q, Py_ssize_t nl)
{
    PyObject *row, *make;
    if ((long long)(nl - q) > c->max_row) {
        PyObject *r = PyObject_CallFunction(self->row_too_long, "OnnO", c->dec, nl - q,
                                            c->base + pos, row_id);
        Py_XDECREF(r);
        if (r != NULL) PyErr_SetString(PyExc_SystemError, "_row_too_long did not raise");
        return -1;
    }
    if (tag == self->empty && c->p[nl - 1] != '\r') {
        int done = fast_model(self, c, row_id, pos, q, nl);
        if (done != 0) return done < 0 ? -1 : 0;
    } else if (tag != self->empty && self->tag_type[c->p[q - 1]] != RT_NONE &&
               (nl == q || c->p[nl - 1] != '\r')) {
        int done = fast_tagged(self, c, row_id, tag, pos, q, nl);
        if (done != 0) return done < 0 ? -1 : 0;
    }
    if ((make = maker(c)) == NULL) return -1;
    row = PyObject_CallFunction(self->line_row, "OOOnnnnOO", c->dec, make, c->buf, pos, q, nl,
                                nl + 1, row_id, tag);
    return append(c->rows, row);
}

/* One row at pos: returns the bytes used, 0 to stop (wait, or the rest was taken: then
 * *stop_at says where reading stops), -1 on error. */
static Py_ssize_t
read_row(Reader *self, Call *c, Py_ssize_t pos, Py_ssize_t *stop_at)
{
    const unsigned char *p = c->p;
    Py_ssize_t n = c->n, q, from, nl, step;
    const unsigned char *lf;
    uint64_t id;
    Py_ssize_t d = hex_run(p, pos, n, self->max_digits, &id);
    PyObject *row_id, *tag;
    int kind;
    *stop_at = pos;
    if (pos + d >= n || p[pos + d] != ':') {
        return call_count(self->bad_header, n - pos, "OOnOn", c->dec, c->buf, pos,
                          c->final ? Py_True : Py_False, c->resume);
    }
    q = pos + d + 1;
    if (q >= n && !c->final) return 0;
    row_id = d ? PyLong_FromUnsignedLongLong(id) : Py_NewRef(Py_None);
    if (row_id == NULL) return -1;
    if (q >= n) {  /* "<id>:" at the very end: an empty (halted) model row */
        PyObject *make = maker(c);
        step = -1;
        if (make != NULL) {
            PyObject *row = PyObject_CallFunction(make, "OOnny#", row_id, self->empty,
                                                  c->base + pos, n - pos, "", (Py_ssize_t)0);
            step = append(c->rows, row) < 0 ? -1 : n - pos;
        }
        Py_DECREF(row_id);
        return step;
    }
    kind = self->kinds[p[q]];
    if (kind == K_MAYBE) kind = length_or_not(c, self, q);
    if (kind == K_WAIT) {
        Py_DECREF(row_id);
        return 0;
    }
    if (kind == K_LENGTH) {
        step = read_length(self, c, row_id, pos, q);
        Py_DECREF(row_id);
        return step;
    }
    if (kind == K_NEWLINE) {
        tag = PyUnicode_FromOrdinal(p[q]);
        q++;
    } else {
        tag = Py_NewRef(self->empty);
    }
    if (tag == NULL) {
        Py_DECREF(row_id);
        return -1;
    }
    from = c->resume > q ? c->resume : q;
    lf = from < n ? memchr(p + from, '\n', (size_t)(n - from)) : NULL;
    if (lf == NULL) {
        step = call_count(self->read_unterminated, n, "OOnnOOOO", c->dec, c->buf, pos, q, row_id,
                          tag, c->final ? Py_True : Py_False, c->rows);
        *stop_at = step;
        step = step < 0 ? -1 : 0;
    } else {
        nl = lf - p;
        step = read_line(self, c, row_id, tag, pos, q, nl) < 0 ? -1 : nl + 1 - pos;
    }
    Py_DECREF(row_id);
    Py_DECREF(tag);
    return step;
}

/* The loop of read_id_first over the view; returns the bytes used or -1. */
static Py_ssize_t
read_rows(Reader *self, Call *c)
{
    Py_ssize_t pos = 0, step, stop_at;
    while (pos < c->n) {
        if ((long long)PyList_GET_SIZE(c->rows) >= c->room) {
            PyObject *r = PyObject_CallFunction(self->too_many_rows, "On", c->dec, c->base + pos);
            Py_XDECREF(r);
            if (r != NULL) PyErr_SetString(PyExc_SystemError, "_too_many_rows did not raise");
            return -1;
        }
        step = read_row(self, c, pos, &stop_at);
        if (step < 0) return -1;
        if (step == 0) return stop_at;
        pos += step;
    }
    return pos;
}

/* Read the decoder's numbers: base, the LF memo (taken: reset to 0), the limits. */
static int
load_call(Call *c, Py_ssize_t first)
{
    PyObject *buffer, *limits, *rows_so_far, *room;
    int r = -1;
    buffer = PyObject_GetAttr(c->dec, attrs[A_BUFFER]);
    if (buffer == NULL) return -1;
    limits = PyObject_GetAttr(c->dec, attrs[A_LIMITS]);
    rows_so_far = PyObject_GetAttr(c->dec, attrs[A_ROWS]);
    if (limits == NULL || rows_so_far == NULL) goto done;
    if (attr_ssize(buffer, A_BASE, &c->base) < 0) goto done;
    if (attr_ssize(buffer, A_SEARCHED, &c->resume) < 0) goto done;
    if (PyObject_SetAttr(buffer, attrs[A_SEARCHED], zero) < 0) goto done;
    if (clamped(PyObject_GetAttr(limits, attrs[A_MAX_ROW_BYTES]), &c->max_row) < 0) goto done;
    /* room = max_rows - dec._rows + len(rows): rows this call may still hold */
    room = PyObject_GetAttr(limits, attrs[A_MAX_ROWS]);
    if (room != NULL) Py_SETREF(room, PyNumber_Subtract(room, rows_so_far));
    if (room != NULL) {
        PyObject *first_obj = PyLong_FromSsize_t(first);
        Py_SETREF(room, first_obj ? PyNumber_Add(room, first_obj) : NULL);
        Py_XDECREF(first_obj);
    }
    r = clamped(room, &c->room);
done:
    Py_DECREF(buffer);
    Py_XDECREF(limits);
    Py_XDECREF(rows_so_far);
    return r;
}

/* dec._rows += added */
static int
count_rows(PyObject *dec, Py_ssize_t added)
{
    PyObject *old = PyObject_GetAttr(dec, attrs[A_ROWS]), *add, *sum;
    int r;
    if (old == NULL) return -1;
    add = PyLong_FromSsize_t(added);
    sum = add ? PyNumber_Add(old, add) : NULL;
    Py_DECREF(old);
    Py_XDECREF(add);
    if (sum == NULL) return -1;
    r = PyObject_SetAttr(dec, attrs[A_ROWS], sum);
    Py_DECREF(sum);
    return r;
}

static PyObject *
Reader_call(Reader *self, PyObject *args, PyObject *kwargs)
{
    Call c = {0};
    Py_buffer view;
    Py_ssize_t first, used = -1;
    if (kwargs != NULL && PyDict_GET_SIZE(kwargs) != 0) {
        PyErr_SetString(PyExc_TypeError, "IdFirstReader takes no keyword arguments");
        return NULL;
    }
    if (!PyArg_ParseTuple(args, "OOO!p:IdFirstReader", &c.dec, &c.buf, &PyList_Type, &c.rows,
                          &c.final))
        return NULL;
    if (PyObject_GetBuffer(c.buf, &view, PyBUF_SIMPLE) < 0) return NULL;
    c.p = (const unsigned char *)view.buf;
    c.n = view.len;
    first = PyList_GET_SIZE(c.rows);
    if (load_call(&c, first) == 0) {
        used = read_rows(self, &c);
        if (settle_dialect(self, &c) < 0) used = -1;
        if (used >= 0 && count_rows(c.dec, PyList_GET_SIZE(c.rows) - first) < 0) used = -1;
    }
    Py_XDECREF(c.make);
    PyBuffer_Release(&view);
    return used < 0 ? NULL : PyLong_FromSsize_t(used);
}

/* -- construction: the context, checked once --------------------------------------------- */

static int
take_kinds(Reader *self, PyObject *kinds)
{
    if (!PyBytes_Check(kinds) || PyBytes_GET_SIZE(kinds) != 256) {
        PyErr_SetString(PyExc_TypeError, "IdFirstReader: tag_kinds must be 256 bytes");
        return -1;
    }
    memcpy(self->kinds, PyBytes_AS_STRING(kinds), 256);
    for (int i = 0; i < 256; i++) {
        if (self->kinds[i] > K_MAYBE) {
            PyErr_Format(PyExc_ValueError, "IdFirstReader: unknown tag kind %d", self->kinds[i]);
            return -1;
        }
    }
    return 0;
}

/* A row class and the slot offsets of its first ``nfields`` fields (in FIELD_NAMES
 * order): each a writable object slot of the class (rsc_slot_offset), so new_row can fill
 * a new row's slots as their member descriptors would. */
static int
take_class(RowClass *k, PyObject *cls, int nfields)
{
    for (int i = 0; i < nfields; i++) {
        k->offsets[i] = rsc_slot_offset((PyTypeObject *)cls, FIELD_NAMES[i], "IdFirstReader");
        if (k->offsets[i] < 0) return -1;
    }
    k->nfields = nfields;
    k->cls = (PyTypeObject *)Py_NewRef(cls);
    return 0;
}

/* The optional length row classes (text_row, binary_row): types with slots for the five
 * row fields, or None. */
static int
take_length_class(RowClass *k, PyObject *cls, const char *name)
{
    if (cls == NULL || cls == Py_None) return 0;
    if (!PyType_Check(cls)) {
        PyErr_Format(PyExc_TypeError, "IdFirstReader: %s must be a class", name);
        return -1;
    }
    return take_class(k, cls, N_FIELDS);
}

/* The optional tagged row classes: ``{tag letter: (class, ROW_* kind)}``, each class with
 * slots for the row fields (and ``code`` for a hint row). */
static int
take_tagged(Reader *self, PyObject *tagged)
{
    PyObject *key, *value;
    Py_ssize_t at = 0;
    if (!PyDict_Check(tagged)) {
        PyErr_SetString(PyExc_TypeError, "IdFirstReader: tagged_rows must be a dict");
        return -1;
    }
    while (PyDict_Next(tagged, &at, &key, &value)) {
        PyObject *cls;
        int type, letter, nfields;
        RowClass *k;
        if (!PyUnicode_Check(key) || PyUnicode_GET_LENGTH(key) != 1 ||
            (letter = (int)PyUnicode_READ_CHAR(key, 0)) > 127 ||
            (self->kinds[letter] != K_NEWLINE && self->kinds[letter] != K_MAYBE) ||
            !PyTuple_Check(value) ||
            PyTuple_GET_SIZE(value) != 2 || !PyType_Check(PyTuple_GET_ITEM(value, 0)) ||
            !PyLong_Check(PyTuple_GET_ITEM(value, 1))) {
            PyErr_SetString(PyExc_TypeError, "IdFirstReader: tagged_rows must map newline tag "
                                             "letters to (class, kind)");
            return -1;
        }
        cls = PyTuple_GET_ITEM(value, 0);
        type = (int)PyLong_AsLong(PyTuple_GET_ITEM(value, 1));
        if (type < RT_PLAIN || type > RT_MODEL || self->n_classes >= MAX_CLASSES) {
            PyErr_SetString(PyExc_ValueError, "IdFirstReader: bad row kind or too many classes");
            return -1;
        }
        k = &self->classes[self->n_classes];
        nfields = type == RT_HINT ? N_HINT_FIELDS : N_FIELDS;
        if (take_class(k, cls, nfields) < 0) return -1;
        self->tag_class[letter] = (unsigned char)self->n_classes++;
        self->tag_type[letter] = (unsigned char)type;
    }
    return 0;
}

static int
take_dialects(Reader *self, PyObject *dialects)
{
    if (!PyTuple_Check(dialects) || PyTuple_GET_SIZE(dialects) != N_RANKS) {
        PyErr_Format(PyExc_TypeError, "IdFirstReader: dialects must be a tuple of %d",
                     N_RANKS);
        return -1;
    }
    self->dialects = Py_NewRef(dialects);
    return 0;
}

static PyObject *
Reader_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"model_row", "tag_kinds", "max_digits", "bad_header",
                             "read_length_row", "read_unterminated", "line_row",
                             "too_many_rows", "row_too_long", "tagged_rows", "dialects",
                             "text_row", "binary_row", NULL};
    PyObject *model, *kinds, *fns[6], *tagged = NULL, *dialects = NULL, *text = NULL,
             *binary = NULL;
    Py_ssize_t max_digits;
    Reader *self;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O!SnOOOOOO|$OOOO:IdFirstReader",
                                     kwlist, &PyType_Type, &model, &kinds, &max_digits,
                                     &fns[0], &fns[1], &fns[2], &fns[3], &fns[4], &fns[5],
                                     &tagged, &dialects, &text, &binary))
        return NULL;
    if (max_digits < 1 || max_digits > MAX_DIGITS) {
        PyErr_Format(PyExc_ValueError, "IdFirstReader: max_digits must be 1..%d", MAX_DIGITS);
        return NULL;
    }
    for (int i = 0; i < 6; i++) {
        if (!PyCallable_Check(fns[i]))
            return PyErr_Format(PyExc_TypeError, "IdFirstReader: %s must be callable",
                                kwlist[3 + i]);
    }
    self = (Reader *)type->tp_alloc(type, 0);
    if (self == NULL) return NULL;
    self->max_digits = max_digits;
    self->bad_header = Py_NewRef(fns[0]);
    self->read_length_row = Py_NewRef(fns[1]);
    self->read_unterminated = Py_NewRef(fns[2]);
    self->line_row = Py_NewRef(fns[3]);
    self->too_many_rows = Py_NewRef(fns[4]);
    self->row_too_long = Py_NewRef(fns[5]);
    self->empty = PyUnicode_FromStringAndSize("", 0);
    if (self->empty == NULL || take_kinds(self, kinds) < 0 ||
        take_class(&self->model, model, N_FIELDS) < 0 ||
        (tagged != NULL && tagged != Py_None && take_tagged(self, tagged) < 0) ||
        (dialects != NULL && dialects != Py_None && take_dialects(self, dialects) < 0) ||
        take_length_class(&self->text_row, text, "text_row") < 0 ||
        take_length_class(&self->binary_row, binary, "binary_row") < 0) {
        Py_DECREF(self);
        return NULL;
    }
    if ((self->n_classes > 0 || self->text_row.cls != NULL || self->binary_row.cls != NULL) &&
        self->dialects == NULL) {
        PyErr_SetString(PyExc_TypeError, "IdFirstReader: rows built here need dialects");
        Py_DECREF(self);
        return NULL;
    }
    return (PyObject *)self;
}

static int
Reader_traverse(Reader *self, visitproc visit, void *arg)
{
    Py_VISIT(self->model.cls);
    Py_VISIT(self->bad_header);
    Py_VISIT(self->read_length_row);
    Py_VISIT(self->read_unterminated);
    Py_VISIT(self->line_row);
    Py_VISIT(self->too_many_rows);
    Py_VISIT(self->row_too_long);
    for (int i = 0; i < self->n_classes; i++) Py_VISIT(self->classes[i].cls);
    Py_VISIT(self->text_row.cls);
    Py_VISIT(self->binary_row.cls);
    Py_VISIT(self->dialects);
    return 0;
}

static int
Reader_clear(Reader *self)
{
    Py_CLEAR(self->model.cls);
    Py_CLEAR(self->bad_header);
    Py_CLEAR(self->read_length_row);
    Py_CLEAR(self->read_unterminated);
    Py_CLEAR(self->line_row);
    Py_CLEAR(self->too_many_rows);
    Py_CLEAR(self->row_too_long);
    Py_CLEAR(self->empty);
    for (int i = 0; i < MAX_CLASSES; i++) Py_CLEAR(self->classes[i].cls);
    Py_CLEAR(self->text_row.cls);
    Py_CLEAR(self->binary_row.cls);
    self->text_row.nfields = self->binary_row.nfields = 0;
    memset(self->tag_type, RT_NONE, sizeof self->tag_type);
    self->n_classes = 0;
    Py_CLEAR(self->dialects);
    return 0;
}

static void
Reader_dealloc(Reader *self)
{
    PyObject_GC_UnTrack(self);
    Reader_clear(self);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyTypeObject ReaderType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "rsc_flight.wire._cscan.IdFirstReader",
    .tp_doc = PyDoc_STR("IdFirstReader(model_row, tag_kinds, max_digits, bad_header, "
                        "read_length_row, read_unterminated, line_row, too_many_rows, "
                        "row_too_long, *, tagged_rows=None, dialects=None, text_row=None, "
                        "binary_row=None)\n--\n\n"
                        "The id-first row reader of rsc_flight.wire._readers, in C: "
                        "reader(decoder, view, rows, final) -> bytes used."),
    .tp_basicsize = sizeof(Reader),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_new = Reader_new,
    .tp_call = (ternaryfunc)Reader_call,
    .tp_traverse = (traverseproc)Reader_traverse,
    .tp_clear = (inquiry)Reader_clear,
    .tp_dealloc = (destructor)Reader_dealloc,
};

static struct PyModuleDef cscan_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "rsc_flight.wire._cscan",
    .m_doc = PyDoc_STR("The native row scanner of rsc_flight (see rsc_flight/wire/_readers.py)."),
    .m_size = -1,
};

PyMODINIT_FUNC
PyInit__cscan(void)
{
    PyObject *m;
    for (int i = 0; i < N_ATTRS; i++) {
        if (attrs[i] == NULL && (attrs[i] = PyUnicode_InternFromString(ATTR_NAMES[i])) == NULL)
            return NULL;
    }
    if (zero == NULL && (zero = PyLong_FromLong(0)) == NULL) return NULL;
    if (PyType_Ready(&ReaderType) < 0) return NULL;
    m = PyModule_Create(&cscan_module);
    if (m == NULL) return NULL;
    if (PyModule_AddObjectRef(m, "IdFirstReader", (PyObject *)&ReaderType) < 0 ||
        PyModule_AddIntConstant(m, "MAX_DIGITS", MAX_DIGITS) < 0 ||
        PyModule_AddIntConstant(m, "ROW_PLAIN", RT_PLAIN) < 0 ||
        PyModule_AddIntConstant(m, "ROW_IMPORT", RT_IMPORT) < 0 ||
        PyModule_AddIntConstant(m, "ROW_STREAM", RT_STREAM) < 0 ||
        PyModule_AddIntConstant(m, "ROW_HINT", RT_HINT) < 0 ||
        PyModule_AddIntConstant(m, "ROW_MODEL", RT_MODEL) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
