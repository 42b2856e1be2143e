// Expected-HTML fixtures for the differential test of rsc_flight's HTML renderer.
//
//   NODE_ENV=production node render.mjs [payload.txt ...]     (WITHOUT --conditions react-server)
//
// For every payload: decode it with React's own Flight client
// (react-server-dom-webpack/client.node, createFromNodeStream), pick a render target with
// the rule described in TARGET_RULE below (README.md has the same text), render it with
// react-dom/server's renderToStaticMarkup and write
//   <repo>/tests/data/render_html/<key>.html
// plus <repo>/tests/data/render_html/manifest.json.
//
// Client components: every export of every client module is ClientStub, which renders only
// its children.
//
// With no arguments the default input list is used and the output folder is rebuilt from
// scratch; with arguments only those cases are (re)written and merged into the manifest.

import { createRequire } from 'node:module';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';

process.env.NODE_ENV = 'production';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '../../..');
const CORPUS = resolve(REPO, '../shared/corpus');
const OUT = join(REPO, 'tests/data/render_html');

const require = createRequire(import.meta.url);
const React = require('react');
if (typeof React.useState !== 'function') {
  throw new Error('run render.mjs WITHOUT --conditions react-server');
}
const { renderToStaticMarkup } = require('react-dom/server');
const { createFromNodeStream } = require('react-server-dom-webpack/client.node');

const TARGET_RULE =
  'Walk the decoded root value depth-first in pre-order: a value is first checked, then its ' +
  'children are walked in order. Arrays are walked by index; plain objects (prototype ' +
  'Object.prototype or null) by own key order; React elements through the values of their ' +
  'props object in key order (not type or key); lazy wrappers ($$typeof Symbol.for("react.lazy")) ' +
  'are replaced by their resolved value (_init(_payload), awaiting a thrown promise and ' +
  'retrying; a lazy that throws an error is skipped with its whole branch); promises/thenables ' +
  'are replaced by their awaited value (a rejected one is skipped). Any other value (Map, Set, ' +
  'Date, functions, strings...) is a leaf. A value already visited (same object identity) is ' +
  'not walked again. The target is the FIRST React element whose type is the string "html" ' +
  '(target "html"). If there is none, the target is the root value itself (target "root"), ' +
  'after unwrapping it if it is a lazy wrapper or a promise (as in the walk), ' +
  'provided the root value is a React element, or is an array in which the same walk reaches ' +
  'at least one React element of any type; otherwise the case is skipped ("no element tree"). ' +
  'Before rendering, every lazy and promise reachable from the root (through arrays, plain ' +
  'objects, Map/Set entries and element type/props) is resolved; the target is then rendered ' +
  'with renderToStaticMarkup, client components being stubs that render only props.children.';

// ------------------------------------------------------------------------------------
// Stand-in webpack runtime: any export of any module id is ClientStub.

function ClientStub(props) {
  return props.children ?? null;
}

const stubModule = new Proxy(
  {},
  {
    get(_target, name) {
      if (name === '__esModule') return true;
      // "then" must stay undefined, or the module would look like an async module.
      if (typeof name !== 'string' || name === 'then') return undefined;
      return ClientStub;
    },
    has(_target, name) {
      return typeof name === 'string' && name !== 'then';
    },
    // The client checks hasOwnProperty(moduleExports, name) before reading a named export.
    getOwnPropertyDescriptor(_target, name) {
      if (typeof name !== 'string' || name === 'then') return undefined;
      const value = name === '__esModule' ? true : ClientStub;
      return { value, writable: false, enumerable: true, configurable: true };
    },
  }
);

globalThis.__webpack_require__ = () => stubModule;
globalThis.__webpack_chunk_load__ = () => Promise.resolve();

// ------------------------------------------------------------------------------------
// Row splitting: one row per chunk, each chunk in its own ArrayBuffer.
// Tags whose rows are length-prefixed (<id>:<tag><hex byte length>,<bytes>) in the 19.2 client;
// every other row ends at (and includes) the next LF.

const LENGTH_PREFIXED = new Set([...'TAOoUSsLlGgMmV'].map((c) => c.charCodeAt(0)));

function freshCopy(buf, start, end) {
  const out = new Uint8Array(new ArrayBuffer(end - start));
  out.set(buf.subarray(start, end));
  return out;
}

function splitRows(buf) {
  const rows = [];
  let pos = 0;
  while (pos < buf.length) {
    const colon = buf.indexOf(0x3a, pos);
    if (colon < 0) {
      rows.push(freshCopy(buf, pos, buf.length));
      break;
    }
    let end;
    const tag = buf[colon + 1];
    if (LENGTH_PREFIXED.has(tag)) {
      const comma = buf.indexOf(0x2c, colon + 2);
      const hex = buf.toString('latin1', colon + 2, comma < 0 ? buf.length : comma);
      if (comma < 0 || !/^[0-9a-fA-F]*$/.test(hex)) {
        throw new Error(`bad length-prefixed row at byte ${pos}`);
      }
      end = Math.min(buf.length, comma + 1 + (hex === '' ? 0 : parseInt(hex, 16)));
    } else {
      const nl = buf.indexOf(0x0a, colon + 1);
      end = nl < 0 ? buf.length : nl + 1;
    }
    rows.push(freshCopy(buf, pos, end));
    pos = end;
  }
  return rows;
}

