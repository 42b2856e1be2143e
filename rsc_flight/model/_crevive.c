/* rsc_flight._crevive: phase 1 of the reviver (_revive.decode_model), in C.
 *
 * The native twin of ``decode_model`` in ``_revive.py``, which stays the reference.  A
 * ``Reviver`` is built once per ModelContext (``_phase1.py``) from the context's objects:
 * the element symbol, UNDEFINED, the value classes, the reference's own ``$``-string reader
 * and the flags and limits.  Called as ``reviver(text)``, it parses the row's JSON and
 * revives it in ONE pass, building the same ``(holder, tape)`` as the reference: the
 * values (elements built as ``Element``, the pure codes decoded) and the tape of stateful
 * sites in the same post-order, with the same ENTER/EXIT decisions.
 *
 * One pass works because the reference's walk is post-order in document order: a
 * container's items are decoded in order and a child container is finished before the
 * next item, which is exactly the order a JSON parser completes values in.  The decisions
 * the reference makes on the whole container (an element tuple's shortcut, a list whose
 * first item may be the marker, an object with a "0" key) are made here when it closes,
 * from the same facts, recorded while its items were read.
 *
 * The row is read in the str's own storage (1, 2 or 4 bytes a character, PyUnicode_KIND):
 * the JSON syntax is ASCII, so only string contents can hold other characters.  A string
 * of ASCII characters is read as bytes (``st->s``: the text itself for a 1-byte str, a
 * narrowed copy otherwise), which the codes below parse; any other string is made at once
 * as a str (``st->s_obj``), a slice of the row or the code points its escapes give.
 *
 * Rare paths are the reference's: a ``$``-string this file does not decode itself (a
 * Date, a BigInt, a Map, a non-hex id, one with a non-ASCII character...) goes to the
 * reference's string reader for that one string; and anything else unusual ends the call
 * with ``None`` (a JSON syntax error, a duplicate key, a nesting at ``max_depth``, a throw
 * or a limit from the reader, a lone surrogate in the text (not valid UTF-8), any
 * exception): the caller then runs the reference on the whole row, which gives its exact
 * values, tape or exception.  ``None`` is never a guess: it means "ask the reference".
 *
 * Hostile input: every read is bounds-checked against the text's length; there is no
 * recursion (an explicit, growable stack of open containers, bounded by max_depth and by
 * MAX_LEVELS); every allocation is checked, and every failure releases what it built.
 */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

#include "../_cslots.h"
#include <stdint.h>
#include <stddef.h>
#include <string.h>

/* Tape ops and container shapes: the values of _tape (checked by _phase1 at build). */
enum { OP_REF, OP_LAZY, OP_PROMISE, OP_ENTER, OP_EXIT, OP_THROW, OP_RAISE, OP_WARN };
enum { LIST_ELEMENT, DICT_ELEMENT, LIST_MAYBE, DICT_MAYBE };

/* One copy of the parse, called from every entry point (inlined into a caller, it was
 * measurably slower on some builds: code placement), and the rare paths kept apart. */
#if defined(__GNUC__) || defined(__clang__)
#define NOINLINE __attribute__((noinline))
#else
#define NOINLINE
#endif

/* Deepest nesting read here, whatever max_depth says: below the parsers the reference
 * uses (orjson stops at 1024), so a deeper row gets the reference's own answer. */
#define MAX_LEVELS 1000

/* Open containers kept on the C stack before the frame stack moves to the heap. */
#define LOCAL_FRAMES 24

/* Interned short strings: keys (and short values) seen before are shared, as json's memo
 * shares keys; direct-mapped, bounded, ASCII only. */
#define CACHE_SIZE 2048
#define CACHE_KEY_LEN 32
#define CACHE_VALUE_LEN 12

/* Element slots, in Element's field order. */
enum { E_TYPE, E_KEY, E_PROPS, E_REF, E_OWNER, E_STACK, E_VALIDATED, N_ELEMENT };
static const char *const ELEMENT_SLOTS[N_ELEMENT] = {"type",  "key",   "props",    "ref",
                                                     "owner", "stack", "validated"};
/* JSDate's slots, as JSDate.parse(raw) fills them: raw, not parsed yet, no value yet. */
enum { D_RAW, D_PARSED, D_MS };
static const char *const DATE_SLOTS[3] = {"raw", "_parsed", "_ms"};
/* JSPromise's slots, in its __init__'s order (status, value, reason, id, owner), then the
 * one it sets to None. */
enum { C_STATUS, C_VALUE, C_REASON, C_ID, C_OWNER, C_LINKS, N_CHUNK };
static const char *const CHUNK_SLOTS[N_CHUNK] = {"status", "value", "reason", "id", "_owner", "_links"};

static PyObject *s_empty, *s_zero, *s_proto, *s_last_store, *s_dev, *s_zero_int;
static PyObject *ops[8], *shapes[4];

typedef struct {
    PyObject_HEAD
    PyObject *element;        /* the symbol "$" decodes to */
    PyObject *undefined;      /* UNDEFINED */
    PyObject *string_fn;      /* the reference's $-string reader: (text, holder, key, tape) */
    PyObject *create_model;   /* the build function of a plain "$<id>" reference */
    PyObject *enter_site;     /* the one (ENTER,) tuple */
    PyObject *tape_cls;       /* Tape */
    PyObject *reduce;         /* what __reduce__ returns: how _phase1 builds this reviver */
    PyTypeObject *element_cls, *lazy_cls, *symbol_cls;
    PyTypeObject *date_cls;   /* JSDate */
    PyTypeObject *chunk_cls;  /* JSPromise, for chunk() (optional) */
    Py_ssize_t chunk_slots[N_CHUNK];
    Py_ssize_t element_slots[N_ELEMENT]; /* offsets of Element's slots */
    Py_ssize_t lazy_slot;     /* Lazy.promise */
    Py_ssize_t symbol_slot;   /* JSSymbol.key */
    Py_ssize_t date_slots[3]; /* JSDate.raw, ._parsed, ._ms */
    int rules19, tag_first, scoped, pure;
    int tape_plain;           /* Tape adds nothing to list's construction */
    int orjson;               /* the reference parses with orjson (else with json only) */
    Py_ssize_t max_depth, max_path;
    /* the build function of each built code "$Q", "$W"... by its character (owned; NULL:
     * not read here), and JSSet / JSMap with their one slot (optional: the replay builds
     * a Set of strings, a Map with string keys, itself) */
    PyObject *builds[128];
    PyTypeObject *set_cls, *map_cls;
    Py_ssize_t set_slot, map_slot;
    PyObject *cache[CACHE_SIZE];
    /* add_rows's row classes and their slots, checked on the first call that passes them
     * (owned; NULL: not yet): ModelRow (payload, id), ClientReference (REF_SLOTS) */
    PyTypeObject *rows_model_cls, *rows_ref_cls;
    Py_ssize_t rows_model_slots[2], rows_ref_slots[4];
} Reviver;

/* An open container. */
typedef struct {
    PyObject *obj;      /* the list or dict being filled (owned) */
    PyObject *key;      /* dict: the key whose value is being read (owned) */
    PyObject *drop;     /* dict: keys whose value is undefined, deleted at close (owned) */
    Py_ssize_t mark;    /* len(tape) when it opened */
    char dict, element, maybe, direct;
} Frame;

/* One call. */
typedef struct {
    Reviver *R;
    PyObject *text;       /* the row (borrowed) */
    const void *d;        /* its characters, PyUnicode_DATA */
    int kind;             /* their width, PyUnicode_KIND */
    Py_ssize_t n, i;
    PyObject *tape, *holder;
    Frame *frames;        /* `local`, or the heap once deeper than LOCAL_FRAMES */
    Py_ssize_t depth, cap;
    Py_ssize_t last_store;
    int dev;
    char *buf;            /* unescaped strings (code points), ASCII strings narrowed */
    Py_ssize_t buf_cap;
    /* the string just read: ASCII, its bytes in s[:slen]; else (or a long ASCII one
     * that starts with no code) the str in s_obj (owned, taken by whoever reads it);
     * s_first its first character */
    const char *s;
    Py_ssize_t slen;
    PyObject *s_obj;
    Py_UCS4 s_first;
    int s_cacheable;
    Frame local[LOCAL_FRAMES]; /* last: Reviver_call clears the fields before it only */
} State;

/* -- small helpers ------------------------------------------------------------------- */

/* The character at i (i < n), whatever the str's width. */
static inline Py_UCS4
CH(const State *st, Py_ssize_t i)
{
    if (st->kind == PyUnicode_1BYTE_KIND) return ((const Py_UCS1 *)st->d)[i];
    if (st->kind == PyUnicode_2BYTE_KIND) return ((const Py_UCS2 *)st->d)[i];
    return ((const Py_UCS4 *)st->d)[i];
}

static int
hexval(unsigned char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

/* A row id of 1..16 lowercase hex digits (the fast case of _codes.parse_row_id). */
static int
hex_id(const char *s, Py_ssize_t len, unsigned long long *out)
{
    unsigned long long v = 0;
    if (len < 1 || len > 16) return 0;
    for (Py_ssize_t k = 0; k < len; k++) {
        int h = hexval((unsigned char)s[k]);
        if (h < 0) return 0;
        v = (v << 4) | (unsigned long long)h;
    }
    *out = v;
    return 1;
}

static inline void
skip_ws(State *st)
{
    Py_ssize_t i = st->i, n = st->n;
    Py_UCS4 c;
    while (i < n && ((c = CH(st, i)) == ' ' || c == '\n' || c == '\r' || c == '\t')) i++;
    st->i = i;
}

/* A str from ASCII bytes. */
static PyObject *
make_str(const char *s, Py_ssize_t len)
{
    PyObject *u = PyUnicode_New(len, 127);
    if (u != NULL) memcpy(PyUnicode_DATA(u), s, (size_t)len);
    return u;
}

/* The str just read, taken (new reference): s_obj, or made from the ASCII bytes. */
static PyObject *
take_str(State *st)
{
    PyObject *u = st->s_obj;
    if (u == NULL) return make_str(st->s, st->slen);
    st->s_obj = NULL;
    return u;
}

/* A cache slot for s[:len] (len <= CACHE_KEY_LEN): its length and its first and last
 * eight bytes mixed (a whole-string hash cost more than the lookup saved on short keys);
 * a collision only costs a miss, as the slot's string is compared in full. */
static uint32_t
hash_bytes(const char *s, Py_ssize_t len)
{
    uint64_t a = 0, b = 0, h;
    if (len >= 8) {
        memcpy(&a, s, 8);
        memcpy(&b, s + len - 8, 8);
    } else if (len >= 4) {  /* two fixed-size loads, overlapping: the bytes in order */
        uint32_t lo, hi;
        memcpy(&lo, s, 4);
        memcpy(&hi, s + len - 4, 4);
        a = (uint64_t)lo | ((uint64_t)hi << (8 * (len - 4)));
    } else {  /* (a copy of a variable size into a then its load stalled the pipeline) */
        for (Py_ssize_t k = 0; k < len; k++) a |= (uint64_t)(unsigned char)s[k] << (8 * k);
    }
    h = (a * 0x9E3779B97F4A7C15ull) ^ (b * 0xC2B2AE3D27D4EB4Full) ^ ((uint64_t)len << 56);
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ull;
    return (uint32_t)(h >> 32);
}

/* Whether a[:len] == b[:len]: a short string (most keys) compared with fixed-size loads,
 * overlapping, rather than through a call to memcmp. */
static inline int
same_bytes(const void *a, const char *b, Py_ssize_t len)
{
    const char *x = (const char *)a;
    if (len >= 8 && len <= 16) {
        uint64_t x1, x2, y1, y2;
        memcpy(&x1, x, 8);
        memcpy(&y1, b, 8);
        memcpy(&x2, x + len - 8, 8);
        memcpy(&y2, b + len - 8, 8);
        return x1 == y1 && x2 == y2;
    }
    if (len >= 4 && len < 8) {
        uint32_t x1, x2, y1, y2;
        memcpy(&x1, x, 4);
        memcpy(&y1, b, 4);
        memcpy(&x2, x + len - 4, 4);
        memcpy(&y2, b + len - 4, 4);
        return x1 == y1 && x2 == y2;
    }
    if (len < 4) {
        for (Py_ssize_t k = 0; k < len; k++) {
            if (x[k] != b[k]) return 0;
        }
        return 1;
    }
    return memcmp(x, b, (size_t)len) == 0;
}

/* A str of the ASCII bytes s[:len], shared through the cache (a new reference). */
static PyObject *
cached_str(Reviver *R, const char *s, Py_ssize_t len)
{
    PyObject **slot = &R->cache[hash_bytes(s, len) & (CACHE_SIZE - 1)], *u = *slot;
    if (u != NULL && PyUnicode_GET_LENGTH(u) == len && same_bytes(PyUnicode_DATA(u), s, len))
        return Py_NewRef(u);
    u = make_str(s, len);
    if (u == NULL) return NULL;
    Py_XSETREF(*slot, Py_NewRef(u));
    return u;
}

/* The string just read, shared through the cache when short and plain. */
static PyObject *
string_object(State *st, Py_ssize_t most)
{
    if (!st->s_cacheable || st->slen > most) return take_str(st);
    return cached_str(st->R, st->s, st->slen);
}

/* -- JSON scalars -------------------------------------------------------------------- */

static int
buf_reserve(State *st, Py_ssize_t need)
{
    char *b;
    if (need <= st->buf_cap) return 0;
    b = PyMem_Realloc(st->buf, (size_t)need);
    if (b == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    st->buf = b;
    st->buf_cap = need;
    return 0;
}

/* Four hex digits at p[i:i+4] (either case), or -1. */
static long
hex4(const State *st, Py_ssize_t i, Py_ssize_t n)
{
    long v = 0;
    if (i + 4 > n) return -1;
    for (int k = 0; k < 4; k++) {
        Py_UCS4 c = CH(st, i + k);
        int h = (c >= '0' && c <= '9') ? c - '0'
              : (c >= 'a' && c <= 'f') ? c - 'a' + 10
              : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
        if (h < 0) return -1;
        v = (v << 4) | h;
    }
    return v;
}

/* The ASCII characters d[start:start+len] of a wide str, as bytes into out. */
static void
narrow(const State *st, Py_ssize_t start, Py_ssize_t len, char *out)
{
    if (st->kind == PyUnicode_2BYTE_KIND) {
        const Py_UCS2 *u = (const Py_UCS2 *)st->d + start;
        for (Py_ssize_t k = 0; k < len; k++) out[k] = (char)u[k];
    } else {
        const Py_UCS4 *u = (const Py_UCS4 *)st->d + start;
        for (Py_ssize_t k = 0; k < len; k++) out[k] = (char)u[k];
    }
}

/* The string read ends: ASCII characters d[start:end] (as bytes in st->s), or any other
 * str (st->s_obj).  0, or -1 with an exception. */
static int
string_read(State *st, Py_ssize_t start, Py_ssize_t end, int ascii)
{
    Py_ssize_t len = end - start;
    st->slen = len;
    st->s_cacheable = ascii;
    st->i = end + 1;
    if (!ascii) {
        st->s_obj = PyUnicode_Substring(st->text, start, end);
        if (st->s_obj == NULL) return -1;
        st->s_first = PyUnicode_READ_CHAR(st->s_obj, 0);
        return 0;
    }
    st->s_first = len ? CH(st, start) : 0;
    if (st->kind == PyUnicode_1BYTE_KIND) {
        st->s = (const char *)st->d + start;
        return 0;
    }
    /* ASCII in a wider str: narrowed.  A long one that no code reads is narrowed into
     * its str at once (into the buffer, then copied, it would be narrowed twice). */
    if (len > CACHE_KEY_LEN && st->s_first != '$' && st->s_first != '@') {
        st->s_obj = PyUnicode_New(len, 127);
        if (st->s_obj == NULL) return -1;
        narrow(st, start, len, PyUnicode_DATA(st->s_obj));
        st->s_cacheable = 0;
        return 0;
    }
    if (buf_reserve(st, len + 1) < 0) return -1;
    narrow(st, start, len, st->buf);
    st->s = st->buf;
    return 0;
}

/* The rest of a string with escapes, from d[i] (a backslash); the prefix d[start:i] has
 * none.  Escapes as Python's json reads them: a \u high surrogate followed by a \u low
 * one is one code point; a lone surrogate stays (orjson refuses it: the reference
 * decides).  The code points go to st->buf, then to bytes (all ASCII) or a str.
 * Returns 0, or -1 (syntax error, or an exception). */
static int
read_escaped(State *st, Py_ssize_t start, Py_ssize_t i)
{
    Py_ssize_t n = st->n, k = 0;
    Py_UCS4 *out, hi = 0;
    /* the output is never longer than the input it comes from */
    if (buf_reserve(st, (n - start + 1) * (Py_ssize_t)sizeof(Py_UCS4)) < 0) return -1;
    out = (Py_UCS4 *)st->buf;
    for (Py_ssize_t j = start; j < i; j++) hi |= out[k++] = CH(st, j);
    while (i < n) {
        Py_UCS4 c = CH(st, i);
        if (c == '"') break;
        if (c < 0x20 || (c >= 0xD800 && c <= 0xDFFF)) return -1; /* a raw surrogate: no UTF-8 */
        if (c != '\\') {
            hi |= out[k++] = c;
            i++;
            continue;
        }
        if (++i >= n) return -1;
        c = CH(st, i++);
        switch (c) {
        case '"': case '\\': case '/': out[k++] = c; break;
        case 'b': out[k++] = '\b'; break;
        case 'f': out[k++] = '\f'; break;
        case 'n': out[k++] = '\n'; break;
        case 'r': out[k++] = '\r'; break;
        case 't': out[k++] = '\t'; break;
        case 'u': {
            long cp = hex4(st, i, n), lo;
            if (cp < 0) return -1;
            i += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF && i + 1 < n && CH(st, i) == '\\' &&
                CH(st, i + 1) == 'u' && (lo = hex4(st, i + 2, n)) >= 0xDC00 && lo <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                i += 6;
            }
            if (cp >= 0xD800 && cp <= 0xDFFF && st->R->orjson) return -1;
            hi |= out[k++] = (Py_UCS4)cp;
            break;
        }
        default: return -1;
        }
    }
    if (i >= n) return -1;
    st->i = i + 1;
    st->slen = k;
    st->s_cacheable = hi < 0x80;
    if (hi >= 0x80) {
        st->s_obj = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, out, k);
        if (st->s_obj == NULL) return -1;
        st->s_first = out[0];
        return 0;
    }
    /* all ASCII: narrowed in place (byte j is written after code point j is read) */
    for (Py_ssize_t j = 0; j < k; j++) st->buf[j] = (char)out[j];
    st->s = st->buf;
    st->s_first = k ? (Py_UCS4)(unsigned char)st->buf[0] : 0;
    return 0;
}

/* The ASCII characters a string's scan stops at: the quote, the backslash, controls. */
static const unsigned char STOP[128] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    0, 0, 1, ['\\'] = 1,
};

/* Bytes of a word: each is 1, or the high bit of each. */
#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

/* Where the run of plain characters at d[i:n] of a 1-byte str ends, eight at a time:
 * the first word holding a character SCAN_STRING stops at or must look at (a control
 * character, a quote, a backslash, one above ASCII) ends the run, and SCAN_STRING reads
 * on from its start.  (Each test may also fire on a plain byte next to a special one:
 * that only ends the run early.) */
