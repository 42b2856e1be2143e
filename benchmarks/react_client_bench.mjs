// Time React's own Flight client decoding whole payloads: the Node peer of
// benchmarks/bench_decode.py, which runs this script once and merges its output.
//
//   NODE_ENV=production node --expose-gc benchmarks/react_client_bench.mjs \
//       [--target SECONDS] [--min-repeats N] [--max-repeats N] [--repeats N] \
//       [--modules DIR] FILE ...
//
// Run WITHOUT `--conditions react-server` (this is the client side).  React comes from
// DIR/node_modules (default: scripts/node/flight-cases, installed by its run.sh).
//
// One decode = createFromNodeStream() on a fresh Readable fed the payload bytes, then
// awaiting the root and walking everything reachable from it: lazy wrappers are
// initialised (awaiting the chunk they suspend on), promises are awaited, arrays, element
// types and props, objects, Maps, Sets, iterators, async iterables and ReadableStreams are
// read to the end.  So every row reachable from the root is parsed and every reference in
// it resolved, as rsc_flight's parse() does.
//
// Feeding: the whole payload as one chunk (one fresh ArrayBuffer per decode).  React 19.2's
// client loses the rest of a network chunk after a binary row (typed array / byte stream
// row), so a payload that has binary rows is fed one row per chunk instead (all pushed at
// once, cut outside the timed region); "feed" in the output says which.
//
// Timing mirrors bench_decode.py: a sample runs `loops` decodes back to back and lasts at
// least MIN_SAMPLE seconds; the best sample of `repeats` is kept, `repeats` chosen so that
// an input is sampled for about --target seconds.  With --expose-gc a full GC runs before
// every sample (outside the timed region).  Output: one JSON document on stdout; per input
// `best` (seconds per decode), `loops`, `repeats`, `feed`, `stats` (values read, rejected
// promises/lazies met) and `walk`: the best time of walking the already decoded root again,
// i.e. the share of `best` that is this script's reading rather than React's decoding.

import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';
import { performance } from 'node:perf_hooks';

process.env.NODE_ENV = 'production';

const HERE = dirname(fileURLToPath(import.meta.url));
const MIN_SAMPLE = 0.002; // seconds

function parseArgs(argv) {
  const opts = {
    target: 0.5,
    minRepeats: 5,
    maxRepeats: 1000,
    repeats: null,
    modules: resolve(HERE, '../scripts/node/flight-cases'),
    files: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--target') opts.target = Number(next());
    else if (a === '--min-repeats') opts.minRepeats = Number(next());
    else if (a === '--max-repeats') opts.maxRepeats = Number(next());
    else if (a === '--repeats') opts.repeats = Number(next());
    else if (a === '--modules') opts.modules = resolve(next());
    else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
    else opts.files.push(resolve(a));
  }
  return opts;
}

const opts = parseArgs(process.argv.slice(2));
const require = createRequire(join(opts.modules, 'package.json'));
const React = require('react');
if (typeof React.useState !== 'function') {
  throw new Error('run react_client_bench.mjs WITHOUT --conditions react-server');
}
const { createFromNodeStream } = require('react-server-dom-webpack/client.node');
const version = (name) => JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')).version;

// ---------------------------------------------------------------------------------------
// Stand-in webpack runtime: client references (I rows) load a dummy module whose every
// export is a stable placeholder function; chunk loads resolve at once.

const modules = new Map();
function dummyModule(id) {
  let mod = modules.get(id);
  if (mod) return mod;
  const exportsCache = new Map();
  const exportFor = (name) => {
    if (!exportsCache.has(name)) exportsCache.set(name, function ClientReference() {});
    return exportsCache.get(name);
  };
  const isExport = (name) => typeof name === 'string' && name !== 'then';
  mod = new Proxy(
    {},
    {
      get: (_t, name) => (name === '__esModule' ? true : isExport(name) ? exportFor(name) : undefined),
      has: (_t, name) => isExport(name),
      getOwnPropertyDescriptor: (_t, name) =>
        isExport(name)
          ? { value: exportFor(name), writable: false, enumerable: true, configurable: true }
          : undefined,
    }
  );
  modules.set(id, mod);
  return mod;
}
globalThis.__webpack_require__ = (id) => dummyModule(String(id));
globalThis.__webpack_chunk_load__ = () => Promise.resolve();

// ---------------------------------------------------------------------------------------
// Feeding.

// Row tags of 19.2.9's client followed by a hex length and a comma (T = text, the rest binary).
const LENGTH_TAGS = new Set('TAOoUSsLlGgMmV'.split('').map((c) => c.charCodeAt(0)));
const T_TAG = 'T'.charCodeAt(0);

// Cut a payload into rows; `binary` tells whether any row is a binary (non-T) length row.
function splitRows(buf) {
  const rows = [];
  let binary = false;
  let i = 0;
  while (i < buf.length) {
    const start = i;
    const colon = buf.indexOf(0x3a, i);
    if (colon < 0) {
      rows.push([start, buf.length]);
      break;
    }
    i = colon + 1;
    const tag = buf[i];
    const comma = LENGTH_TAGS.has(tag) ? buf.indexOf(0x2c, i) : -1;
    if (comma > 0 && /^[0-9a-f]+$/.test(buf.toString('latin1', i + 1, comma))) {
      if (tag !== T_TAG) binary = true;
      i = Math.min(buf.length, comma + 1 + parseInt(buf.toString('latin1', i + 1, comma), 16));
    } else {
      const nl = buf.indexOf(0x0a, i);
      i = nl < 0 ? buf.length : nl + 1;
    }
    rows.push([start, i]);
  }
  return { rows, binary };
}

