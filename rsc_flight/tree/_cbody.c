/* rsc_flight._crender.read_body: the walk of ``read_tree_body`` (extract/tree_body.py), in C.
 *
 * Compiled into the ``_crender`` extension (setup.py lists this file among its sources;
 * ``_crender.c`` registers the function).  ``tree_body._Walk`` stays the reference: this
 * walk pops the same values in the same order, counts them against ``max_values`` at the
 * same points, keeps the same state (open tags, the open ``<pre>``'s and link's text,
 * blocks, links) and writes blocks and link texts with the same rules (``add_block``'s
 * line and space collapsing is done here with ``str.split``'s notion of a space,
 * ``Py_UNICODE_ISSPACE``).  It gives ``(blocks, links)``, ``None`` where the reference
 * finds the tree not plain, or the ``bail`` constant where the reference must walk
 * instead: a lazy that is not a fulfilled chunk, props of a ``dict`` subclass, a tuple
 * that is not one of the walk's end markers.  The walk only reads, so the reference then
 * gives what it would have given.
 *
 * Hostile input: no recursion (the stack is a Python list), strings are read through their
 * length, every allocation is checked, ``max_values`` bounds the loop (a cycle included).
 */

#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *s_type, *s_props, *s_children, *s_inner, *s_promise, *s_status, *s_value,
    *s_raw, *s_fulfilled, *s_empty, *s_nul, *s_body, *s_javascript, *s_hash;

typedef struct {
    /* constants, borrowed from the consts tuple */
    PyTypeObject *element_type, *lazy_type, *promise_type, *date_type;
    PyObject *pending, *undefined, *readable, *tags_set, *void_set, *special, *blocks_set,
        *closes, *end, *number_text, *link_start, *bail;
    /* state: new references (pre, anchor, href, rel may be NULL) */
    PyObject *stack, *blocks, *current, *tags, *pre, *anchor, *href, *rel, *links;
    Py_ssize_t left, pre_depth;
    int changed;
} Body;

enum { OK = 0, SKIP = 1, NOTPLAIN = 2, FAIL = -1, BAIL = -2 };

/* Whether the parse would drop or rewrite a character of ``s`` (tree_body._CHANGED). */
static int
has_changed(PyObject *s)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(s);
    int kind = PyUnicode_KIND(s);
    const void *data = PyUnicode_DATA(s);
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c < 0x20) {
            if (c != '\t' && c != '\n') return 1;
        }
        else if (c >= 0xd800 && (c <= 0xdfff || c == 0xfffe || c == 0xffff))
            return 1;
    }
    return 0;
}

/* ``" ".join(s.split())``; with ``lines``, NUL also ends a line, and the lines kept are
 * the non-blank ones joined by "\n" (add_block after flush's replacements: source
 * newlines are spaces, a NUL is a <br>).  A new reference. */
static PyObject *
collapse(PyObject *s, int lines)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(s), out = 0;
    int kind = PyUnicode_KIND(s);
    const void *data = PyUnicode_DATA(s);
    /* the result's characters are the input's, spaces and line feeds: its kind fits */
    void *buf = PyMem_Malloc((size_t)(n > 0 ? n : 1) * (size_t)kind);
    if (buf == NULL) return PyErr_NoMemory();
    int in_word = 0;
    Py_ssize_t line_words = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (lines && c == 0) {
            in_word = 0;
            line_words = 0;
            continue;
        }
        if (Py_UNICODE_ISSPACE(c)) {
            in_word = 0;
            continue;
        }
        if (!in_word) {
            /* a separator only before a word that follows another: out stays <= n */
            if (line_words > 0) PyUnicode_WRITE(kind, buf, out++, ' ');
            else if (out > 0) PyUnicode_WRITE(kind, buf, out++, '\n');
            line_words++;
            in_word = 1;
        }
        PyUnicode_WRITE(kind, buf, out++, c);
    }
    PyObject *r = PyUnicode_FromKindAndData(kind, buf, out);
    PyMem_Free(buf);
    return r;
}

static int
append_steal(PyObject *list, PyObject *item)
{
    if (item == NULL) return -1;
    int r = PyList_Append(list, item);
    Py_DECREF(item);
    return r;
}