static inline Py_ssize_t
plain_run(const void *d, Py_ssize_t i, Py_ssize_t n)
{
    const unsigned char *u = (const unsigned char *)d;
    while (n - i >= 8) {
        uint64_t w, quote, slash;
        memcpy(&w, u + i, 8);
        quote = w ^ (ONES * '"');
        slash = w ^ (ONES * '\\');
        if (((w | ((w - ONES * 0x20) & ~w) | ((quote - ONES) & ~quote) |
              ((slash - ONES) & ~slash)) & HIGHS) != 0)
            break;
        i += 8;
    }
    return i;
}

/* The same for a 2-byte str, four characters at a time (a character above ASCII ends
 * the run: SCAN_STRING looks at each of those). */
#define ONES16 0x0001000100010001ull
#define HIGHS16 0x8000800080008000ull

static inline Py_ssize_t
plain_run2(const void *d, Py_ssize_t i, Py_ssize_t n)
{
    const Py_UCS2 *u = (const Py_UCS2 *)d;
    while (n - i >= 4) {
        uint64_t w, quote, slash;
        memcpy(&w, u + i, 8);
        quote = w ^ (ONES16 * '"');
        slash = w ^ (ONES16 * '\\');
        if ((w & (ONES16 * 0xFF80)) != 0 ||
            ((((w - ONES16 * 0x20) & ~w) | ((quote - ONES16) & ~quote) |
              ((slash - ONES16) & ~slash)) & HIGHS16) != 0)
            break;
        i += 4;
    }
    return i;
}

/* A string's characters from d[i], of one width, up to its closing quote or a backslash:
 * a raw surrogate (wide strs only) means the text is not UTF-8 (-1, the reference). */
#define SCAN_STRING(T, WIDE)                                              \
    {                                                                     \
        const T *u = (const T *)st->d;                                    \
        Py_UCS4 hi = 0;                                                   \
        for (; i < n; i++) {                                              \
            Py_UCS4 c = u[i];                                             \
            if (c < 0x80) {                                               \
                if (STOP[c]) break;                                       \
                continue;                                                 \
            }                                                             \
            hi |= c;                                                      \
            if (WIDE && c - 0xD800u < 0x800u) return -1;                  \
        }                                                                 \
        ascii = hi == 0;                                                  \
    }

/* The JSON string at d[i] == '"': st->s or st->s_obj (see State).  0, or -1. */
static int
read_string(State *st)
{
    Py_ssize_t n = st->n, start = st->i + 1, i = start;
    int ascii = 1;
    Py_UCS4 c;
    Py_CLEAR(st->s_obj);  /* (always taken before: a safeguard) */
    if (st->kind == PyUnicode_1BYTE_KIND) {
        i = plain_run(st->d, i, n);
        SCAN_STRING(Py_UCS1, 0)
    }
    else if (st->kind == PyUnicode_2BYTE_KIND) {
        i = plain_run2(st->d, i, n);
        SCAN_STRING(Py_UCS2, 1)
    }
    else SCAN_STRING(Py_UCS4, 1)
    if (i >= n) return -1;
    c = CH(st, i);
    if (c == '"') return string_read(st, start, i, ascii);
    if (c == '\\') return read_escaped(st, start, i);
    return -1;
}

/* The number text p[start:end] as a double; -1 (no exception) when it overflows to an
 * infinity and orjson reads the row (it refuses infinities: the reference then decides). */
static int
number_double(State *st, const char *tmp, Py_ssize_t len, double *out)
{
    char *end;
    double d = PyOS_string_to_double(tmp, &end, NULL);
    if (d == -1.0 && PyErr_Occurred()) return -1;
    if (end != tmp + len) return -1;
    if (st->R->orjson && Py_IS_INFINITY(d)) return -1;
    *out = d;
    return 0;
}

/* An integer of 19 digits or more: exact for the stdlib reading; for orjson's, exact in
 * [-2**63, 2**64 - 1] and a float (correctly rounded) beyond, as orjson gives it. */
static PyObject *
big_integer(State *st, const char *tmp, Py_ssize_t len)
{
    PyObject *v;
    double d;
    int overflow = 0;
    if (!st->R->orjson) return PyLong_FromString(tmp, NULL, 10); /* int()'s digit limit holds */
    if (number_double(st, tmp, len, &d) < 0) return NULL;
    if (len > 21) return PyFloat_FromDouble(d);
    if ((v = PyLong_FromString(tmp, NULL, 10)) == NULL) return NULL;
    (void)PyLong_AsLongLongAndOverflow(v, &overflow);
    if (overflow > 0) {
        (void)PyLong_AsUnsignedLongLong(v);
        if (PyErr_Occurred()) {
            PyErr_Clear();
            overflow = -1;
        } else {
            overflow = 0;
        }
    }
    if (overflow == 0) return v;
    Py_DECREF(v);
    return PyFloat_FromDouble(d);
}

/* A JSON number at p[i], as the reference's parser gives it. */
#define DIGIT(i) (CH(st, i) >= '0' && CH(st, i) <= '9')

static PyObject *
read_number(State *st)
{
    Py_ssize_t n = st->n, start = st->i, i = start, len;
    int is_float = 0, minus;
    char small[64], *tmp;
    PyObject *result = NULL;
    double d;
    if (i < n && CH(st, i) == '-') i++;
    if (i < n && CH(st, i) == '0') i++;
    else if (i < n && CH(st, i) >= '1' && CH(st, i) <= '9') while (i < n && DIGIT(i)) i++;
    else return NULL;
    if (i < n && CH(st, i) == '.') {
        if (!(++i < n && DIGIT(i))) return NULL;
        while (i < n && DIGIT(i)) i++;
        is_float = 1;
    }
    if (i < n && (CH(st, i) == 'e' || CH(st, i) == 'E')) {
        if (++i < n && (CH(st, i) == '+' || CH(st, i) == '-')) i++;
        if (!(i < n && DIGIT(i))) return NULL;
        while (i < n && DIGIT(i)) i++;
        is_float = 1;
    }
    st->i = i;
    len = i - start;
    minus = CH(st, start) == '-';
    if (!is_float && len <= 18) {
        long long v = 0;
        for (Py_ssize_t k = start + minus; k < i; k++) v = v * 10 + (long long)(CH(st, k) - '0');
        return PyLong_FromLongLong(minus ? -v : v);
    }
    tmp = len < (Py_ssize_t)sizeof(small) ? small : PyMem_Malloc((size_t)len + 1);
    if (tmp == NULL) return PyErr_NoMemory();
    for (Py_ssize_t k = 0; k < len; k++) tmp[k] = (char)CH(st, start + k); /* ASCII: read above */
    tmp[len] = '\0';
    if (!is_float) result = big_integer(st, tmp, len);
    else if (number_double(st, tmp, len, &d) == 0) result = PyFloat_FromDouble(d);
    if (tmp != small) PyMem_Free(tmp);
    return result;
}
#undef DIGIT

/* -- values and sites ---------------------------------------------------------------- */

/* Fill the slot at ``offset`` of a fresh object (all its slots NULL): what the member
 * descriptor's setter does, without the call and its checks (the offsets come from
 * checked member descriptors of the exact classes, see member()). */
static inline void
fill_slot(PyObject *obj, Py_ssize_t offset, PyObject *value)
{
    *(PyObject **)((char *)obj + offset) = Py_NewRef(value);
}

/* An Element from the fields after the marker (build_element); *dev when it has
 * development fields. */
static PyObject *
new_element(Reviver *R, PyObject *const *fields, Py_ssize_t nf, int *dev)
{
    PyObject *values[N_ELEMENT];
    PyObject *el = R->element_cls->tp_alloc(R->element_cls, 0);
    if (el == NULL) return NULL;
    for (int k = 0; k < 3; k++) values[k] = k < nf ? fields[k] : R->undefined;
    values[E_REF] = Py_None;
    values[E_OWNER] = nf > 3 ? fields[3] : Py_None;
    values[E_STACK] = nf > 4 ? fields[4] : Py_None;
    values[E_VALIDATED] = nf > 5 ? fields[5] : Py_None;
    for (int k = 0; k < N_ELEMENT; k++) fill_slot(el, R->element_slots[k], values[k]);
    if (nf > 3) *dev = 1;
    return el;
}

static PyObject *
new_with_slot(PyTypeObject *cls, Py_ssize_t offset, PyObject *value)
{
    PyObject *obj = cls->tp_alloc(cls, 0);
    if (obj != NULL) fill_slot(obj, offset, value);
    return obj;
}

/* Append a site built from a tuple format; a storing site moves last_store. */
static int
push_site(State *st, int stores, PyObject *site)
{
    int r;
    if (site == NULL) return -1;
    if (stores) st->last_store = PyList_GET_SIZE(st->tape);
    r = PyList_Append(st->tape, site);
    Py_DECREF(site);
    return r;
}

/* (EXIT, holder, key, container, shape) */
static int
push_exit(State *st, PyObject *holder, PyObject *key, PyObject *value, int shape)
{
    return push_site(st, 1, PyTuple_Pack(5, ops[OP_EXIT], holder, key, value, shapes[shape]));
}

/* The key a site names: the dict key, or the list index. */
static PyObject *
site_key(PyObject *key, Py_ssize_t index)
{
    return key != NULL ? Py_NewRef(key) : PyLong_FromSsize_t(index);
}

/* The reference's reader on one string; its result, and last_store read back. */
static PyObject *
delegate(State *st, PyObject *holder, PyObject *key, Py_ssize_t index, int *same)
{
    Py_ssize_t before = PyList_GET_SIZE(st->tape);
    PyObject *k, *text, *result, *ls;
    if (st->last_store >= 0) {
        PyObject *v = PyLong_FromSsize_t(st->last_store);
        int r = v == NULL ? -1 : PyObject_SetAttr(st->tape, s_last_store, v);
        Py_XDECREF(v);
        if (r < 0) return NULL;
    }
    text = take_str(st);
    k = text == NULL ? NULL : site_key(key, index);
    result = k == NULL ? NULL : PyObject_CallFunctionObjArgs(st->R->string_fn, text, holder, k,
                                                             st->tape, NULL);
    *same = result == text;
    Py_XDECREF(text);
    Py_XDECREF(k);
    if (result == NULL || PyList_GET_SIZE(st->tape) == before) return result;
    ls = PyObject_GetAttr(st->tape, s_last_store);
    st->last_store = ls == NULL ? -1 : PyLong_AsSsize_t(ls);
    Py_XDECREF(ls);
    if (PyErr_Occurred()) Py_CLEAR(result);
    return result;
}

/* A str of s[:len], shared through the cache when ``shared``. */
static PyObject *
part_str(Reviver *R, const char *s, Py_ssize_t len, int shared)
{
    return shared ? cached_str(R, s, len) : make_str(s, len);
}

/* "$<id>[:path]" (skip 1, build create_model) or a built code "$Q<id>[:path]" (skip 2,
 * its build function) read here: a REF site, the text stays.  NULL: not the fast case
 * (*fast = 0, no error) or an error.  The site is built at every reference, the
 * commonest site there is: the text after the code is the path's one part when it has no
 * path, and the strings of a reference to a row below 0x100 (most are: ids count up from
 * 0 in a payload) and short path steps (keys) are shared through the cache, where a
 * payload of thousands of rows would only evict the keys. */
static PyObject *
reference(State *st, PyObject *holder, PyObject *key, Py_ssize_t index, Py_ssize_t skip,
          PyObject *build, int *fast)
{
    Reviver *R = st->R;
    const char *ref = st->s + skip, *end = st->s + st->slen, *colon, *a = ref;
    Py_ssize_t steps = 0;
    unsigned long long id;
    int small;
    PyObject *path, *text, *reftext, *k, *idobj, *site;
    colon = memchr(ref, ':', (size_t)(end - ref));
    if (!hex_id(ref, (colon ? colon : end) - ref, &id)) return NULL;
    for (const char *q = colon; q != NULL; q = memchr(q + 1, ':', (size_t)(end - q - 1))) steps++;
    if (steps > R->max_path) return NULL; /* the reference raises its limit */
    *fast = 1;
    small = (colon ? colon : end) - ref <= 2;
    if ((path = PyList_New(steps + 1)) == NULL) return NULL;
    for (Py_ssize_t i = 0; i <= steps; i++) {  /* (steps + 1 parts: the id, then each step) */
        const char *b = i < steps ? memchr(a, ':', (size_t)(end - a)) : end;
        PyObject *part = part_str(R, a, b - a, i == 0 ? small : b - a <= CACHE_KEY_LEN);
        if (part == NULL) {
            Py_DECREF(path);
            return NULL;
        }
        PyList_SET_ITEM(path, i, part);
        if (i < steps) a = b + 1;
    }
    text = part_str(R, st->s, st->slen, small && colon == NULL);
    reftext = text == NULL           ? NULL
              : colon == NULL        ? Py_NewRef(PyList_GET_ITEM(path, 0))
                                     : make_str(ref, end - ref);
    k = reftext == NULL ? NULL : site_key(key, index);
    idobj = k == NULL ? NULL : PyLong_FromUnsignedLongLong(id);
    site = idobj == NULL ? NULL : PyTuple_New(7);
    if (site == NULL) {
        Py_DECREF(path);
        Py_XDECREF(reftext);
        Py_XDECREF(k);
        Py_XDECREF(idobj);
        Py_XDECREF(text);
        return NULL;
    }
    PyTuple_SET_ITEM(site, 0, Py_NewRef(ops[OP_REF]));  /* (the rest: references taken) */
    PyTuple_SET_ITEM(site, 1, Py_NewRef(holder));
    PyTuple_SET_ITEM(site, 2, k);
    PyTuple_SET_ITEM(site, 3, idobj);
    PyTuple_SET_ITEM(site, 4, path);
    PyTuple_SET_ITEM(site, 5, Py_NewRef(build));
    PyTuple_SET_ITEM(site, 6, reftext);
    if (push_site(st, 1, site) < 0) Py_CLEAR(text);
    return text;
}

/* "$L<id>" and "$@<id>" read here; NULL with no error: not the fast case. */
static PyObject *
lazy_or_promise(State *st, PyObject *holder, PyObject *key, Py_ssize_t index)
{
    Reviver *R = st->R;
    unsigned long long id;
    PyObject *idobj, *value, *k;
    if (!hex_id(st->s + 2, st->slen - 2, &id)) return NULL;
    if ((idobj = PyLong_FromUnsignedLongLong(id)) == NULL) return NULL;
    if (st->s[1] == 'L') {
        value = new_with_slot(R->lazy_cls, R->lazy_slot, Py_None);
        if (value != NULL &&
            push_site(st, 0, PyTuple_Pack(3, ops[OP_LAZY], value, idobj)) < 0)
            Py_CLEAR(value);
    } else {
        value = make_str(st->s, st->slen);
        k = value == NULL ? NULL : site_key(key, index);
        if (k == NULL ||
            push_site(st, 1, PyTuple_Pack(4, ops[OP_PROMISE], holder, k, idobj)) < 0)
            Py_CLEAR(value);
        Py_XDECREF(k);
    }
    Py_DECREF(idobj);
    return value;
}

/* What the $-string just read decodes to (parseModelString), with its site; a new
 * reference, or NULL (an error: the call ends with the reference's answer). */
static PyObject *
revive(State *st, PyObject *holder, PyObject *key, Py_ssize_t index, int *same)
{
    Reviver *R = st->R;
    const char *s = st->s;
    PyObject *v;
    int fast = 0;
    if (st->s_obj != NULL) return delegate(st, holder, key, index, same); /* not ASCII */
    if (st->slen == 1 && s[0] == '$') {
        if (R->scoped && key != NULL && PyUnicode_GET_LENGTH(key) == 1 &&
            PyUnicode_READ_CHAR(key, 0) == '0' &&
            PyList_Append(st->tape, R->enter_site) < 0)  /* an element written as an object */
            return NULL;
        return Py_NewRef(R->element);
    }
    if (R->tag_first) {
        if (s[0] == '$' && (s[1] == '$' || s[1] == '@'))
            return make_str(s + 1, st->slen - 1);
        return delegate(st, holder, key, index, same);
    }
    switch (s[1]) {
    case '$': return make_str(s + 1, st->slen - 1);
    case 'u': case 'w': case 'H': return Py_NewRef(R->undefined);
    case 'P':
        if (R->rules19) return Py_NewRef(R->undefined);
        return delegate(st, holder, key, index, same);
    case 'D': {  /* JSDate.parse(text[2:]): a Date, read when first asked for */
        PyObject *raw;
        if (R->date_cls == NULL) return delegate(st, holder, key, index, same);
        raw = make_str(s + 2, st->slen - 2);
        if (raw == NULL || (v = R->date_cls->tp_alloc(R->date_cls, 0)) == NULL) {
            Py_XDECREF(raw);
            return NULL;
        }
        fill_slot(v, R->date_slots[D_RAW], raw);
        fill_slot(v, R->date_slots[D_PARSED], Py_False);
        fill_slot(v, R->date_slots[D_MS], Py_None);
        Py_DECREF(raw);
        return v;
    }
    case 'S': {
        PyObject *name = make_str(s + 2, st->slen - 2);
        if (name == NULL) return NULL;
        v = new_with_slot(R->symbol_cls, R->symbol_slot, name);
        Py_DECREF(name);
        return v;
    }
    case 'L': case '@':
        if (st->slen > 2 && (v = lazy_or_promise(st, holder, key, index)) != NULL) {
            *same = s[1] == '@';  /* a promise leaves its text for the replay */
            return v;
        }
        if (PyErr_Occurred()) return NULL;
        return delegate(st, holder, key, index, same);
    }
    if ((unsigned char)s[1] < 128 && R->builds[(unsigned char)s[1]] != NULL) {
        /* a built code ("$Q", "$W"...): as _strings._reference reads it */
        v = reference(st, holder, key, index, 2, R->builds[(unsigned char)s[1]], &fast);
        *same = v != NULL;
        if (fast || v != NULL || PyErr_Occurred()) return v;
        return delegate(st, holder, key, index, same);
    }
    if (strchr("QWKBihFZNI-DnTEY", s[1]) == NULL) {  /* not a code: "$<hex id>[:path]" */
        v = reference(st, holder, key, index, 1, R->create_model, &fast);
        *same = v != NULL;
        if (fast || v != NULL || PyErr_Occurred()) return v;
    }
    return delegate(st, holder, key, index, same);
}

/* -- containers ---------------------------------------------------------------------- */

/* Where the container at stack level ``level`` sits: its holder (borrowed) and key (new). */
static PyObject *
position(State *st, Py_ssize_t level, PyObject **holder)
{
    Frame *parent;
    if (level == 0) {
        *holder = st->holder;
        return Py_NewRef(s_empty);
    }
    parent = &st->frames[level - 1];
    *holder = parent->obj;
    return parent->dict ? Py_NewRef(parent->key) : PyLong_FromSsize_t(PyList_GET_SIZE(parent->obj));
}