// ------------------------------------------------------------------------------------
// Value helpers.

const ELEMENT_TYPES = new Set([
  Symbol.for('react.transitional.element'),
  Symbol.for('react.element'),
]);
const LAZY_TYPE = Symbol.for('react.lazy');
const SETTLE_TIMEOUT_MS = 3000;

const isObj = (v) => v !== null && (typeof v === 'object' || typeof v === 'function');
const isElement = (v) => isObj(v) && ELEMENT_TYPES.has(v.$$typeof);
const isLazy = (v) => isObj(v) && v.$$typeof === LAZY_TYPE;
const isThenable = (v) => isObj(v) && typeof v.then === 'function';
const isPlainObject = (v) => {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

// Settle a thenable: {ok: true, value} or {ok: false, error}. Never hangs.
async function settle(thenable) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out waiting for a promise')), SETTLE_TIMEOUT_MS);
  });
  try {
    const value = await Promise.race([Promise.resolve().then(() => thenable), timeout]);
    return { ok: true, value };
  } catch (error) {
    return { ok: false, error };
  } finally {
    clearTimeout(timer);
  }
}

async function resolveLazy(lazy) {
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      return { ok: true, value: lazy._init(lazy._payload) };
    } catch (thrown) {
      if (isThenable(thrown)) {
        const r = await settle(thrown);
        if (!r.ok && /timed out/.test(String(r.error && r.error.message))) {
          return { ok: false, error: r.error };
        }
        continue; // fulfilled or rejected: _init tells which on the next attempt
      }
      return { ok: false, error: thrown };
    }
  }
  return { ok: false, error: new Error('lazy never resolved') };
}

// Unwrap lazies and thenables until a plain value remains. {ok, value}.
async function unwrap(v, visited) {
  for (;;) {
    if (isLazy(v)) {
      if (visited) visited.add(v);
      const r = await resolveLazy(v);
      if (!r.ok) return r;
      v = r.value;
    } else if (isThenable(v) && !isElement(v)) {
      if (visited) visited.add(v);
      const r = await settle(v);
      if (!r.ok) return r;
      v = r.value;
    } else {
      return { ok: true, value: v };
    }
  }
}

// The target-rule walk: pre-order DFS, returns the first value for which pred() is true.
async function findFirst(root, pred) {
  const visited = new Set();
  async function visit(v) {
    if (!isObj(v) || visited.has(v)) return undefined;
    const u = await unwrap(v, visited);
    if (!u.ok) return undefined;
    v = u.value;
    if (!isObj(v) || visited.has(v)) return undefined;
    visited.add(v);
    if (isElement(v)) {
      if (pred(v)) return v;
      const props = v.props;
      if (!isObj(props)) return undefined;
      for (const k of Object.keys(props)) {
        const found = await visit(props[k]);
        if (found !== undefined) return found;
      }
      return undefined;
    }
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const found = await visit(v[i]);
        if (found !== undefined) return found;
      }
      return undefined;
    }
    if (isPlainObject(v)) {
      for (const k of Object.keys(v)) {
        const found = await visit(v[k]);
        if (found !== undefined) return found;
      }
    }
    return undefined;
  }
  return visit(root);
}

// Resolve every lazy/promise reachable from the root, so rendering never suspends on data
// that the payload contains.
async function resolveAll(root) {
  const visited = new Set();
  const stack = [root];
  while (stack.length) {
    let v = stack.pop();
    if (!isObj(v) || visited.has(v)) continue;
    const u = await unwrap(v, visited);
    if (!u.ok) continue;
    v = u.value;
    if (!isObj(v) || visited.has(v)) continue;
    visited.add(v);
    if (isElement(v)) {
      stack.push(v.type, v.props);
    } else if (Array.isArray(v)) {
      stack.push(...v);
    } else if (v instanceof Map) {
      for (const [k, val] of v) stack.push(k, val);
    } else if (v instanceof Set) {
      stack.push(...v);
    } else if (isPlainObject(v)) {
      for (const k of Object.keys(v)) stack.push(v[k]);
    }
  }
}

// ------------------------------------------------------------------------------------
// One case.

async function decode(buf) {
  const rows = splitRows(buf);
  const stream = Readable.from(rows, { objectMode: true });
  const rootPromise = createFromNodeStream(stream, {
    moduleMap: null,
    serverModuleMap: null,
    moduleLoading: null,
  });
  const r = await settle(rootPromise);
  if (!r.ok) throw r.error;
  return r.value;
}

