/* rsc_flight._crender: the common steps of the HTML renderer's loop, in C.
 *
 * The native twin of the inline steps of ``RenderLoop.walk`` in ``tree/loop.py``, which
 * stays the reference.  ``run(loop, consts)`` takes tasks from the top of
 * ``loop.tasks`` and does what ``walk`` does for the commonest ones: text, lists, ``None``,
 * integers, fulfilled lazies and promises, close tasks, and host elements whose tag has no rule of its own with fewer than
 * REMEMBER_START_TAGS_FROM props, all of whose prop names are already planned.  It
 * returns as soon as the top task is anything else, or would do anything but the plain
 * case: a budget or a limit that would trip, a container met again (written once, or a
 * cycle), a prop that ``attribute`` fails on.  It returns leaving that task on the stack
 * and the loop's state untouched by it, so ``walk`` then takes exactly that task, with
 * its exact output or exception.  Returning is never a guess: it means "ask the
 * reference".
 *
 * State: the loop's counters are read from its attributes when a call starts and written
 * back when it ends; the containers, the output list and the task stack are the loop's
 * own objects, changed in place.  Hostile input: there is no recursion (the task stack is
 * the loop's list), no buffer is indexed by input (strings are read with
 * PyUnicode_READ within their length), every allocation is checked.
 */

#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* Interned attribute and key names: constants, set once. */
static PyObject *s_tasks, *s_out, *s_budget, *s_left, *s_room, *s_written, *s_open, *s_depth,
    *s_nesting, *s_max_nesting, *s_max_depth, *s_host_depth, *s_in_svg, *s_events, *s_document,
    *s_html_open, *s_client_hook, *s_escape_long, *s_type, *s_props, *s_children, *s_inner,
    *s_empty, *s_gt, *s_lt, *s_quote, *s_slash_gt, *s_promise, *s_status, *s_value;

/* One call's view of the loop: its objects (new references) and its counters. */
typedef struct {
    PyObject *tasks, *out, *budget, *written, *open, *escape_long, *client_hook;
    Py_ssize_t left, room, depth, nesting, max_nesting, max_depth, host_depth, in_svg, events;
    int document, html_open;
    /* consts: (Element, _Close, plans, own rules, void tags, end tags, escape, attribute,
     * LONG, REMEMBER_START_TAGS_FROM, Lazy, JSPromise), borrowed from the consts tuple. */
    PyTypeObject *element_type, *close_type, *lazy_type, *promise_type;
    PyObject *plans, *own_rules, *void_tags, *end_tags, *escape, *attribute;
    Py_ssize_t long_from, remember_from;
} State;

enum { BAIL = 0, DONE = 1, FAIL = -1 };

static int
get_ssize(PyObject *obj, PyObject *name, Py_ssize_t *value)
{
    PyObject *v = PyObject_GetAttr(obj, name);
    if (v == NULL) return -1;
    *value = PyLong_AsSsize_t(v);
    Py_DECREF(v);
    return (*value == -1 && PyErr_Occurred()) ? -1 : 0;
}

static int
set_ssize(PyObject *obj, PyObject *name, Py_ssize_t value)
{
    PyObject *v = PyLong_FromSsize_t(value);
    int r = v == NULL ? -1 : PyObject_SetAttr(obj, name, v);
    Py_XDECREF(v);
    return r;
}

static int
get_truth(PyObject *obj, PyObject *name, int *value)
{
    PyObject *v = PyObject_GetAttr(obj, name);
    if (v == NULL) return -1;
    *value = PyObject_IsTrue(v);
    Py_DECREF(v);
    return *value < 0 ? -1 : 0;
}

static void
release(State *st)
{
    Py_CLEAR(st->tasks);
    Py_CLEAR(st->out);
    Py_CLEAR(st->budget);
    Py_CLEAR(st->written);
    Py_CLEAR(st->open);
    Py_CLEAR(st->escape_long);
    Py_CLEAR(st->client_hook);
}

