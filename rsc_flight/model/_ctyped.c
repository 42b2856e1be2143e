/* rsc_flight._ctyped: typed JSON (model/typed_json.py), in C.
 *
 * The native twin of ``typed_json._Encoder``, which stays the reference.  An ``Encoder``
 * is built per document from the reference's own table (``typed_json._native_table``:
 * the encoder, native code and sharing of each type, the reference's helpers) and a
 * ``Budget``; ``encoder.encode(value, pointer, depth)`` gives the same structure the
 * reference's ``_Encoder.encode`` gives, or raises the same exception at the same point:
 *
 * - the same visit order (depth first, in document order), so shared values get the same
 *   ``{"$ref": pointer}`` and the budget trips on the same node with the same message
 *   (the messages are the Budget's own: ``exceeded()``, ``too_deep()``, ``too_big()``);
 * - the same charges: one node per value visited, a string's length, a ``$ref``'s text,
 *   the reused encodings of iterators (``items_once``) charged at once;
 * - the same calls into Python where the reference makes them, in the same order: a
 *   lazy's ``result``, a promise's ``_settle()``, and every leaf type this file does not
 *   write itself (BigInt, Date, references, errors, typed arrays, unknown values...),
 *   which goes to the reference's own encoder for that type, with the budget synced.
 *
 * What is faster: no Python frame per value, no pointer string per value (a pointer is
 * made only for a shared value, the first time it is met), and the hot types (str, int,
 * float, dict, list, element, lazy, undefined) written here.
 *
 * Hostile input: no recursion at all (an explicit, growable stack of open containers,
 * bounded by max_depth through the depth check); every allocation is checked and every
 * failure raises MemoryError and releases what was built; lists and dicts are read
 * live, as the reference's comprehensions read them (a dict changed while it is written
 * raises RuntimeError as iterating it in Python does).
 */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "structmember.h"
#include <math.h>
#include <stdint.h>
#include <string.h>

/* Native codes: typed_json._NATIVE_ORDER, by position from 1 (the module's CODES names
 * them, and typed_json checks them when it builds its table). */
enum {
    C_LEAF, C_DICT, C_LIST, C_FLOAT, C_LAZY, C_ELEMENT, C_UNDEFINED, C_MAP, C_SET,
    C_PROMISE, C_FORM, C_SERVER, C_ITERATOR, C_STREAM, C_ASYNC,
    C_PURE_LEAF, /* a leaf whose encoder never touches the budget: no sync */
    C_DATE,      /* _date: a pure leaf, with a fast path for the canonical form */
    N_CODES
};

/* Interned strings: keys of the output, attribute names, pointer suffixes. */
enum {
    S_TYPE, S_REF, S_OBJECT, S_VALUE, S_ELEMENT, S_KEY, S_PROPS, S_NUMBER, S_NAN, S_INF,
    S_NEG_INF, S_NEG_ZERO, S_UNDEFINED, S_THROWN, S_REASON, S_RESULT, S_MAP, S_ENTRIES,
    S_SET, S_VALUES, S_PROMISE, S_STATUS, S_FULFILLED, S_REJECTED, S_PENDING, S_SETTLE,
    S_FORM, S_SERVER, S_ID, S_BOUND, S_ITERATOR, S_STREAM, S_CHUNKS, S_ERROR, S_ASYNC_ITOR,
    S_ASYNC_ITBL, S_RETURN, S_RETURN_VALUE, S_ITERATOR_ATTR, S_STARTSWITH, S_DOLLAR,
    S_LEFT, S_BYTES_LEFT, S_EXCEEDED, S_TOO_DEEP, S_TOO_BIG, S_TYPE_NAME, S_REF_NAME,
    S_PROMISE_ATTR, S_DATE, S_RAW,
    P_TYPE, P_KEY, P_PROPS, P_REF, P_REASON, P_VALUE, P_ENTRIES, P_VALUES, P_BOUND, P_ID,
    P_CHUNKS, P_ERROR, P_RETURN, P_SLASH0, P_SLASH1, S_TILDE, S_TILDE0, S_SLASH, S_TILDE1,
    N_STRINGS
};
static const char *const STRINGS[N_STRINGS] = {
    "$type", "$ref", "object", "value", "element", "key", "props", "number", "NaN",
    "Infinity", "-Infinity", "-0", "undefined", "thrown", "reason", "result", "Map",
    "entries", "Set", "values", "Promise", "status", "fulfilled", "rejected", "pending",
    "_settle", "FormData", "serverReference", "id", "bound", "Iterator", "ReadableStream",
    "chunks", "error", "AsyncIterator", "AsyncIterable", "return", "return_value",
    "iterator", "startswith", "$", "left", "bytes_left", "exceeded", "too_deep", "too_big",
    "type", "ref", "promise", "Date", "raw",
    "/type", "/key", "/props", "/ref", "/reason", "/value", "/entries", "/values", "/bound",
    "/id", "/chunks", "/error", "/return", "/0", "/1", "~", "~0", "/", "~1",
};
static PyObject *S[N_STRINGS];
#define STR(i) (S[i])

/* Bounds on the budget's counters, so that subtracting a charge cannot overflow. */
#define COUNTER_MAX ((long long)1 << 62)

/* A value met and written: its {"$ref": pointer} (the table owns value and ref). */
typedef struct {
    PyObject *value;
    PyObject *pointer;
    PyObject *ref;      /* NULL until a second meeting asks for it */
} Seen;

enum { F_ENCODE, F_ITEMS, F_ONCE };

/* One field of an output object, written from one value. */
typedef struct {
    PyObject *key;    /* the output key (borrowed: interned) */
    PyObject *value;  /* owned */
    PyObject *suffix; /* pointer suffix (borrowed: interned) */
    int mode;
} Field;

enum { K_LIST, K_ONCE, K_DICT, K_PAIRS, K_FIELDS };
#define MAX_FIELDS 4

/* An open container being written. */
typedef struct {
    int kind;
    PyObject *src;      /* the list, dict or entries read (owned) */
    PyObject *out;      /* the list or dict written (owned) */
    PyObject *result;   /* what the frame gives when done (owned; may be out) */
    PyObject *prefix;   /* the pointer the children's pointers start with (owned) */
    Py_ssize_t i, size, depth;
    PyObject *cur;      /* dict: the key whose value is awaited; pairs: the written first */
    PyObject *second;   /* pairs: the value of the current entry (owned) */
    PyObject *entry;    /* pairs: prefix/i (owned) */
    int form, half;     /* pairs: FormData (a str name is written as is); 0 key, 1 value */
    Field fields[MAX_FIELDS];
    int nfields;
    /* once (items_once): the list as given, the key, and the counters at the start */
    PyObject *orig, *once_key;
    Py_ssize_t seen0;
    long long left0, bytes0;
} Frame;

typedef struct {
    PyObject_HEAD
    PyObject *budget;       /* the reference's Budget: messages, leaf encoders' charges */
    PyObject *by_type;      /* {type: (code, encoder, shared)}, filled as types are met */
    PyObject *entry_fn;     /* type -> (code, encoder, shared), for a type not yet met */
    PyObject *key_pointer;  /* (pointer, key) -> pointer, for a key that is not a str */
    PyObject *unpack2;      /* entry -> (a, b), for an entry that is not a pair tuple */
    PyObject *error_raised; /* ErrorRaised */
    PyObject *promise_cls;  /* JSPromise */
    PyObject *undefined;    /* UNDEFINED */
    PyTypeObject *element_cls, *lazy_cls, *undefined_cls, *date_cls;
    PyObject *reused, *reused_lists; /* items_once's two caches */
    long long left, bytes_left;
    Py_ssize_t max_depth;
    Seen *seen;
    Py_ssize_t seen_count, seen_cap;
    Frame *frames;
    Py_ssize_t sp, frames_cap;
    int busy;
} Encoder;