static int
open_frame(State *st, int dict)
{
    Frame *f;
    if (st->depth >= st->R->max_depth || st->depth >= MAX_LEVELS) return -1; /* the reference raises */
    if (st->depth == st->cap) {  /* the frames on the C stack are full: to the heap */
        Py_ssize_t cap = st->cap * 2;
        Frame *frames = st->frames == st->local ? PyMem_Malloc((size_t)cap * sizeof(Frame))
                                                : PyMem_Realloc(st->frames, (size_t)cap * sizeof(Frame));
        if (frames == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        if (st->frames == st->local) memcpy(frames, st->local, sizeof(st->local));
        st->frames = frames;
        st->cap = cap;
    }
    f = &st->frames[st->depth];
    memset(f, 0, sizeof(Frame));
    f->obj = dict ? PyDict_New() : PyList_New(0);
    if (f->obj == NULL) return -1;
    f->dict = (char)dict;
    f->mark = PyList_GET_SIZE(st->tape);
    st->depth++;
    return 0;
}

static void
clear_frame(Frame *f)
{
    Py_CLEAR(f->obj);
    Py_CLEAR(f->key);
    Py_CLEAR(f->drop);
}

/* An element tuple closes: built here, or left to the replay (_finish_element and the
 * unrolled four-field case of _tuple_walker). */
static PyObject *
close_element(State *st, Frame *f, PyObject *holder, PyObject *key)
{
    Reviver *R = st->R;
    PyObject *list = f->obj;
    Py_ssize_t n = PyList_GET_SIZE(list), len = PyList_GET_SIZE(st->tape);
    int quiet = len == f->mark || st->last_store < f->mark;
    if (R->pure && (quiet || (n == 4 && !(R->scoped || f->direct))))
        return new_element(R, ((PyListObject *)list)->ob_item + 1, n - 1, &st->dev);
    if (R->scoped && PyList_Insert(st->tape, f->mark, R->enter_site) < 0) return NULL;
    if (push_exit(st, holder, key, list, LIST_ELEMENT) < 0) return NULL;
    return Py_NewRef(list);
}

static int
starts_with_dollar(PyObject *v)
{
    return PyUnicode_CheckExact(v) && PyUnicode_GET_LENGTH(v) > 0 &&
           PyUnicode_READ_CHAR(v, 0) == '$';
}

/* An object closes: undefined keys and (React 19) __proto__ dropped, and an object with
 * the marker (or maybe a marker) at "0" left to the replay (the end of walk_dict). */
static int
close_dict(State *st, Frame *f, PyObject *holder, PyObject *key)
{
    PyObject *zero;
    if (f->drop != NULL) {
        for (Py_ssize_t k = 0; k < PyList_GET_SIZE(f->drop); k++)
            if (PyDict_DelItem(f->obj, PyList_GET_ITEM(f->drop, k)) < 0) return -1;
    }
    if (st->R->rules19) {
        int has = PyDict_Contains(f->obj, s_proto);
        if (has < 0 || (has && PyDict_DelItem(f->obj, s_proto) < 0)) return -1;
    }
    zero = PyDict_GetItemWithError(f->obj, s_zero);
    if (zero == NULL) return PyErr_Occurred() ? -1 : 0;
    if (zero == st->R->element) return push_exit(st, holder, key, f->obj, DICT_ELEMENT);
    if (starts_with_dollar(zero) && PyList_GET_SIZE(st->tape) > 0)
        return push_exit(st, holder, key, f->obj, DICT_MAYBE);
    return 0;
}

/* The top container closes: the value its holder gets (new reference), or NULL. */
static PyObject *
close_frame(State *st)
{
    Frame f = st->frames[--st->depth];
    PyObject *holder, *key = position(st, st->depth, &holder), *result = NULL;
    if (key == NULL) goto done;
    if (f.dict) {
        if (close_dict(st, &f, holder, key) == 0) result = Py_NewRef(f.obj);
    } else if (f.element) {
        result = close_element(st, &f, holder, key);
    } else {
        PyObject *first = PyList_GET_SIZE(f.obj) ? PyList_GET_ITEM(f.obj, 0) : NULL;
        if (f.maybe && st->last_store >= f.mark && starts_with_dollar(first)) {
            if (push_exit(st, holder, key, f.obj, LIST_MAYBE) == 0) result = Py_NewRef(f.obj);
        } else {
            result = Py_NewRef(f.obj);
        }
    }
done:
    Py_XDECREF(key);
    clear_frame(&f);
    return result;
}

/* -- the one pass -------------------------------------------------------------------- */

/* What a value was read as: it decides an element tuple's shortcut (_tuple_walker). */
enum { V_SCALAR, V_STRING, V_LIST, V_DICT };

/* A string value of the top container (or the root), decoded (new reference). */
static PyObject *
string_item(State *st, int *kind, int *same)
{
    Reviver *R = st->R;
    Frame *f = st->depth ? &st->frames[st->depth - 1] : NULL;
    Py_UCS4 prefix = st->s_first;
    PyObject *holder = st->holder, *key = s_empty;
    Py_ssize_t index = 0;
    if (f != NULL && !f->dict && PyList_GET_SIZE(f->obj) == 0 && prefix == '$') {
        if (st->slen == 1) {  /* the marker first: an element tuple */
            f->element = 1;
            return Py_NewRef(R->element);
        }
        f->maybe = 1;  /* a reference first may turn out to be the marker */
    }
    if (!(prefix == '$' || (prefix == '@' && R->tag_first)))
        return string_object(st, CACHE_VALUE_LEN);
    if (f != NULL) {
        holder = f->obj;
        key = f->dict ? f->key : NULL;
        index = f->dict ? 0 : PyList_GET_SIZE(f->obj);
    }
    *kind = V_STRING;
    return revive(st, holder, key, index, same);
}

/* Put the value just read (stolen) into the top container. */
static int
deliver(State *st, PyObject *v, int kind, int same)
{
    Frame *f = &st->frames[st->depth - 1];
    Py_ssize_t index, ls = st->last_store;
    int r;
    if (f->dict) {
        Py_ssize_t size = PyDict_GET_SIZE(f->obj);
        r = PyDict_SetItem(f->obj, f->key, v);
        if (r == 0 && PyDict_GET_SIZE(f->obj) == size) r = -1; /* a duplicate key */
        if (r == 0 && kind == V_STRING && v == st->R->undefined) {
            if (f->drop == NULL && (f->drop = PyList_New(0)) == NULL) r = -1;
            else r = PyList_Append(f->drop, f->key);
        }
        Py_DECREF(v);
        Py_CLEAR(f->key);
        return r;
    }
    index = PyList_GET_SIZE(f->obj);
    if (f->element && index >= 1 && index <= 3 && !f->direct) {
        /* whether a site stores into the tuple itself, not into a container in it */
        PyObject *tape = st->tape;
        if (kind == V_STRING && same) {
            f->direct = ls == PyList_GET_SIZE(tape) - 1;
        } else if (kind == V_LIST || (kind == V_DICT && index < 3)) {
            f->direct = ls >= f->mark;
        } else if (kind == V_DICT && ls >= f->mark && ls < PyList_GET_SIZE(tape)) {
            PyObject *site = PyList_GET_ITEM(tape, ls);  /* did the props become an element? */
            f->direct = PyTuple_GET_SIZE(site) > 1 && PyTuple_GET_ITEM(site, 1) == f->obj;
        }
    }
    r = PyList_Append(f->obj, v);
    Py_DECREF(v);
    return r;
}

/* An object's key and its colon. */
static int
read_key(State *st)
{
    Frame *f = &st->frames[st->depth - 1];
    if (st->i >= st->n || CH(st, st->i) != '"' || read_string(st) < 0) return -1;
    if ((f->key = string_object(st, CACHE_KEY_LEN)) == NULL) return -1;
    skip_ws(st);
    if (st->i >= st->n || CH(st, st->i) != ':') return -1;
    st->i++;
    skip_ws(st);
    return 0;
}

static int
literal(State *st, const char *word, Py_ssize_t len)
{
    if (st->n - st->i < len) return 0;
    for (Py_ssize_t k = 0; k < len; k++)
        if (CH(st, st->i + k) != (Py_UCS4)word[k]) return 0;
    st->i += len;
    return 1;
}

/* A value that is no container, decoded (new reference), or NULL. */
static PyObject *
read_scalar(State *st, int *kind, int *same)
{
    Py_UCS4 c = CH(st, st->i);
    *kind = V_SCALAR;
    *same = 0;
    if (c == '"') return read_string(st) < 0 ? NULL : string_item(st, kind, same);
    if (c == 't') return literal(st, "true", 4) ? Py_NewRef(Py_True) : NULL;
    if (c == 'f') return literal(st, "false", 5) ? Py_NewRef(Py_False) : NULL;
    if (c == 'n') return literal(st, "null", 4) ? Py_NewRef(Py_None) : NULL;
    return read_number(st);
}

/* The whole row: 0 with the root value in *root (new reference), or -1. */
static int
parse(State *st, PyObject **root)
{
    PyObject *v;
    int kind, same;
    skip_ws(st);
    for (;;) {
        if (st->i >= st->n) return -1;
        Py_UCS4 c0 = CH(st, st->i);
        if (c0 == '[' || c0 == '{') {
            int dict = c0 == '{';
            if (open_frame(st, dict) < 0) return -1;
            st->i++;
            skip_ws(st);
            if (st->i >= st->n || CH(st, st->i) != (Py_UCS4)(dict ? '}' : ']')) {
                if (dict && read_key(st) < 0) return -1;
                continue;  /* its first value */
            }
            st->i++;
            kind = dict ? V_DICT : V_LIST;
            same = 0;
            v = close_frame(st);
        } else {
            v = read_scalar(st, &kind, &same);
        }
        /* v is complete: into its container, then close every container that ends here */
        for (;;) {
            Frame *f;
            Py_UCS4 c;
            if (v == NULL) return -1;
            if (st->depth == 0) {
                *root = v;
                skip_ws(st);
                return st->i == st->n ? 0 : -1;
            }
            if (deliver(st, v, kind, same) < 0) return -1;
            skip_ws(st);
            if (st->i >= st->n) return -1;
            f = &st->frames[st->depth - 1];
            c = CH(st, st->i++);
            if (c == ',') {
                skip_ws(st);
                if (f->dict && read_key(st) < 0) return -1;
                break;  /* the next value */
            }
            if (c != (f->dict ? '}' : ']')) return -1;
            kind = f->dict ? V_DICT : V_LIST;
            same = 0;
            v = close_frame(st);
        }
    }
}

/* The tape's attributes, as the reference leaves them. */
static int
finish_tape(State *st)
{
    if (st->last_store >= 0) {
        PyObject *v = PyLong_FromSsize_t(st->last_store);
        int r = v == NULL ? -1 : PyObject_SetAttr(st->tape, s_last_store, v);
        Py_XDECREF(v);
        if (r < 0) return -1;
    }
    if (st->dev && PyObject_SetAttr(st->tape, s_dev, Py_True) < 0) return -1;
    return 0;
}

/* A parse state at the start of text (a ready str): no tape, holder or frames in use. */
static inline void
state_start(State *st, Reviver *R, PyObject *text)
{
    memset(st, 0, offsetof(State, local));
    st->frames = st->local;
    st->cap = LOCAL_FRAMES;
    st->R = R;
    st->last_store = -1;
    st->text = text;
    st->kind = PyUnicode_KIND(text);
    st->d = PyUnicode_DATA(text);
    st->n = PyUnicode_GET_LENGTH(text);
}

/* Phase 1 of one row: (holder, tape), or None to ask the reference (a new reference);
 * NULL only for an exception that must not be swallowed (KeyboardInterrupt...). */
static PyObject * NOINLINE
revive_text(Reviver *R, PyObject *text)
{
    PyObject *root = NULL, *result = NULL;
    State st;
    if (!PyUnicode_CheckExact(text) || PyUnicode_READY(text) < 0) goto done;
    state_start(&st, R, text);
    st.tape = R->tape_plain ? ((PyTypeObject *)R->tape_cls)->tp_alloc((PyTypeObject *)R->tape_cls, 0)
                            : PyObject_CallNoArgs(R->tape_cls);
    if (st.tape == NULL || !PyList_Check(st.tape) ||
        (st.holder = PyDict_New()) == NULL || PyDict_SetItem(st.holder, s_empty, Py_None) < 0)
        goto cleanup;
    if (parse(&st, &root) == 0 && PyDict_SetItem(st.holder, s_empty, root) == 0 &&
        finish_tape(&st) == 0)
        result = PyTuple_Pack(2, st.holder, st.tape);
cleanup:
    while (st.depth > 0) clear_frame(&st.frames[--st.depth]);
    if (st.frames != st.local) PyMem_Free(st.frames);
    PyMem_Free(st.buf);
    Py_XDECREF(st.s_obj);
    Py_XDECREF(root);
    Py_XDECREF(st.holder);
    Py_XDECREF(st.tape);
done:
    if (result != NULL) return result;
    if (PyErr_Occurred()) {
        if (!PyErr_ExceptionMatches(PyExc_Exception)) return NULL; /* KeyboardInterrupt... */
        PyErr_Clear();
    }
    Py_RETURN_NONE;  /* the reference decides */
}

static PyObject *
Reviver_call(Reviver *R, PyObject *args, PyObject *kwargs)
{
    PyObject *text;
    if (!PyArg_UnpackTuple(args, "Reviver", 1, 1, &text)) return NULL;
    return revive_text(R, text);
}

/* -- resolve_all's loop (the twin of the Python loop in Resolver.resolve_all) ----------- */

static PyObject *chunk_names[N_CHUNK];  /* the slot names, interned */
static PyObject *s_promise;

/* chunk.<slot k> (a new reference): through its offset when the chunk is of the class
 * the offsets were taken from, else as an attribute. */
static PyObject *
chunk_get(Reviver *R, PyObject *chunk, int k)
{
    if (Py_TYPE(chunk) == R->chunk_cls) {
        PyObject *v = *(PyObject **)((char *)chunk + R->chunk_slots[k]);
        if (v != NULL) return Py_NewRef(v);
    }
    return PyObject_GetAttr(chunk, chunk_names[k]);
}

static int
chunk_set(Reviver *R, PyObject *chunk, int k, PyObject *value)
{
    if (Py_TYPE(chunk) == R->chunk_cls) {
        PyObject **at = (PyObject **)((char *)chunk + R->chunk_slots[k]);
        Py_XSETREF(*at, Py_NewRef(value));
        return 0;
    }
    return PyObject_SetAttr(chunk, chunk_names[k], value);
}

/* A site (LAZY, lazy, id), as the plain case of the loop reads it. */
static int
is_lazy_site(PyObject *site)
{
    PyObject *op;
    if (!PyTuple_Check(site) || PyTuple_GET_SIZE(site) < 3) return 0;
    op = PyTuple_GET_ITEM(site, 0);
    int overflow = 0;
    if (op == ops[OP_LAZY]) return 1;
    return PyLong_CheckExact(op) && PyLong_AsLongAndOverflow(op, &overflow) == OP_LAZY;
}

/* The plain case of one chunk (a tape of lazies only): each lazy's chunk found or made
 * pending and linked, the chunk fulfilled with value; is_dev: the tape's dev flag.  0, or
 * -1 with an exception. */
static int
settle_sites(Reviver *R, PyObject *owner, PyObject *chunk, PyObject *value, PyObject *tape,
             PyObject *chunks, PyObject *const *statuses, int is_dev)
{
    PyObject *links;
    int r = -1;
    /* (Resolver._settle_plain leaves an empty tape's chunk without links; the walk's
     * inlined copy gives it an empty list: each keeps its own) */
    if (PyList_GET_SIZE(tape) == 0 && statuses[3] == Py_False) {
        links = NULL;
        goto settle;
    }
    links = chunk_get(R, chunk, C_LINKS);
    if (links == NULL) return -1;
    if (links == Py_None) {
        Py_SETREF(links, PyList_New(0));
        if (links == NULL || chunk_set(R, chunk, C_LINKS, links) < 0) goto done;
    }
    if (!PyList_Check(links)) {
        PyErr_SetString(PyExc_TypeError, "resolve_all: a chunk's links are not a list");
        goto done;
    }
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(tape); i++) {
        PyObject *site = PyList_GET_ITEM(tape, i);
        PyObject *id = PyTuple_GET_ITEM(site, 2), *lazy = PyTuple_GET_ITEM(site, 1);
        PyObject *target = PyDict_GetItemWithError(chunks, id);
        int failed;
        if (target != NULL) {
            Py_INCREF(target);
        } else {
            PyObject *args[C_LINKS] = {statuses[0], Py_None, Py_None, id, owner};
            if (PyErr_Occurred()) goto done;
            if ((target = R->chunk_cls->tp_alloc(R->chunk_cls, 0)) == NULL) goto done;
            for (int k = 0; k < C_LINKS; k++) fill_slot(target, R->chunk_slots[k], args[k]);
            fill_slot(target, R->chunk_slots[C_LINKS], Py_None);
            if (PyDict_SetItem(chunks, id, target) < 0) {
                Py_DECREF(target);
                goto done;
            }
        }
        failed = PyList_Append(links, target) < 0;
        if (!failed && Py_TYPE(lazy) == R->lazy_cls) {
            PyObject **at = (PyObject **)((char *)lazy + R->lazy_slot);
            Py_XSETREF(*at, Py_NewRef(target));
        } else if (!failed) {
            failed = PyObject_SetAttr(lazy, s_promise, target) < 0;
        }
        Py_DECREF(target);
        if (failed) goto done;
    }
settle:
    if (is_dev && PyObject_SetAttr(owner, s_dev, Py_True) < 0) goto done;
    r = chunk_set(R, chunk, C_STATUS, statuses[2]);
    if (r == 0) r = chunk_set(R, chunk, C_VALUE, value);
    if (r == 0) r = chunk_set(R, chunk, C_REASON, Py_None);
done:
    Py_XDECREF(links);
    return r;
}

/* settle_sites for a phase-1 result (holder, tape): its value holder[""], its dev flag
 * the tape's attribute.  0, or -1. */
static int
settle_plain(Reviver *R, PyObject *owner, PyObject *chunk, PyObject *holder, PyObject *tape,
             PyObject *chunks, PyObject *const *statuses)
{
    PyObject *dev, *value;
    int is_dev, r;
    if ((dev = PyObject_GetAttr(tape, s_dev)) == NULL) return -1;
    is_dev = PyObject_IsTrue(dev);
    Py_DECREF(dev);
    if (is_dev < 0) return -1;
    value = PyDict_GetItemWithError(holder, s_empty);
    if (value == NULL) {
        if (!PyErr_Occurred()) PyErr_SetString(PyExc_KeyError, "resolve_all: no root value");
        return -1;
    }
    Py_INCREF(value);
    r = settle_sites(R, owner, chunk, value, tape, chunks, statuses, is_dev);
    Py_DECREF(value);
    return r;
}

/* The holder and tape a stored row is read into by the replay and the walk: one pair per
 * call, reused from row to row while nothing else holds them (a row of plain values and
 * lazies, the commonest, leaves neither anywhere), given away with a row that needs its
 * replay.  Both owned, or NULL. */
typedef struct {
    PyObject *holder, *tape;
} Scratch;

static void
scratch_clear(Scratch *sc)
{
    Py_CLEAR(sc->holder);
    Py_CLEAR(sc->tape);
}

/* After a plain row: the pair kept for the next row when only sc holds them (the tape
 * emptied: its attributes were never written, see read_row), else dropped.  0, or -1. */
static int
scratch_reset(Scratch *sc)
{
    if (Py_REFCNT(sc->holder) != 1 || Py_REFCNT(sc->tape) != 1 ||
        PyDict_GET_SIZE(sc->holder) != 1) {
        scratch_clear(sc);
        return 0;
    }
    if (PyList_GET_SIZE(sc->tape) == 0) return 0;
    return PyList_SetSlice(sc->tape, 0, PyList_GET_SIZE(sc->tape), NULL);
}

/* A stored row's phase 1, revive_text's work into sc's holder and tape, without the
 * (holder, tape) tuple.  1: read, its root value in *root (new), *plain whether the tape
 * holds lazies only (then the tape's attributes are left unwritten and *dev has its dev
 * flag; else the holder and the tape are as revive_text leaves them); 0: the reference
 * must decode the row (sc dropped); -1: an exception that must not be swallowed (or the
 * chunk has no value). */