static int
load(State *st, PyObject *loop, PyObject *consts)
{
    if (!PyTuple_CheckExact(consts) || PyTuple_GET_SIZE(consts) != 12) {
        PyErr_SetString(PyExc_TypeError, "consts must be a tuple of 12");
        return -1;
    }
    st->element_type = (PyTypeObject *)PyTuple_GET_ITEM(consts, 0);
    st->close_type = (PyTypeObject *)PyTuple_GET_ITEM(consts, 1);
    st->plans = PyTuple_GET_ITEM(consts, 2);
    st->own_rules = PyTuple_GET_ITEM(consts, 3);
    st->void_tags = PyTuple_GET_ITEM(consts, 4);
    st->end_tags = PyTuple_GET_ITEM(consts, 5);
    st->escape = PyTuple_GET_ITEM(consts, 6);
    st->attribute = PyTuple_GET_ITEM(consts, 7);
    st->long_from = PyLong_AsSsize_t(PyTuple_GET_ITEM(consts, 8));
    st->remember_from = PyLong_AsSsize_t(PyTuple_GET_ITEM(consts, 9));
    st->lazy_type = (PyTypeObject *)PyTuple_GET_ITEM(consts, 10);
    st->promise_type = (PyTypeObject *)PyTuple_GET_ITEM(consts, 11);
    if (PyErr_Occurred()) return -1;
    if (!PyType_Check(st->element_type) || !PyType_Check(st->close_type) ||
        !PyType_Check(st->lazy_type) || !PyType_Check(st->promise_type) ||
        !PyDict_CheckExact(st->plans) || !PyAnySet_Check(st->own_rules) ||
        !PyAnySet_Check(st->void_tags) || !PyDict_CheckExact(st->end_tags)) {
        PyErr_SetString(PyExc_TypeError, "consts of the wrong types");
        return -1;
    }
    if ((st->tasks = PyObject_GetAttr(loop, s_tasks)) == NULL ||
        (st->out = PyObject_GetAttr(loop, s_out)) == NULL ||
        (st->budget = PyObject_GetAttr(loop, s_budget)) == NULL ||
        (st->written = PyObject_GetAttr(loop, s_written)) == NULL ||
        (st->open = PyObject_GetAttr(loop, s_open)) == NULL ||
        (st->escape_long = PyObject_GetAttr(loop, s_escape_long)) == NULL ||
        (st->client_hook = PyObject_GetAttr(loop, s_client_hook)) == NULL)
        return -1;
    if (!PyList_CheckExact(st->tasks) || !PyList_CheckExact(st->out) ||
        !PyDict_CheckExact(st->written) || !PySet_CheckExact(st->open)) {
        PyErr_SetString(PyExc_TypeError, "a render loop of the wrong shape");
        return -1;
    }
    if (get_ssize(st->budget, s_left, &st->left) < 0 ||
        get_ssize(st->budget, s_max_depth, &st->max_depth) < 0 ||
        get_ssize(loop, s_room, &st->room) < 0 || get_ssize(loop, s_depth, &st->depth) < 0 ||
        get_ssize(loop, s_nesting, &st->nesting) < 0 ||
        get_ssize(loop, s_max_nesting, &st->max_nesting) < 0 ||
        get_ssize(loop, s_host_depth, &st->host_depth) < 0 ||
        get_ssize(loop, s_in_svg, &st->in_svg) < 0 ||
        get_ssize(loop, s_events, &st->events) < 0 ||
        get_truth(loop, s_document, &st->document) < 0 ||
        get_truth(loop, s_html_open, &st->html_open) < 0)
        return -1;
    return 0;
}

static int
store(State *st, PyObject *loop)
{
    if (set_ssize(st->budget, s_left, st->left) < 0 || set_ssize(loop, s_room, st->room) < 0 ||
        set_ssize(loop, s_depth, st->depth) < 0 || set_ssize(loop, s_nesting, st->nesting) < 0 ||
        set_ssize(loop, s_host_depth, st->host_depth) < 0 ||
        set_ssize(loop, s_in_svg, st->in_svg) < 0)
        return -1;
    return 0;
}

/* Drop the top task, as list.pop() does but keeping the list's allocation (the caller
 * holds its own reference to the task, so this never frees it). */
static int
drop_top(State *st)
{
    Py_ssize_t n = PyList_GET_SIZE(st->tasks);
    if (n < 1) {
        PyErr_SetString(PyExc_RuntimeError, "the render loop's task stack changed");
        return -1;
    }
    PyObject *top = PyList_GET_ITEM(st->tasks, n - 1);
    Py_SET_SIZE(st->tasks, n - 1);
    Py_DECREF(top);
    return 0;
}

