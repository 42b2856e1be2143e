/* rsc_flight._cwalk: the common steps of the page walk, in C.
 *
 * The native twin of the loop of ``Walker.walk`` in ``nextjs/walker.py``, which stays the
 * reference.  ``walk(walker, stack, place, plan)`` takes values from the top of the walk's
 * stack and does what ``Walker.walk`` does for the commonest ones: strings, ``None``,
 * integers, lists, dicts, the ``_RESTORE`` marker, fulfilled lazies and promises, and
 * elements (one ``Node`` each; a component's content is asked of ``walker._inside``, a
 * new ``className`` of ``walker.classes_of``, as the reference asks).  It returns as soon
 * as the top value is anything else (a ``JSMap``, a subclass, a chain of lazies, a chunk
 * not fulfilled, props that are not a dict...), leaving that value on the stack, the
 * budget's ``left`` written back and the place (region, parent, seed, row) returned, so
 * that ``walk`` takes exactly that value.  Returning is never a guess: it means "ask the
 * reference".  Everything a value may do (charge the budget, be marked seen, make a node)
 * is decided before any of it is done.
 *
 * Hostile input: there is no recursion (the stack is the walk's list), the budget is
 * charged per value as the reference charges it and raises the reference's error, nodes
 * deeper than ``max_depth`` are made but not entered (``walker.truncated``), and objects
 * are written only through slot offsets read from checked member descriptors (``plan``).
 */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

#include "../_cslots.h"

static PyObject *s_nodes, *s_seen, *s_classes, *s_budget, *s_left, *s_limits, *s_max_depth,
    *s_truncated, *s_exceeded, *s_classes_of, *s_inside, *s_class_name, *s_children,
    *s_fulfilled, *s_head, *s_one, *s_router_key, *s_name, *s_suspense[2];

/* Node's slots, in the order of NODE_SLOTS. */
enum { N_ELEMENT, N_KIND, N_PROPS, N_PARENT, N_REGION, N_ROW, N_ORDER, N_DEPTH, N_SIZE,
       N_CHILDREN, N_CLASSES, N_TAG, N_NODE };
static const char *const NODE_SLOTS[N_NODE] = {
    "element", "kind", "props", "parent", "region", "row",
    "order",   "depth", "size", "_children", "_classes", "tag",
};

/* What ``prepare`` checked once: the classes, the constants, the slot offsets. */
typedef struct {
    PyObject *consts; /* the tuple, owned: keeps everything below alive */
    PyTypeObject *element_type, *lazy_type, *promise_type, *node_type, *classes_type,
        *client_type, *symbol_type;
    PyObject *containers, *restore, *fallback, *no_classes, *head_region, *layout_head,
        *metadata_exports;
    Py_ssize_t node[N_NODE], el_type, el_props, lazy_promise, p_status, p_value, p_id;
    Py_ssize_t cl_names, cl_set, cl_folded, cl_tests, client_name;
} Plan;

enum { BAIL = 0, DONE = 1, FAIL = -1 };

#define SLOT(obj, offset) (*(PyObject **)((char *)(obj) + (offset)))

static void
plan_free(PyObject *capsule)
{
    Plan *p = PyCapsule_GetPointer(capsule, "rsc_flight._cwalk.Plan");
    if (p == NULL) return;
    Py_XDECREF(p->consts);
    PyMem_Free(p);
}

/* The offset of a class's slot, or -1 with TypeError (../_cslots.h). */
static Py_ssize_t
member(PyTypeObject *cls, const char *name)
{
    return rsc_slot_offset(cls, name, "_cwalk");
}

/* prepare(consts) -> plan: consts is (Element, Lazy, JSPromise, Node, Classes,
 * ClientReference, JSSymbol, CONTAINERS, _RESTORE, _FALLBACK_PROPS, _METADATA_EXPORTS,
 * NO_CLASSES, Region.HEAD, Region.LAYOUT_HEAD). */