/* _Walk.flush: the text since the last boundary, as a block (when not blank). */
static int
flush(Body *b)
{
    if (PyList_GET_SIZE(b->current) == 0) return 0;
    PyObject *text = PyUnicode_Join(s_empty, b->current);
    if (text == NULL) return -1;
    if (PyList_SetSlice(b->current, 0, PyList_GET_SIZE(b->current), NULL) < 0) {
        Py_DECREF(text);
        return -1;
    }
    PyObject *block = collapse(text, 1);
    Py_DECREF(text);
    if (block == NULL) return -1;
    int r = PyUnicode_GET_LENGTH(block) ? PyList_Append(b->blocks, block) : 0;
    Py_DECREF(block);
    return r;
}

/* Text read: to the current block, or the open <pre>'s and link's text. */
static int
add_text(Body *b, PyObject *text)
{
    if (!b->changed && has_changed(text)) b->changed = 1;
    if (PyList_Append(b->pre != NULL ? b->pre : b->current, text) < 0) return -1;
    return b->anchor != NULL ? PyList_Append(b->anchor, text) : 0;
}

static int
is_tag(PyObject *tag, const char *name)
{
    return PyUnicode_CompareWithASCIIString(tag, name) == 0;
}

/* _Walk.open_link: the link's href and rel (tree_body._link_start decides). */
static int
open_link(Body *b, PyObject *props)
{
    if (b->anchor != NULL) return NOTPLAIN; /* a link inside a link */
    PyObject *empty = props == NULL ? PyDict_New() : NULL;
    if (props == NULL && empty == NULL) return FAIL;
    PyObject *start = PyObject_CallOneArg(b->link_start, props != NULL ? props : empty);
    Py_XDECREF(empty);
    if (start == NULL) return FAIL;
    if (start == Py_None) {
        Py_DECREF(start);
        return NOTPLAIN;
    }
    if (!PyTuple_CheckExact(start) || PyTuple_GET_SIZE(start) != 2 ||
        !PyUnicode_Check(PyTuple_GET_ITEM(start, 0))) {
        Py_DECREF(start);
        PyErr_SetString(PyExc_TypeError, "_link_start must give (href, rel) or None");
        return FAIL;
    }
    Py_XSETREF(b->href, Py_NewRef(PyTuple_GET_ITEM(start, 0)));
    Py_XSETREF(b->rel, Py_NewRef(PyTuple_GET_ITEM(start, 1)));
    Py_DECREF(start);
    if ((b->anchor = PyList_New(0)) == NULL) return FAIL;
    return OK;
}

/* _Walk.open (``props`` NULL: an empty props object). */
static int
open_tag(Body *b, PyObject *tag, PyObject *props)
{
    if (is_tag(tag, "a")) {
        int r = open_link(b, props);
        if (r != OK) return r;
    }
    if (PyList_Append(b->tags, tag) < 0) return FAIL;
    int pre = is_tag(tag, "pre");
    if (b->pre != NULL) {
        b->pre_depth += pre;
        return OK;
    }
    if (pre) {
        if (flush(b) < 0 || (b->pre = PyList_New(0)) == NULL) return FAIL;
        b->pre_depth = 1;
        return OK;
    }
    if (is_tag(tag, "br")) return PyList_Append(b->current, s_nul) < 0 ? FAIL : OK;
    int block = PySet_Contains(b->blocks_set, tag);
    if (block < 0) return FAIL;
    return block && flush(b) < 0 ? FAIL : OK;
}

/* The end of a link: the link, unless it has no href or one to a script or fragment. */
static int
close_link(Body *b)
{
    PyObject *href = b->href;
    if (b->anchor == NULL || href == NULL) return BAIL; /* cannot be: the reference asserts */
    if (PyUnicode_GET_LENGTH(href) > 0 &&
        PyUnicode_Tailmatch(href, s_javascript, 0, PY_SSIZE_T_MAX, -1) == 0 &&
        PyUnicode_Tailmatch(href, s_hash, 0, PY_SSIZE_T_MAX, -1) == 0) {
        PyObject *joined = PyUnicode_Join(s_empty, b->anchor);
        PyObject *text = joined == NULL ? NULL : collapse(joined, 0);
        Py_XDECREF(joined);
        if (text == NULL) return FAIL;
        if (PyUnicode_GET_LENGTH(text) == 0) Py_SETREF(text, Py_NewRef(Py_None));
        PyObject *link = PyTuple_Pack(3, href, text, b->rel == NULL ? Py_None : b->rel);
        Py_DECREF(text);
        if (append_steal(b->links, link) < 0) return FAIL;
    }
    Py_CLEAR(b->anchor);
    return OK;
}