static int
append(State *st, PyObject *text)
{
    return PyList_Append(st->out, text);
}

/* Whether ``text`` holds one of & < > " ' (what escape() replaces). */
static int
needs_escape(PyObject *text)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c == '&' || c == '<' || c == '>' || c == '"' || c == '\'') return 1;
    }
    return 0;
}

/* ``text`` escaped as the loop escapes it (a new reference): long strings through the
 * loop's memo, others through escape() only when they hold something to escape. */
static PyObject *
escaped(State *st, PyObject *text)
{
    if (PyUnicode_GET_LENGTH(text) >= st->long_from)
        return PyObject_CallOneArg(st->escape_long, text);
    if (needs_escape(text)) {
        PyObject *r = PyObject_CallOneArg(st->escape, text);
        if (r != NULL && !PyUnicode_Check(r)) {
            Py_DECREF(r);
            PyErr_SetString(PyExc_TypeError, "escape() must return str");
            return NULL;
        }
        return r;
    }
    return Py_NewRef(text);
}

/* The close task of a container opened now (see _Close in loop.py): the tuple subclass
 * allocated and filled as tuple's own constructor does. */
static PyObject *
make_close(State *st, PyObject *container, int element, PyObject *end, int svg,
           Py_ssize_t depth, Py_ssize_t nesting)
{
    PyObject *close = st->close_type->tp_alloc(st->close_type, 10);
    if (close == NULL) return NULL;
    PyObject *numbers[5] = {
        PyLong_FromSsize_t(PyList_GET_SIZE(st->out)), PyLong_FromSsize_t(st->left),
        PyLong_FromSsize_t(st->events), PyLong_FromSsize_t(depth), PyLong_FromSsize_t(nesting),
    };
    for (int i = 0; i < 5; i++)
        if (numbers[i] == NULL) {
            for (int j = 0; j < 5; j++) Py_XDECREF(numbers[j]);
            Py_DECREF(close);
            return NULL;
        }
    PyTuple_SET_ITEM(close, 0, Py_NewRef(container));
    PyTuple_SET_ITEM(close, 1, Py_NewRef(element ? Py_True : Py_False));
    PyTuple_SET_ITEM(close, 2, Py_NewRef(end));
    PyTuple_SET_ITEM(close, 3, Py_NewRef(svg ? Py_True : Py_False));
    PyTuple_SET_ITEM(close, 4, Py_NewRef(st->out));
    for (int i = 0; i < 5; i++) PyTuple_SET_ITEM(close, 5 + i, numbers[i]);
    return close;
}

static int
do_text(State *st, PyObject *task)
{
    if (st->left < 1) return BAIL;
    PyObject *text = escaped(st, task);
    if (text == NULL) return FAIL;
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    if (st->room - n < 0) {
        Py_DECREF(text);
        return BAIL;
    }
    int r = drop_top(st) < 0 ? -1 : append(st, text);
    Py_DECREF(text);
    if (r < 0) return FAIL;
    st->left -= 1;
    st->room -= n;
    return DONE;
}

/* An integer as number_text() writes it: its decimal digits while it is below 10**21;
 * one that does not fit a C long long is left to the reference. */
static int
do_int(State *st, PyObject *task)
{
    int overflow = 0;
    (void)PyLong_AsLongLongAndOverflow(task, &overflow);
    if (overflow || PyErr_Occurred()) {
        PyErr_Clear();
        return BAIL;
    }
    if (st->left < 1) return BAIL;
    PyObject *text = PyObject_Str(task);
    if (text == NULL) return FAIL;
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    if (st->room - n < 0) {
        Py_DECREF(text);
        return BAIL;
    }
    int r = drop_top(st) < 0 ? -1 : append(st, text);
    Py_DECREF(text);
    if (r < 0) return FAIL;
    st->left -= 1;
    st->room -= n;
    return DONE;
}

/* A lazy or promise whose chunk is fulfilled (its ``result`` is then its ``value``, with
 * nothing to initialise): opened as a container, its value pushed, as read() does. */