static PyObject *
prepare(PyObject *Py_UNUSED(module), PyObject *consts)
{
    if (!PyTuple_CheckExact(consts) || PyTuple_GET_SIZE(consts) != 14) {
        PyErr_SetString(PyExc_TypeError, "consts must be a tuple of 14");
        return NULL;
    }
    for (int k = 0; k < 7; k++)
        if (!PyType_Check(PyTuple_GET_ITEM(consts, k))) {
            PyErr_SetString(PyExc_TypeError, "consts: the first seven must be classes");
            return NULL;
        }
    if (!PyTuple_Check(PyTuple_GET_ITEM(consts, 7)) ||
        !PyFrozenSet_CheckExact(PyTuple_GET_ITEM(consts, 9)) ||
        !PyFrozenSet_CheckExact(PyTuple_GET_ITEM(consts, 10))) {
        PyErr_SetString(PyExc_TypeError, "consts of the wrong types");
        return NULL;
    }
    Plan *p = PyMem_Calloc(1, sizeof(Plan));
    if (p == NULL) return PyErr_NoMemory();
    p->element_type = (PyTypeObject *)PyTuple_GET_ITEM(consts, 0);
    p->lazy_type = (PyTypeObject *)PyTuple_GET_ITEM(consts, 1);
    p->promise_type = (PyTypeObject *)PyTuple_GET_ITEM(consts, 2);
    p->node_type = (PyTypeObject *)PyTuple_GET_ITEM(consts, 3);
    p->classes_type = (PyTypeObject *)PyTuple_GET_ITEM(consts, 4);
    p->client_type = (PyTypeObject *)PyTuple_GET_ITEM(consts, 5);
    p->symbol_type = (PyTypeObject *)PyTuple_GET_ITEM(consts, 6);
    p->containers = PyTuple_GET_ITEM(consts, 7);
    p->restore = PyTuple_GET_ITEM(consts, 8);
    p->fallback = PyTuple_GET_ITEM(consts, 9);
    p->metadata_exports = PyTuple_GET_ITEM(consts, 10);
    p->no_classes = PyTuple_GET_ITEM(consts, 11);
    p->head_region = PyTuple_GET_ITEM(consts, 12);
    p->layout_head = PyTuple_GET_ITEM(consts, 13);
    int bad = 0;
    for (int k = 0; k < N_NODE; k++)
        bad |= (p->node[k] = member(p->node_type, NODE_SLOTS[k])) < 0;
    bad |= (p->el_type = member(p->element_type, "type")) < 0;
    bad |= (p->el_props = member(p->element_type, "props")) < 0;
    bad |= (p->lazy_promise = member(p->lazy_type, "promise")) < 0;
    bad |= (p->p_status = member(p->promise_type, "status")) < 0;
    bad |= (p->p_value = member(p->promise_type, "value")) < 0;
    bad |= (p->p_id = member(p->promise_type, "id")) < 0;
    bad |= (p->cl_names = member(p->classes_type, "names")) < 0;
    bad |= (p->cl_set = member(p->classes_type, "_set")) < 0;
    bad |= (p->cl_folded = member(p->classes_type, "_folded")) < 0;
    bad |= (p->cl_tests = member(p->classes_type, "tests")) < 0;
    bad |= (p->client_name = member(p->client_type, "name")) < 0;
    if (bad) {
        PyMem_Free(p);
        return NULL;
    }
    p->consts = Py_NewRef(consts);
    PyObject *capsule = PyCapsule_New(p, "rsc_flight._cwalk.Plan", plan_free);
    if (capsule == NULL) {
        Py_DECREF(p->consts);
        PyMem_Free(p);
    }
    return capsule;
}

/* One call's state: the walker's objects (new references), the counters, the place. */
typedef struct {
    const Plan *p;
    PyObject *walker, *stack, *nodes, *seen, *classes, *budget;
    Py_ssize_t left, max_depth;
    PyObject *region, *parent, *seed, *row; /* the place: new references */
} State;