/* -- the budget --------------------------------------------------------------------- */

static long long
clamp_counter(PyObject *n)
{
    int overflow = 0;
    long long v = PyLong_AsLongLongAndOverflow(n, &overflow);
    if (overflow > 0 || v > COUNTER_MAX) return COUNTER_MAX;
    if (overflow < 0 || v < -COUNTER_MAX) return -COUNTER_MAX;
    return v;
}

/* Raise the Budget's own error: budget.exceeded() / too_deep() / too_big(). */
static int
raise_budget(Encoder *E, int which)
{
    PyObject *exc = PyObject_CallMethodNoArgs(E->budget, STR(which));
    if (exc == NULL) return -1;
    PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
    Py_DECREF(exc);
    return -1;
}

static inline int
charge_bytes(Encoder *E, long long n)
{
    E->bytes_left -= n;
    if (E->bytes_left < 0) return raise_budget(E, S_TOO_BIG);
    return 0;
}

/* Write the counters to the Budget (a leaf encoder of the reference may charge it). */
static int
sync_out(Encoder *E)
{
    PyObject *v = PyLong_FromLongLong(E->left);
    int rc;
    if (v == NULL) return -1;
    rc = PyObject_SetAttr(E->budget, STR(S_LEFT), v);
    Py_DECREF(v);
    if (rc < 0) return -1;
    v = PyLong_FromLongLong(E->bytes_left);
    if (v == NULL) return -1;
    rc = PyObject_SetAttr(E->budget, STR(S_BYTES_LEFT), v);
    Py_DECREF(v);
    return rc;
}

static int
sync_in(Encoder *E)
{
    PyObject *v = PyObject_GetAttr(E->budget, STR(S_LEFT));
    if (v == NULL) return -1;
    E->left = clamp_counter(v);
    Py_DECREF(v);
    if (PyErr_Occurred()) return -1;
    v = PyObject_GetAttr(E->budget, STR(S_BYTES_LEFT));
    if (v == NULL) return -1;
    E->bytes_left = clamp_counter(v);
    Py_DECREF(v);
    return PyErr_Occurred() ? -1 : 0;
}

/* -- values written once: an open-addressing table by identity ---------------------- */

static inline size_t
slot_of(PyObject *v, Py_ssize_t cap)
{
    uintptr_t h = (uintptr_t)v >> 4;
    h *= (uintptr_t)0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 7) & (size_t)(cap - 1);
}

static Seen *
seen_find(Encoder *E, PyObject *v)
{
    size_t k;
    if (E->seen_cap == 0) return NULL;
    k = slot_of(v, E->seen_cap);
    while (E->seen[k].value != NULL) {
        if (E->seen[k].value == v) return &E->seen[k];
        k = (k + 1) & (size_t)(E->seen_cap - 1);
    }
    return NULL;
}

static int
seen_grow(Encoder *E)
{
    Py_ssize_t cap = E->seen_cap ? E->seen_cap * 2 : 256;
    Seen *old = E->seen, *table;
    if (cap > PY_SSIZE_T_MAX / (Py_ssize_t)sizeof(Seen)) {
        PyErr_NoMemory();
        return -1;
    }
    table = PyMem_Calloc((size_t)cap, sizeof(Seen));
    if (table == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t j = 0; j < E->seen_cap; j++) {
        if (old[j].value != NULL) {
            size_t k = slot_of(old[j].value, cap);
            while (table[k].value != NULL) k = (k + 1) & (size_t)(cap - 1);
            table[k] = old[j];
        }
    }
    PyMem_Free(old);
    E->seen = table;
    E->seen_cap = cap;
    return 0;
}

/* Record v as written at pointer.  Its {"$ref": pointer} is made when first asked for
 * (most shared values are met once), then the same object at every reference. */
static int
seen_add(Encoder *E, PyObject *v, PyObject *pointer)
{
    size_t k;
    if ((E->seen_count + 1) * 2 > E->seen_cap && seen_grow(E) < 0) return -1;
    k = slot_of(v, E->seen_cap);
    while (E->seen[k].value != NULL) k = (k + 1) & (size_t)(E->seen_cap - 1);
    E->seen[k].value = Py_NewRef(v);
    E->seen[k].pointer = Py_NewRef(pointer);
    E->seen[k].ref = NULL;
    E->seen_count++;
    return 0;
}

/* The {"$ref": pointer} of an entry (new reference). */
static PyObject *
seen_ref(Seen *s)
{
    if (s->ref == NULL) {
        PyObject *ref = PyDict_New();
        if (ref == NULL) return NULL;
        if (PyDict_SetItem(ref, STR(S_REF), s->pointer) < 0) {
            Py_DECREF(ref);
            return NULL;
        }
        s->ref = ref;
    }
    return Py_NewRef(s->ref);
}

/* -- pointers, made only when a value needs one ---------------------------------------- */

enum { P_MADE, P_INDEX, P_KEYED, P_SUFFIX };

typedef struct {
    int kind;
    PyObject *prefix;   /* borrowed */
    PyObject *part;     /* borrowed: the key (a str) or the suffix */
    Py_ssize_t index;
    PyObject *made;     /* owned once made (P_MADE: borrowed, see ptr_done) */
    int owns;
} Ptr;

/* A key as a JSON Pointer token: "~" as "~0", "/" as "~1" (typed_json._escape). */
static PyObject *
escaped(PyObject *key)
{
    PyObject *a, *b;
    Py_ssize_t n = PyUnicode_GET_LENGTH(key);
    if (PyUnicode_FindChar(key, '~', 0, n, 1) == -1 && PyUnicode_FindChar(key, '/', 0, n, 1) == -1)
        return Py_NewRef(key);
    a = PyUnicode_Replace(key, STR(S_TILDE), STR(S_TILDE0), -1);
    if (a == NULL) return NULL;
    b = PyUnicode_Replace(a, STR(S_SLASH), STR(S_TILDE1), -1);
    Py_DECREF(a);
    return b;
}

/* The pointer (borrowed from p), made now if it was not. */
static PyObject *
ptr_get(Ptr *p)
{
    PyObject *esc;
    if (p->made != NULL) return p->made;
    switch (p->kind) {
    case P_INDEX:
        p->made = PyUnicode_FromFormat("%U/%zd", p->prefix, p->index);
        break;
    case P_KEYED:
        esc = escaped(p->part);
        if (esc == NULL) return NULL;
        p->made = PyUnicode_FromFormat("%U/%U", p->prefix, esc);
        Py_DECREF(esc);
        break;
    default:
        p->made = PyUnicode_Concat(p->prefix, p->part);
        break;
    }
    p->owns = p->made != NULL;
    return p->made;
}

static inline void
ptr_done(Ptr *p)
{
    if (p->owns) Py_CLEAR(p->made);
}

/* -- the stack of open containers ------------------------------------------------------ */

static void
frame_clear(Frame *f)
{
    Py_CLEAR(f->src);
    Py_CLEAR(f->out);
    Py_CLEAR(f->result);
    Py_CLEAR(f->prefix);
    Py_CLEAR(f->cur);
    Py_CLEAR(f->second);
    Py_CLEAR(f->entry);
    Py_CLEAR(f->orig);
    Py_CLEAR(f->once_key);
    for (int j = 0; j < f->nfields; j++) Py_CLEAR(f->fields[j].value);
    f->nfields = 0;
}