static int
read_row(Reviver *R, Scratch *sc, PyObject *chunk, PyObject **root, int *plain, int *dev)
{
    PyObject *text;
    State st;
    int r = 0;
    *root = NULL;
    if ((text = chunk_get(R, chunk, C_VALUE)) == NULL) return -1;
    if (!PyUnicode_CheckExact(text) || PyUnicode_READY(text) < 0) goto done;
    if (sc->holder == NULL && (sc->holder = PyDict_New()) == NULL) goto done;
    if (sc->tape == NULL) {
        PyTypeObject *cls = (PyTypeObject *)R->tape_cls;
        sc->tape = R->tape_plain ? cls->tp_alloc(cls, 0) : PyObject_CallNoArgs(R->tape_cls);
        if (sc->tape == NULL || !PyList_Check(sc->tape)) goto done;
    }
    if (PyDict_SetItem(sc->holder, s_empty, Py_None) < 0) goto done;
    state_start(&st, R, text);
    st.tape = sc->tape;
    st.holder = sc->holder;
    if (parse(&st, root) == 0) {
        *plain = st.last_store < 0;  /* (a lazy is no store: one means another site) */
        for (Py_ssize_t i = 0; i < PyList_GET_SIZE(st.tape) && *plain; i++)
            *plain = is_lazy_site(PyList_GET_ITEM(st.tape, i));
        *dev = st.dev;
        if (*plain || (PyDict_SetItem(st.holder, s_empty, *root) == 0 && finish_tape(&st) == 0))
            r = 1;
    }
    while (st.depth > 0) clear_frame(&st.frames[--st.depth]);
    if (st.frames != st.local) PyMem_Free(st.frames);
    PyMem_Free(st.buf);
    Py_XDECREF(st.s_obj);
done:
    Py_XDECREF(text);
    if (r == 1) return 1;
    Py_CLEAR(*root);
    scratch_clear(sc);
    if (PyErr_Occurred()) {
        if (!PyErr_ExceptionMatches(PyExc_Exception)) return -1; /* KeyboardInterrupt... */
        PyErr_Clear();
    }
    return 0;
}

/* The (holder, tape) of a row read_row read that is not plain: sc's pair, given away
 * (the root was stored in the holder).  A new reference, or NULL. */
static PyObject *
scratch_decoded(Scratch *sc)
{
    PyObject *decoded = PyTuple_Pack(2, sc->holder, sc->tape);
    scratch_clear(sc);
    return decoded;
}

/* One chunk of the walk: parsed (plain, or handed to initialize) if it is a model not
 * read yet.  0, or -1 with an exception. */
static int
resolve_one(Reviver *R, PyObject *owner, PyObject *chunk, PyObject *chunks,
            PyObject *initialize, PyObject *refused, PyObject *const *statuses, Scratch *sc)
{
    PyObject *status, *root, *decoded, *res;
    int resolved, plain = 0, dev = 0, read;
    if ((status = chunk_get(R, chunk, C_STATUS)) == NULL) return -1;
    resolved = status == statuses[1]   ? 1
               : status == statuses[2] ? 0  /* (fulfilled: the commonest, read already) */
                                       : PyObject_RichCompareBool(status, statuses[1], Py_EQ);
    Py_DECREF(status);
    if (resolved <= 0) return resolved;
    if ((read = read_row(R, sc, chunk, &root, &plain, &dev)) < 0) return -1;
    if (read && plain) {
        int r = settle_sites(R, owner, chunk, root, sc->tape, chunks, statuses, dev);
        Py_DECREF(root);
        return r < 0 ? -1 : scratch_reset(sc);
    }
    if (read) {
        Py_DECREF(root);
        if ((decoded = scratch_decoded(sc)) == NULL) return -1;
    } else {
        decoded = Py_NewRef(refused);
    }
    res = PyObject_CallFunctionObjArgs(initialize, chunk, decoded, NULL);
    Py_DECREF(decoded);
    Py_XDECREF(res);
    return res == NULL ? -1 : 0;
}

/* Mention target in the links of current (get_chunk's record, in document order, for
 * resolve_all); *links caches current's list between calls (owned).  0, or -1. */
static int
mention(Reviver *R, PyObject *current, PyObject **links, PyObject *target)
{
    if (current == Py_None) return 0;
    if (*links == NULL && (*links = chunk_get(R, current, C_LINKS)) == NULL) return -1;
    if (*links == Py_None) {
        Py_SETREF(*links, PyList_New(0));
        if (*links == NULL || chunk_set(R, current, C_LINKS, *links) < 0) return -1;
    }
    if (!PyList_Check(*links)) {
        PyErr_SetString(PyExc_TypeError, "link_lazies: a chunk's links are not a list");
        return -1;
    }
    return PyList_Append(*links, target);
}

/* The run of lazy sites of the tape from ``at`` linked (see Reviver_link_lazies); the
 * index of the first site that is not a lazy, or -1 with an exception. */
static Py_ssize_t
link_run(Reviver *R, PyObject *owner, PyObject *tape, Py_ssize_t at, PyObject *chunks,
         PyObject *current, PyObject *pending, PyObject **links)
{
    for (; at < PyList_GET_SIZE(tape); at++) {
        PyObject *site = PyList_GET_ITEM(tape, at), *id, *lazy, *target;
        int failed;
        if (!is_lazy_site(site)) break;
        Py_INCREF(site);
        id = PyTuple_GET_ITEM(site, 2);
        lazy = PyTuple_GET_ITEM(site, 1);
        target = PyDict_GetItemWithError(chunks, id);
        if (target != NULL) {
            Py_INCREF(target);
        } else if (!PyErr_Occurred()) {
            PyObject *fields[C_LINKS] = {pending, Py_None, Py_None, id, owner};
            target = R->chunk_cls->tp_alloc(R->chunk_cls, 0);
            if (target != NULL) {
                for (int k = 0; k < C_LINKS; k++) fill_slot(target, R->chunk_slots[k], fields[k]);
                fill_slot(target, R->chunk_slots[C_LINKS], Py_None);
                if (PyDict_SetItem(chunks, id, target) < 0) Py_CLEAR(target);
            }
        }
        failed = target == NULL || mention(R, current, links, target) < 0;
        if (!failed && Py_TYPE(lazy) == R->lazy_cls) {
            PyObject **slot = (PyObject **)((char *)lazy + R->lazy_slot);
            Py_XSETREF(*slot, Py_NewRef(target));
        } else if (!failed) {
            failed = PyObject_SetAttr(lazy, s_promise, target) < 0;
        }
        Py_XDECREF(target);
        Py_DECREF(site);
        if (failed) return -1;
    }
    return at;
}

/* link_lazies(owner, tape, at, chunks, current, pending) -> index: the run of lazy sites
 * of the tape from ``at`` linked, as Resolver._link_lazies links them (each lazy's chunk
 * found or made pending, mentioned in current's links when a chunk is being read); the
 * index of the first site that is not a lazy (len(tape): none). */
static PyObject *
Reviver_link_lazies(Reviver *R, PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *links = NULL;
    Py_ssize_t at;
    if (nargs != 6 || R->chunk_cls == NULL || !PyList_Check(args[1]) || !PyDict_Check(args[3]))
        return PyErr_Format(PyExc_TypeError, "link_lazies: bad arguments");
    if ((at = PyLong_AsSsize_t(args[2])) < 0) {
        if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "link_lazies: at < 0");
        return NULL;
    }
    at = link_run(R, args[0], args[1], at, args[3], args[4], args[5], &links);
    Py_XDECREF(links);
    return at < 0 ? NULL : PyLong_FromSsize_t(at);
}

/* settle_plain(owner, chunk, decoded, chunks, (pending, resolved, fulfilled)) -> bool:
 * Resolver._settle_plain in C (chunk fulfilled from its phase-1 result when its tape holds
 * lazies only; False, nothing done, for any other site). */
static PyObject *
Reviver_settle_plain(Reviver *R, PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *decoded, *tape, *statuses[4];
    if (nargs != 5 || R->chunk_cls == NULL || !PyTuple_Check(args[2]) ||
        PyTuple_GET_SIZE(args[2]) != 2 || !PyDict_Check(args[0 + 3]) ||
        !PyTuple_Check(args[4]) || PyTuple_GET_SIZE(args[4]) != 3 ||
        !PyDict_Check(PyTuple_GET_ITEM(args[2], 0)) || !PyList_Check(PyTuple_GET_ITEM(args[2], 1)))
        return PyErr_Format(PyExc_TypeError, "settle_plain: bad arguments");
    decoded = args[2];
    tape = PyTuple_GET_ITEM(decoded, 1);
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(tape); i++) {
        if (!is_lazy_site(PyList_GET_ITEM(tape, i))) Py_RETURN_FALSE;
    }
    for (int k = 0; k < 3; k++) statuses[k] = PyTuple_GET_ITEM(args[4], k);
    statuses[3] = Py_False;
    if (settle_plain(R, args[0], args[1], PyTuple_GET_ITEM(decoded, 0), tape, args[3],
                     statuses) < 0)
        return NULL;
    Py_RETURN_TRUE;
}

/* -- the replay's plain sites (the twin of _references.replay's loop) ------------------- */

static PyObject *s_handler, *s_budget, *s_left, *s_built, *s_initialize, *s_current, *s_chunks;
static PyObject *s_init_depth, *s_limits, *s_max_depth;

/* One call of Reviver.replay.  What it reads of the resolver is read once and kept here
 * (the budget's ``left``, the initialisation depth and its limit, the memo of built values,
 * the open handler): a reference to a tiny row read them all, and their attribute reads
 * and writes were a third of its cost.  The budget is written back before every call into
 * Python and at the end, and everything is read again after such a call, so the Python
 * side always sees, and the C side always uses, the true values. */
typedef struct {
    Reviver *R;
    PyObject *owner, *chunks, *current, *budget;  /* the last three owned */
    PyObject *const *env;  /* (pending, resolved, fulfilled, follow) */
    PyObject *links;       /* current's links (owned, NULL: not read yet) */
    PyObject *built;       /* owner._built (owned, NULL: not read yet) */
    PyObject *handler;     /* owner._handler (owned, NULL: not read yet) */
    Scratch sc;            /* the stored rows' holder and tape */
    Py_ssize_t left;       /* budget.left, when has_left (>= 0) */
    Py_ssize_t depth, most; /* owner._init_depth, owner.limits.max_depth, when has_depth */
    char has_left, dirty, has_depth;
} Replay;

/* budget.left in *have: 1; 0 when it is not a count read here (a negative or big number,
 * or not an int: the Python side decides); -1 with an exception. */
static int
rp_left(Replay *rp, Py_ssize_t *have)
{
    if (!rp->has_left) {
        PyObject *left = PyObject_GetAttr(rp->budget, s_left);
        Py_ssize_t v;
        if (left == NULL) return -1;
        v = PyLong_Check(left) ? PyLong_AsSsize_t(left) : -1;
        Py_DECREF(left);
        if (v < 0) {
            PyErr_Clear();
            return 0;
        }
        rp->left = v;
        rp->has_left = 1;
    }
    *have = rp->left;
    return 1;
}

/* units charged (rp_left said 1, and units <= left). */
static void
rp_spend(Replay *rp, Py_ssize_t units)
{
    rp->left -= units;
    rp->dirty = 1;
}

/* Before a call into Python: the budget written back.  0, or -1. */
static int
rp_sync(Replay *rp)
{
    PyObject *now;
    int r;
    if (!rp->dirty) return 0;
    if ((now = PyLong_FromSsize_t(rp->left)) == NULL) return -1;
    r = PyObject_SetAttr(rp->budget, s_left, now);
    Py_DECREF(now);
    if (r == 0) rp->dirty = 0;
    return r;
}

/* After a call into Python: whatever it may have changed read again when next needed. */
static void
rp_forget(Replay *rp)
{
    rp->has_left = 0;
    rp->has_depth = 0;
    Py_CLEAR(rp->built);
    Py_CLEAR(rp->handler);
}

/* A call into Python, fn(args...) (vectorcall), between rp_sync and rp_forget. */
static PyObject *
rp_call(Replay *rp, PyObject *fn, PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *res;
    if (rp_sync(rp) < 0) return NULL;
    res = PyObject_Vectorcall(fn, args, (size_t)nargs, NULL);
    rp_forget(rp);
    return res;
}

/* owner.initialize(chunk[, decoded]): 0, or -1. */
static int
rp_initialize(Replay *rp, PyObject *chunk, PyObject *decoded)
{
    PyObject *args[3] = {rp->owner, chunk, decoded}, *res;
    if (rp_sync(rp) < 0) return -1;
    res = PyObject_VectorcallMethod(s_initialize, args, decoded == NULL ? 2 : 3, NULL);
    rp_forget(rp);
    Py_XDECREF(res);
    return res == NULL ? -1 : 0;
}

/* _references._put: value stored at parent[key] (undefined removes an object's key; under
 * React 19's rules an object never keeps "__proto__").  0, or -1. */
static int
put_value(Reviver *R, PyObject *parent, PyObject *key, PyObject *value)
{
    if (PyList_CheckExact(parent)) {
        Py_ssize_t i = PyLong_CheckExact(key) ? PyLong_AsSsize_t(key) : -1;
        if (i >= 0 && i < PyList_GET_SIZE(parent))  /* (the site's own index: the commonest) */
            return PyList_SetItem(parent, i, Py_NewRef(value));
        if (PyErr_Occurred()) PyErr_Clear();
        return PyObject_SetItem(parent, key, value);
    }
    if (value == R->undefined) {
        if (PyObject_DelItem(parent, key) == 0) return 0;
        if (!PyErr_ExceptionMatches(PyExc_KeyError)) return -1;
        PyErr_Clear();
        return 0;
    }
    if (R->rules19 && PyUnicode_Check(key) && PyUnicode_Compare(key, s_proto) == 0) return 0;
    return PyObject_SetItem(parent, key, value);
}

/* Two strs equal (both exact and ready). */
static int
same_str(PyObject *a, PyObject *b)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(a);
    int kind = PyUnicode_KIND(a);
    return a == b || (n == PyUnicode_GET_LENGTH(b) && kind == PyUnicode_KIND(b) &&
                      memcmp(PyUnicode_DATA(a), PyUnicode_DATA(b), (size_t)n * kind) == 0);
}

/* Up to this many items, a Set's or a Map's duplicates are found by comparing each item
 * with those before it (no set or index made: most are a handful of items). */
#define FEW_ITEMS 16

/* JSSet.from_values(items) for a list of strings only (SameValueZero on strings is their
 * equality); NULL with no error: another kind of item (the function builds it). */
static PyObject *
set_of_strings(Reviver *R, PyObject *items)
{
    PyObject *out, *seen = NULL, *set = NULL;
    Py_ssize_t n = PyList_GET_SIZE(items), kept = 0;
    char keep[FEW_ITEMS];
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = PyList_GET_ITEM(items, i);
        if (!PyUnicode_CheckExact(item) || !PyUnicode_IS_READY(item)) return NULL;
    }
    if (n <= FEW_ITEMS) {
        for (Py_ssize_t i = 0; i < n; i++) {
            PyObject *item = PyList_GET_ITEM(items, i);
            keep[i] = 1;
            for (Py_ssize_t j = 0; j < i && keep[i]; j++)
                keep[i] = !(keep[j] && same_str(PyList_GET_ITEM(items, j), item));
            kept += keep[i];
        }
        if ((out = PyList_New(kept)) == NULL) return NULL;
        for (Py_ssize_t i = 0, k = 0; i < n; i++)
            if (keep[i]) PyList_SET_ITEM(out, k++, Py_NewRef(PyList_GET_ITEM(items, i)));
        goto made;
    }
    if ((out = PyList_New(0)) == NULL) return NULL;
    if ((seen = PySet_New(NULL)) == NULL) goto done;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(items); i++) {
        PyObject *item = PyList_GET_ITEM(items, i);
        int had = PySet_Contains(seen, item);
        if (had < 0 || (!had && (PySet_Add(seen, item) < 0 || PyList_Append(out, item) < 0)))
            goto done;
    }
made:
    if ((set = R->set_cls->tp_alloc(R->set_cls, 0)) != NULL) fill_slot(set, R->set_slot, out);
done:
    Py_XDECREF(seen);
    Py_DECREF(out);
    return set;
}

/* map_of_strings's entry for key and value: a later entry with an earlier key replaces
 * that entry's value, in place (index: key -> position, or NULL: compare with each entry
 * before).  0, or -1. */
static int
map_entry(PyObject *out, PyObject *index, PyObject *key, PyObject *value)
{
    PyObject *entry, *at;
    Py_ssize_t k = -1;
    if (index == NULL) {
        for (Py_ssize_t j = 0; j < PyList_GET_SIZE(out) && k < 0; j++)
            if (same_str(PyTuple_GET_ITEM(PyList_GET_ITEM(out, j), 0), key)) k = j;
    } else if ((at = PyDict_GetItemWithError(index, key)) != NULL) {
        k = PyLong_AsSsize_t(at);
        if (k < 0 || k >= PyList_GET_SIZE(out)) return -1;
    } else if (PyErr_Occurred()) {
        return -1;
    }
    if (k >= 0) {
        entry = PyTuple_Pack(2, PyTuple_GET_ITEM(PyList_GET_ITEM(out, k), 0), value);
        return entry == NULL ? -1 : PyList_SetItem(out, k, entry);  /* (steals entry) */
    }
    if (index != NULL) {
        PyObject *pos = PyLong_FromSsize_t(PyList_GET_SIZE(out));
        int r = pos == NULL ? -1 : PyDict_SetItem(index, key, pos);
        Py_XDECREF(pos);
        if (r < 0) return -1;
    }
    if ((entry = PyTuple_Pack(2, key, value)) == NULL) return -1;
    k = PyList_Append(out, entry);
    Py_DECREF(entry);
    return (int)k;
}

/* JSMap.from_entries(pairs) when every pair is a list of one or two+ items whose key is a
 * string; NULL with no error: any other pair (the function builds it). */
static PyObject *
map_of_strings(Reviver *R, PyObject *pairs)
{
    PyObject *out, *index = NULL, *map = NULL;
    Py_ssize_t n = PyList_GET_SIZE(pairs);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *pair = PyList_GET_ITEM(pairs, i);
        if (!PyList_CheckExact(pair) || PyList_GET_SIZE(pair) < 1 ||
            !PyUnicode_CheckExact(PyList_GET_ITEM(pair, 0)) ||
            !PyUnicode_IS_READY(PyList_GET_ITEM(pair, 0)))
            return NULL;
    }
    if ((out = PyList_New(0)) == NULL) return NULL;
    if (n > FEW_ITEMS && (index = PyDict_New()) == NULL) goto done;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(pairs); i++) {
        PyObject *pair = PyList_GET_ITEM(pairs, i), *key, *value;
        int r;
        if (!PyList_CheckExact(pair) || PyList_GET_SIZE(pair) < 1) {  /* (changed meanwhile) */
            PyErr_SetString(PyExc_RuntimeError, "replay: a Map's entries changed");
            goto done;
        }
        key = Py_NewRef(PyList_GET_ITEM(pair, 0));
        value = Py_NewRef(PyList_GET_SIZE(pair) > 1 ? PyList_GET_ITEM(pair, 1) : R->undefined);
        r = map_entry(out, index, key, value);
        Py_DECREF(key);
        Py_DECREF(value);
        if (r < 0) {
            if (!PyErr_Occurred()) PyErr_SetString(PyExc_RuntimeError, "replay: a Map's index");
            goto done;
        }
    }
    if ((map = R->map_cls->tp_alloc(R->map_cls, 0)) != NULL) fill_slot(map, R->map_slot, out);