static void
release(State *st)
{
    Py_CLEAR(st->nodes);
    Py_CLEAR(st->seen);
    Py_CLEAR(st->classes);
    Py_CLEAR(st->budget);
    Py_CLEAR(st->region);
    Py_CLEAR(st->parent);
    Py_CLEAR(st->seed);
    Py_CLEAR(st->row);
}

static int
get_ssize(PyObject *obj, PyObject *name, Py_ssize_t *value)
{
    PyObject *v = PyObject_GetAttr(obj, name);
    if (v == NULL) return -1;
    *value = PyLong_AsSsize_t(v);
    Py_DECREF(v);
    return (*value == -1 && PyErr_Occurred()) ? -1 : 0;
}

/* Drop the top of the stack (the caller holds its own reference to it, if it needs it). */
static void
drop_top(State *st)
{
    Py_ssize_t n = PyList_GET_SIZE(st->stack);
    PyObject *top = PyList_GET_ITEM(st->stack, n - 1);
    Py_SET_SIZE(st->stack, n - 1);
    Py_DECREF(top);
}

/* Charge one unit; the reference's error once the budget is overdrawn. */
static int
charge(State *st)
{
    st->left -= 1;
    if (st->left >= 0) return 0;
    PyObject *v = PyLong_FromSsize_t(st->left);
    if (v == NULL || PyObject_SetAttr(st->budget, s_left, v) < 0) {
        Py_XDECREF(v);
        return -1;
    }
    Py_DECREF(v);
    PyObject *exc = PyObject_CallMethodNoArgs(st->budget, s_exceeded);
    if (exc == NULL) return -1;
    PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
    Py_DECREF(exc);
    return -1;
}

static int
is_readable(const Plan *p, PyObject *v)
{
    return PyObject_TypeCheck(v, p->lazy_type) || PyObject_TypeCheck(v, p->promise_type);
}

/* What an exact lazy or promise reads, when its chunk is fulfilled and holds no other
 * lazy (borrowed; NULL: ask the reference); *id its chunk id (borrowed). */
static PyObject *
read_through(const Plan *p, PyObject *v, PyObject **id)
{
    PyObject *promise = Py_TYPE(v) == p->lazy_type ? SLOT(v, p->lazy_promise) : v;
    if (promise == NULL || Py_TYPE(promise) != p->promise_type) return NULL;
    PyObject *status = SLOT(promise, p->p_status), *value = SLOT(promise, p->p_value);
    *id = SLOT(promise, p->p_id);
    if (status == NULL || value == NULL || *id == NULL || !PyUnicode_CheckExact(status)) return NULL;
    if (status != s_fulfilled && PyUnicode_Compare(status, s_fulfilled) != 0) return NULL;
    if (is_readable(p, value)) return NULL;
    return value;
}

/* Push the place to come back to and the _RESTORE marker above it. */
static int
push_place(State *st)
{
    PyObject *saved = PyTuple_Pack(4, st->region, st->parent, st->seed, st->row);
    if (saved == NULL) return -1;
    int r = PyList_Append(st->stack, saved);
    Py_DECREF(saved);
    return r < 0 ? -1 : PyList_Append(st->stack, st->p->restore);
}

static void
set_place(PyObject **slot, PyObject *value)
{
    PyObject *old = *slot;
    *slot = Py_NewRef(value);
    Py_XDECREF(old);
}

