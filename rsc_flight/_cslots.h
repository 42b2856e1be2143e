/* A helper the C modules share (included by nextjs/_cwalk.c, model/_crevive.c and
 * wire/_cscan.c).
 *
 * They fill the slots of Python classes (``__slots__`` entries) by offset, as the classes'
 * own constructors would, so each checks once, at set-up, that a name really is a
 * writable object slot of the class inside the object's size. */
#ifndef RSC_FLIGHT_CSLOTS_H
#define RSC_FLIGHT_CSLOTS_H

#include <Python.h>
#include <structmember.h>

/* The offset of the slot ``name`` of ``cls``, or -1 with TypeError naming ``who``: only a
 * writable object slot (a ``__slots__`` entry) of the class or a base qualifies. */
static Py_ssize_t
rsc_slot_offset(PyTypeObject *cls, const char *name, const char *who)
{
    PyObject *d = PyObject_GetAttrString((PyObject *)cls, name);
    Py_ssize_t offset = -1;
    if (d == NULL && !PyErr_ExceptionMatches(PyExc_AttributeError)) return -1;
    PyErr_Clear();
    if (d != NULL && PyObject_TypeCheck(d, &PyMemberDescr_Type)) {
        PyMemberDescrObject *m = (PyMemberDescrObject *)d;
        if (m->d_member->type == T_OBJECT_EX && !(m->d_member->flags & READONLY) &&
            PyType_IsSubtype(cls, PyDescr_TYPE(m)) && m->d_member->offset > 0 &&
            (size_t)m->d_member->offset + sizeof(PyObject *) <= (size_t)cls->tp_basicsize)
            offset = m->d_member->offset;
    }
    Py_XDECREF(d);
    if (offset < 0) PyErr_Format(PyExc_TypeError, "%s: %s.%s is not a slot", who, cls->tp_name, name);
    return offset;
}

#endif