done:
    Py_XDECREF(index);
    Py_DECREF(out);
    return map;
}

/* charge_build then build(value, parent, key): a node per entry of a list or dict (one
 * for any other value) charged to the budget, a Set of strings or a Map with string keys
 * made here.  NULL with no error: left to the Python side (a Blob, whose bytes are charged
 * too; a charge that would overdraw the budget, which raises there). */
static PyObject *
charge_and_build(Replay *rp, PyObject *value, PyObject *build, PyObject *parent, PyObject *key)
{
    Reviver *R = rp->R;
    PyObject *result = NULL;
    Py_ssize_t have, units;
    int known;
    if (build == R->builds['B']) return NULL;
    if ((known = rp_left(rp, &have)) <= 0) return NULL;  /* (-1: with its exception) */
    units = PyList_CheckExact(value) ? PyList_GET_SIZE(value)
            : PyDict_CheckExact(value) ? PyDict_GET_SIZE(value) : 1;
    if (have - units < 0) return NULL;
    rp_spend(rp, units);
    if (PyList_CheckExact(value) && build == R->builds['W'] && R->set_cls != NULL)
        result = set_of_strings(R, value);
    else if (PyList_CheckExact(value) && build == R->builds['Q'] && R->map_cls != NULL)
        result = map_of_strings(R, value);
    if (result == NULL && !PyErr_Occurred()) {
        PyObject *args[3] = {value, parent, key};
        result = rp_call(rp, build, args, 3);
    }
    if (result == NULL && !PyErr_Occurred()) PyErr_SetString(PyExc_SystemError, "build: NULL");
    return result;
}

/* _built_once for a list or dict value (built once per value and build function); NULL
 * with no error: the cases left to _references.follow (see charge_and_build). */
static PyObject *
built_once(Replay *rp, PyObject *value, PyObject *build, PyObject *parent, PyObject *key)
{
    PyObject *slot, *memo, *ident, *result = NULL;
    if (build == rp->R->builds['B']) return NULL;  /* a Blob's bytes are charged too */
    if (rp->built == NULL && (rp->built = PyObject_GetAttr(rp->owner, s_built)) == NULL)
        return NULL;
    if (!PyDict_Check(rp->built)) return NULL;
    ident = PyLong_FromVoidPtr(value);
    slot = ident == NULL ? NULL : PyTuple_Pack(2, ident, build);
    Py_XDECREF(ident);
    if (slot == NULL) return NULL;
    memo = PyDict_GetItemWithError(rp->built, slot);
    if (memo != NULL && PyTuple_CheckExact(memo) && PyTuple_GET_SIZE(memo) == 2) {
        result = Py_NewRef(PyTuple_GET_ITEM(memo, 1));
    } else if (memo == NULL && !PyErr_Occurred()) {
        PyObject *built = Py_NewRef(rp->built);  /* (a build in Python may forget it) */
        result = charge_and_build(rp, value, build, parent, key);
        if (result != NULL) {
            PyObject *entry = PyTuple_Pack(2, value, result);
            if (entry == NULL || PyDict_SetItem(built, slot, entry) < 0) Py_CLEAR(result);
            Py_XDECREF(entry);
        }
        Py_DECREF(built);
    }
    Py_DECREF(slot);
    return result;
}

/* Resolver.initialize(chunk) for a chunk whose row is stored: a row of plain values and
 * lazies (the commonest a reference reads) settled here, as its settle path does; any
 * other row (or a depth at the limit, a row the native phase 1 leaves to the reference)
 * by owner.initialize.  0, or -1. */
static int
initialize_stored(Replay *rp, PyObject *chunk)
{
    PyObject *root, *decoded, *statuses[4];
    int plain = 0, dev = 0, read, r;
    if (!rp->has_depth) {
        PyObject *depth, *limits, *most;
        if ((depth = PyObject_GetAttr(rp->owner, s_init_depth)) == NULL) return -1;
        rp->depth = PyLong_Check(depth) ? PyLong_AsSsize_t(depth) : -1;
        Py_DECREF(depth);
        if ((limits = PyObject_GetAttr(rp->owner, s_limits)) == NULL) return -1;
        most = PyObject_GetAttr(limits, s_max_depth);
        Py_DECREF(limits);
        if (most == NULL) return -1;
        rp->most = PyLong_Check(most) ? PyLong_AsSsize_t(most) : -1;
        Py_DECREF(most);
        if (PyErr_Occurred()) PyErr_Clear();
        rp->has_depth = 1;
    }
    if (rp->depth < 0 || rp->most < 0 || rp->depth + 1 > rp->most)
        return rp_initialize(rp, chunk, NULL);  /* (initialize raises its limit) */
    if ((read = read_row(rp->R, &rp->sc, chunk, &root, &plain, &dev)) < 0) return -1;
    if (!read) return rp_initialize(rp, chunk, NULL);
    if (plain) {
        for (int k = 0; k < 3; k++) statuses[k] = rp->env[k];
        statuses[3] = Py_False;  /* (Resolver._settle_plain's links, not the walk's) */
        r = settle_sites(rp->R, rp->owner, chunk, root, rp->sc.tape, rp->chunks, statuses, dev);
        Py_DECREF(root);
        return r < 0 ? -1 : scratch_reset(&rp->sc);
    }
    Py_DECREF(root);  /* (held by the holder) */
    if ((decoded = scratch_decoded(&rp->sc)) == NULL) return -1;
    r = rp_initialize(rp, chunk, decoded);  /* its phase 1 done: initialize goes on */
    Py_DECREF(decoded);
    return r;
}

/* The value a REF site's chunk gives in C (status fulfilled), or NULL with no error: the
 * cases left to the rule set's follow function. */
static PyObject *
ref_value(Replay *rp, PyObject *chunk, Py_ssize_t np, PyObject *build, PyObject *parent,
          PyObject *key)
{
    Reviver *R = rp->R;
    PyObject *value, *result = NULL;
    if (np != 1 && R->rules19) return NULL;
    if ((value = chunk_get(R, chunk, C_VALUE)) == NULL) return NULL;
    if (!R->rules19) {  /* the value as it is, or built anew */
        if (build == R->create_model)
            result = Py_NewRef(value);
        else
            result = charge_and_build(rp, value, build, parent, key);
    } else if (PyList_CheckExact(value) || PyDict_CheckExact(value)) {  /* (not a lazy) */
        if (build == R->create_model)
            result = Py_NewRef(value);
        else
            result = built_once(rp, value, build, parent, key);
    } else if (build == R->create_model && !PyObject_TypeCheck(value, R->lazy_cls)) {
        result = Py_NewRef(value);
    }
    Py_DECREF(value);
    return result;
}

/* One REF site: under React 19's rules (outlined_19) the hop charged, the chunk read
 * (initialized through owner.initialize when its row is stored), the plain value or the
 * value built once stored; under React 18.3's (_Rules18.outlined) the same with no charge
 * for the hop and the value built anew.  Any other case goes to the rule set's follow
 * function (env[3]).  1: done, 0: nothing done (the Python replay takes the site: a
 * missing chunk, an overdraft), -1. */
static int
replay_ref(Replay *rp, PyObject *site)
{
    Reviver *R = rp->R;
    PyObject *parent, *key, *id, *path, *build, *chunk, *status, *result = NULL;
    Py_ssize_t have, np;
    int r, stored;
    if (PyTuple_GET_SIZE(site) != 7) return 0;
    parent = PyTuple_GET_ITEM(site, 1);
    key = PyTuple_GET_ITEM(site, 2);
    id = PyTuple_GET_ITEM(site, 3);
    path = PyTuple_GET_ITEM(site, 4);
    build = PyTuple_GET_ITEM(site, 5);
    if (!PyList_CheckExact(path) || Py_TYPE(rp->budget)->tp_setattro == NULL) return 0;
    np = PyList_GET_SIZE(path);
    if ((chunk = PyDict_GetItemWithError(rp->chunks, id)) == NULL) return PyErr_Occurred() ? -1 : 0;
    if ((r = rp_left(rp, &have)) <= 0) return r;  /* 0: the Python side raises (or reads it) */
    if (have - np < 0) return 0;
    Py_INCREF(chunk);
    if (R->rules19) rp_spend(rp, np);  /* (18.3: no paths, nothing charged for the hop) */
    if (mention(R, rp->current, &rp->links, chunk) < 0) goto fail;
    if ((status = chunk_get(R, chunk, C_STATUS)) == NULL) goto fail;
    stored = status == rp->env[1]   ? 1
             : status == rp->env[2] ? 0  /* (fulfilled: read already) */
                                    : PyObject_RichCompareBool(status, rp->env[1], Py_EQ);
    if (stored) {  /* a stored row: initialized (or an error) */
        Py_DECREF(status);
        if (stored < 0 || initialize_stored(rp, chunk) < 0) goto fail;
        if ((status = chunk_get(R, chunk, C_STATUS)) == NULL) goto fail;
    }
    if (status == rp->env[2]) result = ref_value(rp, chunk, np, build, parent, key);
    Py_DECREF(status);
    if (result == NULL && PyErr_Occurred()) goto fail;
    if (result == NULL) {
        PyObject *args[8] = {rp->owner, chunk, id, path, parent, key, build, PyTuple_GET_ITEM(site, 6)};
        if ((result = rp_call(rp, rp->env[3], args, 8)) == NULL) goto fail;
    }
    r = put_value(R, parent, key, result) < 0 ? -1 : 1;
    Py_DECREF(result);
    Py_DECREF(chunk);
    return r;
fail:
    Py_DECREF(chunk);
    return -1;
}

/* An EXIT site of an element tuple with no dev fields, outside any scope: the element
 * built and stored (the first case of _references._exit).  1: done, 0: not this case, -1. */
static int
replay_exit(Reviver *R, PyObject *site, PyObject *handler)
{
    PyObject *container, *element;
    int dev = 0, r;
    if (handler != Py_None || PyTuple_GET_SIZE(site) != 5 ||
        PyTuple_GET_ITEM(site, 4) != shapes[LIST_ELEMENT])
        return 0;
    container = PyTuple_GET_ITEM(site, 3);
    if (!PyList_CheckExact(container) || PyList_GET_SIZE(container) != 4) return 0;
    Py_INCREF(container);
    element = new_element(R, &PyList_GET_ITEM(container, 1), 3, &dev);
    Py_DECREF(container);
    if (element == NULL) return -1;
    r = put_value(R, PyTuple_GET_ITEM(site, 1), PyTuple_GET_ITEM(site, 2), element);
    Py_DECREF(element);
    return r < 0 ? -1 : 1;
}

/* The sites of the tape from at performed (see Reviver_replay): the index of the first
 * site left to the Python replay, or -1 with an exception. */
static Py_ssize_t
replay_sites(Replay *rp, PyObject *tape, Py_ssize_t at)
{
    while (at < PyList_GET_SIZE(tape)) {
        PyObject *site = PyList_GET_ITEM(tape, at), *op;
        int done;
        if (!PyTuple_CheckExact(site) || PyTuple_GET_SIZE(site) < 1) break;
        op = PyTuple_GET_ITEM(site, 0);
        if (op == ops[OP_LAZY]) {
            at = link_run(rp->R, rp->owner, tape, at, rp->chunks, rp->current, rp->env[0],
                          &rp->links);
            if (at < 0) return -1;
            continue;
        }
        if (op == ops[OP_REF]) {
            Py_INCREF(site);
            done = replay_ref(rp, site);
            Py_DECREF(site);
        } else if (op == ops[OP_ENTER] || op == ops[OP_EXIT]) {
            if (rp->handler == NULL &&
                (rp->handler = PyObject_GetAttr(rp->owner, s_handler)) == NULL)
                return -1;
            if (op == ops[OP_ENTER]) {
                done = rp->handler == Py_None;  /* no scope open: nothing to do */
            } else {
                Py_INCREF(site);
                done = replay_exit(rp->R, site, rp->handler);
                Py_DECREF(site);
            }
        } else {
            break;
        }
        if (done < 0) return -1;
        if (done == 0) break;
        at++;
    }
    return at;
}

/* replay(owner, tape, at, (pending, resolved, fulfilled, follow)) -> index: the sites of
 * the tape from ``at`` that _references.replay would perform with no scope, wait or error
 * involved, performed; the index of the first site left to it.  The rules are the
 * reviver's (its context's, the resolver's rule set's), follow the rule set's. */
static PyObject *
Reviver_replay(Reviver *R, PyObject *const *args, Py_ssize_t nargs)
{
    Replay rp;
    Py_ssize_t at;
    if (nargs != 4 || R->chunk_cls == NULL || !PyList_Check(args[1]) ||
        !PyTuple_Check(args[3]) || PyTuple_GET_SIZE(args[3]) != 4)
        return PyErr_Format(PyExc_TypeError, "replay: bad arguments");
    if ((at = PyLong_AsSsize_t(args[2])) < 0) {
        if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "replay: at < 0");
        return NULL;
    }
    memset(&rp, 0, sizeof(rp));
    rp.R = R;
    rp.owner = args[0];
    rp.env = &PyTuple_GET_ITEM(args[3], 0);
    if ((rp.chunks = PyObject_GetAttr(rp.owner, s_chunks)) == NULL ||
        (rp.current = PyObject_GetAttr(rp.owner, s_current)) == NULL ||
        (rp.budget = PyObject_GetAttr(rp.owner, s_budget)) == NULL) {
        at = -1;
    } else if (!PyDict_Check(rp.chunks)) {
        PyErr_SetString(PyExc_TypeError, "replay: chunks is not a dict");
        at = -1;
    } else {
        at = replay_sites(&rp, args[1], at);
    }
    if (rp.dirty) {  /* the budget written back, whatever happened */
        PyObject *type, *value, *tb;
        PyErr_Fetch(&type, &value, &tb);
        if (rp_sync(&rp) < 0) {
            if (type != NULL) PyErr_Clear();
            else at = -1;
        }
        if (type != NULL) PyErr_Restore(type, value, tb);
    }
    scratch_clear(&rp.sc);
    Py_XDECREF(rp.links);
    Py_XDECREF(rp.built);
    Py_XDECREF(rp.handler);
    Py_XDECREF(rp.chunks);
    Py_XDECREF(rp.current);
    Py_XDECREF(rp.budget);
    return at < 0 ? NULL : PyLong_FromSsize_t(at);
}

static PyObject *s_id, *s_payload, *s_rules18, *s_rules19;

/* A fulfilled chunk for id, holding value, stored in chunks.  0, or -1. */
static int
store_fulfilled(Reviver *R, PyObject *owner, PyObject *chunks, PyObject *id, PyObject *value,
                PyObject *fulfilled)
{
    PyObject *made = R->chunk_cls->tp_alloc(R->chunk_cls, 0);
    PyObject *fields[C_LINKS] = {fulfilled, value, Py_None, id, owner};
    int r;
    if (made == NULL) return -1;
    for (int k = 0; k < C_LINKS; k++) fill_slot(made, R->chunk_slots[k], fields[k]);
    fill_slot(made, R->chunk_slots[C_LINKS], Py_None);
    r = PyDict_SetItem(chunks, id, made);
    Py_DECREF(made);
    return r;
}

static Py_ssize_t member(PyTypeObject *cls, const char *name);

/* The client reference of an import row's model, as _builders.client_reference makes it:
 * the array form ``[id, chunks, name, async?]`` built here, slot by slot (the class's
 * slots in ``ref_slots``: id, chunks, name, is_async), anything else by the function. */
static PyObject *
client_ref(PyObject *model, PyObject *client_reference, PyTypeObject *ref_cls,
           const Py_ssize_t *ref_slots)
{
    PyObject *fields[4] = {NULL, NULL, NULL, NULL}, *ref = NULL, *listed;
    Py_ssize_t n;
    int is_async = 0;
    if (ref_cls == NULL || !PyList_CheckExact(model) || (n = PyList_GET_SIZE(model)) < 3)
        return PyObject_CallOneArg(client_reference, model);
    fields[0] = Py_NewRef(PyList_GET_ITEM(model, 0));
    listed = PyList_GET_ITEM(model, 1);
    fields[1] = PyList_Check(listed) ? PyList_AsTuple(listed) : PyTuple_New(0);
    fields[2] = PyObject_Str(PyList_GET_ITEM(model, 2));
    if (n > 3 && (is_async = PyObject_IsTrue(PyList_GET_ITEM(model, 3))) < 0) goto done;
    fields[3] = Py_NewRef(is_async ? Py_True : Py_False);
    if (fields[1] == NULL || fields[2] == NULL) goto done;
    if ((ref = ref_cls->tp_alloc(ref_cls, 0)) == NULL) goto done;
    for (int k = 0; k < 4; k++) fill_slot(ref, ref_slots[k], fields[k]);
done:
    for (int k = 0; k < 4; k++) Py_XDECREF(fields[k]);
    return ref;
}

/* An import row for a new chunk, as Resolver.add takes it (_intake.add_import, for a row
 * whose model is a plain client reference): its model parsed here,
 * with no site to replay, made a client reference (client_ref) and stored as a fulfilled
 * chunk.  1 done, 0 not (the row goes to the Python intake), -1 error. */
static int NOINLINE
add_import(Reviver *R, PyObject *owner, PyObject *row, PyObject *chunks,
           PyObject *client_reference, PyTypeObject *ref_cls, const Py_ssize_t *ref_slots,
           PyObject *const *statuses)
{
    PyObject *id, *payload = NULL, *decoded = NULL, *reference = NULL, *dev, *key;
    int r = -1, known, is_dev;
    if ((id = PyObject_GetAttr(row, s_id)) == NULL) return -1;
    if ((known = PyDict_Contains(chunks, id)) != 0) {
        r = known < 0 ? -1 : 0;
        goto done;
    }
    if ((payload = PyObject_GetAttr(row, s_payload)) == NULL ||
        (decoded = revive_text(R, payload)) == NULL)
        goto done;
    r = 0;
    if (decoded == Py_None || PyList_GET_SIZE(PyTuple_GET_ITEM(decoded, 1)) != 0) goto done;
    r = -1;
    {
        PyObject *model = PyDict_GetItemWithError(PyTuple_GET_ITEM(decoded, 0), s_empty);
        if (model == NULL) {
            if (!PyErr_Occurred()) PyErr_SetString(PyExc_KeyError, "add_rows: no root value");
            goto done;
        }
        if ((reference = client_ref(model, client_reference, ref_cls, ref_slots)) == NULL)
            goto done;
    }
    r = 0;
    if (reference == Py_None) goto done;
    r = -1;
    if ((dev = PyObject_GetAttr(PyTuple_GET_ITEM(decoded, 1), s_dev)) == NULL) goto done;
    is_dev = PyObject_IsTrue(dev);
    Py_DECREF(dev);
    if (is_dev < 0 || (is_dev && PyObject_SetAttr(owner, s_dev, Py_True) < 0)) goto done;
    key = id == Py_None ? s_zero_int : id;  /* React folds no id into 0 */
    if ((known = PyDict_Contains(chunks, key)) != 0) {
        r = known < 0 ? -1 : 0;
        goto done;
    }
    r = store_fulfilled(R, owner, chunks, key, reference, statuses[2]) < 0 ? -1 : 1;
done:
    Py_DECREF(id);
    Py_XDECREF(payload);
    Py_XDECREF(decoded);
    Py_XDECREF(reference);
    return r;
}