static int
do_read(State *st, PyObject *task, int lazy)
{
    PyObject *promise = NULL, *status = NULL, *value = NULL, *key = NULL, *close = NULL;
    int r, result = BAIL;
    if (st->left < 1 || st->nesting + 1 > st->max_nesting) return BAIL;
    promise = lazy ? PyObject_GetAttr(task, s_promise) : Py_NewRef(task);
    if (promise == NULL) return FAIL;
    if (Py_TYPE(promise) != st->promise_type) goto done;
    result = FAIL;
    if ((status = PyObject_GetAttr(promise, s_status)) == NULL) goto done;
    result = BAIL;
    if (!PyUnicode_CheckExact(status) ||
        PyUnicode_CompareWithASCIIString(status, "fulfilled") != 0)
        goto done;
    result = FAIL;
    if ((value = PyObject_GetAttr(promise, s_value)) == NULL ||
        (key = PyLong_FromVoidPtr(promise)) == NULL)
        goto done;
    r = PyDict_GET_SIZE(st->written) ? PyDict_Contains(st->written, key) : 0;
    if (r == 0) r = PySet_Contains(st->open, key);
    if (r != 0) {
        result = r < 0 ? FAIL : BAIL;
        goto done;
    }
    if (drop_top(st) < 0) goto done;
    st->left -= 1;
    st->nesting += 1;
    close = make_close(st, promise, 0, s_empty, 0, st->depth, st->nesting - 1);
    if (close == NULL || PyList_Append(st->tasks, close) < 0 || PySet_Add(st->open, key) < 0 ||
        PyList_Append(st->tasks, value) < 0)
        goto done;
    result = DONE;
done:
    Py_XDECREF(promise);
    Py_XDECREF(status);
    Py_XDECREF(value);
    Py_XDECREF(key);
    Py_XDECREF(close);
    return result;
}

static int
do_list(State *st, PyObject *task)
{
    if (st->left < 1 || st->nesting + 1 > st->max_nesting) return BAIL;
    PyObject *key = PyLong_FromVoidPtr(task);
    if (key == NULL) return FAIL;
    int seen = PyDict_GET_SIZE(st->written) ? PyDict_Contains(st->written, key) : 0;
    if (seen == 0) seen = PySet_Contains(st->open, key);
    if (seen != 0) {
        Py_DECREF(key);
        return seen < 0 ? FAIL : BAIL;
    }
    int result = FAIL;
    Py_INCREF(task);
    if (drop_top(st) < 0) goto done;
    st->left -= 1;
    st->nesting += 1;
    PyObject *close = make_close(st, task, 0, s_empty, 0, st->depth, st->nesting - 1);
    if (close == NULL) goto done;
    int r = PyList_Append(st->tasks, close);
    Py_DECREF(close);
    if (r < 0 || PySet_Add(st->open, key) < 0) goto done;
    for (Py_ssize_t i = PyList_GET_SIZE(task) - 1; i >= 0; i--) {
        if (i >= PyList_GET_SIZE(task)) continue; /* the list cannot change here; be safe */
        if (PyList_Append(st->tasks, PyList_GET_ITEM(task, i)) < 0) goto done;
    }
    result = DONE;
done:
    Py_DECREF(task);
    Py_DECREF(key);
    return result;
}

static int
do_close(State *st, PyObject *task)
{
    if (PyTuple_GET_SIZE(task) != 10) return BAIL;
    PyObject *container = PyTuple_GET_ITEM(task, 0);
    PyObject *end = PyTuple_GET_ITEM(task, 2);
    if (!PyUnicode_Check(end)) return BAIL;
    Py_ssize_t end_length = PyUnicode_GET_LENGTH(end);
    if (st->room - end_length < 0) return BAIL;
    int element = PyObject_IsTrue(PyTuple_GET_ITEM(task, 1));
    int svg = PyObject_IsTrue(PyTuple_GET_ITEM(task, 3));
    Py_ssize_t events = PyLong_AsSsize_t(PyTuple_GET_ITEM(task, 7));
    Py_ssize_t left = PyLong_AsSsize_t(PyTuple_GET_ITEM(task, 6));
    if (element < 0 || svg < 0 || PyErr_Occurred()) return FAIL;
    PyObject *key = PyLong_FromVoidPtr(container);
    if (key == NULL) return FAIL;
    int result = FAIL;
    Py_INCREF(task);
    if (drop_top(st) < 0 || PySet_Discard(st->open, key) < 0) goto done;
    if (end_length) {
        st->host_depth -= 1;
        st->in_svg -= svg;
        st->room -= end_length;
        if (append(st, end) < 0) goto done;
    }
    st->nesting -= 1;
    st->depth -= element;
    if (events == st->events && PyTuple_GET_ITEM(task, 4) == st->out) {
        int known = PyDict_Contains(st->written, key);
        if (known < 0) goto done;
        if (!known) {
            PyObject *record = Py_BuildValue(
                "(On n(OOO))", task, PyList_GET_SIZE(st->out), left - st->left,
                (st->document && !st->in_svg) ? Py_True : Py_False,
                (st->host_depth == 0 && !st->html_open) ? Py_True : Py_False, st->client_hook);
            if (record == NULL) goto done;
            int r = PyDict_SetItem(st->written, key, record);
            Py_DECREF(record);
            if (r < 0) goto done;
        }
    }
    result = DONE;
done:
    Py_DECREF(task);
    Py_DECREF(key);
    return result;
}