/* A new frame on top, zeroed; NULL (MemoryError) if the stack cannot grow. */
static Frame *
push(Encoder *E, int kind, Py_ssize_t depth)
{
    Frame *f;
    if (E->sp == E->frames_cap) {
        Py_ssize_t cap = E->frames_cap ? E->frames_cap * 2 : 64;
        Frame *grown;
        if (cap > PY_SSIZE_T_MAX / (Py_ssize_t)sizeof(Frame)) {
            PyErr_NoMemory();
            return NULL;
        }
        grown = PyMem_Realloc(E->frames, (size_t)cap * sizeof(Frame));
        if (grown == NULL) {
            PyErr_NoMemory();
            return NULL;
        }
        E->frames = grown;
        E->frames_cap = cap;
    }
    f = &E->frames[E->sp++];
    memset(f, 0, sizeof *f);
    f->kind = kind;
    f->depth = depth;
    return f;
}

/* A list to read: ``values`` itself, or the list of what it iterates (the reference's
 * comprehensions take any iterable; the decoder only ever makes lists). */
static PyObject *
as_list(PyObject *values)
{
    return PyList_Check(values) ? Py_NewRef(values) : PySequence_List(values);
}

/* Open a frame writing the items of ``values`` to a new list, pointers under prefix. */
static int
push_items(Encoder *E, int kind, PyObject *values, PyObject *prefix, Py_ssize_t depth)
{
    PyObject *src = as_list(values), *out;
    Frame *f;
    if (src == NULL) return -1;
    out = PyList_New(0);
    if (out == NULL || (f = push(E, kind, depth)) == NULL) {
        Py_DECREF(src);
        Py_XDECREF(out);
        return -1;
    }
    f->src = src;
    f->out = out;
    f->result = Py_NewRef(out);
    f->prefix = Py_NewRef(prefix);
    return 1;
}

/* A frame writing the fields of ``out`` (stolen), the value's pointer p as prefix. */
static Frame *
push_fields(Encoder *E, PyObject *out, Ptr *p, Py_ssize_t depth)
{
    PyObject *prefix = ptr_get(p);
    Frame *f;
    if (prefix == NULL || (f = push(E, K_FIELDS, depth)) == NULL) {
        Py_DECREF(out);
        return NULL;
    }
    f->out = out;
    f->result = Py_NewRef(out);
    f->prefix = Py_NewRef(prefix);
    return f;
}

/* Add a field to the frame on top (value stolen; NULL: an error is set). */
static int
add_field(Frame *f, int key, PyObject *value, int suffix, int mode)
{
    if (value == NULL) return -1;
    f->fields[f->nfields].key = STR(key);
    f->fields[f->nfields].value = value;
    f->fields[f->nfields].suffix = STR(suffix);
    f->fields[f->nfields].mode = mode;
    f->nfields++;
    return 0;
}

/* {"$type": type, k1: v1, ...}: keys and values as parallel arrays after the type; a
 * NULL value (or values NULL) is a None that holds the key's place until it is written. */
static PyObject *
typed(PyObject *type, int n, const int *keys, PyObject *const *values)
{
    PyObject *d = PyDict_New();
    if (d == NULL) return NULL;
    if (PyDict_SetItem(d, STR(S_TYPE), type) < 0) goto fail;
    for (int j = 0; j < n; j++)
        if (PyDict_SetItem(d, STR(keys[j]), values && values[j] ? values[j] : Py_None) < 0)
            goto fail;
    return d;
fail:
    Py_DECREF(d);
    return NULL;
}

/* -- visiting one value (typed_json._Encoder.encode) ---------------------------------- */

/* The table's entry for a type not written here: (code, encoder, shared), found once. */
static int
lookup(Encoder *E, PyTypeObject *t, int *code, PyObject **fn, int *shared)
{
    PyObject *entry = PyDict_GetItemWithError(E->by_type, (PyObject *)t);
    long c;
    if (entry != NULL) {
        Py_INCREF(entry);
    } else {
        if (PyErr_Occurred()) return -1;
        entry = PyObject_CallOneArg(E->entry_fn, (PyObject *)t);
        if (entry == NULL) return -1;
        if (PyDict_SetItem(E->by_type, (PyObject *)t, entry) < 0) goto fail;
    }
    if (!PyTuple_CheckExact(entry) || PyTuple_GET_SIZE(entry) != 3) {
        PyErr_SetString(PyExc_TypeError, "typed JSON: a table entry is not (code, encoder, shared)");
        goto fail;
    }
    c = PyLong_AsLong(PyTuple_GET_ITEM(entry, 0));
    if (c == -1 && PyErr_Occurred()) goto fail;
    if (c < 0 || c >= N_CODES) {
        PyErr_SetString(PyExc_ValueError, "typed JSON: unknown native code");
        goto fail;
    }
    *code = (int)c;
    *shared = PyObject_IsTrue(PyTuple_GET_ITEM(entry, 2));
    if (*shared < 0) goto fail;
    *fn = Py_NewRef(PyTuple_GET_ITEM(entry, 1));
    Py_DECREF(entry);
    return 0;
fail:
    Py_DECREF(entry);
    return -1;
}

/* typed_json._number. */
static PyObject *
number(PyObject *value)
{
    double x = PyFloat_AS_DOUBLE(value);
    const int key = S_VALUE;
    PyObject *text;
    if (isnan(x)) text = STR(S_NAN);
    else if (isinf(x)) text = x > 0 ? STR(S_INF) : STR(S_NEG_INF);
    else if (x == 0 && signbit(x)) text = STR(S_NEG_ZERO);
    else if (x == floor(x) && fabs(x) < 1e21) return PyLong_FromDouble(x);
    else return Py_NewRef(value);
    return typed(STR(S_NUMBER), 1, &key, &text);
}

/* Attribute name of value, as a new reference (NULL: error set). */
#define ATTR(v, i) PyObject_GetAttr((v), STR(i))

static int
str_equals(PyObject *a, int i)
{
    return PyObject_RichCompareBool(a, STR(i), Py_EQ);
}

/* A lazy that threw: {"$type": "thrown", "reason": <what was thrown>}. */
static int
visit_thrown(Encoder *E, Ptr *p, Py_ssize_t depth)
{
    PyObject *type, *exc, *tb, *thrown = NULL, *out;
    const int key = S_REASON;
    Frame *f;
    PyErr_Fetch(&type, &exc, &tb);
    PyErr_NormalizeException(&type, &exc, &tb);
    if (exc != NULL) thrown = ATTR(exc, S_VALUE);
    Py_XDECREF(type);
    Py_XDECREF(exc);
    Py_XDECREF(tb);
    if (thrown == NULL) return -1;
    out = typed(STR(S_THROWN), 1, &key, NULL);
    if (out == NULL || (f = push_fields(E, out, p, depth)) == NULL) {
        Py_DECREF(thrown);
        return -1;
    }
    return add_field(f, S_REASON, thrown, P_REASON, F_ENCODE) < 0 ? -1 : 1;
}

/* A dict: its items under the same keys, wrapped as {"$type": "object", "value": ...}
 * when a key starts with "$" (typed_json._dict). */