/* _RESTORE: the subtree of the current parent is done (so far); back to the saved place. */
static int
do_restore(State *st)
{
    const Plan *p = st->p;
    Py_ssize_t n = PyList_GET_SIZE(st->stack);
    if (n < 2) return BAIL;
    PyObject *saved = PyList_GET_ITEM(st->stack, n - 2);
    if (!PyTuple_CheckExact(saved) || PyTuple_GET_SIZE(saved) != 4) return BAIL;
    if (st->parent != Py_None) {
        if (Py_TYPE(st->parent) != p->node_type) return BAIL;
        PyObject *order = SLOT(st->parent, p->node[N_ORDER]);
        if (order == NULL || !PyLong_CheckExact(order)) return BAIL;
        Py_ssize_t at = PyLong_AsSsize_t(order);
        if (at == -1 && PyErr_Occurred()) return FAIL;
        PyObject *size = PyLong_FromSsize_t(PyList_GET_SIZE(st->nodes) - at);
        if (size == NULL) return FAIL;
        PyObject *old = SLOT(st->parent, p->node[N_SIZE]);
        SLOT(st->parent, p->node[N_SIZE]) = size;
        Py_XDECREF(old);
    }
    Py_INCREF(saved);
    drop_top(st);
    drop_top(st);
    set_place(&st->region, PyTuple_GET_ITEM(saved, 0));
    set_place(&st->parent, PyTuple_GET_ITEM(saved, 1));
    set_place(&st->seed, PyTuple_GET_ITEM(saved, 2));
    set_place(&st->row, PyTuple_GET_ITEM(saved, 3));
    Py_DECREF(saved);
    return DONE;
}

/* Push ``items`` reversed (a list). */
static int
extend_reversed(State *st, PyObject *items)
{
    for (Py_ssize_t i = PyList_GET_SIZE(items) - 1; i >= 0; i--) {
        if (i >= PyList_GET_SIZE(items)) continue;
        if (PyList_Append(st->stack, PyList_GET_ITEM(items, i)) < 0) return -1;
    }
    return 0;
}

static int fill_props(State *st, PyObject *props, PyObject *items);

/* A list or a dict met for the first time (charged, marked seen). */
static int
open_container(State *st, PyObject *value, PyObject *here)
{
    int differ = PyObject_RichCompareBool(here, st->row, Py_NE);
    if (differ < 0) return -1;
    if (differ) {
        if (push_place(st) < 0) return -1;
        set_place(&st->row, here);
    }
    if (PyList_CheckExact(value)) return extend_reversed(st, value);
    PyObject *items = PyList_New(0);
    if (items == NULL) return -1;
    int r = fill_props(st, value, items) < 0 ? -1 : extend_reversed(st, items);
    Py_DECREF(items);
    return r;
}

/* Append ``node`` to its parent's children, making the list on the first one, as the
 * ``children`` property does. */
static int
adopt(State *st, PyObject *node)
{
    Py_ssize_t offset = st->p->node[N_CHILDREN];
    PyObject *kids = SLOT(st->parent, offset);
    if (kids == NULL || kids == Py_None) {
        PyObject *made = PyList_New(0);
        if (made == NULL) return -1;
        SLOT(st->parent, offset) = made;
        Py_XDECREF(kids);
        kids = made;
    }
    if (!PyList_CheckExact(kids)) {
        PyErr_SetString(PyExc_TypeError, "a node's children must be a list");
        return -1;
    }
    return PyList_Append(kids, node);
}

/* The node of an element (a new reference), appended to the nodes and to its parent's
 * children, as Node(...) makes it. */
static PyObject *
make_node(State *st, PyObject *element, PyObject *tag, PyObject *props, PyObject *here,
          Py_ssize_t depth, PyObject *info)
{
    const Plan *p = st->p;
    PyObject *order = PyLong_FromSsize_t(PyList_GET_SIZE(st->nodes));
    PyObject *level = PyLong_FromSsize_t(depth);
    PyObject *node = NULL;
    if (order == NULL || level == NULL) goto done;
    node = p->node_type->tp_alloc(p->node_type, 0);
    if (node == NULL) goto done;
    PyObject *values[N_NODE] = {
        element, tag,  props,    st->parent, st->region, here,
        order,   level, s_one, Py_None, info, PyUnicode_Check(tag) ? tag : Py_None,
    };
    for (int k = 0; k < N_NODE; k++) SLOT(node, p->node[k]) = Py_NewRef(values[k]);
    if (PyList_Append(st->nodes, node) < 0 || (st->parent != Py_None && adopt(st, node) < 0))
        Py_CLEAR(node);
done:
    Py_XDECREF(order);
    Py_XDECREF(level);
    return node;
}