// Fresh chunks for one decode: the client may transfer (detach) the buffers it is given.
function freshChunks(buf, plan) {
  const copy = (s, e) => Uint8Array.prototype.slice.call(buf, s, e);
  return plan.binary ? plan.rows.map(([s, e]) => copy(s, e)) : [copy(0, buf.length)];
}

// ---------------------------------------------------------------------------------------
// Reading everything reachable from the root.

const LAZY = Symbol.for('react.lazy');
const ELEMENT = Symbol.for('react.transitional.element');
const LEGACY_ELEMENT = Symbol.for('react.element');

async function drain(root) {
  const stats = { values: 0, rejected: 0 };
  const seen = new Set();
  const stack = [root];
  while (stack.length) {
    const v = stack.pop();
    stats.values++;
    if (v === null || typeof v !== 'object') continue; // primitives, functions (references)
    if (v.$$typeof === LAZY) {
      let inner;
      for (let attempt = 0; attempt < 4; attempt++) {
        try {
          inner = v._init(v._payload);
          break;
        } catch (thrown) {
          if (thrown && typeof thrown.then === 'function') {
            try {
              await thrown;
            } catch {
              // read again: _init now throws the reason
            }
            continue;
          }
          stats.rejected++;
          break;
        }
      }
      stack.push(inner);
      continue;
    }
    if (seen.has(v)) continue;
    seen.add(v);
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push(v[i]);
    } else if (v.$$typeof === ELEMENT || v.$$typeof === LEGACY_ELEMENT) {
      stack.push(v.props, v.type);
    } else if (typeof v.then === 'function') {
      try {
        stack.push(await v);
      } catch (e) {
        stats.rejected++;
      }
    } else if (v instanceof Map) {
      for (const [k, x] of v) stack.push(x, k);
    } else if (v instanceof Set) {
      for (const x of v) stack.push(x);
    } else if (
      v instanceof Date ||
      v instanceof Error ||
      v instanceof ArrayBuffer ||
      ArrayBuffer.isView(v)
    ) {
      // leaf values
    } else if (typeof ReadableStream !== 'undefined' && v instanceof ReadableStream) {
      const reader = v.getReader();
      try {
        for (let r = await reader.read(); !r.done; r = await reader.read()) stack.push(r.value);
      } catch {
        stats.rejected++;
      }
    } else if (typeof Blob !== 'undefined' && v instanceof Blob) {
      await v.arrayBuffer();
    } else if (typeof v[Symbol.asyncIterator] === 'function') {
      try {
        for await (const x of v) stack.push(x);
      } catch {
        stats.rejected++;
      }
    } else if (typeof v[Symbol.iterator] === 'function') {
      try {
        for (const x of v) stack.push(x);
      } catch {
        stats.rejected++;
      }
    } else {
      for (const k of Object.keys(v)) stack.push(v[k]);
    }
  }
  return stats;
}

async function decodeOnce(chunks) {
  const stream = new Readable({ read() {} });
  const root = createFromNodeStream(stream, {
    moduleMap: null,
    serverModuleMap: null,
    moduleLoading: null,
  });
  for (const c of chunks) stream.push(c);
  stream.push(null);
  return drain(root);
}

// Best seconds of walking an already decoded root again: the share of a decode that is
// this script's reading rather than React's decoding.
async function walkCost(buf, plan) {
  const stream = new Readable({ read() {} });
  const root = createFromNodeStream(stream, {
    moduleMap: null,
    serverModuleMap: null,
    moduleLoading: null,
  });
  for (const c of freshChunks(buf, plan)) stream.push(c);
  stream.push(null);
  await drain(root);
  let best = Infinity;
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    await drain(root);
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return best;
}

// ---------------------------------------------------------------------------------------
// Timing.

const collect = typeof globalThis.gc === 'function' ? () => globalThis.gc() : () => {};

// Seconds for `loops` decodes back to back (chunks are prepared before the clock starts).
async function sample(buf, plan, loops) {
  const inputs = Array.from({ length: loops }, () => freshChunks(buf, plan));
  collect();
  const t0 = performance.now();
  for (const chunks of inputs) await decodeOnce(chunks);
  return (performance.now() - t0) / 1000;
}

async function bench(file) {
  const out = { path: file };
  try {
    const buf = readFileSync(file);
    out.size = buf.length;
    const plan = splitRows(buf);
    out.feed = plan.binary ? 'one row per chunk' : 'one chunk';
    out.stats = await decodeOnce(freshChunks(buf, plan)); // warm-up, and what was read
    const warmEnd = performance.now() + 100; // let the JIT settle (about 0.1 s)
    let first = Infinity;
    do first = Math.min(first, await sample(buf, plan, 1));
    while (performance.now() < warmEnd);
    const loops = first > 0 ? Math.max(1, Math.ceil(MIN_SAMPLE / first)) : 1000;
    let repeats = opts.repeats ?? Math.round(opts.target / Math.max(first * loops, 1e-9));
    if (opts.repeats == null) repeats = Math.max(opts.minRepeats, Math.min(opts.maxRepeats, repeats));
    let best = Infinity;
    for (let r = 0; r < repeats; r++) best = Math.min(best, (await sample(buf, plan, loops)) / loops);
    Object.assign(out, { ok: true, best, loops, repeats, walk: await walkCost(buf, plan) });
  } catch (e) {
    out.ok = false;
    out.error = String(e && e.message ? e.message : e).split('\n')[0].slice(0, 200);
  }
  return out;
}

async function main() {
  const results = [];
  for (const file of opts.files) results.push(await bench(file));
  const report = {
    node: process.version,
    react: version('react'),
    'react-server-dom-webpack': version('react-server-dom-webpack'),
    NODE_ENV: process.env.NODE_ENV,
    gcBetweenSamples: typeof globalThis.gc === 'function',
    results,
  };
  process.stdout.write(JSON.stringify(report) + '\n');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