async function runCase(file) {
  const buf = readFileSync(file);
  let root;
  try {
    root = await decode(buf);
  } catch (e) {
    return { error: `decode: ${e && e.message ? e.message : String(e)}` };
  }

  let target = await findFirst(root, (el) => el.type === 'html');
  let rule = 'html';
  if (target === undefined) {
    // The root itself may be a lazy wrapper (e.g. an element that was blocked on a
    // reference into its own row) or a promise: unwrap it the same way as the walk does.
    const u = await unwrap(root, null);
    if (!u.ok) return { skipped: 'no element tree' };
    root = u.value;
    const rootIsTree =
      isElement(root) || (Array.isArray(root) && (await findFirst(root, () => true)) !== undefined);
    if (!rootIsTree) return { skipped: 'no element tree' };
    target = root;
    rule = 'root';
  }

  await resolveAll(root);

  const logged = [];
  const origError = console.error;
  console.error = (...args) => logged.push(args.map(String).join(' '));
  let html;
  try {
    html = renderToStaticMarkup(target);
  } catch (e) {
    return { error: e && e.message ? e.message : String(e), logged };
  } finally {
    console.error = origError;
  }
  return { target: rule, html, logged };
}

// ------------------------------------------------------------------------------------
// Inputs and keys.

function walkTxt(dir) {
  const out = [];
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walkTxt(p));
    else if (name.endsWith('.txt')) out.push(p);
  }
  return out;
}

function defaultInputs() {
  const files = [];
  if (existsSync(CORPUS)) {
    for (const name of [
      'elements_host',
      'kitchen_sink',
      'client_components',
      'lazy_elements',
      'server_components',
      'dedup_elements',
      'dollar_strings',
      'strings_escapes',
      'multibyte_text',
      'large_string_multibyte',
    ]) {
      const p = join(CORPUS, 'real/react19', `${name}.txt`);
      if (existsSync(p)) files.push(p);
    }
    files.push(...walkTxt(join(CORPUS, 'real/next15')));
    files.push(...walkTxt(join(CORPUS, 'real/next14')));
    const seeds = join(CORPUS, 'seeds');
    if (existsSync(seeds)) {
      for (const prefix of ['000_', '001_', '003_']) {
        for (const name of readdirSync(seeds).sort()) {
          if (name.startsWith(prefix) && name.endsWith('.txt')) files.push(join(seeds, name));
        }
      }
    }
  }
  const examples = join(REPO, 'examples');
  if (existsSync(examples)) {
    for (const name of readdirSync(examples).sort()) {
      if (name.endsWith('.txt')) files.push(join(examples, name));
    }
  }
  const gen = join(REPO, 'tests/data/generated/react19/elements_host.txt');
  if (existsSync(gen)) files.push(gen);
  return files;
}

const toPosix = (p) => p.split(sep).join('/');
const isInside = (p, dir) => {
  const rel = relative(dir, p);
  return rel !== '' && !rel.startsWith('..') && !rel.startsWith(sep) && !/^[a-zA-Z]:/.test(rel);
};

function keyFor(abs) {
  const noExt = abs.replace(/\.txt$/, '');
  if (isInside(abs, CORPUS)) return toPosix(relative(CORPUS, noExt));
  if (isInside(abs, REPO)) return 'own/' + toPosix(relative(REPO, noExt));
  return 'ext/' + toPosix(noExt).split('/').pop();
}

// ------------------------------------------------------------------------------------

const pkgVersion = (name) =>
  JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')).version;

async function main() {
  const args = process.argv.slice(2);
  const inputs = args.length
    ? args.map((a) => ({ abs: resolve(a), given: a }))
    : defaultInputs().map((abs) => ({ abs, given: toPosix(relative(REPO, abs)) }));

  let cases = {};
  if (args.length === 0) {
    rmSync(OUT, { recursive: true, force: true });
  } else if (existsSync(join(OUT, 'manifest.json'))) {
    cases = JSON.parse(readFileSync(join(OUT, 'manifest.json'), 'utf8')).cases || {};
  }
  mkdirSync(OUT, { recursive: true });

  for (const { abs, given } of inputs) {
    const key = keyFor(abs);
    const htmlPath = join(OUT, `${key}.html`);
    rmSync(htmlPath, { force: true });
    const r = await runCase(abs);
    for (const line of r.logged || []) process.stderr.write(`[${key}] console.error: ${line}\n`);
    if (r.html !== undefined) {
      mkdirSync(dirname(htmlPath), { recursive: true });
      const bytes = Buffer.from(r.html, 'utf8');
      writeFileSync(htmlPath, bytes);
      cases[key] = { source: given, target: r.target, bytes: bytes.length };
      console.log(`${key}: ${r.target}, ${bytes.length} bytes`);
    } else if (r.error !== undefined) {
      cases[key] = { source: given, error: r.error };
      console.log(`${key}: error: ${r.error}`);
    } else {
      cases[key] = { source: given, skipped: r.skipped };
      console.log(`${key}: skipped: ${r.skipped}`);
    }
  }

  const manifest = {
    generator: 'scripts/node/render-html/render.mjs',
    versions: {
      node: process.version,
      react: pkgVersion('react'),
      'react-dom': pkgVersion('react-dom'),
      'react-server-dom-webpack': pkgVersion('react-server-dom-webpack'),
    },
    target_rule: TARGET_RULE,
    cases,
  };
  writeFileSync(join(OUT, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
}

await main();
// Pending timers from abandoned promises must not keep the process alive.
process.exit(0);
