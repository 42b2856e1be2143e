// Time React rendering Flight payloads to HTML: the Node peer of benchmarks/bench_render.py,
// which runs this script once and merges its output.
//
//   NODE_ENV=production node --expose-gc benchmarks/react_render_bench.mjs \
//       [--target SECONDS] [--min-repeats N] [--max-repeats N] [--repeats N] \
//       [--modules DIR] FILE ...
//
// Run WITHOUT `--conditions react-server` (the client and react-dom/server need the ordinary
// conditions).  React comes from DIR/node_modules (default: scripts/node/render-html, where
// `npm ci` or its run.sh installs it).
//
// The conventions are those of scripts/node/render-html/render.mjs, which makes the expected
// HTML of rsc_flight's differential test (its README.md describes them), so the markup timed
// here is the markup that test compares with:
//
// * decoding: createFromNodeStream from react-server-dom-webpack/client.node, with
//   moduleMap, serverModuleMap and moduleLoading null, fed one row per stream chunk, each
//   row in its own ArrayBuffer (cut before timing: a fresh set of copies per decode);
// * client components: every export of every client module is ClientStub, which renders
//   only its children;
// * target: the first element of type "html" met by a pre-order walk of the decoded root
//   (lazies and promises read through), else the root itself when it is an element or an
//   array that reaches one; otherwise the input is skipped ("no element tree");
// * every lazy and promise reachable from the root is resolved before rendering, so
//   renderToStaticMarkup never suspends on data the payload holds.
//
// Two timings per input, their samples interleaved:
//
// * `render`: renderToStaticMarkup(target) on a target decoded and resolved beforehand;
// * `decode_render`: bytes in, HTML out: decode, choose the target, resolve, render.
//
// Timing mirrors react_client_bench.mjs and the Python scripts: a sample runs `loops` calls
// back to back and lasts at least MIN_SAMPLE seconds; the best sample of `repeats` is kept,
// `repeats` chosen so that each timing takes about --target seconds, the full GC that runs
// before every sample with --expose-gc (outside the timed region) included.  Output: one
// JSON document on stdout; per input `ok`, `target` ("html" | "root"), `html` (the markup,
// for the comparison with rsc_flight's), `render` and `decode_render` ({best, loops}),
// `repeats`, `rows`, `logged` (what React wrote with console.error); or `skipped` / `error`.

import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';
import { performance } from 'node:perf_hooks';

process.env.NODE_ENV = 'production';

const HERE = dirname(fileURLToPath(import.meta.url));
const MIN_SAMPLE = 0.002; // seconds
const WARM_UP = 0.1; // seconds of calibration per timing, to let the JIT settle
const FIRST_RUN_TIMEOUT = 10_000; // ms for the untimed first decode of an input