/* A text row for a new chunk, as add_text takes it: a fulfilled chunk holding its text.
 * 1 done, 0 not (the row goes to the Python intake), -1 error. */
static int
add_text(Reviver *R, PyObject *owner, PyObject *row, PyObject *chunks, PyObject *fulfilled)
{
    PyObject *id, *key, *payload;
    int r, known;
    if ((id = PyObject_GetAttr(row, s_id)) == NULL) return -1;
    key = id == Py_None ? s_zero_int : id;  /* React folds no id into 0 */
    known = PyDict_Contains(chunks, key);
    if (known != 0) {
        Py_DECREF(id);
        return known < 0 ? -1 : 0;
    }
    if ((payload = PyObject_GetAttr(row, s_payload)) == NULL) {
        Py_DECREF(id);
        return -1;
    }
    r = store_fulfilled(R, owner, chunks, key, payload, fulfilled) < 0 ? -1 : 1;
    Py_DECREF(payload);
    Py_DECREF(id);
    return r;
}

/* The slots add_rows reads of its row classes, checked when a class is first passed (the
 * reviver is shared per context, so once per process in practice): ModelRow's payload and
 * id, the client reference class's REF_SLOTS.  0, or -1 with TypeError. */
static int
rows_classes(Reviver *R, PyTypeObject *model_cls, PyTypeObject *ref_cls)
{
    static const char *const REF_SLOTS[4] = {"id", "chunks", "name", "is_async"};
    if (R->rows_model_cls != model_cls) {
        Py_ssize_t payload = member(model_cls, "payload"), id;
        if (payload < 0 || (id = member(model_cls, "id")) < 0) return -1;
        R->rows_model_slots[0] = payload;
        R->rows_model_slots[1] = id;
        Py_XSETREF(R->rows_model_cls, (PyTypeObject *)Py_NewRef(model_cls));
    }
    if (R->rows_ref_cls != ref_cls) {
        Py_ssize_t slots[4];
        for (int k = 0; k < 4; k++) {  /* (the class's own slots, checked as the reviver's) */
            if ((slots[k] = member(ref_cls, REF_SLOTS[k])) < 0) return -1;
        }
        memcpy(R->rows_ref_slots, slots, sizeof slots);
        Py_XSETREF(R->rows_ref_cls, (PyTypeObject *)Py_NewRef(ref_cls));
    }
    return 0;
}

/* A ModelRow's slot (new reference), read by its offset; as getattr when it is unset
 * (AttributeError). */
static inline PyObject *
row_slot(PyObject *row, Py_ssize_t offset, PyObject *name)
{
    PyObject *v = *(PyObject **)((char *)row + offset);
    return v != NULL ? Py_NewRef(v) : PyObject_GetAttr(row, name);
}

/* What add_model needs besides the chunk table: the Resolver and its tables (``offsets``:
 * the model row of each id taken as Resolver.add takes it), the statuses (pending,
 * resolved), and for a row others wait on, the resolver's initialize,
 * _references.wake_if_initialized and resolver._too_deep. */
typedef struct {
    PyObject *owner, *chunks, *offsets, *pending, *resolved;
    PyObject *initialize, *wake, *too_deep;
} Intake;

/* The error of a RecursionError raised while a row woke its readers, as Resolver.add
 * raises it: ``raise _too_deep(row.offset, row.id) from None``; any other stays. */
static void
too_deep_from(PyObject *too_deep, PyObject *row)
{
    PyObject *type, *value, *tb, *offset = NULL, *id = NULL, *exc = NULL;
    if (!PyErr_ExceptionMatches(PyExc_RecursionError)) return;
    PyErr_Fetch(&type, &value, &tb);
    PyErr_NormalizeException(&type, &value, &tb);
    if ((offset = PyObject_GetAttrString(row, "offset")) != NULL &&
        (id = PyObject_GetAttr(row, s_id)) != NULL)
        exc = PyObject_CallFunctionObjArgs(too_deep, offset, id, NULL);
    Py_XDECREF(offset);
    Py_XDECREF(id);
    if (exc != NULL && !PyExceptionInstance_Check(exc)) {
        Py_CLEAR(exc);
        PyErr_SetString(PyExc_TypeError, "add_rows: too_deep gave no exception");
    }
    if (exc == NULL) {  /* (the new error wins, as in an except clause) */
        Py_XDECREF(type);
        Py_XDECREF(value);
        Py_XDECREF(tb);
        return;
    }
    if (tb != NULL) PyException_SetTraceback(value, tb);
    PyException_SetContext(exc, value);  /* (steals value) */
    PyException_SetCause(exc, NULL);     /* "from None": sets __suppress_context__ */
    Py_XDECREF(type);
    Py_XDECREF(tb);
    PyErr_Restore(Py_NewRef((PyObject *)Py_TYPE(exc)), exc, NULL);
}

/* A model row for a pending chunk others wait on (``listeners``, its value), as
 * Resolver.add takes it (_resolve_model): the text stored, the chunk initialised, its
 * readers woken (wake_if_initialized).  0, or -1 with the error add would raise. */
static int
wake_model(Reviver *R, const Intake *in, PyObject *row, PyObject *chunk, PyObject *payload,
           PyObject *listeners)
{
    PyObject *rejecters, *res;
    int r = -1;
    if ((rejecters = chunk_get(R, chunk, C_REASON)) == NULL) return -1;
    if (chunk_set(R, chunk, C_STATUS, in->resolved) < 0 ||
        chunk_set(R, chunk, C_VALUE, payload) < 0 || chunk_set(R, chunk, C_REASON, Py_None) < 0)
        goto done;
    if ((res = PyObject_CallOneArg(in->initialize, chunk)) == NULL) goto done;
    Py_DECREF(res);
    res = PyObject_CallFunctionObjArgs(in->wake, in->owner, chunk, listeners, rejecters, NULL);
    if (res == NULL) goto done;
    Py_DECREF(res);
    r = 0;
done:
    Py_DECREF(rejecters);
    if (r < 0) too_deep_from(in->too_deep, row);
    return r;
}

/* A model row (of exactly the model class: its slots by offset) for a pending chunk, as
 * Resolver.add_rows takes it: a new chunk holding its text, or a chunk mentioned and
 * unread given it (the row is not put in ``offsets``: Resolver._where finds it in the rows
 * when an error needs it), or (given ``in->initialize``) one others wait on woken
 * (wake_model), as Resolver.add does.  1 done, 0 not (the row goes to other), -1 error. */
static int
add_model(Reviver *R, const Intake *in, PyObject *row)
{
    PyObject *chunks = in->chunks, *offsets = in->offsets, *owner = in->owner;
    PyObject *pending = in->pending, *resolved = in->resolved;
    PyObject *payload, *id = NULL, *chunk = NULL, *status = NULL, *value = NULL;
    int r = -1, waits;
    if ((payload = row_slot(row, R->rows_model_slots[0], s_payload)) == NULL ||
        (id = row_slot(row, R->rows_model_slots[1], s_id)) == NULL)
        goto done;
    r = 0;
    if (id == Py_None || !PyUnicode_Check(payload) || PyUnicode_GET_LENGTH(payload) == 0)
        goto done;
    r = -1;
    chunk = PyDict_GetItemWithError(chunks, id);
    if (chunk == NULL) {
        PyObject *made, *fields[C_LINKS] = {resolved, payload, Py_None, id, owner};
        if (PyErr_Occurred()) goto done;
        if ((made = R->chunk_cls->tp_alloc(R->chunk_cls, 0)) == NULL) goto done;
        for (int k = 0; k < C_LINKS; k++) fill_slot(made, R->chunk_slots[k], fields[k]);
        fill_slot(made, R->chunk_slots[C_LINKS], Py_None);
        r = PyDict_SetItem(chunks, id, made) < 0 ? -1 : 1;
        Py_DECREF(made);
        goto done;
    }
    /* mentioned and unread: only the text is stored */
    Py_INCREF(chunk);
    if ((status = chunk_get(R, chunk, C_STATUS)) == NULL ||
        (value = chunk_get(R, chunk, C_VALUE)) == NULL)
        goto done;
    waits = status == pending ? 1 : PyObject_RichCompareBool(status, pending, Py_EQ);
    if (waits < 0) goto done;
    r = 0;
    if (waits == 1 && value == Py_None) {
        r = chunk_set(R, chunk, C_STATUS, resolved) < 0 ||
                    chunk_set(R, chunk, C_VALUE, payload) < 0 ||
                    chunk_set(R, chunk, C_REASON, Py_None) < 0
                ? -1
                : 1;
    } else if (waits == 1 && in->initialize != NULL) {  /* others wait: add's steps */
        r = PyDict_SetItem(offsets, id, row) < 0 ||
                    wake_model(R, in, row, chunk, payload, value) < 0
                ? -1
                : 1;
    }
done:
    Py_XDECREF(payload);
    Py_XDECREF(id);
    Py_XDECREF(chunk);
    Py_XDECREF(status);
    Py_XDECREF(value);
    return r;
}

/* add_rows(owner, rows, chunks, offsets, (model_cls, import_cls, client_reference, text_cls,
 * reference_cls), other, (pending, resolved, fulfilled)[, (initialize, wake_if_initialized,
 * too_deep)]): the loop of Resolver.add_rows in C: a model row (of exactly model_cls, with
 * a payload and an id) for a pending chunk is taken by add_model (nothing waits on it: its
 * text stored; others wait, given the last tuple: as Resolver.add takes it); an import row
 * for a new chunk is taken as add_import takes it, a text row for a new chunk as add_text
 * does; any other row goes to other(row). */
static PyObject *
Reviver_add_rows(Reviver *R, PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *owner, *chunks, *offsets, *other, *fulfilled, *seq;
    PyObject *client_reference, *const *statuses;
    PyTypeObject *model_cls, *import_cls, *text_cls;
    Intake in = {0};
    if (nargs == 8 && (!PyTuple_Check(args[7]) || PyTuple_GET_SIZE(args[7]) != 3))
        return PyErr_Format(PyExc_TypeError, "add_rows: bad arguments");
    if ((nargs != 7 && nargs != 8) || R->chunk_cls == NULL || !PyDict_Check(args[2]) ||
        !PyDict_Check(args[3]) || !PyTuple_Check(args[4]) || PyTuple_GET_SIZE(args[4]) != 5 ||
        !PyType_Check(PyTuple_GET_ITEM(args[4], 4)) ||
        !PyType_Check(PyTuple_GET_ITEM(args[4], 0)) ||
        !PyType_Check(PyTuple_GET_ITEM(args[4], 1)) ||
        !PyType_Check(PyTuple_GET_ITEM(args[4], 3)) || !PyTuple_Check(args[6]) ||
        PyTuple_GET_SIZE(args[6]) != 3)
        return PyErr_Format(PyExc_TypeError, "add_rows: bad arguments");
    owner = args[0];
    chunks = args[2];
    offsets = args[3];
    model_cls = (PyTypeObject *)PyTuple_GET_ITEM(args[4], 0);
    import_cls = (PyTypeObject *)PyTuple_GET_ITEM(args[4], 1);
    client_reference = PyTuple_GET_ITEM(args[4], 2);
    text_cls = (PyTypeObject *)PyTuple_GET_ITEM(args[4], 3);
    if (rows_classes(R, model_cls, (PyTypeObject *)PyTuple_GET_ITEM(args[4], 4)) < 0)
        return NULL;
    other = args[5];
    statuses = &PyTuple_GET_ITEM(args[6], 0);
    fulfilled = statuses[2];
    in.owner = owner;
    in.chunks = chunks;
    in.offsets = offsets;
    in.pending = statuses[0];
    in.resolved = statuses[1];
    if (nargs == 8) {
        in.initialize = PyTuple_GET_ITEM(args[7], 0);
        in.wake = PyTuple_GET_ITEM(args[7], 1);
        in.too_deep = PyTuple_GET_ITEM(args[7], 2);
    }
    if ((seq = PySequence_Fast(args[1], "add_rows: rows must be iterable")) == NULL) return NULL;
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(seq); i++) {
        PyObject *row = PySequence_Fast_GET_ITEM(seq, i);
        int done = 0;
        Py_INCREF(row);
        if (Py_TYPE(row) == model_cls) {
            done = add_model(R, &in, row);
        } else if (Py_TYPE(row) == import_cls) {
            done = add_import(R, owner, row, chunks, client_reference, R->rows_ref_cls,
                              R->rows_ref_slots, statuses);
        } else if (Py_TYPE(row) == text_cls) {
            done = add_text(R, owner, row, chunks, fulfilled);
        }
        if (done == 0) {
            PyObject *res = PyObject_CallOneArg(other, row);
            done = res == NULL ? -1 : 1;
            Py_XDECREF(res);
        }
        Py_DECREF(row);
        if (done < 0) {
            Py_DECREF(seq);
            return NULL;
        }
    }
    Py_DECREF(seq);
    Py_RETURN_NONE;
}

/* with_waiters(chunks, waiting): the positions, in table order, of the chunks of the dict
 * ``chunks`` whose status is one of the tuple ``waiting`` and whose value (their
 * listeners) is true: _chunks._with_waiters's comprehension, in C (at the end of a
 * page of many rows it read every chunk's status and was most of Resolver.close). */
static PyObject *
Reviver_with_waiters(Reviver *R, PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *chunks, *waiting, *found, *chunk, *key;
    Py_ssize_t at = 0;
    if (nargs != 2 || !PyDict_Check(args[0]) || !PyTuple_Check(args[1]))
        return PyErr_Format(PyExc_TypeError, "with_waiters: (dict, tuple) expected");
    chunks = args[0];
    waiting = args[1];
    if ((found = PyList_New(0)) == NULL) return NULL;
    Py_INCREF(chunks);  /* (a comparison below may run Python code) */
    Py_INCREF(waiting);
    for (Py_ssize_t i = 0; PyDict_Next(chunks, &at, &key, &chunk); i++) {
        PyObject *status, *value = NULL, *index;
        int hit = 0, r = 0;
        Py_INCREF(chunk);
        status = chunk_get(R, chunk, C_STATUS);
        for (Py_ssize_t w = 0; status != NULL && w < PyTuple_GET_SIZE(waiting) && !hit; w++) {
            PyObject *one = PyTuple_GET_ITEM(waiting, w);
            if (status == one)
                hit = 1;
            else if (PyUnicode_CheckExact(status) && PyUnicode_CheckExact(one))  /* (quick) */
                hit = PyUnicode_GET_LENGTH(status) == PyUnicode_GET_LENGTH(one) &&
                      PyUnicode_Compare(one, status) == 0;
            else
                hit = PyObject_RichCompareBool(one, status, Py_EQ);
            if (hit < 0) break;
        }
        if (status == NULL || hit < 0) {
            r = -1;
        } else if (hit) {
            value = chunk_get(R, chunk, C_VALUE);
            r = value == NULL ? -1 : PyObject_IsTrue(value);
        }
        if (r > 0) {
            r = (index = PyLong_FromSsize_t(i)) == NULL ? -1 : PyList_Append(found, index);
            Py_XDECREF(index);
        }
        Py_XDECREF(status);
        Py_XDECREF(value);
        Py_DECREF(chunk);
        if (r < 0) {
            Py_CLEAR(found);
            break;
        }
    }
    Py_DECREF(chunks);
    Py_DECREF(waiting);
    return found;
}

/* resolve_all(owner, root, chunks, initialize, refused, (pending, resolved, fulfilled)):
 * every chunk reachable from root parsed, depth first in document order (see
 * Resolver.resolve_all); the stack of chunks to visit is an array here. */
static PyObject *
Reviver_resolve_all(Reviver *R, PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *owner, *chunks, *initialize, *refused, *statuses, *seen;
    PyObject *walk_statuses[4];
    PyObject **stack;
    Scratch sc = {NULL, NULL};
    Py_ssize_t depth = 0, cap = 64;
    int failed = 0;
    if (nargs != 6) return PyErr_Format(PyExc_TypeError, "resolve_all: 6 arguments");
    owner = args[0];
    chunks = args[2];
    initialize = args[3];
    refused = args[4];
    statuses = args[5];
    if (R->chunk_cls == NULL || !PyDict_Check(chunks) || !PyTuple_Check(statuses) ||
        PyTuple_GET_SIZE(statuses) != 3)
        return PyErr_Format(PyExc_TypeError, "resolve_all: bad arguments");
    walk_statuses[0] = PyTuple_GET_ITEM(statuses, 0);
    walk_statuses[1] = PyTuple_GET_ITEM(statuses, 1);
    walk_statuses[2] = PyTuple_GET_ITEM(statuses, 2);
    walk_statuses[3] = Py_True;
    if ((seen = PySet_New(NULL)) == NULL) return NULL;
    if ((stack = PyMem_New(PyObject *, cap)) == NULL) {
        Py_DECREF(seen);
        return PyErr_NoMemory();
    }
    stack[depth++] = Py_NewRef(args[1]);
    while (depth > 0 && !failed) {
        PyObject *chunk = stack[--depth], *links;
        Py_ssize_t had = PySet_GET_SIZE(seen);
        failed = PySet_Add(seen, chunk) < 0;  /* (one lookup: it grows if not seen yet) */
        if (!failed && PySet_GET_SIZE(seen) > had) {
            failed = resolve_one(R, owner, chunk, chunks, initialize, refused,
                                 walk_statuses, &sc) < 0;
            links = failed ? NULL : chunk_get(R, chunk, C_LINKS);
            failed = failed || links == NULL;
            if (!failed && PyList_Check(links) && PyList_GET_SIZE(links) > 0) {
                Py_ssize_t m = PyList_GET_SIZE(links);
                if (depth + m > cap) {
                    Py_ssize_t want = (depth + m) * 2;
                    PyObject **grown = PyMem_Resize(stack, PyObject *, want);
                    if (grown == NULL) {
                        PyErr_NoMemory();
                        failed = 1;
                    } else {
                        stack = grown;
                        cap = want;
                    }
                }
                for (Py_ssize_t i = m - 1; i >= 0 && !failed; i--)
                    stack[depth++] = Py_NewRef(PyList_GET_ITEM(links, i));
            } else if (!failed && links != Py_None && !PyList_Check(links)) {
                PyErr_SetString(PyExc_TypeError, "resolve_all: a chunk's links are not a list");
                failed = 1;
            }
            Py_XDECREF(links);
        }
        Py_DECREF(chunk);
    }
    while (depth > 0) Py_DECREF(stack[--depth]);
    PyMem_Free(stack);
    Py_DECREF(seen);
    scratch_clear(&sc);
    if (failed) return NULL;
    Py_RETURN_NONE;
}

/* -- the end of reading (the twin of _chunks.release_settled) -------------------------- */

/* Is status one of the settled states?  (identity first: the resolver stores its own
 * constants; then equality, as the reference's ``in`` tests) */
static int
is_status(PyObject *status, PyObject *want)
{
    return status == want ? 1 : PyObject_RichCompareBool(status, want, Py_EQ);
}

/* release_settled(chunks, fulfilled, rejected): for each chunk of the dict whose status is
 * fulfilled or rejected, _owner and _links set to None, and a fulfilled chunk's reason too
 * when it is exactly a list.  A chunk of another class is read and written by attribute. */
