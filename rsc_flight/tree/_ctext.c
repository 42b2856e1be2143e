/* rsc_flight._crender.text: the loop of ``text_and_cost`` (tree/query.py), in C.
 *
 * Compiled into the ``_crender`` extension (setup.py lists this file among its sources;
 * ``_crender.c`` registers the function).  The Python loop (``query._text_walk``) stays
 * the reference: this walk visits the same values in the same order, charges the same
 * budget units at the same points and raises the same errors (it calls the budget's
 * ``exceeded`` and the reference's ``output_too_big``).  Values it does not read itself
 * (anything but strings, elements, lists, ``None``, booleans, small integers and
 * fulfilled lazies) go to the reference's ``_other_text`` with the same stack, seen set
 * and budget, so there is one meaning for them.  A walk that meets what even that does not
 * cover exactly (a ``dict`` subclass as props) hands the whole walk back (returns the
 * ``bail`` constant, the budget as it was): the reference then walks from the start,
 * and since a walk only reads (a lazy chunk it initialises stays initialised), it gives
 * what it would have given.
 *
 * Hostile input: no recursion (the stack is a Python list), strings are read through
 * their length, every allocation is checked, the budget bounds the loop.
 */

#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *s_type, *s_props, *s_children, *s_inner, *s_html, *s_left, *s_exceeded,
    *s_promise, *s_status, *s_value, *s_get, *s_empty, *s_text, *s_fulfilled;

/* One walk: its constants (borrowed from the consts tuple) and its state. */
typedef struct {
    PyTypeObject *element_type, *lazy_type, *promise_type;
    PyObject *not_text, *unwrap, *html_text, *number_text, *output_too_big, *other_text,
        *readable, *bail;
    PyObject *budget, *limit_obj;               /* borrowed: the caller's */
    PyObject *stack, *seen, *parts;             /* new references */
    Py_ssize_t left, start_left, room;
} Text;

enum { SKIP = 0, TEXT = 1, FAIL = -1, BAIL = -2 };

static int
sync_out(Text *t)
{
    PyObject *v = PyLong_FromSsize_t(t->left);
    int r = v == NULL ? -1 : PyObject_SetAttr(t->budget, s_left, v);
    Py_XDECREF(v);
    return r;
}

static int
sync_in(Text *t)
{
    PyObject *v = PyObject_GetAttr(t->budget, s_left);
    if (v == NULL) return -1;
    t->left = PyLong_AsSsize_t(v);
    Py_DECREF(v);
    return (t->left == -1 && PyErr_Occurred()) ? -1 : 0;
}

/* ``raise budget.exceeded()``, the budget's count written back first. */
static int
exceeded(Text *t)
{
    if (sync_out(t) < 0) return FAIL;
    PyObject *exc = PyObject_CallMethodNoArgs(t->budget, s_exceeded);
    if (exc == NULL) return FAIL;
    PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
    Py_DECREF(exc);
    return FAIL;
}

/* ``key in seen`` (the reference's ``id(node) in seen``), adding it: 1 when it was
 * already there. */
static int
seen_before(Text *t, PyObject *node)
{
    PyObject *key = PyLong_FromVoidPtr(node);
    if (key == NULL) return -1;
    int r = PySet_Contains(t->seen, key);
    if (r == 0 && PySet_Add(t->seen, key) < 0) r = -1;
    Py_DECREF(key);
    return r;
}

/* ``obj.get(key)`` for a dict (a new reference, ``None`` when missing). */
static PyObject *
dict_get(PyObject *obj, PyObject *key)
{
    if (PyDict_CheckExact(obj)) {
        PyObject *v = PyDict_GetItemWithError(obj, key);
        if (v == NULL) return PyErr_Occurred() ? NULL : Py_NewRef(Py_None);
        return Py_NewRef(v);
    }
    return PyObject_CallMethodOneArg(obj, s_get, key);
}

/* ``unwrap(value)`` (a new reference): a chain of fulfilled lazies and promises read
 * here, anything else by the reference's ``unwrap``. */