/* Strings to join into one, without a list: at most MAX_PARTS (the start tag of fewer
 * than REMEMBER_START_TAGS_FROM props is 2 + 3 per attribute, plus ">", text, end). */
#define MAX_PARTS 64
typedef struct {
    PyObject *items[MAX_PARTS]; /* new references */
    int n;
    Py_ssize_t length;
    Py_UCS4 maxchar;
} Parts;

static void
parts_clear(Parts *p)
{
    for (int i = 0; i < p->n; i++) Py_DECREF(p->items[i]);
    p->n = 0;
    p->length = 0;
    p->maxchar = 0;
}

/* Add ``text`` (a str), stealing the reference when ``steal``. */
static int
parts_add(Parts *p, PyObject *text, int steal)
{
    if (text == NULL) return -1;
    if (p->n >= MAX_PARTS) {
        if (steal) Py_DECREF(text);
        PyErr_SetString(PyExc_RuntimeError, "too many parts");
        return -1;
    }
    p->items[p->n++] = steal ? text : Py_NewRef(text);
    p->length += PyUnicode_GET_LENGTH(text);
    Py_UCS4 m = PyUnicode_MAX_CHAR_VALUE(text);
    if (m > p->maxchar) p->maxchar = m;
    return 0;
}

static PyObject *
parts_join(Parts *p)
{
    PyObject *whole = PyUnicode_New(p->length, p->maxchar);
    Py_ssize_t at = 0;
    if (whole == NULL) return NULL;
    for (int i = 0; i < p->n; i++) {
        Py_ssize_t n = PyUnicode_GET_LENGTH(p->items[i]);
        if (PyUnicode_CopyCharacters(whole, at, p->items[i], 0, n) < 0) {
            Py_DECREF(whole);
            return NULL;
        }
        at += n;
    }
    return whole;
}

/* ``<tag`` and its attributes as attributes.start_tag writes them, added to ``p``;
 * BAIL when a name is not planned yet, when ``attribute`` raises, or when the parts pass
 * the room left (the reference then raises at the same point). */
static int
build_start(State *st, PyObject *tag, PyObject *props, Parts *p)
{
    PyObject *name, *value, *piece;
    Py_ssize_t pos = 0, used = 0;
    if (parts_add(p, s_lt, 0) < 0 || parts_add(p, tag, 0) < 0) return FAIL;
    while (PyDict_Next(props, &pos, &name, &value)) {
        PyObject *plan = PyDict_GetItemWithError(st->plans, name);
        if (plan == NULL) return PyErr_Occurred() ? FAIL : BAIL;
        if (!PyTuple_CheckExact(plan) || PyTuple_GET_SIZE(plan) != 3 ||
            !PyUnicode_Check(PyTuple_GET_ITEM(plan, 2)))
            return BAIL;
        long kind = PyLong_AsLong(PyTuple_GET_ITEM(plan, 0));
        if (kind == -1 && PyErr_Occurred()) return FAIL;
        if (PyUnicode_CheckExact(value) && kind == 4) { /* _PLAIN */
            PyObject *before = PyTuple_GET_ITEM(plan, 2);
            Py_INCREF(value); /* held while escape may run Python code */
            piece = escaped(st, value);
            Py_DECREF(value);
            if (piece == NULL) return FAIL;
            used += PyUnicode_GET_LENGTH(before) + PyUnicode_GET_LENGTH(piece) + 1;
            if (parts_add(p, before, 0) < 0 || parts_add(p, piece, 1) < 0 ||
                parts_add(p, s_quote, 0) < 0)
                return FAIL;
        }
        else if (kind != 0) { /* not _SKIP: the reference's attribute() */
            if (used > st->room) return BAIL;
            PyObject *limit = PyLong_FromSsize_t(st->room - used);
            if (limit == NULL) return FAIL;
            Py_INCREF(name);
            Py_INCREF(value);
            piece = PyObject_CallFunctionObjArgs(st->attribute, name, value, st->escape_long,
                                                 limit, NULL);
            Py_DECREF(name);
            Py_DECREF(value);
            Py_DECREF(limit);
            if (piece == NULL) {
                PyErr_Clear(); /* the reference raises it again, at the same point */
                return BAIL;
            }
            if (piece == Py_None) {
                Py_DECREF(piece);
                continue;
            }
            if (!PyUnicode_Check(piece)) {
                Py_DECREF(piece);
                return BAIL;
            }
            used += PyUnicode_GET_LENGTH(piece);
            if (parts_add(p, piece, 1) < 0) return FAIL;
            if (used > st->room) return BAIL;
        }
    }
    return used > st->room ? BAIL : DONE;
}