static int
visit_dict(Encoder *E, PyObject *value, Ptr *p, Py_ssize_t depth, PyObject **out)
{
    Py_ssize_t pos = 0;
    PyObject *k, *inner, *result, *prefix = ptr_get(p);
    int wrap = 0;
    Frame *f;
    if (prefix == NULL) return -1;
    while (!wrap && PyDict_Next(value, &pos, &k, NULL)) {
        if (PyUnicode_CheckExact(k)) {
            wrap = PyUnicode_GET_LENGTH(k) > 0 && PyUnicode_READ_CHAR(k, 0) == '$';
        } else {  /* what k.startswith("$") does, whatever k is */
            PyObject *r;
            Py_INCREF(k);
            r = PyObject_CallMethodOneArg(k, STR(S_STARTSWITH), STR(S_DOLLAR));
            Py_DECREF(k);
            if (r == NULL) return -1;
            wrap = PyObject_IsTrue(r);
            Py_DECREF(r);
            if (wrap < 0) return -1;
        }
    }
    inner = PyDict_New();
    if (inner == NULL) return -1;
    if (wrap) {
        const int keys[1] = {S_VALUE};
        result = typed(STR(S_OBJECT), 1, keys, &inner);
        prefix = PyUnicode_Concat(prefix, STR(P_VALUE));
        if (result == NULL || prefix == NULL) goto fail;
    } else {
        result = Py_NewRef(inner);
        Py_INCREF(prefix);
    }
    if (PyDict_GET_SIZE(value) == 0) {
        Py_DECREF(inner);
        Py_DECREF(prefix);
        *out = result;
        return 0;
    }
    if ((f = push(E, K_DICT, depth)) == NULL) goto fail;
    f->src = Py_NewRef(value);
    f->out = inner;
    f->result = result;
    f->prefix = prefix;
    f->size = PyDict_GET_SIZE(value);
    return 1;
fail:
    Py_DECREF(inner);
    Py_XDECREF(result);
    Py_XDECREF(prefix);
    return -1;
}

/* An element: {"$type": "element", "type", "key", "props"[, "ref"]} (_element). */
static int
visit_element(Encoder *E, PyObject *value, Ptr *p, Py_ssize_t depth)
{
    static const int keys[4] = {S_TYPE_NAME, S_KEY, S_PROPS, S_REF_NAME};
    static const int suffixes[4] = {P_TYPE, P_KEY, P_PROPS, P_REF};
    PyObject *ref = ATTR(value, S_REF_NAME), *out;
    Frame *f;
    int n;
    if (ref == NULL) return -1;
    n = ref != Py_None && ref != E->undefined ? 4 : 3;
    out = typed(STR(S_ELEMENT), n, keys, NULL);
    if (out == NULL || (f = push_fields(E, out, p, depth)) == NULL) {
        Py_DECREF(ref);
        return -1;
    }
    for (int j = 0; j < 3; j++)
        if (add_field(f, keys[j], ATTR(value, keys[j]), suffixes[j], F_ENCODE) < 0) {
            Py_DECREF(ref);
            return -1;
        }
    if (n == 4) return add_field(f, S_REF_NAME, ref, P_REF, F_ENCODE) < 0 ? -1 : 1;
    Py_DECREF(ref);
    return 1;
}

/* A promise, settled first: fulfilled with its value, rejected with its reason, or
 * pending (any other status) (_promise). */
static int
visit_promise(Encoder *E, PyObject *value, Ptr *p, Py_ssize_t depth, PyObject **out)
{
    static const int keys[2] = {S_STATUS, S_VALUE}, rkeys[2] = {S_STATUS, S_REASON};
    PyObject *r = PyObject_CallMethodNoArgs(value, STR(S_SETTLE)), *status, *o;
    PyObject *vals[2] = {NULL, NULL};
    int fulfilled, rejected = 0;
    Frame *f;
    if (r == NULL) return -1;
    Py_DECREF(r);
    if ((status = ATTR(value, S_STATUS)) == NULL) return -1;
    fulfilled = str_equals(status, S_FULFILLED);
    Py_DECREF(status);
    if (fulfilled < 0) return -1;
    if (!fulfilled) {
        if ((status = ATTR(value, S_STATUS)) == NULL) return -1;
        rejected = str_equals(status, S_REJECTED);
        Py_DECREF(status);
        if (rejected < 0) return -1;
    }
    if (!fulfilled && !rejected) {
        vals[0] = STR(S_PENDING);
        *out = typed(STR(S_PROMISE), 1, keys, vals);
        return *out == NULL ? -1 : 0;
    }
    vals[0] = STR(fulfilled ? S_FULFILLED : S_REJECTED);
    o = typed(STR(S_PROMISE), 2, fulfilled ? keys : rkeys, vals);
    if (o == NULL || (f = push_fields(E, o, p, depth)) == NULL) return -1;
    if (fulfilled) return add_field(f, S_VALUE, ATTR(value, S_VALUE), P_VALUE, F_ENCODE) < 0 ? -1 : 1;
    return add_field(f, S_REASON, ATTR(value, S_REASON), P_REASON, F_ENCODE) < 0 ? -1 : 1;
}

/* A server reference: {"$type": "serverReference", "id", "bound"}; the bound arguments
 * are written first, then an id that is not a str (_server_reference). */
static int
visit_server(Encoder *E, PyObject *value, Ptr *p, Py_ssize_t depth)
{
    static const int keys[2] = {S_ID, S_BOUND};
    PyObject *bound = ATTR(value, S_BOUND), *items = NULL, *id, *empty, *o, *vals[2];
    Frame *f;
    int is_promise;
    if (bound == NULL) return -1;
    is_promise = PyObject_IsInstance(bound, E->promise_cls);
    if (is_promise < 0) goto fail;
    if (is_promise) {
        PyObject *r = PyObject_CallMethodNoArgs(bound, STR(S_SETTLE)), *status;
        int ok;
        if (r == NULL) goto fail;
        Py_DECREF(r);
        if ((status = ATTR(bound, S_STATUS)) == NULL) goto fail;
        ok = str_equals(status, S_FULFILLED);
        Py_DECREF(status);
        if (ok < 0) goto fail;
        if (ok) {
            if ((items = ATTR(bound, S_VALUE)) == NULL) goto fail;
            if (!PyList_Check(items)) Py_CLEAR(items);
        }
    } else if (PyList_Check(bound)) {
        items = Py_NewRef(bound);
    }
    Py_DECREF(bound);
    if ((id = ATTR(value, S_ID)) == NULL) {
        Py_XDECREF(items);
        return -1;
    }
    empty = PyList_New(0);
    vals[0] = PyUnicode_Check(id) ? id : NULL;
    vals[1] = empty;
    o = empty == NULL ? NULL : typed(STR(S_SERVER), 2, keys, vals);
    Py_XDECREF(empty);
    if (o == NULL || (f = push_fields(E, o, p, depth)) == NULL) {
        Py_XDECREF(items);
        Py_DECREF(id);
        return -1;
    }
    if (items != NULL && add_field(f, S_BOUND, items, P_BOUND, F_ITEMS) < 0) {
        Py_DECREF(id);
        return -1;
    }
    if (!PyUnicode_Check(id)) return add_field(f, S_ID, id, P_ID, F_ENCODE) < 0 ? -1 : 1;
    Py_DECREF(id);
    return 1;
fail:
    Py_DECREF(bound);
    return -1;
}