static PyObject *
Reviver_release_settled(Reviver *R, PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *chunks, *fulfilled, *rejected, *key, *chunk;
    Py_ssize_t pos = 0;
    if (nargs != 3) return PyErr_Format(PyExc_TypeError, "release_settled: 3 arguments");
    chunks = args[0];
    fulfilled = args[1];
    rejected = args[2];
    if (R->chunk_cls == NULL || !PyDict_Check(chunks))
        return PyErr_Format(PyExc_TypeError, "release_settled: bad arguments");
    while (PyDict_Next(chunks, &pos, &key, &chunk)) {
        PyObject *status, *reason = NULL;
        int done, is_fulfilled, r = -1;
        Py_INCREF(chunk);  /* (what the writes below free may run code) */
        if ((status = chunk_get(R, chunk, C_STATUS)) == NULL) goto fail;
        is_fulfilled = is_status(status, fulfilled);
        done = is_fulfilled == 0 ? is_status(status, rejected) : is_fulfilled;
        if (done > 0) {
            r = chunk_set(R, chunk, C_OWNER, Py_None);
            if (r == 0) r = chunk_set(R, chunk, C_LINKS, Py_None);
            if (r == 0 && is_fulfilled > 0) {
                reason = chunk_get(R, chunk, C_REASON);
                r = reason == NULL ? -1 : 0;
                if (r == 0 && PyList_CheckExact(reason)) r = chunk_set(R, chunk, C_REASON, Py_None);
            }
        } else {
            r = done;  /* 0, or -1 from a comparison */
        }
        Py_DECREF(status);
        Py_XDECREF(reason);
        Py_DECREF(chunk);
        if (r < 0) return NULL;
        continue;
    fail:
        Py_DECREF(chunk);
        return NULL;
    }
    Py_RETURN_NONE;
}

/* -- the rules' evidence (the twin of rule_set._evidence_python) ------------------------ */

/* Length of the run of lowercase hex digits at d[i:], capped at 17 (more than an id has). */
static Py_ssize_t
hex_run(int kind, const void *d, Py_ssize_t i, Py_ssize_t n)
{
    Py_ssize_t j = i;
    while (j < n && j - i < 17) {
        Py_UCS4 c = PyUnicode_READ(kind, d, j);
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) break;
        j++;
    }
    return j - i;
}

/* The codes whose row is outlined at once: Q W K h i. */
static inline int
is_row_code(Py_UCS4 c)
{
    return c == 'Q' || c == 'W' || c == 'K' || c == 'h' || c == 'i';
}

/* At the "$" d[q] (after a '"'): 0 nothing, 1 a whole-string row reference ("$<id>" or
 * "$Q<id>"..., rule_set._ROW_REFERENCE), 3 a path reference ("$<id>:", _PATH_REFERENCE). */
static int
tells_at(int kind, const void *d, Py_ssize_t q, Py_ssize_t n)
{
    Py_ssize_t r = hex_run(kind, d, q + 1, n);
    if (r >= 1 && r <= 16 && q + 1 + r < n) {
        Py_UCS4 c = PyUnicode_READ(kind, d, q + 1 + r);
        if (c == ':') return 3;
        if (c == '"') return 1;
    }
    if (r == 0 && q + 1 < n && is_row_code(PyUnicode_READ(kind, d, q + 1))) {
        r = hex_run(kind, d, q + 2, n);
        if (r >= 1 && r <= 16 && q + 2 + r < n && PyUnicode_READ(kind, d, q + 2 + r) == '"')
            return 1;
    }
    return 0;
}

#if defined(__SSE2__) && (defined(__GNUC__) || defined(__clang__))
#include <emmintrin.h>
#define RSC_SSE2 1
#endif

/* Where the next "$" at or after i is, or n.  A 2- or 4-byte str (a row with one emoji is
 * all 4-byte) is searched 16 bytes at a time (SSE2), or a 64-bit word at a time. */
static Py_ssize_t
next_dollar(int kind, const void *d, Py_ssize_t i, Py_ssize_t n)
{
    if (i >= n) return n;
    if (kind == PyUnicode_1BYTE_KIND) {
        const Py_UCS1 *at = memchr((const Py_UCS1 *)d + i, '$', (size_t)(n - i));
        return at == NULL ? n : at - (const Py_UCS1 *)d;
    }
    if (kind == PyUnicode_2BYTE_KIND) {
        const Py_UCS2 *u = d;
#ifdef RSC_SSE2
        const __m128i dollar = _mm_set1_epi16('$');
        while (i + 16 <= n) {  /* two vectors of 8 code units, packed to a byte each */
            __m128i a = _mm_cmpeq_epi16(_mm_loadu_si128((const __m128i *)(u + i)), dollar);
            __m128i b = _mm_cmpeq_epi16(_mm_loadu_si128((const __m128i *)(u + i + 8)), dollar);
            unsigned mask = (unsigned)_mm_movemask_epi8(_mm_packs_epi16(a, b));
            if (mask != 0) return i + __builtin_ctz(mask);
            i += 16;
        }
#else
        /* four code units at a time: a lane of w ^ "$$$$" is zero where a "$" is (the
         * test may also flag lanes above a true one, which the last loop then passes) */
        const uint64_t ones = 0x0001000100010001ull, highs = 0x8000800080008000ull;
        while (i + 4 <= n) {
            uint64_t w;
            memcpy(&w, u + i, sizeof w);
            w ^= ones * '$';
            if ((w - ones) & ~w & highs) break;
            i += 4;
        }
#endif
        while (i < n && u[i] != '$') i++;
        return i;
    }
    {
        const Py_UCS4 *u = d;
#ifdef RSC_SSE2
        const __m128i dollar = _mm_set1_epi32('$');
        while (i + 16 <= n) {  /* four vectors of 4 code points, packed to a byte each */
            __m128i a = _mm_cmpeq_epi32(_mm_loadu_si128((const __m128i *)(u + i)), dollar);
            __m128i b = _mm_cmpeq_epi32(_mm_loadu_si128((const __m128i *)(u + i + 4)), dollar);
            __m128i c = _mm_cmpeq_epi32(_mm_loadu_si128((const __m128i *)(u + i + 8)), dollar);
            __m128i e = _mm_cmpeq_epi32(_mm_loadu_si128((const __m128i *)(u + i + 12)), dollar);
            unsigned mask = (unsigned)_mm_movemask_epi8(
                _mm_packs_epi16(_mm_packs_epi32(a, b), _mm_packs_epi32(c, e)));
            if (mask != 0) return i + __builtin_ctz(mask);
            i += 16;
        }
        while (i + 4 <= n) {
            __m128i a = _mm_cmpeq_epi32(_mm_loadu_si128((const __m128i *)(u + i)), dollar);
            unsigned mask = (unsigned)_mm_movemask_epi8(a);
            if (mask != 0) return i + (__builtin_ctz(mask) >> 2);
            i += 4;
        }
#else
        /* two code points a word, as above */
        const uint64_t ones = 0x0000000100000001ull, highs = 0x8000000080000000ull;
        while (i + 2 <= n) {
            uint64_t w;
            memcpy(&w, u + i, sizeof w);
            w ^= ones * '$';
            if ((w - ones) & ~w & highs) break;
            i += 2;
        }
#endif
        while (i < n && u[i] != '$') i++;
        return i;
    }
}

/* The row reference at the "$" d[q] that tells_at found (1): its code (0: plain) and row
 * id, as rule_set._row_references reads them; returns the index of its closing quote. */
static Py_ssize_t
row_reference(int kind, const void *d, Py_ssize_t q, Py_UCS4 *code, unsigned long long *id)
{
    Py_ssize_t at = q + 1;
    Py_UCS4 c = PyUnicode_READ(kind, d, at);
    *code = 0;
    *id = 0;  /* tells_at checked: 1 to 16 lowercase hex digits, then '"' */
    if (is_row_code(c)) {
        *code = c;
        at++;
    }
    for (; (c = PyUnicode_READ(kind, d, at)) != '"'; at++)
        *id = *id << 4 | (unsigned long long)(c <= '9' ? c - '0' : c - 'a' + 10);
    return at;
}

/* What rule_evidence asks for (rule_set._PATHS, _VERDICT). */
#define WANT_PATHS 1
#define WANT_VERDICT 2

/* A row the scan cannot read as Python does (a payload that is not a str, an id that is
 * neither None nor an int): the twin answers (rule_evidence returns NotImplemented). */
#define ODD (-2)

/* One slot of the first-row table: the index of the first row whose id is `id`. */
typedef struct {
    unsigned long long id;
    Py_ssize_t at;  /* -1: an empty slot */
} FirstRow;

typedef struct {
    PyObject *seq;  /* the rows (PySequence_Fast); lengths re-read at each access */
    PyTypeObject *model_cls, *import_cls, *error_cls;
    Py_ssize_t model_slot;  /* model_cls's payload slot: 0 not looked up, -1 none (getattr) */
    PyTypeObject *id_types[8];  /* the row classes met by build_first, and the offset of */
    Py_ssize_t id_slots[8];     /* the id slot of each (-1: none, a getattr reads the id) */
    int n_id_types;
    Py_ssize_t passes, floor;
    int want_paths;
    FirstRow *first;  /* open addressing, built when a reference first needs it */
    size_t mask;
    int budgeted;            /* search_left set (the first cycle in the making sets it) */
    Py_ssize_t search_left;  /* what the search for an object written twice may still read */
} Evidence;

/* rows[i], borrowed; NULL past the end (the rows may not shrink, but never read past). */
static inline PyObject *
row_at(const Evidence *E, Py_ssize_t i)
{
    return i < PySequence_Fast_GET_SIZE(E->seq) ? PySequence_Fast_GET_ITEM(E->seq, i) : NULL;
}

/* The payload of row, a str (new reference); NULL with an exception, or with none and
 * *odd set when it is not a str. */
static PyObject *
payload_str(PyObject *row, int *odd)
{
    PyObject *text;
    Py_INCREF(row);  /* (held while a getattr may run code) */
    text = PyObject_GetAttr(row, s_payload);
    Py_DECREF(row);
    if (text != NULL && (!PyUnicode_Check(text) || PyUnicode_READY(text) < 0)) {
        if (!PyErr_Occurred()) *odd = 1;
        Py_CLEAR(text);
    }
    return text;
}

/* The offset of the object slot `name` of cls, which a getattr on an instance of exactly
 * cls reads; -1 when it is not one (a getattr then reads it). */
static Py_ssize_t
slot_offset(PyTypeObject *cls, PyObject *name)
{
    PyObject *d;
    Py_ssize_t offset = -1;
    if (cls->tp_getattro != PyObject_GenericGetAttr) return -1;
    if ((d = PyObject_GetAttr((PyObject *)cls, name)) == NULL) {
        PyErr_Clear();
        return -1;
    }
    if (Py_IS_TYPE(d, &PyMemberDescr_Type)) {
        PyMemberDef *m = ((PyMemberDescrObject *)d)->d_member;
        if (m->type == T_OBJECT_EX && PyType_IsSubtype(cls, PyDescr_TYPE(d)) && m->offset > 0 &&
            (size_t)m->offset + sizeof(PyObject *) <= (size_t)cls->tp_basicsize)
            offset = m->offset;
    }
    Py_DECREF(d);
    return offset;
}

/* The text of a model row (new reference), as payload_str: a row of exactly model_cls is
 * read in its slot (most rows of a page are tiny: the getattr was most of their time). */
static PyObject *
model_text(Evidence *E, PyObject *row, int *odd)
{
    if (Py_IS_TYPE(row, E->model_cls)) {
        PyObject *text;
        if (E->model_slot == 0) E->model_slot = slot_offset(E->model_cls, s_payload);
        if (E->model_slot > 0 && (text = *(PyObject **)((char *)row + E->model_slot)) != NULL &&
            PyUnicode_CheckExact(text) && PyUnicode_IS_READY(text))
            return Py_NewRef(text);
    }
    return payload_str(row, odd);
}

static inline size_t
first_slot(const Evidence *E, unsigned long long id)
{
    return (size_t)((id * 0x9E3779B97F4A7C15ull) >> 32) & E->mask;
}

/* The id of row (new reference): read in its slot when its class is a plain slotted one
 * (the class's own getattr would read just that), else by a getattr. */
static PyObject *
row_id(Evidence *E, PyObject *row)
{
    PyTypeObject *cls = Py_TYPE(row);
    Py_ssize_t slot = -1;
    PyObject *id;
    int k = 0;
    while (k < E->n_id_types && E->id_types[k] != cls) k++;
    if (k < E->n_id_types) {
        slot = E->id_slots[k];
    } else if (k < 8) {
        E->id_types[k] = (PyTypeObject *)Py_NewRef(cls);  /* (released by rule_evidence) */
        slot = E->id_slots[k] = slot_offset(cls, s_id);
        E->n_id_types++;
    }
    if (slot > 0 && (id = *(PyObject **)((char *)row + slot)) != NULL) return Py_NewRef(id);
    Py_INCREF(row);  /* (held while a getattr may run code) */
    id = PyObject_GetAttr(row, s_id);
    Py_DECREF(row);
    return id;
}

/* Build the first-row table (rule_set._first_rows_python): 0, -1 error, ODD.  An int id
 * outside [0, 2**64) is left out: no reference (16 hex digits at most) names it. */
static int
build_first(Evidence *E)
{
    Py_ssize_t n = PySequence_Fast_GET_SIZE(E->seq);
    size_t size = 16;
    while (size < (size_t)n * 2) size <<= 1;
    if ((E->first = PyMem_Malloc(size * sizeof(FirstRow))) == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    E->mask = size - 1;
    for (size_t k = 0; k < size; k++) E->first[k].at = -1;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *row = row_at(E, i), *id;
        unsigned long long v;
        size_t k;
        if (row == NULL) break;
        if ((id = row_id(E, row)) == NULL) return -1;
        if (id == Py_None) {
            Py_DECREF(id);
            continue;
        }
        if (!PyLong_Check(id)) {
            Py_DECREF(id);
            return ODD;
        }
        v = PyLong_AsUnsignedLongLong(id);
        Py_DECREF(id);
        if (v == (unsigned long long)-1 && PyErr_Occurred()) {
            if (!PyErr_ExceptionMatches(PyExc_OverflowError)) return -1;
            PyErr_Clear();
            continue;
        }
        for (k = first_slot(E, v); E->first[k].at >= 0 && E->first[k].id != v; k = (k + 1) & E->mask)
            ;
        if (E->first[k].at < 0) {
            E->first[k].id = v;
            E->first[k].at = i;
        }
    }
    return 0;
}

/* The index of the first row whose id is `id`, or -1. */
static Py_ssize_t
first_row(const Evidence *E, unsigned long long id)
{
    for (size_t k = first_slot(E, id); E->first[k].at >= 0; k = (k + 1) & E->mask)
        if (E->first[k].id == id) return E->first[k].at;
    return -1;
}

/* Whether the object or array `text` (the model row rows[i]) is written again in another
 * model row, spending E->search_left (rule_set._written_again): 1, 0, -1 error, ODD. */
static int
written_again(Evidence *E, Py_ssize_t i, PyObject *text)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    Py_UCS4 c = n > 0 ? PyUnicode_READ_CHAR(text, 0) : 0;
    if (c != '{' && c != '[') return 0;
    for (Py_ssize_t j = 0; j < PySequence_Fast_GET_SIZE(E->seq); j++) {
        PyObject *row = PySequence_Fast_GET_ITEM(E->seq, j), *other;
        Py_ssize_t at;
        int odd = 0;
        if (j == i || !PyObject_TypeCheck(row, E->model_cls)) continue;
        if ((other = model_text(E, row, &odd)) == NULL) return odd ? ODD : -1;
        E->search_left -= PyUnicode_GET_LENGTH(other);
        if (E->search_left < 0) {
            Py_DECREF(other);
            return 0;
        }
        at = PyUnicode_Find(other, text, 0, PyUnicode_GET_LENGTH(other), 1);
        Py_DECREF(other);
        if (at == -2) return -1;
        if (at >= 0) return 1;
    }
    return 0;
}

/* The sum of the lengths of the model rows' texts: 0, -1 error, ODD. */
static int
model_length(Evidence *E, Py_ssize_t *total)
{
    *total = 0;
    for (Py_ssize_t j = 0; j < PySequence_Fast_GET_SIZE(E->seq); j++) {
        PyObject *row = PySequence_Fast_GET_ITEM(E->seq, j), *text;
        int odd = 0;
        if (!PyObject_TypeCheck(row, E->model_cls)) continue;
        if ((text = model_text(E, row, &odd)) == NULL) return odd ? ODD : -1;
        *total += PyUnicode_GET_LENGTH(text);
        Py_DECREF(text);
    }
    return 0;
}

/* A cycle in the making in the model row rows[i]: does its text say "18" (written again,
 * within the search's budget)?  1, 0, -1 error, ODD. */
static int
cycle_says(Evidence *E, Py_ssize_t i, PyObject *text)
{
    if (!E->budgeted) {  /* _SEARCH_PASSES passes over the models, plus _SEARCH_FLOOR */
        Py_ssize_t total;
        int r = model_length(E, &total);
        if (r < 0) return r;
        if (E->passes != 0 && total > (PY_SSIZE_T_MAX - E->floor) / E->passes)
            E->search_left = PY_SSIZE_T_MAX;  /* more than any text can spend */
        else
            E->search_left = E->passes * total + E->floor;
        E->budgeted = 1;
    }
    return E->search_left > 0 ? written_again(E, i, text) : 0;
}

/* What the model row rows[i] says, read in order (rule_set._model_evidence's loop body):
 * *verdict becomes '9' (a path reference, or a plain reference to an error row) or '8' (a
 * cycle in the making whose object is written again); *paths is set by a path reference.
 * With verdict NULL only path references are looked for.  0, -1 error, ODD. */
static int
read_model_row(Evidence *E, Py_ssize_t i, PyObject *text, int *verdict, int *paths)
{
    int kind = PyUnicode_KIND(text), cycle = 0;
    const void *d = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    Py_ssize_t after = 0;  /* where a row reference may start: past the last one */
    for (Py_ssize_t q = next_dollar(kind, d, 1, n); q < n; q = next_dollar(kind, d, q + 1, n)) {
        int t;
        Py_UCS4 code;
        unsigned long long id;
        Py_ssize_t at;
        PyObject *named;
        if (PyUnicode_READ(kind, d, q - 1) != '"' || (t = tells_at(kind, d, q, n)) == 0) continue;
        if (t == 3) {
            *paths = 1;
            if (verdict != NULL) *verdict = '9';
            return 0;
        }
        if (verdict == NULL || q - 1 < after) continue;
        after = row_reference(kind, d, q, &code, &id) + 1;
        /* (the cheap tests first, as in the twin) */
        if (code != 0 && cycle) continue;
        if (E->first == NULL) {
            int r = build_first(E);
            if (r < 0) return r;
        }
        at = first_row(E, id);
        if (at < 0 || (code != 0 && at < i) || (named = row_at(E, at)) == NULL) continue;
        if (code == 0 && PyObject_TypeCheck(named, E->error_cls)) {
            *verdict = '9';
            if (!E->want_paths) return 0;
            verdict = NULL;  /* said: only a path reference can still matter (to *paths) */
            continue;
        }
        if (at >= i && !cycle && PyObject_TypeCheck(named, E->model_cls)) cycle = 1;
    }
    if (verdict != NULL && cycle) {
        int r = cycle_says(E, i, text);
        if (r < 0) return r;
        if (r) *verdict = '8';
    }
    return 0;
}