/* Classes.of(names), remembered in the walker's table as classes_of() does (a new
 * reference). */
static PyObject *
new_classes(State *st, PyObject *names)
{
    const Plan *p = st->p;
    PyObject *list = PyUnicode_Split(names, NULL, -1), *tuple = NULL, *tests = NULL;
    PyObject *info = NULL;
    if (list == NULL || (tuple = PyList_AsTuple(list)) == NULL || (tests = PyDict_New()) == NULL)
        goto done;
    if ((info = p->classes_type->tp_alloc(p->classes_type, 0)) == NULL) goto done;
    SLOT(info, p->cl_names) = Py_NewRef(tuple);
    SLOT(info, p->cl_set) = Py_NewRef(Py_None);
    SLOT(info, p->cl_folded) = Py_NewRef(Py_None);
    SLOT(info, p->cl_tests) = Py_NewRef(tests);
    if (PyDict_SetItem(st->classes, names, info) < 0) Py_CLEAR(info);
done:
    Py_XDECREF(list);
    Py_XDECREF(tuple);
    Py_XDECREF(tests);
    return info;
}

/* The Classes of ``props``'s className (a new reference), as the reference finds it. */
static PyObject *
classes_of(State *st, PyObject *props)
{
    PyObject *names = PyDict_GetItemWithError(props, s_class_name);
    if (names == NULL && PyErr_Occurred()) return NULL;
    if (names != NULL && PyUnicode_CheckExact(names)) {
        PyObject *info = PyDict_GetItemWithError(st->classes, names);
        if (info != NULL && info != Py_None) return Py_NewRef(info);
        if (PyErr_Occurred()) return NULL;
    }
    if (names == NULL || names == Py_None) return Py_NewRef(st->p->no_classes);
    if (!PyUnicode_CheckExact(names) || PyUnicode_GET_LENGTH(names) == 0)
        return PyObject_CallMethodOneArg(st->walker, s_classes_of, props);
    return new_classes(st, names);
}

/* Whether Walker._inside would give (region, seed, the props but the fallbacks) for a
 * component ``kind``: neither metadata output nor a layout router (1), or maybe (0: ask
 * it), or -1 with an error. */
static int
plain_component(State *st, PyObject *kind, PyObject *props)
{
    const Plan *p = st->p;
    PyTypeObject *type = Py_TYPE(kind);
    if (type == p->client_type) {
        PyObject *name = SLOT(kind, p->client_name);
        if (name == NULL || !PyUnicode_CheckExact(name)) return 0;
        int r = PySet_Contains(p->metadata_exports, name);
        if (r != 0) return r < 0 ? -1 : 0;
        if (st->seed == Py_None) return 1;
        PyObject *key = PyDict_GetItemWithError(props, s_router_key);
        if (key == NULL) return PyErr_Occurred() ? -1 : 1;
        return PyUnicode_Check(key) ? 0 : 1;
    }
    if (type == p->symbol_type) {
        PyObject *name = PyDict_GetItemWithError(props, s_name);
        if (name == NULL) return PyErr_Occurred() ? -1 : 1;
        if (!PyUnicode_CheckExact(name)) return 0;
        Py_ssize_t n = PyUnicode_GET_LENGTH(name);
        for (int k = 0; k < 2; k++) {
            Py_ssize_t m = PyUnicode_Tailmatch(name, s_suspense[k], 0, n, -1);
            if (m != 0) return m < 0 ? -1 : 0;
        }
        return 1;
    }
    return !PyObject_TypeCheck(kind, p->client_type) && !PyObject_TypeCheck(kind, p->symbol_type);
}