/* ``</tag>`` (a new reference), from the loop's table of end tags (added to it as
 * loop._end_tag adds, up to the same bound). */
static PyObject *
end_tag(State *st, PyObject *tag)
{
    PyObject *end = PyDict_GetItemWithError(st->end_tags, tag);
    if (end != NULL) return Py_NewRef(end);
    if (PyErr_Occurred()) return NULL;
    end = PyUnicode_FromFormat("</%U>", tag);
    if (end != NULL && PyDict_GET_SIZE(st->end_tags) < 512 &&
        PyDict_SetItem(st->end_tags, tag, end) < 0)
        Py_CLEAR(end);
    return end;
}

/* Join ``p`` and append the result to the output. */
static int
append_parts(State *st, Parts *p)
{
    PyObject *whole = parts_join(p);
    int r = whole == NULL ? -1 : append(st, whole);
    Py_XDECREF(whole);
    return r;
}

/* A leaf: start tag, text (a node of its own) and end tag in one piece, as walk() does. */
static int
write_leaf(State *st, PyObject *tag, Parts *p, PyObject *children, int is_void)
{
    PyObject *text = NULL, *end = NULL;
    Py_ssize_t n_start = p->length;
    int result = FAIL;
    if (is_void) {
        if (st->room - n_start - 2 < 0) return BAIL;
        if (parts_add(p, s_slash_gt, 0) < 0 || drop_top(st) < 0 || append_parts(st, p) < 0)
            return FAIL;
        st->left -= 1;
        st->room -= n_start + 2;
        return DONE;
    }
    if (st->left < 2) return BAIL;
    text = (children == NULL || children == Py_None) ? Py_NewRef(s_empty) : escaped(st, children);
    if (text == NULL || (end = end_tag(st, tag)) == NULL) goto done;
    Py_ssize_t n_text = PyUnicode_GET_LENGTH(text), n_end = PyUnicode_GET_LENGTH(end);
    if (st->room - n_start - 1 - n_text - n_end < 0) {
        result = BAIL;
        goto done;
    }
    if (drop_top(st) < 0 || parts_add(p, s_gt, 0) < 0) goto done;
    if (n_text < st->long_from) {
        if (parts_add(p, text, 0) < 0 || parts_add(p, end, 0) < 0 || append_parts(st, p) < 0)
            goto done;
    }
    else if (append_parts(st, p) < 0 || append(st, text) < 0 || append(st, end) < 0)
        goto done; /* a remembered text: written as the same object, not copied */
    st->left -= 2;
    st->room -= n_start + 1 + n_text + n_end;
    result = DONE;
done:
    Py_XDECREF(text);
    Py_XDECREF(end);
    return result;
}