/* A Map or FormData: {"$type": ..., "entries": [[key, value], ...]} (_map, _form_data). */
static int
visit_pairs(Encoder *E, PyObject *value, Ptr *p, Py_ssize_t depth, int form, PyObject **out)
{
    const int key = S_ENTRIES;
    PyObject *entries = ATTR(value, S_ENTRIES), *src, *list, *result, *prefix;
    Frame *f;
    if (entries == NULL) return -1;
    src = as_list(entries);
    Py_DECREF(entries);
    if (src == NULL) return -1;
    if ((list = PyList_New(0)) == NULL) goto fail;
    result = typed(STR(form ? S_FORM : S_MAP), 1, &key, &list);
    Py_DECREF(list);
    if (result == NULL) goto fail;
    if (PyList_GET_SIZE(src) == 0) {
        Py_DECREF(src);
        *out = result;
        return 0;
    }
    if ((prefix = ptr_get(p)) == NULL || (prefix = PyUnicode_Concat(prefix, STR(P_ENTRIES))) == NULL) {
        Py_DECREF(result);
        goto fail;
    }
    if ((f = push(E, K_PAIRS, depth)) == NULL) {
        Py_DECREF(result);
        Py_DECREF(prefix);
        goto fail;
    }
    f->src = src;
    f->out = Py_NewRef(list);  /* held by result */
    f->result = result;
    f->prefix = prefix;
    f->form = form;
    return 1;
fail:
    Py_DECREF(src);
    return -1;
}

/* Set, Iterator, ReadableStream, AsyncIterable: a list of values under one key, and
 * for the last two, more fields (_set, _iterator, _stream, _async_iterable). */
static int
visit_sequence(Encoder *E, PyObject *value, Ptr *p, Py_ssize_t depth, int code)
{
    int keys[3] = {S_VALUES, S_RETURN, S_ERROR}, n = 1, mode = F_ITEMS;
    int attr = S_VALUES, suffix = P_VALUES;
    PyObject *type, *error = NULL, *o;
    Frame *f;
    switch (code) {
    case C_SET: type = STR(S_SET); break;
    case C_ITERATOR: type = STR(S_ITERATOR); mode = F_ONCE; break;
    case C_STREAM:
        type = STR(S_STREAM);
        keys[0] = attr = S_CHUNKS;
        suffix = P_CHUNKS;
        keys[1] = S_ERROR;
        break;
    default: {
        PyObject *it = ATTR(value, S_ITERATOR_ATTR);
        int truth;
        if (it == NULL) return -1;
        truth = PyObject_IsTrue(it);
        Py_DECREF(it);
        if (truth < 0) return -1;
        type = STR(truth ? S_ASYNC_ITOR : S_ASYNC_ITBL);
        n = 2;
    }
    }
    if (code == C_STREAM || code == C_ASYNC) {
        if ((error = ATTR(value, S_ERROR)) == NULL) return -1;
        if (error == Py_None) Py_CLEAR(error);
        else n++;
    }
    o = typed(type, n, keys, NULL);
    if (o == NULL || (f = push_fields(E, o, p, depth)) == NULL) goto fail;
    if (add_field(f, keys[0], ATTR(value, attr), suffix, mode) < 0) goto fail;
    if (code == C_ASYNC &&
        add_field(f, S_RETURN, ATTR(value, S_RETURN_VALUE), P_RETURN, F_ENCODE) < 0)
        goto fail;
    if (error != NULL) return add_field(f, S_ERROR, error, P_ERROR, F_ENCODE) < 0 ? -1 : 1;
    return 1;
fail:
    Py_XDECREF(error);
    return -1;
}

/* Whether text is "YYYY-MM-DDTHH:MM:SS.mmmZ", a valid date and time that toISOString
 * writes back as the same text (no day past the month's end, no hour 24). */
static int
canonical_date(PyObject *text)
{
    static const char shape[] = "dddd-dd-ddTdd:dd:dd.dddZ";
    static const int month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const Py_UCS1 *t;
    int year, month, day, last;
    if (!PyUnicode_CheckExact(text) || PyUnicode_GET_LENGTH(text) != 24 ||
        PyUnicode_KIND(text) != PyUnicode_1BYTE_KIND)
        return 0;
    t = PyUnicode_1BYTE_DATA(text);
    for (int j = 0; j < 24; j++) {
        if (shape[j] == 'd' ? (t[j] < '0' || t[j] > '9') : t[j] != (Py_UCS1)shape[j]) return 0;
    }
#define NUM2(at) ((t[at] - '0') * 10 + (t[at + 1] - '0'))
    year = NUM2(0) * 100 + NUM2(2);
    month = NUM2(5);
    day = NUM2(8);
    if (month < 1 || month > 12 || day < 1) return 0;
    last = month_days[month - 1] +
           (month == 2 && year % 4 == 0 && (year % 100 != 0 || year % 400 == 0));
    return day <= last && NUM2(11) < 24 && NUM2(14) < 60 && NUM2(17) < 60;
#undef NUM2
}

/* A Date: {"$type": "Date", "value": <its ISO text>}, or null when invalid (_date); the
 * canonical text of an exact JSDate is its own ISO text, anything else asks the
 * reference's encoder. */
static int
visit_date(Encoder *E, PyObject *fn, PyObject *value, Ptr *p, Py_ssize_t depth, PyObject **out);

/* A type written by the reference's own encoder (a leaf: it writes no values of the
 * graph), the budget handed over and back unless the encoder is known not to charge it. */
static int
visit_leaf(Encoder *E, PyObject *fn, PyObject *value, Ptr *p, Py_ssize_t depth, int sync,
           PyObject **out)
{
    PyObject *pointer = ptr_get(p), *d, *r;
    if (pointer == NULL || (sync && sync_out(E) < 0)) return -1;
    if ((d = PyLong_FromSsize_t(depth)) == NULL) return -1;
    r = PyObject_CallFunctionObjArgs(fn, (PyObject *)E, value, pointer, d, NULL);
    Py_DECREF(d);
    if (r == NULL) return -1;
    if (sync && sync_in(E) < 0) {
        Py_DECREF(r);
        return -1;
    }
    *out = r;
    return 0;
}

static int
visit_date(Encoder *E, PyObject *fn, PyObject *value, Ptr *p, Py_ssize_t depth, PyObject **out)
{
    const int key = S_VALUE;
    if (Py_TYPE(value) == E->date_cls) {
        PyObject *raw = ATTR(value, S_RAW);
        if (raw == NULL) return -1;
        if (canonical_date(raw)) {
            *out = typed(STR(S_DATE), 1, &key, &raw);
            Py_DECREF(raw);
            return *out == NULL ? -1 : 0;
        }
        Py_DECREF(raw);
    }
    if (fn == NULL) {
        PyErr_SetString(PyExc_SystemError, "typed JSON: no encoder");
        return -1;
    }
    return visit_leaf(E, fn, value, p, depth, 0, out);
}

/* What ``lazy.result`` gives when the lazy and its promise are exactly Lazy and
 * JSPromise and the promise is fulfilled (``_settle`` then does nothing and ``result`` is
 * ``value``): a new reference; NULL, no error set, when that is not so. */
static PyObject *
fulfilled_value(Encoder *E, PyObject *lazy)
{
    PyObject *promise, *status, *value = NULL;
    if (Py_TYPE(lazy) != E->lazy_cls) return NULL;
    if ((promise = ATTR(lazy, S_PROMISE_ATTR)) != NULL) {
        if (Py_TYPE(promise) == (PyTypeObject *)E->promise_cls) {
            status = ATTR(promise, S_STATUS);
            if (status != NULL && status == STR(S_FULFILLED)) value = ATTR(promise, S_VALUE);
            Py_XDECREF(status);
        }
        Py_DECREF(promise);
    }
    if (value == NULL) PyErr_Clear();  /* anything unusual: ask the property itself */
    return value;
}

/* Visit ``value`` at pointer p, ``depth`` levels down: 0 and *out its typed JSON, 1 a
 * frame was pushed (its result comes when it finishes), -1 an exception. */