/* Append the values of ``props`` but the fallback trees to ``items``. */
static int
fill_props(State *st, PyObject *props, PyObject *items)
{
    PyObject *key, *item;
    Py_ssize_t pos = 0;
    while (PyDict_Next(props, &pos, &key, &item)) {
        int fallback = PySet_Contains(st->p->fallback, key);
        if (fallback < 0 || (!fallback && PyList_Append(items, item) < 0)) return -1;
    }
    return 0;
}

/* An element met for the first time (charged, marked seen): its node, then what it holds. */
static int
enter_element(State *st, PyObject *element, PyObject *tag, PyObject *props, PyObject *here,
              Py_ssize_t depth)
{
    const Plan *p = st->p;
    PyObject *info = classes_of(st, props), *node = NULL, *inner = NULL;
    PyObject *region, *items;
    int r = -1;
    if (info == NULL) return -1;
    if ((node = make_node(st, element, tag, props, here, depth, info)) == NULL) goto done;
    if (depth >= st->max_depth) {
        r = PyObject_SetAttr(st->walker, s_truncated, Py_True);
        goto done;
    }
    if (PyUnicode_Check(tag)) {
        PyObject *children = PyDict_GetItemWithError(props, s_children);
        if (children == NULL && PyErr_Occurred()) goto done;
        if (children == NULL || children == Py_None || PyUnicode_CheckExact(children)) {
            r = charge(st); /* the reference pushes it, then pops and skips it */
            goto done;
        }
        Py_INCREF(children); /* held while a str subclass's __eq__ may run Python code */
        int head = PyObject_RichCompareBool(tag, s_head, Py_EQ);
        /* Entered here, without the (region, seed, items) tuple the components need: the
         * seed stays, the region changes for a <head> only. */
        if (head >= 0 && push_place(st) == 0) {
            region = head && st->region != p->head_region ? p->layout_head : st->region;
            set_place(&st->region, region);
            set_place(&st->parent, node);
            set_place(&st->row, here);
            r = PyList_Append(st->stack, children);
        }
        Py_DECREF(children);
        goto done;
    }
    else if ((r = plain_component(st, tag, props)) != 0) {
        if (r < 0) goto done;
        if ((items = PyList_New(0)) == NULL || fill_props(st, props, items) < 0 ||
            (inner = PyTuple_Pack(3, st->region, st->seed, items)) == NULL) {
            Py_XDECREF(items);
            r = -1;
            goto done;
        }
        Py_DECREF(items); /* held by inner */
        r = -1;
    }
    else {
        inner = PyObject_CallMethodObjArgs(st->walker, s_inside, node, st->region, st->seed, NULL);
        if (inner == NULL) goto done;
        if (inner == Py_None) {
            r = 0;
            goto done;
        }
        if (!PyTuple_CheckExact(inner) || PyTuple_GET_SIZE(inner) != 3 ||
            !PyList_CheckExact(PyTuple_GET_ITEM(inner, 2))) {
            PyErr_SetString(PyExc_TypeError, "_inside must give (region, seed, list)");
            goto done;
        }
        items = PyTuple_GET_ITEM(inner, 2);
    }
    if (push_place(st) < 0) goto done;
    set_place(&st->region, PyTuple_GET_ITEM(inner, 0));
    set_place(&st->seed, PyTuple_GET_ITEM(inner, 1));
    set_place(&st->parent, node);
    set_place(&st->row, here);
    r = items == NULL ? PyList_Append(st->stack, PyTuple_GET_ITEM(inner, 2))
                      : extend_reversed(st, items);
done:
    Py_DECREF(info);
    Py_XDECREF(node);
    Py_XDECREF(inner);
    return r;
}