/* The open <pre>'s text, as a block (its first and last line feeds stripped). */
static int
close_pre(Body *b)
{
    PyObject *text = PyUnicode_Join(s_empty, b->pre);
    if (text == NULL) return FAIL;
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), start = 0, end = n;
    while (start < end && PyUnicode_READ_CHAR(text, start) == '\n') start++;
    while (end > start && PyUnicode_READ_CHAR(text, end - 1) == '\n') end--;
    PyObject *block = PyUnicode_Substring(text, start, end);
    Py_DECREF(text);
    if (append_steal(b->blocks, block) < 0) return FAIL;
    Py_CLEAR(b->pre);
    return OK;
}

/* _Walk.close: the end of a host element. */
static int
close_tag(Body *b, PyObject *tag)
{
    Py_ssize_t n = PyList_GET_SIZE(b->tags);
    if (n < 1) return BAIL;
    PyObject *top = PyList_GET_ITEM(b->tags, n - 1);
    Py_SET_SIZE(b->tags, n - 1); /* tags.pop(), the list's allocation kept */
    Py_DECREF(top);
    int special = PySet_Contains(b->special, tag);
    if (special <= 0) return special < 0 ? FAIL : OK; /* the reference's tags.pop() alone */
    if (is_tag(tag, "a")) {
        int r = close_link(b);
        if (r != OK) return r;
    }
    if (b->pre != NULL) {
        if (is_tag(tag, "pre") && --b->pre_depth == 0) return close_pre(b);
        return OK;
    }
    int block = PySet_Contains(b->blocks_set, tag);
    if (block < 0) return FAIL;
    return block && flush(b) < 0 ? FAIL : OK;
}

/* NOTPLAIN when ``tag`` may not stand where it is: not a known tag, or one whose start
 * tag makes the parser close the open element. */
static int
misplaced(Body *b, PyObject *tag, PyObject *props)
{
    int r = PySet_Contains(b->tags_set, tag);
    if (r <= 0) return r < 0 ? FAIL : NOTPLAIN;
    if (props != NULL && (r = PyDict_Contains(props, s_inner)) != 0) return r < 0 ? FAIL : NOTPLAIN;
    if (PyList_GET_SIZE(b->tags) < 1) return BAIL; /* cannot be: "body" is never closed */
    PyObject *top = PyList_GET_ITEM(b->tags, PyList_GET_SIZE(b->tags) - 1);
    PyObject *closed = PyDict_GetItemWithError(b->closes, top);
    if (closed == NULL) return PyErr_Occurred() ? FAIL : OK;
    r = PySet_Contains(closed, tag);
    return r == 0 ? OK : r < 0 ? FAIL : NOTPLAIN;
}

/* Push the end marker of ``tag``, then (unless void) its children. */
static int
push_element(Body *b, PyObject *tag, PyObject *children)
{
    PyObject *end = PyDict_GetItemWithError(b->end, tag);
    if (end == NULL) {
        if (!PyErr_Occurred()) PyErr_SetString(PyExc_KeyError, "no end marker");
        return FAIL;
    }
    if (PyList_Append(b->stack, end) < 0) return FAIL;
    int is_void = PySet_Contains(b->void_set, tag);
    if (is_void < 0) return FAIL;
    if (!is_void && PyList_Append(b->stack, children != NULL ? children : Py_None) < 0)
        return FAIL;
    return OK;
}

/* A host element with a string tag and dict props (run's inline steps). */
static int
plain_element(Body *b, PyObject *tag, PyObject *props)
{
    int r = misplaced(b, tag, props);
    if (r != OK) return r;
    PyObject *children = PyDict_GetItemWithError(props, s_children);
    if (children == NULL && PyErr_Occurred()) return FAIL;
    int special = PySet_Contains(b->special, tag);
    if (special < 0) return FAIL;
    Py_XINCREF(children); /* held while _link_start runs */
    if (children != NULL && PyUnicode_CheckExact(children) && !special) {
        /* an inline element holding one string: its text, without entering it */
        int is_void = PySet_Contains(b->void_set, tag);
        r = is_void < 0 ? FAIL : SKIP;
        if (r == SKIP && PyUnicode_GET_LENGTH(children) && !is_void && add_text(b, children) < 0)
            r = FAIL;
    }
    else if (!special) /* the reference's tags.append(tag): open does nothing more */
        r = PyList_Append(b->tags, tag) < 0 ? FAIL : push_element(b, tag, children);
    else if ((r = open_tag(b, tag, props)) == OK)
        r = push_element(b, tag, children);
    Py_XDECREF(children);
    return r;
}