/* An element with children to walk: its close task, the start tag, the children. */
static int
open_element(State *st, PyObject *task, PyObject *tag, Parts *p, PyObject *children,
             PyObject *key)
{
    Py_ssize_t n_start = p->length;
    PyObject *end = NULL, *close = NULL;
    int svg, result = FAIL;
    if (st->room - n_start - 1 < 0) return BAIL;
    svg = PyUnicode_CompareWithASCIIString(tag, "svg") == 0;
    if ((end = end_tag(st, tag)) == NULL) return FAIL;
    Py_INCREF(task);
    Py_INCREF(children);
    if (drop_top(st) < 0) goto done;
    st->left -= 1;
    st->nesting += 1;
    st->depth += 1;
    close = make_close(st, task, 1, end, svg, st->depth - 1, st->nesting - 1);
    if (close == NULL || PyList_Append(st->tasks, close) < 0 || PySet_Add(st->open, key) < 0)
        goto done;
    if (parts_add(p, s_gt, 0) < 0 || append_parts(st, p) < 0) goto done;
    st->room -= n_start + 1;
    st->in_svg += svg;
    st->host_depth += 1;
    if (PyList_Append(st->tasks, children) < 0) goto done;
    result = DONE;
done:
    Py_DECREF(task);
    Py_DECREF(children);
    Py_XDECREF(end);
    Py_XDECREF(close);
    return result;
}

static int
do_element(State *st, PyObject *task)
{
    PyObject *tag = NULL, *props = NULL, *children, *key = NULL;
    int result = FAIL, r;
    if (st->left < 1) return BAIL;
    if ((tag = PyObject_GetAttr(task, s_type)) == NULL) return FAIL;
    if ((props = PyObject_GetAttr(task, s_props)) == NULL) goto done;
    result = BAIL;
    if (!PyUnicode_CheckExact(tag) || !PyDict_CheckExact(props) ||
        PyDict_GET_SIZE(props) >= st->remember_from ||
        PyDict_GET_SIZE(props) * 3 + 6 > MAX_PARTS)
        goto done;
    result = FAIL;
    if ((r = PySet_Contains(st->own_rules, tag)) != 0 ||
        (r = PyDict_Contains(props, s_inner)) != 0) {
        result = r < 0 ? FAIL : BAIL;
        goto done;
    }
    children = PyDict_GetItemWithError(props, s_children);
    if (children == NULL && PyErr_Occurred()) goto done;
    int is_void = PySet_Contains(st->void_tags, tag);
    if (is_void < 0) goto done;
    int leaf = is_void || children == NULL || children == Py_None ||
               PyUnicode_CheckExact(children);
    result = BAIL;
    if (leaf) {
        if (st->depth >= st->max_depth) goto done;
    }
    else {
        if (st->depth + 1 > st->max_depth) goto done;
        if ((key = PyLong_FromVoidPtr(task)) == NULL) {
            result = FAIL;
            goto done;
        }
        r = PyDict_GET_SIZE(st->written) ? PyDict_Contains(st->written, key) : 0;
        if (r == 0) r = PySet_Contains(st->open, key);
        if (r != 0) {
            result = r < 0 ? FAIL : BAIL;
            goto done;
        }
    }
    Py_XINCREF(children); /* held while attribute() may run Python code */
    Parts parts = {.n = 0};
    result = build_start(st, tag, props, &parts);
    if (result == DONE)
        result = leaf ? write_leaf(st, tag, &parts, children, is_void)
                      : open_element(st, task, tag, &parts, children, key);
    parts_clear(&parts);
    Py_XDECREF(children);
done:
    Py_XDECREF(tag);
    Py_XDECREF(props);
    Py_XDECREF(key);
    return result;
}

static PyObject *
run(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs)
{
    State st = {0};
    int r = 0;
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "run(loop, consts)");
        return NULL;
    }
    if (load(&st, args[0], args[1]) < 0) {
        release(&st);
        return NULL;
    }
    for (;;) {
        Py_ssize_t n = PyList_GET_SIZE(st.tasks);
        if (n == 0) break;
        PyObject *task = PyList_GET_ITEM(st.tasks, n - 1);
        PyTypeObject *type = Py_TYPE(task);
        Py_INCREF(task);
        if (type == &PyUnicode_Type)
            r = do_text(&st, task);
        else if (type == st.element_type)
            r = do_element(&st, task);
        else if (type == st.close_type)
            r = do_close(&st, task);
        else if (type == &PyList_Type)
            r = do_list(&st, task);
        else if (type == &PyLong_Type)
            r = do_int(&st, task);
        else if (type == st.lazy_type || type == st.promise_type)
            r = do_read(&st, task, type == st.lazy_type);
        else if (task == Py_None) {
            r = BAIL;
            if (st.left >= 1) {
                r = drop_top(&st) < 0 ? FAIL : DONE;
                st.left -= r == DONE;
            }
        }
        else
            r = BAIL;
        Py_DECREF(task);
        if (r != DONE) break;
    }
    if (r != FAIL && store(&st, args[0]) < 0) r = FAIL; /* a failed rendering is dropped */
    release(&st);
    if (r == FAIL) return NULL;
    Py_RETURN_NONE;
}