/* The value on top of the stack. */
static int
step(State *st, PyObject *value)
{
    const Plan *p = st->p;
    PyTypeObject *type = Py_TYPE(value);
    PyObject *here = st->row, *tag = NULL, *props = NULL;
    Py_ssize_t depth = 0;
    if (value == p->restore) return do_restore(st);
    if (type == &PyUnicode_Type || value == Py_None || type == &PyLong_Type || type == &PyBool_Type)
        goto skip;
    if (type == p->lazy_type || type == p->promise_type) {
        PyObject *id;
        value = read_through(p, value, &id);
        if (value == NULL) return BAIL;
        if (id != Py_None) here = id;
        type = Py_TYPE(value);
    }
    else if (type != p->element_type && type != &PyList_Type && type != &PyDict_Type &&
             is_readable(p, value))
        return BAIL;
    if (type != p->element_type && type != &PyList_Type && type != &PyDict_Type) {
        int container = PyObject_IsInstance(value, p->containers);
        if (container != 0) return container < 0 ? FAIL : BAIL;
        goto skip;
    }
    if (type == p->element_type) {
        tag = SLOT(value, p->el_type);
        props = SLOT(value, p->el_props);
        if (tag == NULL || props == NULL || !PyDict_CheckExact(props)) return BAIL;
        if (!PyUnicode_CheckExact(tag) && is_readable(p, tag)) {
            PyObject *id;
            if (Py_TYPE(tag) != p->lazy_type && Py_TYPE(tag) != p->promise_type) return BAIL;
            if ((tag = read_through(p, tag, &id)) == NULL) return BAIL;
        }
        if (st->parent != Py_None) {
            PyObject *level;
            if (Py_TYPE(st->parent) != p->node_type ||
                (level = SLOT(st->parent, p->node[N_DEPTH])) == NULL || !PyLong_CheckExact(level))
                return BAIL;
            PyObject *kids = SLOT(st->parent, p->node[N_CHILDREN]);
            if (kids == NULL || (kids != Py_None && !PyList_CheckExact(kids))) return BAIL;
            depth = PyLong_AsSsize_t(level);
            if (depth == -1 && PyErr_Occurred()) return FAIL;
            if (depth == PY_SSIZE_T_MAX) return BAIL;
            depth += 1;
        }
    }
    /* Decided: from here on the value is the walk's. */
    PyObject *key = PyLong_FromVoidPtr(value);
    if (key == NULL) return FAIL;
    int r = -1;
    Py_INCREF(value);
    Py_XINCREF(tag);
    Py_XINCREF(props);
    Py_INCREF(here);
    drop_top(st);
    if (charge(st) < 0) goto done;
    /* Marked seen in one lookup: adding an id already there leaves the size as it was. */
    Py_ssize_t marked = PySet_GET_SIZE(st->seen);
    if (PySet_Add(st->seen, key) < 0) goto done;
    if (PySet_GET_SIZE(st->seen) == marked) {
        r = 0;
        goto done;
    }
    r = tag != NULL ? enter_element(st, value, tag, props, here, depth)
                    : open_container(st, value, here);
done:
    Py_DECREF(key);
    Py_DECREF(value);
    Py_XDECREF(tag);
    Py_XDECREF(props);
    Py_DECREF(here);
    return r < 0 ? FAIL : DONE;
skip:
    drop_top(st);
    return charge(st) < 0 ? FAIL : DONE;
}