/* ``value`` read through when it is a fulfilled chunk (a lazy of one, or one): the value
 * (a new reference); NULL without an error when the reference must read it. */
static PyObject *
fulfilled(Body *b, PyObject *value)
{
    PyObject *promise;
    if (Py_TYPE(value) == b->lazy_type) {
        if ((promise = PyObject_GetAttr(value, s_promise)) == NULL) return NULL;
    }
    else if (Py_TYPE(value) == b->promise_type)
        promise = Py_NewRef(value);
    else
        return NULL;
    PyObject *status = NULL, *result = NULL;
    if (Py_TYPE(promise) != b->promise_type) goto done;
    if ((status = PyObject_GetAttr(promise, s_status)) == NULL) goto done;
    if (PyUnicode_CheckExact(status) && PyUnicode_Compare(status, s_fulfilled) == 0)
        result = PyObject_GetAttr(promise, s_value);
done:
    Py_DECREF(promise);
    Py_XDECREF(status);
    return result;
}

/* Read through a value standing for another, as unwrap() would: 1 with the value in
 * ``*out`` (a new reference; the value itself when it is not readable), 0 when the
 * reference must read it, -1 on an error. */
static int
read_through(Body *b, PyObject *value, PyObject **out)
{
    int r = PyObject_IsInstance(value, b->readable);
    if (r <= 0) {
        if (r == 0) *out = Py_NewRef(value);
        return r == 0 ? 1 : -1;
    }
    PyObject *v = fulfilled(b, value);
    if (v == NULL) return PyErr_Occurred() ? -1 : 0;
    r = PyObject_IsInstance(v, b->readable);
    if (r != 0) {
        Py_DECREF(v);
        return r < 0 ? -1 : 0; /* a chain: the reference's unwrap */
    }
    *out = v;
    return 1;
}

/* _Walk.element: an element whose tag is not a string or whose props are not a dict. */
static int
other_element(Body *b, PyObject *item)
{
    PyObject *kind = NULL, *props = NULL, *raw;
    int result = FAIL, r;
    if ((raw = PyObject_GetAttr(item, s_type)) == NULL) return FAIL;
    r = read_through(b, raw, &kind);
    Py_DECREF(raw);
    if (r <= 0) return r < 0 ? FAIL : BAIL;
    if ((raw = PyObject_GetAttr(item, s_props)) == NULL) goto done;
    r = read_through(b, raw, &props);
    Py_DECREF(raw);
    if (r <= 0) {
        result = r < 0 ? FAIL : BAIL;
        goto done;
    }
    if (!PyDict_Check(props)) Py_CLEAR(props); /* read as an empty props object */
    else if (!PyDict_CheckExact(props)) {
        result = BAIL;
        goto done;
    }
    if (!PyUnicode_CheckExact(kind)) {
        if (PyUnicode_Check(kind)) {
            result = NOTPLAIN;
            goto done;
        }
        if ((r = PyObject_IsInstance(kind, b->pending)) != 0) {
            result = r < 0 ? FAIL : NOTPLAIN; /* a pending component */
            goto done;
        }
        /* a client component or a fragment: its children (OK: the bound is checked, as
         * one holding itself would loop forever) */
        PyObject *children = props == NULL ? NULL : PyDict_GetItemWithError(props, s_children);
        if (children == NULL && PyErr_Occurred()) goto done;
        result = PyList_Append(b->stack, children != NULL ? children : Py_None) < 0 ? FAIL : OK;
        goto done;
    }
    if ((result = misplaced(b, kind, props)) != OK) goto done;
    if ((result = open_tag(b, kind, props)) != OK) goto done;
    PyObject *children = props == NULL ? NULL : PyDict_GetItemWithError(props, s_children);
    if (children == NULL && PyErr_Occurred()) {
        result = FAIL;
        goto done;
    }
    result = push_element(b, kind, children);
done:
    Py_XDECREF(kind);
    Py_XDECREF(props);
    return result;
}

