// Decode every <case>.txt in a folder with React's own Flight client
// (react-server-dom-webpack/client.node, createFromNodeStream) and write
// <case>.oracle.json in the corpus "flight-oracle/1" format.
//
//   node decode.mjs [dir]          (WITHOUT --conditions react-server)
//
// Default dir: <repo>/tests/data/generated/react19.
//
// Client references are not resolved to real modules: a stand-in __webpack_require__
// returns marker functions that remember (module id, export name), and the encoder
// writes them as {"$type":"clientReference",...}.  Hints dispatched by the client to
// ReactDOM are recorded by wrapping ReactDOM's internal dispatcher.

import { createRequire } from 'node:module';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';

// The oracle encoder is shared with next16-oracles/decode.mjs; clientRefInfo maps the
// marker functions the stand-in loader below hands out to {id, name}.
import { clientRefInfo, Encoder, encodeError, settle } from '../oracle-encoder.mjs';

process.env.NODE_ENV = 'production';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '../../..');
const DIR = resolve(process.argv[2] || join(REPO, 'tests/data/generated/react19'));

const require = createRequire(import.meta.url);
const React = require('react');
const ReactDOM = require('react-dom');
if (typeof React.useState !== 'function') {
  throw new Error('run decode.mjs WITHOUT --conditions react-server');
}

// ---------------------------------------------------------------------------------
// Stand-in webpack runtime for client references.

const moduleCache = new Map();

function moduleProxy(moduleId) {
  if (moduleCache.has(moduleId)) return moduleCache.get(moduleId);
  const exportsCache = new Map();
  const exportFor = (name) => {
    if (!exportsCache.has(name)) {
      const marker = function ClientReferenceMarker() {};
      clientRefInfo.set(marker, { id: moduleId, name });
      exportsCache.set(name, marker);
    }
    return exportsCache.get(name);
  };
  const isExport = (name) => typeof name === 'string' && name !== 'then';
  const proxy = new Proxy(
    {},
    {
      get(_t, name) {
        if (name === '__esModule') return true;
        return isExport(name) ? exportFor(name) : undefined;
      },
      has(_t, name) {
        return isExport(name);
      },
      getOwnPropertyDescriptor(_t, name) {
        if (!isExport(name)) return undefined;
        return { value: exportFor(name), writable: false, enumerable: true, configurable: true };
      },
    }
  );
  moduleCache.set(moduleId, proxy);
  return proxy;
}

globalThis.__webpack_require__ = (id) => moduleProxy(String(id));
globalThis.__webpack_chunk_load__ = () => Promise.resolve();

// ---------------------------------------------------------------------------------
// Record hints: the client calls ReactDOM's internal dispatcher (`d`) methods.

const internals = ReactDOM.__DOM_INTERNALS_DO_NOT_USE_OR_WARN_USERS_THEY_CANNOT_UPGRADE;
let hintLog = [];
for (const code of ['D', 'C', 'L', 'm', 'S', 'X', 'M']) {
  const original = internals.d[code];
  internals.d[code] = function (...args) {
    hintLog.push([code, ...args.map((a) => (a === undefined ? null : a))]);
    if (typeof original === 'function') return original.apply(this, args);
  };
}

const { createFromNodeStream } = require('react-server-dom-webpack/client.node');
const pkg = (name) => JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8'));

// ---------------------------------------------------------------------------------
// Split a payload into rows (so each row can be fed as its own network chunk).
// React 19.2's client transfers the network buffer when it enqueues a byte-stream
// chunk ("o" row of a "$r" stream) and then loses the rest of that chunk; one row per
// chunk, each in its own ArrayBuffer, avoids that.

const LENGTH_TAGS = new Set('TAOoUSsLlGgMmVb'.split('').map((c) => c.charCodeAt(0)));

function splitRows(buf) {
  const rows = [];
  let i = 0;
  while (i < buf.length) {
    const start = i;
    const colon = buf.indexOf(0x3a, i);
    if (colon < 0) throw new Error(`no ":" after offset ${i}`);
    i = colon + 1;
    const tag = buf[i];
    if (LENGTH_TAGS.has(tag)) {
      const comma = buf.indexOf(0x2c, i);
      const len = parseInt(buf.toString('latin1', i + 1, comma), 16);
      i = comma + 1 + len;
    } else {
      const nl = buf.indexOf(0x0a, i);
      i = nl < 0 ? buf.length : nl + 1;
    }
    // A fresh ArrayBuffer per row: Buffer.from() would put small rows into Node's
    // shared allocation pool, and the client detaching one would destroy the others.
    rows.push(Uint8Array.prototype.slice.call(buf, start, i));
  }
  return rows;
}

async function decodeFile(file) {
  const bytes = readFileSync(file);
  const rows = splitRows(bytes);
  hintLog = [];
  const stream = new Readable({ read() {} });
  const root = createFromNodeStream(stream, {
    moduleMap: null,
    serverModuleMap: null,
    moduleLoading: null,
  });
  // Feed one row per tick so streaming paths (lazy rows arriving later) are exercised.
  for (const row of rows) {
    stream.push(row);
    await new Promise((r) => setImmediate(r));
  }
  stream.push(null);
  await new Promise((r) => setImmediate(r));

  const oracle = {
    format: 'flight-oracle/1',
    source: relative(DIR, file),
    decoder: {
      client: 'react-server-dom-webpack/client.node (createFromNodeStream)',
      version: pkg('react-server-dom-webpack').version,
      react: pkg('react').version,
      NODE_ENV: process.env.NODE_ENV,
      feeding: 'one row per network chunk',
    },
  };
  const r = await settle(root);
  const enc = new Encoder();
  if (r.ok) oracle.value = await enc.encode(r.value, '');
  else oracle.rootError = encodeError(r.reason);
  oracle.hints = hintLog.map((h) => JSON.parse(JSON.stringify(h)));
  return oracle;
}

async function main() {
  const files = readdirSync(DIR)
    .filter((f) => f.endsWith('.txt'))
    .sort();
  for (const f of files) {
    const oracle = await decodeFile(join(DIR, f));
    const out = join(DIR, f.replace(/\.txt$/, '.oracle.json'));
    writeFileSync(out, JSON.stringify(oracle, null, 1) + '\n');
    console.log(`${f} -> ${relative(DIR, out)}${oracle.rootError ? ' (rootError)' : ''}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