/* walk(walker, stack, place, plan) -> place */
static PyObject *
walk(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs)
{
    State st = {0};
    PyObject *limits = NULL, *result = NULL;
    int r = DONE;
    if (nargs != 4 || !PyList_CheckExact(args[1]) || !PyTuple_CheckExact(args[2]) ||
        PyTuple_GET_SIZE(args[2]) != 4) {
        PyErr_SetString(PyExc_TypeError, "walk(walker, stack: list, place: tuple of 4, plan)");
        return NULL;
    }
    if ((st.p = PyCapsule_GetPointer(args[3], "rsc_flight._cwalk.Plan")) == NULL) return NULL;
    st.walker = args[0];
    st.stack = args[1];
    st.region = Py_NewRef(PyTuple_GET_ITEM(args[2], 0));
    st.parent = Py_NewRef(PyTuple_GET_ITEM(args[2], 1));
    st.seed = Py_NewRef(PyTuple_GET_ITEM(args[2], 2));
    st.row = Py_NewRef(PyTuple_GET_ITEM(args[2], 3));
    if ((st.nodes = PyObject_GetAttr(st.walker, s_nodes)) == NULL ||
        (st.seen = PyObject_GetAttr(st.walker, s_seen)) == NULL ||
        (st.classes = PyObject_GetAttr(st.walker, s_classes)) == NULL ||
        (st.budget = PyObject_GetAttr(st.walker, s_budget)) == NULL ||
        (limits = PyObject_GetAttr(st.walker, s_limits)) == NULL ||
        get_ssize(limits, s_max_depth, &st.max_depth) < 0 ||
        get_ssize(st.budget, s_left, &st.left) < 0)
        goto done;
    if (!PyList_CheckExact(st.nodes) || !PySet_CheckExact(st.seen) ||
        !PyDict_CheckExact(st.classes)) {
        PyErr_SetString(PyExc_TypeError, "a walker of the wrong shape");
        goto done;
    }
    while (PyList_GET_SIZE(st.stack) > 0) {
        PyObject *top = PyList_GET_ITEM(st.stack, PyList_GET_SIZE(st.stack) - 1);
        Py_INCREF(top);
        r = step(&st, top);
        Py_DECREF(top);
        if (r != DONE) break;
    }
    if (r == FAIL) goto done;
    PyObject *v = PyLong_FromSsize_t(st.left);
    if (v == NULL) goto done;
    int stored = PyObject_SetAttr(st.budget, s_left, v);
    Py_DECREF(v);
    if (stored == 0) result = PyTuple_Pack(4, st.region, st.parent, st.seed, st.row);
done:
    Py_XDECREF(limits);
    release(&st);
    return result;
}

static PyMethodDef cwalk_methods[] = {
    {"prepare", prepare, METH_O,
     PyDoc_STR("prepare(consts)\n--\n\nThe checked classes and slot offsets walk() uses.")},
    {"walk", (PyCFunction)(void (*)(void))walk, METH_FASTCALL,
     PyDoc_STR("walk(walker, stack, place, plan)\n--\n\n"
               "Do the page walk's common steps until the top value needs the reference "
               "(rsc_flight/nextjs/walker.py); return the place.")},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef cwalk_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "rsc_flight._cwalk",
    .m_doc = PyDoc_STR("The page walk's common steps in C (see rsc_flight/nextjs/walker.py)."),
    .m_size = -1,
    .m_methods = cwalk_methods,
};

static int
intern(PyObject **slot, const char *text)
{
    if (*slot == NULL) *slot = PyUnicode_InternFromString(text);
    return *slot == NULL ? -1 : 0;
}

PyMODINIT_FUNC
PyInit__cwalk(void)
{
    if (intern(&s_nodes, "nodes") < 0 || intern(&s_seen, "seen") < 0 ||
        intern(&s_classes, "classes") < 0 || intern(&s_budget, "budget") < 0 ||
        intern(&s_left, "left") < 0 || intern(&s_limits, "limits") < 0 ||
        intern(&s_max_depth, "max_depth") < 0 || intern(&s_truncated, "truncated") < 0 ||
        intern(&s_exceeded, "exceeded") < 0 || intern(&s_classes_of, "classes_of") < 0 ||
        intern(&s_inside, "_inside") < 0 || intern(&s_class_name, "className") < 0 ||
        intern(&s_children, "children") < 0 || intern(&s_fulfilled, "fulfilled") < 0 ||
        intern(&s_head, "head") < 0 || intern(&s_router_key, "parallelRouterKey") < 0 ||
        intern(&s_name, "name") < 0 || intern(&s_suspense[0], "Next.Metadata") < 0 ||
        intern(&s_suspense[1], "Next.Viewport") < 0)
        return NULL;
    if (s_one == NULL && (s_one = PyLong_FromLong(1)) == NULL) return NULL;
    return PyModule_Create(&cwalk_module);
}