static int
visit_element(Body *b, PyObject *item)
{
    PyObject *tag = PyObject_GetAttr(item, s_type);
    if (tag == NULL) return FAIL;
    PyObject *props = PyObject_GetAttr(item, s_props);
    int r = FAIL;
    if (props != NULL)
        r = PyUnicode_CheckExact(tag) && PyDict_CheckExact(props) ? plain_element(b, tag, props)
                                                                  : other_element(b, item);
    Py_DECREF(tag);
    Py_XDECREF(props);
    return r;
}

/* One of the walk's own end markers (``_END[tag]``): close that element. */
static int
visit_end(Body *b, PyObject *item)
{
    if (PyTuple_GET_SIZE(item) != 1 || !PyUnicode_CheckExact(PyTuple_GET_ITEM(item, 0)))
        return BAIL;
    PyObject *tag = PyTuple_GET_ITEM(item, 0);
    PyObject *end = PyDict_GetItemWithError(b->end, tag);
    if (end != item) return PyErr_Occurred() ? FAIL : BAIL;
    return close_tag(b, tag);
}

static int
visit_number(Body *b, PyObject *item)
{
    PyObject *text;
    int overflow = 0;
    if (PyLong_CheckExact(item)) {
        (void)PyLong_AsLongLongAndOverflow(item, &overflow);
        if (PyErr_Occurred()) return FAIL;
    }
    if (PyLong_CheckExact(item) && !overflow)
        text = PyObject_Str(item); /* number_text's digits, below 10**21 */
    else
        text = PyObject_CallOneArg(b->number_text, item);
    return append_steal(b->stack, text) < 0 ? FAIL : OK;
}

/* Anything else: a chunk read through, a date's text, or not plain. */
static int
visit_other(Body *b, PyObject *item)
{
    PyObject *value;
    if (Py_TYPE(item) == b->date_type) {
        value = PyObject_GetAttr(item, s_raw);
        return append_steal(b->stack, value) < 0 ? FAIL : OK;
    }
    int r = PyObject_IsInstance(item, b->readable);
    if (r <= 0) return r < 0 ? FAIL : NOTPLAIN;
    value = fulfilled(b, item);
    if (value == NULL) return PyErr_Occurred() ? FAIL : BAIL;
    return append_steal(b->stack, value) < 0 ? FAIL : OK;
}

static int
walk(Body *b)
{
    Py_ssize_t n;
    while ((n = PyList_GET_SIZE(b->stack)) > 0) {
        PyObject *item = PyList_GET_ITEM(b->stack, n - 1); /* the list's reference, taken */
        Py_SET_SIZE(b->stack, n - 1);
        PyTypeObject *type = Py_TYPE(item);
        int r;
        b->left -= 1;
        if (type == &PyUnicode_Type)
            r = PyUnicode_GET_LENGTH(item) && add_text(b, item) < 0 ? FAIL : OK;
        else if (type == b->element_type)
            r = visit_element(b, item);
        else if (type == &PyTuple_Type)
            r = visit_end(b, item);
        else if (type == &PyList_Type) {
            r = OK;
            for (Py_ssize_t i = PyList_GET_SIZE(item) - 1; i >= 0 && r == OK; i--)
                if (i < PyList_GET_SIZE(item) && PyList_Append(b->stack, PyList_GET_ITEM(item, i)) < 0)
                    r = FAIL;
        }
        else if (item == Py_None || item == b->undefined || type == &PyBool_Type)
            r = SKIP;
        else if (type == &PyLong_Type || type == &PyFloat_Type)
            r = visit_number(b, item);
        else
            r = visit_other(b, item);
        Py_DECREF(item);
        if (r == SKIP) continue;
        if (r != OK) return r;
        if (b->left < 0) return NOTPLAIN;
    }
    return OK;
}