static PyObject *
read_through(Text *t, PyObject *value)
{
    PyObject *v = Py_NewRef(value);
    for (int steps = 0; steps < 16; steps++) {
        PyTypeObject *type = Py_TYPE(v);
        if (type != t->lazy_type && type != t->promise_type) {
            int readable = PyObject_IsInstance(v, t->readable);
            if (readable == 0) return v;
            Py_DECREF(v);
            if (readable < 0) return NULL;
            break;
        }
        PyObject *promise = type == t->lazy_type ? PyObject_GetAttr(v, s_promise) : Py_NewRef(v);
        Py_DECREF(v);
        if (promise == NULL) return NULL;
        if (Py_TYPE(promise) != t->promise_type) {
            Py_DECREF(promise);
            break;
        }
        PyObject *status = PyObject_GetAttr(promise, s_status);
        if (status == NULL) {
            Py_DECREF(promise);
            return NULL;
        }
        int fulfilled = PyUnicode_CheckExact(status) && PyUnicode_Compare(status, s_fulfilled) == 0;
        Py_DECREF(status);
        if (!fulfilled) {
            Py_DECREF(promise);
            break;
        }
        v = PyObject_GetAttr(promise, s_value);
        Py_DECREF(promise);
        if (v == NULL) return NULL;
        if (steps == 15) {
            Py_DECREF(v);
            break;
        }
    }
    return PyObject_CallOneArg(t->unwrap, value); /* the reference, from the start */
}

/* Whether ``tag`` is one of ``script``/``style``/``template`` (the reference's
 * ``tag in _NOT_TEXT``, with the same comparisons). */
static int
not_text(Text *t, PyObject *tag)
{
    return PySequence_Contains(t->not_text, tag);
}

/* A ``dangerouslySetInnerHTML`` string's text, its work charged (budget.spend). */
static int
inner_text(Text *t, PyObject *html, PyObject **text)
{
    t->left -= PyUnicode_GET_LENGTH(html) / 64;
    *text = PyObject_CallOneArg(t->html_text, html);
    if (*text != NULL && !PyUnicode_Check(*text)) {
        Py_CLEAR(*text);
        PyErr_SetString(PyExc_TypeError, "_html_text must return str");
    }
    return *text == NULL ? FAIL : TEXT;
}

/* An element's props, read through, when they are a plain dict (a new reference in
 * ``*props``); SKIP when they are not a dict, BAIL for a dict subclass. */
static int
element_props(Text *t, PyObject *node, PyObject **props)
{
    PyObject *p = PyObject_GetAttr(node, s_props);
    if (p == NULL) return FAIL;
    if (!PyDict_CheckExact(p)) {
        PyObject *read = read_through(t, p);
        Py_DECREF(p);
        if (read == NULL) return FAIL;
        p = read;
        if (!PyDict_Check(p)) {
            Py_DECREF(p);
            return SKIP;
        }
        if (!PyDict_CheckExact(p)) {
            Py_DECREF(p);
            return BAIL;
        }
    }
    *props = p;
    return TEXT;
}

/* The ``dangerouslySetInnerHTML`` part of an element's visit: TEXT with its text when it
 * has an HTML string, else SKIP (``*done`` stays 0), BAIL for a dict subclass. */
static int
element_inner(Text *t, PyObject *props, PyObject **text)
{
    PyObject *inner = dict_get(props, s_inner);
    if (inner == NULL) return FAIL;
    int r = SKIP;
    if (PyDict_Check(inner)) {
        if (!PyDict_CheckExact(inner)) {
            Py_DECREF(inner);
            return BAIL;
        }
        PyObject *html = PyDict_GetItemWithError(inner, s_html);
        if (html == NULL && PyErr_Occurred()) r = FAIL;
        else if (html != NULL && PyUnicode_Check(html)) {
            Py_INCREF(html);
            r = inner_text(t, html, text);
            Py_DECREF(html);
        }
    }
    Py_DECREF(inner);
    return r;
}