static int
visit_value(Encoder *E, PyObject *value, Ptr *p, Py_ssize_t depth, PyObject **out)
{
    PyObject *hold = NULL, *fn = NULL;  /* a lazy's result; the leaf encoder */
    int rc = -1, code, shared;
    for (;;) {
        PyTypeObject *t = Py_TYPE(value);
        if (--E->left < 0) {
            raise_budget(E, S_EXCEEDED);
            goto done;
        }
        if (depth > E->max_depth) {
            raise_budget(E, S_TOO_DEEP);
            goto done;
        }
        if (t == &PyUnicode_Type) {
            /* strings are written at every occurrence: their bytes are charged */
            if (charge_bytes(E, PyUnicode_GET_LENGTH(value)) < 0) goto done;
            *out = Py_NewRef(value);
            rc = 0;
            goto done;
        }
        if (t == &PyLong_Type || t == &PyBool_Type || value == Py_None) {
            *out = Py_NewRef(value);
            rc = 0;
            goto done;
        }
        shared = 0;
        if (t == &PyFloat_Type) code = C_FLOAT;
        else if (t == &PyDict_Type) code = C_DICT, shared = 1;
        else if (t == &PyList_Type) code = C_LIST, shared = 1;
        else if (t == E->element_cls) code = C_ELEMENT, shared = 1;
        else if (t == E->lazy_cls) code = C_LAZY;
        else if (t == E->undefined_cls) code = C_UNDEFINED;
        else if (lookup(E, t, &code, &fn, &shared) < 0) goto done;
        if (shared) {
            Seen *s = seen_find(E, value);
            PyObject *pointer;
            if (s != NULL) {
                /* charged as the text it is, {"$ref": "<pointer>"} */
                if (charge_bytes(E, (long long)PyUnicode_GET_LENGTH(s->pointer) + 12) < 0)
                    goto done;
                *out = seen_ref(s);
                rc = *out == NULL ? -1 : 0;
                goto done;
            }
            if ((pointer = ptr_get(p)) == NULL || seen_add(E, value, pointer) < 0) goto done;
        }
        depth++;
        if (code != C_LAZY) break;
        {   /* lazies are transparent: what they resolve to, at the same pointer */
            PyObject *resolved = fulfilled_value(E, value);
            if (resolved == NULL) resolved = ATTR(value, S_RESULT);
            if (resolved == NULL) {
                if (PyErr_ExceptionMatches(E->error_raised)) rc = visit_thrown(E, p, depth);
                goto done;
            }
            Py_XSETREF(hold, resolved);
            value = hold;
        }
    }
    switch (code) {
    case C_FLOAT:
        *out = number(value);
        rc = *out == NULL ? -1 : 0;
        break;
    case C_UNDEFINED:
        *out = typed(STR(S_UNDEFINED), 0, NULL, NULL);
        rc = *out == NULL ? -1 : 0;
        break;
    case C_DICT: rc = visit_dict(E, value, p, depth, out); break;
    case C_LIST:
        if (PyList_GET_SIZE(value) == 0) {
            *out = PyList_New(0);
            rc = *out == NULL ? -1 : 0;
        } else {
            PyObject *pointer = ptr_get(p);
            rc = pointer == NULL ? -1 : push_items(E, K_LIST, value, pointer, depth);
        }
        break;
    case C_ELEMENT: rc = visit_element(E, value, p, depth); break;
    case C_PROMISE: rc = visit_promise(E, value, p, depth, out); break;
    case C_SERVER: rc = visit_server(E, value, p, depth); break;
    case C_MAP: rc = visit_pairs(E, value, p, depth, 0, out); break;
    case C_FORM: rc = visit_pairs(E, value, p, depth, 1, out); break;
    case C_SET: case C_ITERATOR: case C_STREAM: case C_ASYNC:
        rc = visit_sequence(E, value, p, depth, code);
        break;
    case C_DATE:
        rc = visit_date(E, fn, value, p, depth, out);
        break;
    default:
        if (fn == NULL) {
            PyErr_SetString(PyExc_SystemError, "typed JSON: no encoder");
            break;
        }
        rc = visit_leaf(E, fn, value, p, depth, code == C_LEAF, out);
    }
done:
    Py_XDECREF(fn);
    Py_XDECREF(hold);
    return rc;
}

/* -- advancing the open container on top -------------------------------------------- */

/* items_once: the earlier encoding of the very same items when it fits, charged at once;
 * else a frame that records its encoding when it finishes (typed_json.items_once). */
static PyObject *
ids_of(PyObject *values)
{
    PyObject *seq = PySequence_Tuple(values), *ids;
    Py_ssize_t n;
    if (seq == NULL) return NULL;
    n = PyTuple_GET_SIZE(seq);
    if ((ids = PyTuple_New(n)) == NULL) goto done;
    for (Py_ssize_t j = 0; j < n; j++) {
        PyObject *id = PyLong_FromVoidPtr(PyTuple_GET_ITEM(seq, j));
        if (id == NULL) {
            Py_CLEAR(ids);
            break;
        }
        PyTuple_SET_ITEM(ids, j, id);
    }
done:
    Py_DECREF(seq);
    return ids;
}

static int
items_once(Encoder *E, PyObject *values, PyObject *prefix, Py_ssize_t depth, PyObject **out)
{
    PyObject *vid = PyLong_FromVoidPtr(values), *known, *key = NULL;
    Frame *f;
    if (vid == NULL) return -1;
    known = PyDict_GetItemWithError(E->reused_lists, vid);  /* borrowed */
    Py_DECREF(vid);
    if (known == NULL && PyErr_Occurred()) return -1;
    if (known == NULL || PyTuple_GET_ITEM(known, 0) != values) {
        if ((key = ids_of(values)) == NULL) return -1;
        known = PyDict_GetItemWithError(E->reused, key);
        if (known == NULL && PyErr_Occurred()) goto fail;
    }
    if (known != NULL) {
        Py_ssize_t fitted = PyLong_AsSsize_t(PyTuple_GET_ITEM(known, 2));
        if (fitted == -1 && PyErr_Occurred()) goto fail;
        if (depth <= fitted) {  /* it fitted deeper down: it fits here */
            long long nodes = clamp_counter(PyTuple_GET_ITEM(known, 3));
            long long size = clamp_counter(PyTuple_GET_ITEM(known, 4));
            Py_XDECREF(key);
            E->left -= nodes;
            if (E->left < 0) return raise_budget(E, S_EXCEEDED);
            if (charge_bytes(E, size) < 0) return -1;
            *out = Py_NewRef(PyTuple_GET_ITEM(known, 1));
            return 0;
        }
    }
    if (push_items(E, K_ONCE, values, prefix, depth) < 0) goto fail;
    f = &E->frames[E->sp - 1];
    f->orig = Py_NewRef(values);
    f->once_key = key;
    f->seen0 = E->seen_count;
    f->left0 = E->left;
    f->bytes0 = E->bytes_left;
    return 1;
fail:
    Py_XDECREF(key);
    return -1;
}

/* The frame on top is done: pop it, *out its result; an iterator's encoding is kept
 * when it met no shared value for the first time. */
static int
finish(Encoder *E, PyObject **out)
{
    Frame *f = &E->frames[E->sp - 1];
    if (f->kind == K_ONCE && E->seen_count == f->seen0) {
        PyObject *key = f->once_key ? Py_NewRef(f->once_key) : ids_of(f->orig), *record, *vid;
        int rc = -1;
        if (key == NULL) return -1;
        record = Py_BuildValue("(OOnLL)", f->orig, f->result, f->depth, f->left0 - E->left,
                               f->bytes0 - E->bytes_left);
        vid = PyLong_FromVoidPtr(f->orig);
        if (record != NULL && vid != NULL && PyDict_SetItem(E->reused, key, record) == 0 &&
            PyDict_SetItem(E->reused_lists, vid, record) == 0)
            rc = 0;
        Py_DECREF(key);
        Py_XDECREF(record);
        Py_XDECREF(vid);
        if (rc < 0) return -1;
    }
    *out = Py_NewRef(f->result);
    frame_clear(f);
    E->sp--;
    return 0;
}