/* The loop of rule_evidence over the rows, in stream order: 0, -1 error, ODD. */
static int
evidence_loop(Evidence *E, int want, int *verdict, int *paths)
{
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(E->seq); i++) {
        int wants_verdict = (want & WANT_VERDICT) && *verdict == 0, odd = 0, r = 0;
        PyObject *row = PySequence_Fast_GET_ITEM(E->seq, i), *text;
        if (!wants_verdict && !(E->want_paths && !*paths)) break;
        if (PyObject_TypeCheck(row, E->model_cls)) {
            if ((text = model_text(E, row, &odd)) == NULL) return odd ? ODD : -1;
            r = read_model_row(E, i, text, wants_verdict ? verdict : NULL, paths);
            Py_DECREF(text);
            if (r < 0) return r;
        } else if (wants_verdict && PyObject_TypeCheck(row, E->import_cls)) {
            /* the first object-form I row: Next 13.x's canaries (the telling rows after
             * it are not read) */
            if ((text = payload_str(row, &odd)) == NULL) return odd ? ODD : -1;
            if (PyUnicode_GET_LENGTH(text) > 0 && PyUnicode_READ_CHAR(text, 0) == '{') *verdict = '8';
            Py_DECREF(text);
        }
    }
    return 0;
}

/* rule_evidence(rows, want, (model_cls, import_cls, error_cls, passes, floor)) -> (paths,
 * verdict): the twin of rule_set._evidence_python.  `want` is a mask: 1 whether a path
 * reference is in any model row (paths: a bool; else None), 2 what the first telling row
 * says (verdict: "18", "19" or None; None when not asked).  NotImplemented when a row is
 * odd (not what a decoder makes): the twin then answers.  One pass over the rows in order,
 * stopping as soon as what was asked is known; loops only, every read bounds-checked. */
static PyObject *
rule_evidence(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    Evidence E = {0};
    PyObject *result = NULL;
    long want_arg;
    int want, verdict = 0, paths = 0, r;
    PyObject *const *context = nargs == 3 && PyTuple_CheckExact(args[2]) && PyTuple_GET_SIZE(args[2]) == 5
                                   ? &PyTuple_GET_ITEM(args[2], 0)
                                   : NULL;
    if (context == NULL || !PyLong_Check(args[1]) || !PyType_Check(context[0]) ||
        !PyType_Check(context[1]) || !PyType_Check(context[2]) || !PyLong_Check(context[3]) ||
        !PyLong_Check(context[4]))
        return PyErr_Format(PyExc_TypeError, "rule_evidence(rows, want, (model_cls, import_cls, "
                                             "error_cls, passes, floor))");
    if (((E.passes = PyLong_AsSsize_t(context[3])) == -1 ||
         (E.floor = PyLong_AsSsize_t(context[4])) == -1) && PyErr_Occurred())
        return NULL;
    if ((want_arg = PyLong_AsLong(args[1])) == -1 && PyErr_Occurred()) return NULL;
    if (E.passes < 0 || E.floor < 0)
        return PyErr_Format(PyExc_ValueError, "rule_evidence: a negative search budget");
    want = (int)(want_arg & (WANT_PATHS | WANT_VERDICT));
    E.model_cls = (PyTypeObject *)context[0];
    E.import_cls = (PyTypeObject *)context[1];
    E.error_cls = (PyTypeObject *)context[2];
    E.want_paths = (want & WANT_PATHS) != 0;
    if ((E.seq = PySequence_Fast(args[0], "rule_evidence: rows must be a sequence")) == NULL)
        return NULL;
    r = evidence_loop(&E, want, &verdict, &paths);
    if (r == ODD)
        result = Py_NewRef(Py_NotImplemented);
    else if (r == 0)
        result = Py_BuildValue("(OO)", !E.want_paths ? Py_None : paths ? Py_True : Py_False,
                               verdict == '9' ? s_rules19 : verdict == '8' ? s_rules18 : Py_None);
    PyMem_Free(E.first);
    for (int k = 0; k < E.n_id_types; k++) Py_DECREF(E.id_types[k]);
    Py_DECREF(E.seq);
    return result;
}

static PyMethodDef module_methods[] = {
    {"rule_evidence", (PyCFunction)(void (*)(void))rule_evidence, METH_FASTCALL,
     PyDoc_STR("rule_evidence(rows, want, (model_cls, import_cls, error_cls, passes, floor)) "
               "-> (paths, verdict): what the rows say of the rules (rsc_flight.model."
               "rule_set._evidence_python, in C); NotImplemented: ask the twin.")},
    {NULL, NULL, 0, NULL},
};

/* -- the type ------------------------------------------------------------------------ */

/* The offset of a class's slot, or -1 with TypeError (../_cslots.h). */
static Py_ssize_t
member(PyTypeObject *cls, const char *name)
{
    return rsc_slot_offset(cls, name, "Reviver");
}

static PyObject *
Reviver_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"element", "undefined", "string", "create_model", "enter", "tape",
                             "element_cls", "lazy_cls", "symbol_cls", "rules19", "tag_first",
                             "shortcut", "orjson", "max_depth", "max_path", "reduce", "date_cls",
                             "chunk_cls", "builds", "set_cls", "map_cls", NULL};
    PyObject *objs[6];
    PyTypeObject *classes[7] = {NULL, NULL, NULL, NULL, NULL, NULL, NULL};
    PyObject *builds = NULL;
    int rules19, tag_first, shortcut, orjson;
    Py_ssize_t max_depth, max_path;
    PyObject *reduce;
    Reviver *R;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OOOOO!O!O!O!O!ppppnnO!|O!O!O!O!O!:Reviver", kwlist,
                                     &objs[0], &objs[1], &objs[2], &objs[3], &PyTuple_Type,
                                     &objs[4], &PyType_Type, &objs[5], &PyType_Type,
                                     &classes[0], &PyType_Type, &classes[1], &PyType_Type,
                                     &classes[2], &rules19, &tag_first, &shortcut, &orjson,
                                     &max_depth, &max_path, &PyTuple_Type, &reduce, &PyType_Type,
                                     &classes[3], &PyType_Type, &classes[4], &PyDict_Type,
                                     &builds, &PyType_Type, &classes[5], &PyType_Type,
                                     &classes[6]))
        return NULL;
    if (!PyCallable_Check(objs[2]) || !PyCallable_Check(objs[3]))
        return PyErr_Format(PyExc_TypeError, "Reviver: string and create_model must be callable");
    R = (Reviver *)type->tp_alloc(type, 0);
    if (R == NULL) return NULL;
    R->element = Py_NewRef(objs[0]);
    R->undefined = Py_NewRef(objs[1]);
    R->string_fn = Py_NewRef(objs[2]);
    R->create_model = Py_NewRef(objs[3]);
    R->enter_site = Py_NewRef(objs[4]);
    R->tape_cls = Py_NewRef(objs[5]);
    R->reduce = Py_NewRef(reduce);
    R->element_cls = (PyTypeObject *)Py_NewRef(classes[0]);
    R->lazy_cls = (PyTypeObject *)Py_NewRef(classes[1]);
    R->symbol_cls = (PyTypeObject *)Py_NewRef(classes[2]);
    R->date_cls = (PyTypeObject *)Py_XNewRef(classes[3]);  /* optional: else $D is delegated */
    R->chunk_cls = (PyTypeObject *)Py_XNewRef(classes[4]);  /* optional: else no chunk() */
    R->rules19 = rules19;
    R->tag_first = tag_first;
    R->orjson = orjson;
    R->scoped = rules19 && !tag_first;
    R->pure = shortcut && !(rules19 && tag_first);
    R->max_depth = max_depth;
    R->max_path = max_path;
    for (int k = 0; k < N_ELEMENT; k++) {
        if ((R->element_slots[k] = member(classes[0], ELEMENT_SLOTS[k])) < 0) goto fail;
    }
    for (int k = 0; k < 3 && classes[3] != NULL; k++) {
        if ((R->date_slots[k] = member(classes[3], DATE_SLOTS[k])) < 0) goto fail;
    }
    for (int k = 0; k < N_CHUNK && classes[4] != NULL; k++) {
        if ((R->chunk_slots[k] = member(classes[4], CHUNK_SLOTS[k])) < 0) goto fail;
    }
    if (builds != NULL) {  /* {code character: build function} */
        PyObject *ch, *fn;
        Py_ssize_t pos = 0;
        while (PyDict_Next(builds, &pos, &ch, &fn)) {
            Py_UCS4 c;
            if (!PyUnicode_Check(ch) || PyUnicode_GET_LENGTH(ch) != 1 ||
                (c = PyUnicode_READ_CHAR(ch, 0)) >= 128 || !PyCallable_Check(fn)) {
                PyErr_SetString(PyExc_TypeError, "Reviver: builds maps a character to a function");
                goto fail;
            }
            Py_XSETREF(R->builds[c], Py_NewRef(fn));
        }
    }
    if (classes[5] != NULL && classes[6] != NULL) {
        R->set_cls = (PyTypeObject *)Py_NewRef(classes[5]);
        R->map_cls = (PyTypeObject *)Py_NewRef(classes[6]);
        if ((R->set_slot = member(classes[5], "values")) < 0 ||
            (R->map_slot = member(classes[6], "entries")) < 0)
            goto fail;
    }
    if ((R->lazy_slot = member(classes[1], "promise")) < 0 ||
        (R->symbol_slot = member(classes[2], "key")) < 0)
        goto fail;
    /* a Tape is made per row: allocated directly when making one is just that */
    {
        PyTypeObject *tape = (PyTypeObject *)R->tape_cls;
        R->tape_plain = PyType_IsSubtype(tape, &PyList_Type) && tape->tp_new == PyList_Type.tp_new &&
                        tape->tp_init == PyList_Type.tp_init;
    }
    return (PyObject *)R;
fail:
    Py_DECREF(R);
    return NULL;
}

static int
Reviver_traverse(Reviver *R, visitproc visit, void *arg)
{
    Py_VISIT(R->element);
    Py_VISIT(R->undefined);
    Py_VISIT(R->string_fn);
    Py_VISIT(R->create_model);
    Py_VISIT(R->enter_site);
    Py_VISIT(R->tape_cls);
    Py_VISIT(R->reduce);
    Py_VISIT(R->element_cls);
    Py_VISIT(R->lazy_cls);
    Py_VISIT(R->symbol_cls);
    Py_VISIT(R->date_cls);
    Py_VISIT(R->chunk_cls);
    Py_VISIT(R->set_cls);
    Py_VISIT(R->map_cls);
    for (int k = 0; k < 128; k++) Py_VISIT(R->builds[k]);
    Py_VISIT(R->rows_model_cls);
    Py_VISIT(R->rows_ref_cls);
    return 0;
}

static int
Reviver_clear(Reviver *R)
{
    Py_CLEAR(R->element);
    Py_CLEAR(R->undefined);
    Py_CLEAR(R->string_fn);
    Py_CLEAR(R->create_model);
    Py_CLEAR(R->enter_site);
    Py_CLEAR(R->tape_cls);
    Py_CLEAR(R->reduce);
    Py_CLEAR(R->element_cls);
    Py_CLEAR(R->lazy_cls);
    Py_CLEAR(R->symbol_cls);
    Py_CLEAR(R->date_cls);
    Py_CLEAR(R->chunk_cls);
    Py_CLEAR(R->set_cls);
    Py_CLEAR(R->map_cls);
    for (int k = 0; k < 128; k++) Py_CLEAR(R->builds[k]);
    for (int k = 0; k < CACHE_SIZE; k++) Py_CLEAR(R->cache[k]);
    Py_CLEAR(R->rows_model_cls);
    Py_CLEAR(R->rows_ref_cls);
    return 0;
}

static void
Reviver_dealloc(Reviver *R)
{
    PyObject_GC_UnTrack(R);
    Reviver_clear(R);
    Py_TYPE(R)->tp_free((PyObject *)R);
}

/* A resolver holding a reviver pickles: the reviver is rebuilt from its context. */
static PyObject *
Reviver_reduce(Reviver *R, PyObject *Py_UNUSED(ignored))
{
    return Py_NewRef(R->reduce);
}

/* chunk(status, value, reason, id, owner): a JSPromise as JSPromise(status, value, reason,
 * id, owner) makes it, without running its __init__ (a page of many rows makes a chunk a
 * row, and the Python call was a tenth of the resolver's time on one). */
static PyObject *
Reviver_chunk(Reviver *R, PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *chunk;
    if (R->chunk_cls == NULL) return PyErr_Format(PyExc_TypeError, "chunk: no chunk_cls given");
    if (nargs != C_LINKS) return PyErr_Format(PyExc_TypeError, "chunk: %d arguments", C_LINKS);
    if ((chunk = R->chunk_cls->tp_alloc(R->chunk_cls, 0)) == NULL) return NULL;
    for (int k = 0; k < C_LINKS; k++) fill_slot(chunk, R->chunk_slots[k], args[k]);
    fill_slot(chunk, R->chunk_slots[C_LINKS], Py_None);
    return chunk;
}

static PyMethodDef Reviver_methods[] = {
    {"__reduce__", (PyCFunction)Reviver_reduce, METH_NOARGS, NULL},
    {"chunk", (PyCFunction)(void (*)(void))Reviver_chunk, METH_FASTCALL,
     PyDoc_STR("chunk(status, value, reason, id, owner) -> JSPromise, made in C.")},
    {"link_lazies", (PyCFunction)(void (*)(void))Reviver_link_lazies, METH_FASTCALL,
     PyDoc_STR("link_lazies(owner, tape, at, chunks, current, pending) -> index: "
               "Resolver._link_lazies, in C.")},
    {"settle_plain", (PyCFunction)(void (*)(void))Reviver_settle_plain, METH_FASTCALL,
     PyDoc_STR("settle_plain(owner, chunk, decoded, chunks, (pending, resolved, fulfilled)) "
               "-> bool: Resolver._settle_plain, in C.")},
    {"with_waiters", (PyCFunction)(void (*)(void))Reviver_with_waiters, METH_FASTCALL,
     PyDoc_STR("with_waiters(chunks, waiting) -> [index]: the positions of the chunks that "
               "wait with listeners (_chunks._with_waiters), in C.")},
    {"add_rows", (PyCFunction)(void (*)(void))Reviver_add_rows, METH_FASTCALL,
     PyDoc_STR("add_rows(owner, rows, chunks, offsets, (model_cls, import_cls, "
               "client_reference, text_cls, reference_cls), other, (pending, resolved, "
               "fulfilled)): Resolver.add_rows's loop, in C.")},
    {"replay", (PyCFunction)(void (*)(void))Reviver_replay, METH_FASTCALL,
     PyDoc_STR("replay(owner, tape, at, (pending, resolved, fulfilled, follow)) -> index: "
               "the plain sites of _references.replay (React 19), in C.")},
    {"release_settled", (PyCFunction)(void (*)(void))Reviver_release_settled, METH_FASTCALL,
     PyDoc_STR("release_settled(chunks, fulfilled, rejected): _chunks.release_settled on "
               "the dict's chunks, in C.")},
    {"resolve_all", (PyCFunction)(void (*)(void))Reviver_resolve_all, METH_FASTCALL,
     PyDoc_STR("resolve_all(owner, root, chunks, initialize, refused, (pending, resolved, "
               "fulfilled)): Resolver.resolve_all's walk, in C.")},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject ReviverType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "rsc_flight._crevive.Reviver",
    .tp_doc = PyDoc_STR("Reviver(element, undefined, string, create_model, enter, tape, "
                        "element_cls, lazy_cls, symbol_cls, rules19, tag_first, shortcut, "
                        "orjson, max_depth, max_path, reduce, date_cls=None)\n--\n\n"
                        "Phase 1 of rsc_flight.model._revive in C, parse and revive in one "
                        "pass: reviver(text) -> (holder, tape), or None to ask the reference."),
    .tp_basicsize = sizeof(Reviver),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_new = Reviver_new,
    .tp_call = (ternaryfunc)Reviver_call,
    .tp_methods = Reviver_methods,
    .tp_traverse = (traverseproc)Reviver_traverse,
    .tp_clear = (inquiry)Reviver_clear,
    .tp_dealloc = (destructor)Reviver_dealloc,
};

static struct PyModuleDef crevive_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "rsc_flight._crevive",
    .m_doc = PyDoc_STR("Phase 1 of the reviver in C (see rsc_flight/model/_revive.py)."),
    .m_size = -1,
    .m_methods = module_methods,
};

static int
init_constants(void)
{
    if (s_empty != NULL) return 0;
    if ((s_empty = PyUnicode_InternFromString("")) == NULL ||
        (s_zero = PyUnicode_InternFromString("0")) == NULL ||
        (s_proto = PyUnicode_InternFromString("__proto__")) == NULL ||
        (s_last_store = PyUnicode_InternFromString("last_store")) == NULL ||
        (s_dev = PyUnicode_InternFromString("dev")) == NULL ||
        (s_promise = PyUnicode_InternFromString("promise")) == NULL ||
        (s_id = PyUnicode_InternFromString("id")) == NULL ||
        (s_zero_int = PyLong_FromLong(0)) == NULL ||
        (s_payload = PyUnicode_InternFromString("payload")) == NULL ||
        (s_rules18 = PyUnicode_InternFromString("18")) == NULL ||
        (s_rules19 = PyUnicode_InternFromString("19")) == NULL ||
        (s_handler = PyUnicode_InternFromString("_handler")) == NULL ||
        (s_budget = PyUnicode_InternFromString("budget")) == NULL ||
        (s_left = PyUnicode_InternFromString("left")) == NULL ||
        (s_built = PyUnicode_InternFromString("_built")) == NULL ||
        (s_initialize = PyUnicode_InternFromString("initialize")) == NULL ||
        (s_current = PyUnicode_InternFromString("_current")) == NULL ||
        (s_chunks = PyUnicode_InternFromString("chunks")) == NULL ||
        (s_init_depth = PyUnicode_InternFromString("_init_depth")) == NULL ||
        (s_limits = PyUnicode_InternFromString("limits")) == NULL ||
        (s_max_depth = PyUnicode_InternFromString("max_depth")) == NULL)
        return -1;
    for (int k = 0; k < N_CHUNK; k++)
        if ((chunk_names[k] = PyUnicode_InternFromString(CHUNK_SLOTS[k])) == NULL) return -1;
    for (int k = 0; k < 8; k++)
        if ((ops[k] = PyLong_FromLong(k)) == NULL) return -1;
    for (int k = 0; k < 4; k++)
        if ((shapes[k] = PyLong_FromLong(k)) == NULL) return -1;
    return 0;
}

/* Add a new reference to the module (PyModule_Add is 3.13+). */
static int
add_new(PyObject *m, const char *name, PyObject *value)
{
    int r = value == NULL ? -1 : PyModule_AddObjectRef(m, name, value);
    Py_XDECREF(value);
    return r;
}

PyMODINIT_FUNC
PyInit__crevive(void)
{
    PyObject *m;
    if (init_constants() < 0 || PyType_Ready(&ReviverType) < 0) return NULL;
    m = PyModule_Create(&crevive_module);
    if (m == NULL) return NULL;
    if (PyModule_AddObjectRef(m, "Reviver", (PyObject *)&ReviverType) < 0 ||
        add_new(m, "OPS", Py_BuildValue("(iiiiiiii)", OP_REF, OP_LAZY, OP_PROMISE, OP_ENTER,
                                        OP_EXIT, OP_THROW, OP_RAISE, OP_WARN)) < 0 ||
        add_new(m, "SHAPES", Py_BuildValue("(iiii)", LIST_ELEMENT, DICT_ELEMENT, LIST_MAYBE,
                                           DICT_MAYBE)) < 0 ||
        PyModule_AddIntConstant(m, "MAX_LEVELS", MAX_LEVELS) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