/* The main loop's visit of an element (exact type). */
static int
visit_element(Text *t, PyObject *node, PyObject **text)
{
    int r = seen_before(t, node);
    if (r != 0) return r < 0 ? FAIL : SKIP;
    PyObject *tag = PyObject_GetAttr(node, s_type), *props = NULL;
    if (tag == NULL) return FAIL;
    if (!PyUnicode_CheckExact(tag)) {
        PyObject *read = read_through(t, tag);
        Py_DECREF(tag);
        if (read == NULL) return FAIL;
        tag = read;
        r = PyUnicode_Check(tag) ? not_text(t, tag) : 0;
    }
    else
        r = not_text(t, tag);
    Py_DECREF(tag);
    if (r != 0) return r < 0 ? FAIL : SKIP;
    if ((r = element_props(t, node, &props)) != TEXT) return r;
    r = element_inner(t, props, text);
    if (r != SKIP) {
        Py_DECREF(props);
        return r;
    }
    PyObject *children = dict_get(props, s_children);
    Py_DECREF(props);
    if (children == NULL) return FAIL;
    if (!PyUnicode_CheckExact(children)) {
        r = PyList_Append(t->stack, children);
        Py_DECREF(children);
        return r < 0 ? FAIL : SKIP;
    }
    t->left -= 1;
    if (t->left < 0) {
        Py_DECREF(children);
        return exceeded(t);
    }
    *text = children;
    return TEXT;
}

/* ``_other_text``'s visit of an element met through a lazy (no string shortcut). */
static int
other_element(Text *t, PyObject *node, PyObject **text)
{
    int r = seen_before(t, node);
    if (r != 0) return r < 0 ? FAIL : SKIP;
    PyObject *tag = PyObject_GetAttr(node, s_type), *props = NULL;
    if (tag == NULL) return FAIL;
    PyObject *read = read_through(t, tag);
    Py_DECREF(tag);
    if (read == NULL) return FAIL;
    r = not_text(t, read);
    Py_DECREF(read);
    if (r != 0) return r < 0 ? FAIL : SKIP;
    if ((r = element_props(t, node, &props)) != TEXT) return r;
    r = element_inner(t, props, text);
    if (r != SKIP) {
        Py_DECREF(props);
        return r;
    }
    PyObject *children = dict_get(props, s_children);
    Py_DECREF(props);
    if (children == NULL) return FAIL;
    r = PyList_Append(t->stack, children);
    Py_DECREF(children);
    return r < 0 ? FAIL : SKIP;
}

static int
extend_reversed(Text *t, PyObject *list)
{
    int r = seen_before(t, list);
    if (r != 0) return r < 0 ? FAIL : SKIP;
    for (Py_ssize_t i = PyList_GET_SIZE(list) - 1; i >= 0; i--) {
        if (i >= PyList_GET_SIZE(list)) continue; /* nothing runs here that changes it */
        if (PyList_Append(t->stack, PyList_GET_ITEM(list, i)) < 0) return FAIL;
    }
    return SKIP;
}

/* The reference's ``_other_text``, with the budget's count handed over and back. */
static int
call_other(Text *t, PyObject *node, PyObject **text)
{
    if (sync_out(t) < 0) return FAIL;
    PyObject *args[4] = {node, t->seen, t->stack, t->budget};
    PyObject *r = PyObject_Vectorcall(t->other_text, args, 4, NULL);
    if (r == NULL) {
        /* the reference may have charged before it failed: take its count */
        PyObject *type, *value, *tb;
        PyErr_Fetch(&type, &value, &tb);
        if (sync_in(t) < 0) PyErr_Clear();
        PyErr_Restore(type, value, tb);
        return FAIL;
    }
    if (sync_in(t) < 0) {
        Py_DECREF(r);
        return FAIL;
    }
    if (r == Py_None) {
        Py_DECREF(r);
        return SKIP;
    }
    if (!PyUnicode_Check(r)) {
        Py_DECREF(r);
        PyErr_SetString(PyExc_TypeError, "_other_text must return str or None");
        return FAIL;
    }
    *text = r;
    return TEXT;
}