/* Hand a finished value (stolen) to the frame on top, where it asked for it. */
static int
deliver(Encoder *E, PyObject *res)
{
    Frame *f = &E->frames[E->sp - 1];
    int rc = 0;
    switch (f->kind) {
    case K_LIST: case K_ONCE:
        rc = PyList_Append(f->out, res);
        break;
    case K_DICT:
        rc = PyDict_SetItem(f->out, f->cur, res);
        Py_CLEAR(f->cur);
        break;
    case K_FIELDS:
        rc = PyDict_SetItem(f->out, f->fields[f->i - 1].key, res);
        break;
    default:  /* pairs */
        if (f->half == 2) {
            f->cur = res;
            f->half = 1;
            return 0;
        } else {
            PyObject *pair = PyList_New(2);
            if (pair == NULL) {
                Py_DECREF(res);
                return -1;
            }
            PyList_SET_ITEM(pair, 0, f->cur);
            PyList_SET_ITEM(pair, 1, res);
            f->cur = NULL;
            rc = PyList_Append(f->out, pair);
            Py_DECREF(pair);
            Py_CLEAR(f->second);
            Py_CLEAR(f->entry);
            f->half = 0;
            f->i++;
            return rc;
        }
    }
    Py_DECREF(res);
    return rc;
}

/* A Map's or FormData's next entry: unpacked as the reference's ``for i, (k, v) in``. */
static int
next_pair(Encoder *E, Frame *f, PyObject **out)
{
    PyObject *entry, *a, *b, *pair = NULL;
    Ptr p = {P_SUFFIX, NULL, NULL, 0, NULL, 0};
    int rc;
    if (f->half == 0) {
        if (f->i >= PyList_GET_SIZE(f->src)) return finish(E, out);
        entry = PyList_GET_ITEM(f->src, f->i);
        if (PyTuple_CheckExact(entry) && PyTuple_GET_SIZE(entry) == 2) {
            pair = Py_NewRef(entry);
        } else if ((pair = PyObject_CallOneArg(E->unpack2, entry)) == NULL) {
            return -1;
        } else if (!PyTuple_CheckExact(pair) || PyTuple_GET_SIZE(pair) != 2) {
            Py_DECREF(pair);
            PyErr_SetString(PyExc_TypeError, "typed JSON: unpack2 gave no pair");
            return -1;
        }
        a = Py_NewRef(PyTuple_GET_ITEM(pair, 0));
        b = Py_NewRef(PyTuple_GET_ITEM(pair, 1));
        Py_DECREF(pair);
        f->second = b;
        f->entry = PyUnicode_FromFormat("%U/%zd", f->prefix, f->i);
        if (f->entry == NULL) {
            Py_DECREF(a);
            return -1;
        }
        if (f->form && PyUnicode_Check(a)) {  /* a FormData name is written as it is */
            f->cur = a;
            f->half = 1;
        } else {
            f->half = 2;
            p.prefix = f->entry;
            p.part = STR(P_SLASH0);
            rc = visit_value(E, a, &p, f->depth, out);
            Py_DECREF(a);
            ptr_done(&p);
            return rc;
        }
    }
    /* half == 1: the value */
    f->half = 3;
    b = Py_NewRef(f->second);
    p.prefix = Py_NewRef(f->entry);
    p.part = STR(P_SLASH1);
    rc = visit_value(E, b, &p, f->depth, out);
    Py_DECREF(b);
    Py_DECREF(p.prefix);
    ptr_done(&p);
    return rc;
}

/* The frame on top's next child: visited (0 or 1 as visit), or the frame finished. */
static int
advance(Encoder *E, PyObject **out)
{
    Frame *f = &E->frames[E->sp - 1];
    Ptr p = {P_INDEX, NULL, NULL, 0, NULL, 0};
    PyObject *child, *prefix, *k, *v;
    int rc;
    switch (f->kind) {
    case K_LIST: case K_ONCE:
        if (f->i >= PyList_GET_SIZE(f->src)) return finish(E, out);
        child = Py_NewRef(PyList_GET_ITEM(f->src, f->i));
        prefix = Py_NewRef(f->prefix);
        p.prefix = prefix;
        p.index = f->i++;
        break;
    case K_DICT:
        if (PyDict_GET_SIZE(f->src) != f->size) {
            PyErr_SetString(PyExc_RuntimeError, "dictionary changed size during iteration");
            return -1;
        }
        if (!PyDict_Next(f->src, &f->i, &k, &v)) return finish(E, out);
        f->cur = Py_NewRef(k);
        child = Py_NewRef(v);
        prefix = Py_NewRef(f->prefix);
        if (PyUnicode_CheckExact(k)) {
            p.kind = P_KEYED;
            p.prefix = prefix;
            p.part = f->cur;
        } else {  /* the reference's f"{pointer}/{_escape(k)}", made before the visit */
            p.kind = P_MADE;
            p.made = PyObject_CallFunctionObjArgs(E->key_pointer, prefix, k, NULL);
            p.owns = 1;
            if (p.made == NULL) {
                Py_DECREF(child);
                Py_DECREF(prefix);
                return -1;
            }
        }
        break;
    case K_PAIRS:
        return next_pair(E, f, out);
    default: {  /* fields */
        Field *fd;
        if (f->i >= f->nfields) return finish(E, out);
        fd = &f->fields[f->i++];
        if (fd->mode == F_ENCODE) {
            child = Py_NewRef(fd->value);
            prefix = Py_NewRef(f->prefix);
            p.kind = P_SUFFIX;
            p.prefix = prefix;
            p.part = fd->suffix;
            break;
        }
        child = Py_NewRef(fd->value);
        prefix = PyUnicode_Concat(f->prefix, fd->suffix);
        if (prefix == NULL) {
            Py_DECREF(child);
            return -1;
        }
        if (fd->mode == F_ITEMS) rc = push_items(E, K_LIST, child, prefix, f->depth);
        else rc = items_once(E, child, prefix, f->depth, out);
        Py_DECREF(child);
        Py_DECREF(prefix);
        return rc;
    }
    }
    rc = visit_value(E, child, &p, f->depth, out);
    Py_DECREF(child);
    Py_DECREF(prefix);
    ptr_done(&p);
    return rc;
}

/* One encode: the typed JSON of value at pointer, depth levels down; no recursion. */
static PyObject *
run(Encoder *E, PyObject *value, PyObject *pointer, Py_ssize_t depth)
{
    Py_ssize_t base = E->sp;
    PyObject *res = NULL;
    Ptr p = {P_MADE, NULL, NULL, 0, pointer, 0};
    unsigned steps = 0;
    int rc = visit_value(E, value, &p, depth, &res);
    for (;;) {
        if (rc < 0) break;
        if (rc == 0) {
            if (E->sp == base) return res;
            if (deliver(E, res) < 0) break;
        }
        if ((++steps & 0xFFFF) == 0 && PyErr_CheckSignals() < 0) break;
        rc = advance(E, &res);
    }
    while (E->sp > base) frame_clear(&E->frames[--E->sp]);
    return NULL;
}

/* -- the Encoder type ----------------------------------------------------------------- */

