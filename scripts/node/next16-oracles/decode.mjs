// Oracles for the Next 16 blog payloads: each tests/data/next_blog/next16*/**/*.txt decoded
// by the React client Next 16 vendors (next/dist/compiled/react-server-dom-turbopack,
// React 19.3 canary: the blog is built with Turbopack), written as
// tests/data/generated/next16/<route with "__" for "/">.oracle.json in the corpus
// "flight-oracle/1" format, with "source" naming the payload relative to tests/data.
//
//   (cd ../next-blog/v16 && npm install)   # the Next 16 pinned by next-blog/v16
//   node decode.mjs                        # WITHOUT --conditions react-server
//
// Next's app router never uses the installed `react`/`react-dom`: the vendored client
// requires "react-dom" and must get the vendored one (its hints go to that ReactDOM), so
// `react` and `react-dom` are redirected to next/dist/compiled, as Next's own require hook
// does.  Feeding is one row per network chunk, as in flight-cases/decode.mjs.

import Module, { createRequire } from 'node:module';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';

import { Encoder, clientRefInfo, encodeError, settle } from '../oracle-encoder.mjs';

process.env.NODE_ENV = 'production';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '../../..');
const DATA = join(REPO, 'tests/data');
const INPUTS = [join(DATA, 'next_blog/next16'), join(DATA, 'next_blog/next16_segments')];
const OUT = resolve(process.argv[2] || join(DATA, 'generated/next16'));
const NEXT = resolve(HERE, '../next-blog/v16/node_modules/next');
const COMPILED = join(NEXT, 'dist/compiled');

// Redirect react and react-dom (and their subpaths) to Next's vendored copies.
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const m = /^(react|react-dom)(\/.*)?$/.exec(request);
  if (m) request = join(COMPILED, m[1]) + (m[2] || '');
  return resolveFilename.call(this, request, ...rest);
};

const require = createRequire(join(COMPILED, 'react-server-dom-turbopack/package.json'));
const ReactDOM = require('react-dom');
const CLIENT = join(COMPILED, 'react-server-dom-turbopack/client.node.js');
const { createFromNodeStream } = require(CLIENT);
const version = (dir) => {
  const src = readFileSync(join(COMPILED, dir, 'cjs', `${dir}.production.js`), 'utf8');
  return /version = "([^"]+)"/.exec(src)[1];
};

// Stand-in Turbopack runtime: every module is a proxy whose exports are marker functions.
const modules = new Map();
function moduleProxy(id) {
  if (modules.has(id)) return modules.get(id);
  const exports = new Map();
  const exportFor = (name) => {
    if (!exports.has(name)) {
      const marker = function ClientReferenceMarker() {};
      clientRefInfo.set(marker, { id, name });
      exports.set(name, marker);
    }
    return exports.get(name);
  };
  const isExport = (name) => typeof name === 'string' && name !== 'then';
  const proxy = new Proxy(
    {},
    {
      get: (_t, name) => (name === '__esModule' ? true : isExport(name) ? exportFor(name) : undefined),
      has: (_t, name) => isExport(name),
      getOwnPropertyDescriptor: (_t, name) =>
        isExport(name) ? { value: exportFor(name), writable: false, enumerable: true, configurable: true } : undefined,
    }
  );
  modules.set(id, proxy);
  return proxy;
}
globalThis.__next_require__ = (id) => moduleProxy(String(id));
globalThis.__next_chunk_load__ = () => Promise.resolve();

// Hints: the client calls the vendored ReactDOM's dispatcher.
const internals = ReactDOM.__DOM_INTERNALS_DO_NOT_USE_OR_WARN_USERS_THEY_CANNOT_UPGRADE;
let hintLog = [];
for (const code of ['D', 'C', 'L', 'm', 'S', 'X', 'M']) {
  const original = internals.d[code];
  internals.d[code] = function (...args) {
    hintLog.push([code, ...args.map((a) => (a === undefined ? null : a))]);
    if (typeof original === 'function') return original.apply(this, args);
  };
}

// One row per chunk, each in a fresh ArrayBuffer (length-prefixed tags of React 19.3).
const LENGTH_TAGS = new Set('TAOoUSsLlGgMmVb'.split('').map((c) => c.charCodeAt(0)));
function splitRows(buf) {
  const rows = [];
  let i = 0;
  while (i < buf.length) {
    const start = i;
    const colon = buf.indexOf(0x3a, i);
    if (colon < 0) throw new Error(`no ":" after offset ${i}`);
    i = colon + 1;
    if (LENGTH_TAGS.has(buf[i])) {
      const comma = buf.indexOf(0x2c, i);
      i = comma + 1 + parseInt(buf.toString('latin1', i + 1, comma), 16);
    } else {
      const nl = buf.indexOf(0x0a, i);
      i = nl < 0 ? buf.length : nl + 1;
    }
    rows.push(Uint8Array.prototype.slice.call(buf, start, i));
  }
  return rows;
}

async function decodeFile(file) {
  hintLog = [];
  const stream = new Readable({ read() {} });
  const root = createFromNodeStream(stream, { moduleMap: null, serverModuleMap: null, moduleLoading: null });
  for (const row of splitRows(readFileSync(file))) {
    stream.push(row);
    await new Promise((r) => setImmediate(r));
  }
  stream.push(null);
  await new Promise((r) => setImmediate(r));
  const oracle = {
    format: 'flight-oracle/1',
    source: relative(DATA, file),
    decoder: {
      client: relative(REPO, CLIENT),
      version: JSON.parse(readFileSync(join(NEXT, 'package.json'), 'utf8')).version,
      react: version('react-dom'),
      NODE_ENV: process.env.NODE_ENV,
      feeding: 'one row per network chunk',
    },
  };
  const r = await settle(root);
  if (r.ok) oracle.value = await new Encoder().encode(r.value, '');
  else oracle.rootError = encodeError(r.reason);
  oracle.hints = hintLog.map((h) => JSON.parse(JSON.stringify(h)));
  return oracle;
}

function payloads(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return payloads(path);
      return name.endsWith('.txt') ? [path] : [];
    });
}

mkdirSync(OUT, { recursive: true });
for (const file of INPUTS.flatMap(payloads)) {
  const name = relative(join(DATA, 'next_blog'), file).replace(/\.txt$/, '').split('/').join('__');
  const oracle = await decodeFile(file);
  writeFileSync(join(OUT, `${name}.oracle.json`), JSON.stringify(oracle) + '\n');
  console.log(`${relative(DATA, file)} -> ${name}.oracle.json${oracle.rootError ? ' (rootError)' : ''}`);
}