/* A small integer as ``number_text`` writes it (its digits: below 10**21); SKIP with
 * no error when it does not fit a C long long. */
static int
small_int(PyObject *node, PyObject **text)
{
    int overflow = 0;
    (void)PyLong_AsLongLongAndOverflow(node, &overflow);
    if (PyErr_Occurred()) return FAIL;
    if (overflow) return SKIP;
    *text = PyObject_Str(node);
    return *text == NULL ? FAIL : TEXT;
}

/* A value that is neither a string, an element, a list nor None (``_other_text``). */
static int
visit_other(Text *t, PyObject *node, PyObject **text)
{
    PyTypeObject *type = Py_TYPE(node);
    if (type == &PyBool_Type) return SKIP;
    if (type == &PyLong_Type) {
        int r = small_int(node, text);
        return r != SKIP ? r : call_other(t, node, text);
    }
    if (type != t->lazy_type && type != t->promise_type) return call_other(t, node, text);
    PyObject *value = read_through(t, node);
    if (value == NULL) return FAIL;
    int r;
    type = Py_TYPE(value);
    if (type == &PyUnicode_Type) {
        *text = Py_NewRef(value);
        r = TEXT;
    }
    else if (type == &PyList_Type)
        r = extend_reversed(t, value);
    else if (type == t->element_type)
        r = other_element(t, value, text);
    else if (value == Py_None || type == &PyBool_Type)
        r = SKIP;
    else
        r = call_other(t, value, text); /* read through already: the same visit */
    Py_DECREF(value);
    return r;
}

static int
load(Text *t, PyObject *consts)
{
    if (!PyTuple_CheckExact(consts) || PyTuple_GET_SIZE(consts) != 11) {
        PyErr_SetString(PyExc_TypeError, "consts must be a tuple of 11");
        return -1;
    }
    t->element_type = (PyTypeObject *)PyTuple_GET_ITEM(consts, 0);
    t->lazy_type = (PyTypeObject *)PyTuple_GET_ITEM(consts, 1);
    t->promise_type = (PyTypeObject *)PyTuple_GET_ITEM(consts, 2);
    t->not_text = PyTuple_GET_ITEM(consts, 3);
    t->readable = PyTuple_GET_ITEM(consts, 4);
    t->unwrap = PyTuple_GET_ITEM(consts, 5);
    t->html_text = PyTuple_GET_ITEM(consts, 6);
    t->number_text = PyTuple_GET_ITEM(consts, 7);
    t->output_too_big = PyTuple_GET_ITEM(consts, 8);
    t->other_text = PyTuple_GET_ITEM(consts, 9);
    t->bail = PyTuple_GET_ITEM(consts, 10);
    if (!PyType_Check(t->element_type) || !PyType_Check(t->lazy_type) ||
        !PyType_Check(t->promise_type) || !PyTuple_CheckExact(t->not_text) ||
        !PyTuple_CheckExact(t->readable)) {
        PyErr_SetString(PyExc_TypeError, "consts of the wrong types");
        return -1;
    }
    return 0;
}

/* The loop itself: TEXT when the walk ended (the parts gathered), FAIL, BAIL. */
static int
walk(Text *t)
{
    Py_ssize_t n;
    while ((n = PyList_GET_SIZE(t->stack)) > 0) {
        PyObject *node = PyList_GET_ITEM(t->stack, n - 1); /* the list's reference, taken */
        Py_SET_SIZE(t->stack, n - 1);
        PyObject *text = NULL;
        int r;
        t->left -= 1;
        if (t->left < 0)
            r = exceeded(t);
        else if (PyUnicode_CheckExact(node)) {
            text = Py_NewRef(node);
            r = TEXT;
        }
        else if (Py_TYPE(node) == t->element_type)
            r = visit_element(t, node, &text);
        else if (PyList_CheckExact(node))
            r = extend_reversed(t, node);
        else if (node == Py_None)
            r = SKIP;
        else
            r = visit_other(t, node, &text);
        Py_DECREF(node);
        if (r != TEXT) {
            if (r == SKIP) continue;
            return r;
        }
        t->room -= PyUnicode_GET_LENGTH(text);
        if (t->room < 0) {
            Py_DECREF(text);
            if (sync_out(t) < 0) return FAIL;
            PyObject *exc = PyObject_CallFunctionObjArgs(t->output_too_big, t->limit_obj, s_text,
                                                         NULL);
            if (exc != NULL) {
                PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
                Py_DECREF(exc);
            }
            return FAIL;
        }
        r = PyList_Append(t->parts, text);
        Py_DECREF(text);
        if (r < 0) return FAIL;
    }
    return TEXT;
}