static PyObject *
Encoder_encode(Encoder *E, PyObject *args)
{
    PyObject *value, *pointer, *r;
    Py_ssize_t depth;
    if (!PyArg_ParseTuple(args, "OUn:encode", &value, &pointer, &depth)) return NULL;
    if (E->busy) {
        PyErr_SetString(PyExc_RuntimeError, "typed JSON: the encoder is already encoding");
        return NULL;
    }
    E->busy = 1;
    r = run(E, value, pointer, depth);
    E->busy = 0;
    return r;
}

static PyObject *
Encoder_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyObject *table, *budget, *n;
    Encoder *E;
    static char *kwlist[] = {"table", "budget", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O!O:Encoder", kwlist, &PyTuple_Type, &table,
                                     &budget))
        return NULL;
    if (PyTuple_GET_SIZE(table) != 10 || !PyDict_CheckExact(PyTuple_GET_ITEM(table, 0)) ||
        !PyType_Check(PyTuple_GET_ITEM(table, 7)) || !PyType_Check(PyTuple_GET_ITEM(table, 8)) ||
        !PyType_Check(PyTuple_GET_ITEM(table, 9))) {
        PyErr_SetString(PyExc_TypeError,
                        "Encoder: table is (by_type, entry, key_pointer, unpack2, ErrorRaised, "
                        "JSPromise, UNDEFINED, Element, Lazy, JSDate)");
        return NULL;
    }
    E = (Encoder *)type->tp_alloc(type, 0);
    if (E == NULL) return NULL;
    E->budget = Py_NewRef(budget);
    E->by_type = Py_NewRef(PyTuple_GET_ITEM(table, 0));
    E->entry_fn = Py_NewRef(PyTuple_GET_ITEM(table, 1));
    E->key_pointer = Py_NewRef(PyTuple_GET_ITEM(table, 2));
    E->unpack2 = Py_NewRef(PyTuple_GET_ITEM(table, 3));
    E->error_raised = Py_NewRef(PyTuple_GET_ITEM(table, 4));
    E->promise_cls = Py_NewRef(PyTuple_GET_ITEM(table, 5));
    E->undefined = Py_NewRef(PyTuple_GET_ITEM(table, 6));
    E->element_cls = (PyTypeObject *)Py_NewRef(PyTuple_GET_ITEM(table, 7));
    E->lazy_cls = (PyTypeObject *)Py_NewRef(PyTuple_GET_ITEM(table, 8));
    E->date_cls = (PyTypeObject *)Py_NewRef(PyTuple_GET_ITEM(table, 9));
    E->undefined_cls = (PyTypeObject *)Py_NewRef((PyObject *)Py_TYPE(E->undefined));
    E->reused = PyDict_New();
    E->reused_lists = PyDict_New();
    if (E->reused == NULL || E->reused_lists == NULL || sync_in(E) < 0) goto fail;
    if ((n = PyObject_GetAttrString(budget, "max_depth")) == NULL) goto fail;
    E->max_depth = (Py_ssize_t)clamp_counter(n);
    Py_DECREF(n);
    if (PyErr_Occurred()) goto fail;
    return (PyObject *)E;
fail:
    Py_DECREF(E);
    return NULL;
}

static int
Encoder_traverse(Encoder *E, visitproc visit, void *arg)
{
    Py_VISIT(E->budget);
    Py_VISIT(E->by_type);
    Py_VISIT(E->entry_fn);
    Py_VISIT(E->key_pointer);
    Py_VISIT(E->unpack2);
    Py_VISIT(E->error_raised);
    Py_VISIT(E->promise_cls);
    Py_VISIT(E->undefined);
    Py_VISIT(E->element_cls);
    Py_VISIT(E->lazy_cls);
    Py_VISIT(E->date_cls);
    Py_VISIT(E->undefined_cls);
    Py_VISIT(E->reused);
    Py_VISIT(E->reused_lists);
    for (Py_ssize_t j = 0; j < E->seen_cap; j++) {
        Py_VISIT(E->seen[j].value);
        Py_VISIT(E->seen[j].pointer);
        Py_VISIT(E->seen[j].ref);
    }
    return 0;
}

static int
Encoder_clear(Encoder *E)
{
    Seen *seen = E->seen;
    Py_ssize_t cap = E->seen_cap;
    E->seen = NULL;
    E->seen_cap = E->seen_count = 0;
    for (Py_ssize_t j = 0; j < cap; j++) {
        Py_CLEAR(seen[j].value);
        Py_CLEAR(seen[j].pointer);
        Py_CLEAR(seen[j].ref);
    }
    PyMem_Free(seen);
    while (E->sp > 0) frame_clear(&E->frames[--E->sp]);
    Py_CLEAR(E->budget);
    Py_CLEAR(E->by_type);
    Py_CLEAR(E->entry_fn);
    Py_CLEAR(E->key_pointer);
    Py_CLEAR(E->unpack2);
    Py_CLEAR(E->error_raised);
    Py_CLEAR(E->promise_cls);
    Py_CLEAR(E->undefined);
    Py_CLEAR(E->element_cls);
    Py_CLEAR(E->lazy_cls);
    Py_CLEAR(E->date_cls);
    Py_CLEAR(E->undefined_cls);
    Py_CLEAR(E->reused);
    Py_CLEAR(E->reused_lists);
    return 0;
}

static void
Encoder_dealloc(Encoder *E)
{
    PyObject_GC_UnTrack(E);
    Encoder_clear(E);
    PyMem_Free(E->frames);
    Py_TYPE(E)->tp_free((PyObject *)E);
}

static PyMethodDef Encoder_methods[] = {
    {"encode", (PyCFunction)Encoder_encode, METH_VARARGS,
     PyDoc_STR("encode(value, pointer, depth): the typed JSON of value (as _Encoder.encode)")},
    {NULL, NULL, 0, NULL},
};

static PyMemberDef Encoder_members[] = {
    {"budget", T_OBJECT, offsetof(Encoder, budget), READONLY,
     PyDoc_STR("the Budget (synced while a leaf encoder of the reference runs)")},
    {NULL, 0, 0, 0, NULL},
};

static PyTypeObject EncoderType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "rsc_flight._ctyped.Encoder",
    .tp_doc = PyDoc_STR("Encoder(table, budget): typed JSON, as typed_json._Encoder"),
    .tp_basicsize = sizeof(Encoder),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_new = Encoder_new,
    .tp_methods = Encoder_methods,
    .tp_members = Encoder_members,
    .tp_traverse = (traverseproc)Encoder_traverse,
    .tp_clear = (inquiry)Encoder_clear,
    .tp_dealloc = (destructor)Encoder_dealloc,
};

static struct PyModuleDef ctyped_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "rsc_flight._ctyped",
    .m_doc = PyDoc_STR("Typed JSON in C: the native twin of rsc_flight.model.typed_json."),
    .m_size = -1,
};

PyMODINIT_FUNC
PyInit__ctyped(void)
{
    PyObject *m, *codes;
    for (int j = 0; j < N_STRINGS; j++) {
        if (S[j] == NULL && (S[j] = PyUnicode_InternFromString(STRINGS[j])) == NULL) return NULL;
    }
    if (PyType_Ready(&EncoderType) < 0) return NULL;
    m = PyModule_Create(&ctyped_module);
    if (m == NULL) return NULL;
    codes = Py_BuildValue("(ssssssssssssss)", "_dict", "_list", "_float", "_lazy", "_element",
                          "_undefined", "_map", "_set", "_promise", "_form_data",
                          "_server_reference", "_iterator", "_stream", "_async_iterable");
    if (codes == NULL || PyModule_AddObject(m, "CODES", codes) < 0) {
        Py_XDECREF(codes);
        Py_DECREF(m);
        return NULL;
    }
    if (PyModule_AddObjectRef(m, "Encoder", (PyObject *)&EncoderType) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