function parseArgs(argv) {
  const opts = {
    target: 0.5,
    minRepeats: 5,
    maxRepeats: 1000,
    repeats: null,
    modules: resolve(HERE, '../scripts/node/render-html'),
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
  throw new Error('run react_render_bench.mjs WITHOUT --conditions react-server');
}
const { renderToStaticMarkup } = require('react-dom/server');
const { createFromNodeStream } = require('react-server-dom-webpack/client.node');
const version = (name) =>
  JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')).version;

// ---------------------------------------------------------------------------------------
// Stand-in webpack runtime (the ClientStub convention): whatever module a client reference
// names, each of its exports is ClientStub.  `then` stays undefined, so that the module is
// never taken for an async one.

function ClientStub(props) {
  return props.children ?? null;
}

const isExportName = (name) => typeof name === 'string' && name !== 'then';
const stubModule = new Proxy(
  {},
  {
    get: (_t, name) => (name === '__esModule' ? true : isExportName(name) ? ClientStub : undefined),
    has: (_t, name) => isExportName(name),
    // The client asks hasOwnProperty(module, name) before reading a named export.
    getOwnPropertyDescriptor: (_t, name) =>
      isExportName(name)
        ? {
            value: name === '__esModule' ? true : ClientStub,
            writable: false,
            enumerable: true,
            configurable: true,
          }
        : undefined,
  }
);
globalThis.__webpack_require__ = () => stubModule;
globalThis.__webpack_chunk_load__ = () => Promise.resolve();

// ---------------------------------------------------------------------------------------
// Rows: `<hex id>:` then either a length-prefixed row (`<tag><hex byte length>,<bytes>`, for
// the tags 19.2's client reads that way) or a row ending at its LF (included).

const LENGTH_TAGS = new Set('TAOoUSsLlGgMmV'.split('').map((c) => c.charCodeAt(0)));

function rowBounds(buf) {
  const bounds = [];
  let pos = 0;
  while (pos < buf.length) {
    const colon = buf.indexOf(0x3a, pos);
    let end = buf.length;
    if (colon >= 0 && LENGTH_TAGS.has(buf[colon + 1])) {
      const comma = buf.indexOf(0x2c, colon + 2);
      const hex = comma < 0 ? '' : buf.toString('latin1', colon + 2, comma);
      if (comma < 0 || !/^[0-9a-fA-F]*$/.test(hex)) {
        throw new Error(`bad length-prefixed row at byte ${pos}`);
      }
      end = Math.min(buf.length, comma + 1 + (hex === '' ? 0 : parseInt(hex, 16)));
    } else if (colon >= 0) {
      const nl = buf.indexOf(0x0a, colon + 1);
      if (nl >= 0) end = nl + 1;
    }
    bounds.push([pos, end]);
    pos = end;
  }
  return bounds;
}

// One decode's chunks: every row copied into an ArrayBuffer of its own (the client may
// detach a buffer it is given, and drops the rest of a chunk after a binary row).
function freshRows(buf, bounds) {
  return bounds.map(([start, end]) => {
    const row = new Uint8Array(end - start);
    row.set(buf.subarray(start, end));
    return row;
  });
}

async function decodeRoot(rows) {
  const stream = new Readable({ read() {} });
  const root = createFromNodeStream(stream, {
    moduleMap: null,
    serverModuleMap: null,
    moduleLoading: null,
  });
  for (const row of rows) stream.push(row);
  stream.push(null);
  try {
    return await root;
  } catch (e) {
    throw new Error(`decode: ${e && e.message ? e.message : String(e)}`);
  }
}

// ---------------------------------------------------------------------------------------
// Target choice and resolution.

const ELEMENT_TYPES = new Set([Symbol.for('react.transitional.element'), Symbol.for('react.element')]);
const LAZY_TYPE = Symbol.for('react.lazy');
const FAILED = Symbol('failed'); // a lazy or promise that rejected: its branch is skipped
const MAX_LAZY_ATTEMPTS = 100;

const isObject = (v) => v !== null && (typeof v === 'object' || typeof v === 'function');
const isElement = (v) => isObject(v) && ELEMENT_TYPES.has(v.$$typeof);
const isLazy = (v) => isObject(v) && v.$$typeof === LAZY_TYPE;
const isThenable = (v) => isObject(v) && !isElement(v) && typeof v.then === 'function';
function isPlainObject(v) {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

// The value a lazy stands for: initialise it, waiting for what it suspends on.
async function readLazy(lazy) {
  for (let attempt = 0; attempt < MAX_LAZY_ATTEMPTS; attempt++) {
    try {
      return lazy._init(lazy._payload);
    } catch (thrown) {
      if (!isThenable(thrown)) return FAILED;
      try {
        await thrown;
      } catch {
        // settled: the next _init call returns the value or throws the reason
      }
    }
  }
  return FAILED;
}

// Read through lazies and promises (each one met is added to `seen`, when given).
async function settled(v, seen) {
  while (isLazy(v) || isThenable(v)) {
    if (seen) seen.add(v);
    if (isLazy(v)) {
      v = await readLazy(v);
      if (v === FAILED) return FAILED;
    } else {
      try {
        v = await v;
      } catch {
        return FAILED;
      }
    }
  }
  return v;
}

// The first element, in a pre-order walk from `root`, for which `accept` is true.  Elements
// are walked through their props values (not type, not key), arrays by index, plain
// objects by key; anything else is a leaf.  The stack takes children in reverse, so the
// pop order is that of the recursive walk.
async function firstElement(root, accept) {
  const seen = new Set();
  const stack = [root];
  while (stack.length) {
    let v = stack.pop();
    if (!isObject(v) || seen.has(v)) continue;
    v = await settled(v, seen);
    if (!isObject(v) || seen.has(v)) continue;
    seen.add(v);
    let children = [];
    if (isElement(v)) {
      if (accept(v)) return v;
      if (isObject(v.props)) children = Object.values(v.props);
    } else if (Array.isArray(v)) {
      children = v;
    } else if (isPlainObject(v)) {
      children = Object.values(v);
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return undefined;
}

// Resolve every lazy and promise reachable from `root` (through arrays, plain objects,
// Map and Set entries, element types and props).
async function resolveAll(root) {
  const seen = new Set();
  const stack = [root];
  while (stack.length) {
    let v = stack.pop();
    if (!isObject(v) || seen.has(v)) continue;
    v = await settled(v, seen);
    if (!isObject(v) || seen.has(v)) continue;
    seen.add(v);
    if (isElement(v)) stack.push(v.type, v.props);
    else if (Array.isArray(v)) stack.push(...v);
    else if (v instanceof Map) for (const [k, x] of v) stack.push(k, x);
    else if (v instanceof Set) stack.push(...v);
    else if (isPlainObject(v)) stack.push(...Object.values(v));
  }
}

// {target, rule} for a decoded root, or {skipped} when it holds no element tree.
async function chooseTarget(root) {
  const html = await firstElement(root, (el) => el.type === 'html');
  if (html !== undefined) {
    await resolveAll(root);
    return { target: html, rule: 'html' };
  }
  const top = await settled(root, null);
  if (top === FAILED) return { skipped: 'no element tree (the root failed)' };
  const isTree =
    isElement(top) || (Array.isArray(top) && (await firstElement(top, () => true)) !== undefined);
  if (!isTree) return { skipped: 'no element tree' };
  await resolveAll(top);
  return { target: top, rule: 'root' };
}

// Bytes in, HTML out.
async function decodeRender(rows) {
  const chosen = await chooseTarget(await decodeRoot(rows));
  if (chosen.skipped) throw new Error(chosen.skipped);
  return renderToStaticMarkup(chosen.target);
}

// ---------------------------------------------------------------------------------------
// Timing.

const collect = typeof globalThis.gc === 'function' ? () => globalThis.gc() : () => {};

// What React writes with console.error goes here while `logging` is set (the first run of
// an input), and nowhere during the timed runs.
let logging = null;
console.error = (...args) => {
  if (logging) logging.push(args.map(String).join(' ').slice(0, 300));
};

// A timing: `prepare()` makes the argument of one call outside the clock (fresh rows for a
// decode), `run(arg)` is the call (its promise, if any, is awaited).
function timing(prepare, run) {
  return { prepare, run, loops: 1, best: Infinity };
}

// Seconds for `loops` calls back to back.
async function sample(t, loops) {
  const args = Array.from({ length: loops }, t.prepare);
  collect();
  const t0 = performance.now();
  for (const arg of args) {
    const r = t.run(arg);
    if (r && typeof r.then === 'function') await r;
  }
  return (performance.now() - t0) / 1000;
}

// Seconds of one full GC now (the least of three), 0 without --expose-gc.
function gcCost() {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    collect();
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return best;
}

// Best seconds per call of each timing, their samples interleaved (as in bench_render.py).
// The repeat count counts the full GC before each sample (several ms, often more than a
// sample of a small input) in the time budget: about --target seconds of wall time per
// timing, so that a full run stays short.
async function bestOf(timings) {
  let cost = 0;
  for (const t of timings) {
    const warmEnd = performance.now() + WARM_UP * 1000;
    let first = Infinity;
    do first = Math.min(first, await sample(t, 1));
    while (performance.now() < warmEnd);
    t.loops = first > 0 ? Math.max(1, Math.ceil(MIN_SAMPLE / first)) : 1000;
    cost += first * t.loops;
  }
  cost += gcCost() * timings.length;
  let repeats = opts.repeats;
  if (repeats == null) {
    repeats = Math.round((opts.target * timings.length) / Math.max(cost, 1e-9));
    repeats = Math.max(opts.minRepeats, Math.min(opts.maxRepeats, repeats));
  }
  for (let r = 0; r < repeats; r++) {
    for (const t of timings) t.best = Math.min(t.best, (await sample(t, t.loops)) / t.loops);
  }
  return repeats;
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle in ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const message = (e) => String(e && e.message ? e.message : e).split('\n')[0].slice(0, 200);

async function bench(file) {
  const out = { path: file };
  try {
    const buf = readFileSync(file);
    out.size = buf.length;
    const bounds = rowBounds(buf);
    out.rows = bounds.length;
    // First run, untimed and guarded: the target, its HTML, what React logs.
    logging = [];
    let chosen;
    try {
      const root = await withTimeout(decodeRoot(freshRows(buf, bounds)), FIRST_RUN_TIMEOUT, 'decode');
      chosen = await withTimeout(chooseTarget(root), FIRST_RUN_TIMEOUT, 'target choice');
      if (!chosen.skipped) out.html = renderToStaticMarkup(chosen.target);
    } finally {
      out.logged = logging;
      logging = null;
    }
    if (chosen.skipped) return { ...out, ok: false, skipped: chosen.skipped };
    out.target = chosen.rule;
    const render = timing(
      () => null,
      () => renderToStaticMarkup(chosen.target)
    );
    const decode = timing(
      () => freshRows(buf, bounds),
      (rows) => decodeRender(rows)
    );
    out.repeats = await bestOf([render, decode]);
    out.render = { best: render.best, loops: render.loops };
    out.decode_render = { best: decode.best, loops: decode.loops };
    out.ok = true;
  } catch (e) {
    out.ok = false;
    out.error = message(e);
  }
  return out;
}

async function main() {
  const results = [];
  for (const file of opts.files) results.push(await bench(file));
  const report = {
    node: process.version,
    react: version('react'),
    'react-dom': version('react-dom'),
    'react-server-dom-webpack': version('react-server-dom-webpack'),
    NODE_ENV: process.env.NODE_ENV,
    gcBetweenSamples: typeof globalThis.gc === 'function',
    results,
  };
  // Written before exiting: the document can be large (it holds every input's HTML).
  await new Promise((done) => process.stdout.write(JSON.stringify(report) + '\n', done));
}

main().then(
  // Timers of abandoned promises must not keep the process alive.
  () => process.exit(0),
  (e) => {
    process.stderr.write(`${e && e.stack ? e.stack : e}\n`);
    process.exit(1);
  }
);