/* text(value, budget, limit, consts) -> str, or consts' bail object: the reference must
 * walk (the budget then is as it was). */
PyObject *
ctext_text(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs)
{
    Text t = {0};
    PyObject *result = NULL;
    if (nargs != 4) {
        PyErr_SetString(PyExc_TypeError, "text(value, budget, limit, consts)");
        return NULL;
    }
    if (load(&t, args[3]) < 0) return NULL;
    t.budget = args[1];
    t.limit_obj = args[2];
    t.room = PyLong_Check(args[2]) ? PyLong_AsSsize_t(args[2]) : -1;
    if (t.room == -1 && PyErr_Occurred()) {
        PyErr_Clear();
        return Py_NewRef(t.bail); /* a limit past a C size: the reference */
    }
    if (sync_in(&t) < 0) {
        if (!PyErr_ExceptionMatches(PyExc_OverflowError) && !PyErr_ExceptionMatches(PyExc_TypeError))
            return NULL;
        PyErr_Clear();
        return Py_NewRef(t.bail);
    }
    t.start_left = t.left;
    if (t.room < 0 || t.left < 0 || t.left > PY_SSIZE_T_MAX / 2)
        return Py_NewRef(t.bail);
    if ((t.stack = PyList_New(1)) == NULL) return NULL;
    PyList_SET_ITEM(t.stack, 0, Py_NewRef(args[0]));
    if ((t.seen = PySet_New(NULL)) == NULL || (t.parts = PyList_New(0)) == NULL) goto done;
    int r = walk(&t);
    if (r == BAIL) {
        t.left = t.start_left;
        if (sync_out(&t) == 0) result = Py_NewRef(t.bail);
    }
    else if (r == TEXT) {
        if (sync_out(&t) == 0) result = PyUnicode_Join(s_empty, t.parts);
    }
    else if (!PyErr_Occurred())
        PyErr_SetString(PyExc_SystemError, "text walk failed without an error");
    else {
        /* the error stands; the budget's count is the reference's at that point */
        PyObject *type, *value, *tb;
        PyErr_Fetch(&type, &value, &tb);
        (void)sync_out(&t);
        PyErr_Clear();
        PyErr_Restore(type, value, tb);
    }
done:
    Py_XDECREF(t.stack);
    Py_XDECREF(t.seen);
    Py_XDECREF(t.parts);
    return result;
}

/* _crender.c's: an interned name, made on first use. */
int crender_intern(PyObject **slot, const char *text);

int
ctext_init(void)
{
    if (crender_intern(&s_type, "type") < 0 ||
        crender_intern(&s_props, "props") < 0 ||
        crender_intern(&s_children, "children") < 0 ||
        crender_intern(&s_inner, "dangerouslySetInnerHTML") < 0 ||
        crender_intern(&s_html, "__html") < 0 ||
        crender_intern(&s_left, "left") < 0 ||
        crender_intern(&s_exceeded, "exceeded") < 0 ||
        crender_intern(&s_promise, "promise") < 0 ||
        crender_intern(&s_status, "status") < 0 ||
        crender_intern(&s_value, "value") < 0 ||
        crender_intern(&s_get, "get") < 0 ||
        crender_intern(&s_empty, "") < 0 ||
        crender_intern(&s_text, "text") < 0 ||
        crender_intern(&s_fulfilled, "fulfilled") < 0)
        return -1;
    return 0;
}
