// The corpus "flight-oracle/1" encoder of decoded values, shared by the oracle generators
// (flight-cases/decode.mjs and next16-oracles/decode.mjs).  With it flight-cases
// reproduces its committed oracles byte for byte (checked on all 14 when it moved here).
//
// Client references are recognised through `clientRefInfo`, a WeakMap from the marker
// functions a stand-in module loader hands out to {id, name}.

export const clientRefInfo = new WeakMap();

// ---------------------------------------------------------------------------------
// Oracle encoder.

const LAZY = Symbol.for('react.lazy');
const ELEMENT = Symbol.for('react.transitional.element');
const LEGACY_ELEMENT = Symbol.for('react.element');

const escapePointer = (s) => String(s).replace(/~/g, '~0').replace(/\//g, '~1');

function numberOrSpecial(n) {
  if (Number.isNaN(n)) return { $type: 'number', value: 'NaN' };
  if (n === Infinity) return { $type: 'number', value: 'Infinity' };
  if (n === -Infinity) return { $type: 'number', value: '-Infinity' };
  if (Object.is(n, -0)) return { $type: 'number', value: '-0' };
  return n;
}

function base64OfView(v) {
  if (v instanceof ArrayBuffer) return Buffer.from(v).toString('base64');
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
}

function withTimeout(promise, ms) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

export async function settle(thenable) {
  try {
    return { ok: true, value: await withTimeout(Promise.resolve(thenable), 2000) };
  } catch (e) {
    return { ok: false, reason: e };
  }
}

export function encodeError(e) {
  if (!(e instanceof Error)) return { $type: 'thrown', value: String(e) };
  const out = { $type: 'Error', name: e.name, message: e.message };
  if (e.digest !== undefined) out.digest = e.digest;
  if (e.environmentName !== undefined) out.environmentName = e.environmentName;
  return out;
}

export class Encoder {
  constructor() {
    this.seen = new Map(); // object -> JSON pointer of its first occurrence
  }

  // Returns the pointer if `obj` was seen before, else records it and returns null.
  ref(obj, path) {
    if (this.seen.has(obj)) return { $ref: this.seen.get(obj) };
    this.seen.set(obj, path);
    return null;
  }

  async encode(v, path) {
    switch (typeof v) {
      case 'undefined':
        return { $type: 'undefined' };
      case 'boolean':
      case 'string':
        return v;
      case 'number':
        return numberOrSpecial(v);
      case 'bigint':
        return { $type: 'bigint', value: v.toString() };
      case 'symbol': {
        const key = Symbol.keyFor(v);
        return key !== undefined ? { $type: 'symbol', key } : { $type: 'symbol', description: v.description ?? null };
      }
      case 'function': {
        if (clientRefInfo.has(v)) return { $type: 'clientReference', ...clientRefInfo.get(v) };
        if (typeof v.$$id === 'string') {
          const bound = v.$$bound ? await this.encode(v.$$bound, `${path}/bound`) : [];
          return { $type: 'serverReference', id: v.$$id, bound };
        }
        return { $type: 'function', name: v.name };
      }
    }
    if (v === null) return null;

    // Lazy wrappers are transparent.
    if (v.$$typeof === LAZY) {
      let inner;
      try {
        inner = v._init(v._payload);
      } catch (thrown) {
        if (thrown && typeof thrown.then === 'function') {
          const r = await settle(thrown);
          if (r.ok) return this.encode(v, path);
          return { $type: 'thrown', reason: await this.encode(r.reason, `${path}/reason`) };
        }
        return { $type: 'thrown', reason: await this.encode(thrown, `${path}/reason`) };
      }
      return this.encode(inner, path);
    }

    if (v instanceof Date) {
      return { $type: 'Date', value: Number.isNaN(v.getTime()) ? null : v.toISOString() };
    }
    if (v instanceof Error) return encodeError(v);
    if (v instanceof ArrayBuffer) return { $type: 'ArrayBuffer', base64: base64OfView(v) };
    if (ArrayBuffer.isView(v)) {
      return { $type: v.constructor.name, base64: base64OfView(v) };
    }

    const seen = this.ref(v, path);
    if (seen) return seen;

    if (Array.isArray(v)) {
      const out = [];
      for (let i = 0; i < v.length; i++) {
        out.push(i in v ? await this.encode(v[i], `${path}/${i}`) : { $type: 'undefined' });
      }
      return out;
    }
    if (v.$$typeof === ELEMENT || v.$$typeof === LEGACY_ELEMENT) {
      const out = { $type: 'element' };
      out.type = await this.encode(v.type, `${path}/type`);
      out.key = v.key;
      out.props = await this.encodeEntries(v.props, `${path}/props`);
      if (v.ref != null && !(v.props && 'ref' in v.props)) out.ref = await this.encode(v.ref, `${path}/ref`);
      return out;
    }
    if (v instanceof Map) {
      const entries = [];
      let i = 0;
      for (const [k, val] of v) {
        const p = `${path}/entries/${i++}`;
        const key = await this.encode(k, `${p}/0`);
        entries.push([key, await this.encode(val, `${p}/1`)]);
      }
      return { $type: 'Map', entries };
    }
    if (v instanceof Set) {
      const values = [];
      let i = 0;
      for (const val of v) values.push(await this.encode(val, `${path}/values/${i++}`));
      return { $type: 'Set', values };
    }
    if (typeof Blob !== 'undefined' && v instanceof Blob) {
      return { $type: 'Blob', type: v.type, base64: Buffer.from(await v.arrayBuffer()).toString('base64') };
    }
    if (typeof FormData !== 'undefined' && v instanceof FormData) {
      const entries = [];
      let i = 0;
      for (const [name, val] of v) entries.push([name, await this.encode(val, `${path}/entries/${i++}/1`)]);
      return { $type: 'FormData', entries };
    }
    if (typeof v.then === 'function') {
      const r = await settle(v);
      return r.ok
        ? { $type: 'Promise', status: 'fulfilled', value: await this.encode(r.value, `${path}/value`) }
        : { $type: 'Promise', status: 'rejected', reason: await this.encode(r.reason, `${path}/reason`) };
    }
    if (typeof ReadableStream !== 'undefined' && v instanceof ReadableStream) {
      const chunks = [];
      const out = { $type: 'ReadableStream', chunks };
      const reader = v.getReader();
      try {
        for (;;) {
          const r = await withTimeout(reader.read(), 2000);
          if (r.done) break;
          chunks.push(await this.encode(r.value, `${path}/chunks/${chunks.length}`));
        }
      } catch (e) {
        out.error = await this.encode(e, `${path}/error`);
      }
      return out;
    }
    if (typeof v.next === 'function' || typeof v[Symbol.asyncIterator] === 'function' || typeof v[Symbol.iterator] === 'function') {
      const isAsync = typeof v[Symbol.asyncIterator] === 'function';
      const kind = isAsync ? (typeof v.next === 'function' ? 'AsyncIterator' : 'AsyncIterable') : 'Iterator';
      const it = typeof v.next === 'function' ? v : isAsync ? v[Symbol.asyncIterator]() : v[Symbol.iterator]();
      const values = [];
      const out = { $type: kind, values };
      try {
        for (;;) {
          const r = isAsync ? await withTimeout(Promise.resolve(it.next()), 2000) : it.next();
          if (r.done) {
            if (isAsync) out.return = await this.encode(r.value, `${path}/return`);
            break;
          }
          values.push(await this.encode(r.value, `${path}/values/${values.length}`));
        }
      } catch (e) {
        out.error = await this.encode(e, `${path}/error`);
      }
      return out;
    }

    // Plain (or not so plain) object.
    return this.encodeEntries(v, path, true);
  }

  // Encode an object's own enumerable string keys.  When the object has to
  // be wrapped ({"$type":"object","value":{…}}), child pointers go through /value.
  async encodeEntries(obj, path, allowWrap = true) {
    const keys = Object.keys(obj);
    const proto = Object.getPrototypeOf(obj);
    const plain = proto === Object.prototype;
    const wrap = allowWrap && (!plain || keys.some((k) => k.startsWith('$')));
    const base = wrap ? `${path}/value` : path;
    const value = {};
    for (const k of keys) value[k] = await this.encode(obj[k], `${base}/${escapePointer(k)}`);
    if (!wrap) return value;
    const out = { $type: 'object' };
    if (!plain) out.constructor = proto === null ? null : proto.constructor ? proto.constructor.name : null;
    out.value = value;
    return out;
  }
}