/* The interned name in *slot, made on the first call (shared by the three sources of this
 * module: a name the walks look up is made once, not once per source). */
int
crender_intern(PyObject **slot, const char *text)
{
    if (*slot == NULL) *slot = PyUnicode_InternFromString(text);
    return *slot == NULL ? -1 : 0;
}

/* The text walks compiled into this module (their own sources: _ctext.c, _cbody.c). */
PyObject *ctext_text(PyObject *module, PyObject *const *args, Py_ssize_t nargs);
int ctext_init(void);
PyObject *cbody_read(PyObject *module, PyObject *const *args, Py_ssize_t nargs);
int cbody_init(void);

static PyMethodDef crender_methods[] = {
    {"run", (PyCFunction)(void (*)(void))run, METH_FASTCALL,
     PyDoc_STR("run(loop, consts)\n--\n\n"
               "Do the render loop's common steps until the top task needs the reference "
               "(rsc_flight/tree/loop.py).")},
    {"text", (PyCFunction)(void (*)(void))ctext_text, METH_FASTCALL,
     PyDoc_STR("text(value, budget, limit, consts)\n--\n\n"
               "The walk of tree/query.py's text_and_cost (tree/_ctext.c).")},
    {"read_body", (PyCFunction)(void (*)(void))cbody_read, METH_FASTCALL,
     PyDoc_STR("read_body(content, max_values, consts)\n--\n\n"
               "The walk of extract/tree_body.py's read_tree_body (tree/_cbody.c).")},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef crender_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "rsc_flight._crender",
    .m_doc = PyDoc_STR("The HTML render loop's common steps in C (see rsc_flight/tree/loop.py)."),
    .m_size = -1,
    .m_methods = crender_methods,
};

PyMODINIT_FUNC
PyInit__crender(void)
{
    if (crender_intern(&s_tasks, "tasks") < 0 ||
        crender_intern(&s_out, "out") < 0 ||
        crender_intern(&s_budget, "budget") < 0 ||
        crender_intern(&s_left, "left") < 0 ||
        crender_intern(&s_room, "room") < 0 ||
        crender_intern(&s_written, "written") < 0 ||
        crender_intern(&s_open, "open") < 0 ||
        crender_intern(&s_depth, "depth") < 0 ||
        crender_intern(&s_nesting, "nesting") < 0 ||
        crender_intern(&s_max_nesting, "max_nesting") < 0 ||
        crender_intern(&s_max_depth, "max_depth") < 0 ||
        crender_intern(&s_host_depth, "host_depth") < 0 ||
        crender_intern(&s_in_svg, "in_svg") < 0 ||
        crender_intern(&s_events, "events") < 0 ||
        crender_intern(&s_document, "document") < 0 ||
        crender_intern(&s_html_open, "html_open") < 0 ||
        crender_intern(&s_client_hook, "client_hook") < 0 ||
        crender_intern(&s_escape_long, "escape_long") < 0 ||
        crender_intern(&s_type, "type") < 0 ||
        crender_intern(&s_props, "props") < 0 ||
        crender_intern(&s_children, "children") < 0 ||
        crender_intern(&s_inner, "dangerouslySetInnerHTML") < 0 ||
        crender_intern(&s_empty, "") < 0 ||
        crender_intern(&s_gt, ">") < 0 ||
        crender_intern(&s_lt, "<") < 0 ||
        crender_intern(&s_quote, "\"") < 0 ||
        crender_intern(&s_slash_gt, "/>") < 0 ||
        crender_intern(&s_promise, "promise") < 0 ||
        crender_intern(&s_status, "status") < 0 ||
        crender_intern(&s_value, "value") < 0 ||
        ctext_init() < 0 ||
        cbody_init() < 0)
        return NULL;
    return PyModule_Create(&crender_module);
}