static int
load(Body *b, PyObject *consts)
{
    if (!PyTuple_CheckExact(consts) || PyTuple_GET_SIZE(consts) != 17) {
        PyErr_SetString(PyExc_TypeError, "consts must be a tuple of 17");
        return -1;
    }
    PyObject **c = &PyTuple_GET_ITEM(consts, 0);
    b->element_type = (PyTypeObject *)c[0], b->lazy_type = (PyTypeObject *)c[1];
    b->promise_type = (PyTypeObject *)c[2], b->pending = c[3];
    b->date_type = (PyTypeObject *)c[4], b->undefined = c[5];
    /* c[6], ErrorRaised: a rejected chunk is the reference's to read (bail) */
    b->readable = c[7], b->tags_set = c[8], b->void_set = c[9], b->special = c[10];
    b->blocks_set = c[11], b->closes = c[12], b->end = c[13], b->number_text = c[14];
    b->link_start = c[15], b->bail = c[16];
    if (!PyType_Check(c[0]) || !PyType_Check(c[1]) || !PyType_Check(c[2]) ||
        !PyType_Check(c[4]) || !PyTuple_CheckExact(b->readable) || !PyAnySet_Check(b->tags_set) ||
        !PyAnySet_Check(b->void_set) || !PyAnySet_Check(b->special) ||
        !PyAnySet_Check(b->blocks_set) || !PyDict_CheckExact(b->closes) ||
        !PyDict_CheckExact(b->end)) {
        PyErr_SetString(PyExc_TypeError, "consts of the wrong types");
        return -1;
    }
    return 0;
}

/* read_body(content, max_values, consts) -> (blocks, links) | None | consts' bail. */
PyObject *
cbody_read(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs)
{
    Body b = {0};
    PyObject *result = NULL;
    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "read_body(content, max_values, consts)");
        return NULL;
    }
    if (load(&b, args[2]) < 0) return NULL;
    b.left = PyLong_Check(args[1]) ? PyLong_AsSsize_t(args[1]) : 0;
    if (!PyLong_Check(args[1]) || (b.left == -1 && PyErr_Occurred())) {
        PyErr_Clear();
        return Py_NewRef(b.bail); /* a bound past a C size: the reference */
    }
    if ((b.stack = PyList_New(1)) == NULL) return NULL;
    PyList_SET_ITEM(b.stack, 0, Py_NewRef(args[0]));
    if ((b.blocks = PyList_New(0)) == NULL || (b.current = PyList_New(0)) == NULL ||
        (b.links = PyList_New(0)) == NULL || (b.tags = PyList_New(1)) == NULL)
        goto done;
    PyList_SET_ITEM(b.tags, 0, Py_NewRef(s_body));
    int r = walk(&b);
    if (r == OK && b.changed) r = NOTPLAIN; /* a character the parse drops or rewrites */
    if (r == OK && flush(&b) < 0) r = FAIL;
    if (r == OK)
        result = PyTuple_Pack(2, b.blocks, b.links);
    else if (r == NOTPLAIN)
        result = Py_NewRef(Py_None);
    else if (r == BAIL)
        result = Py_NewRef(b.bail);
done:
    Py_XDECREF(b.stack);
    Py_XDECREF(b.blocks);
    Py_XDECREF(b.current);
    Py_XDECREF(b.tags);
    Py_XDECREF(b.pre);
    Py_XDECREF(b.anchor);
    Py_XDECREF(b.href);
    Py_XDECREF(b.rel);
    Py_XDECREF(b.links);
    return result;
}

/* _crender.c's: an interned name, made on first use. */
int crender_intern(PyObject **slot, const char *text);

int
cbody_init(void)
{
    if (crender_intern(&s_type, "type") < 0 ||
        crender_intern(&s_props, "props") < 0 ||
        crender_intern(&s_children, "children") < 0 ||
        crender_intern(&s_inner, "dangerouslySetInnerHTML") < 0 ||
        crender_intern(&s_promise, "promise") < 0 ||
        crender_intern(&s_status, "status") < 0 ||
        crender_intern(&s_value, "value") < 0 ||
        crender_intern(&s_raw, "raw") < 0 ||
        crender_intern(&s_fulfilled, "fulfilled") < 0 ||
        crender_intern(&s_empty, "") < 0 ||
        crender_intern(&s_body, "body") < 0 ||
        crender_intern(&s_javascript, "javascript:") < 0 ||
        crender_intern(&s_hash, "#") < 0)
        return -1;
    if (s_nul == NULL && (s_nul = PyUnicode_FromStringAndSize("\0", 1)) == NULL) return -1;
    return 0;
}
