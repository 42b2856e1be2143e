// Render small React Flight payloads with react-server-dom-webpack's Node server build.
//
//   NODE_ENV=production node --conditions react-server render.mjs [outDir]
//
// Writes <outDir>/<case>.txt (the bytes exactly as the server emitted them) and
// <outDir>/manifest.json (per case: description, byte size, network chunk sizes, the
// errors the server's onError saw). Default outDir: <repo>/tests/data/generated/react19.

import { createRequire } from 'node:module';
import { mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';

// Production builds only: development builds add debug rows with timings and stacks
// that change on every run.
process.env.NODE_ENV = 'production';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '../../..');
const OUT = resolve(process.argv[2] || join(REPO, 'tests/data/generated/react19'));

const require = createRequire(import.meta.url);
const React = require('react');
const ReactDOM = require('react-dom');
const Server = require('react-server-dom-webpack/server.node');

if (typeof ReactDOM.preload !== 'function' || React.useState !== undefined) {
  throw new Error('run with: node --conditions react-server render.mjs');
}

const h = React.createElement;
const { Suspense, Fragment } = React;
const pkg = (name) => JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8'));

// ---------------------------------------------------------------------------------
// A fake webpack client manifest.  Keys are the client references' $$id
// ("<module>#<export>"), values the module metadata the server writes into I rows.

const clientManifest = {
  './components/Clock.js#default': {
    id: './components/Clock.js',
    chunks: ['clock', 'static/chunks/clock.js'],
    name: 'default',
  },
  './components/Widgets.js#Button': {
    id: './components/Widgets.js',
    chunks: ['widgets', 'static/chunks/widgets.js'],
    name: 'Button',
  },
};

function clientRef(moduleId, exportName) {
  const stub = function () {
    throw new Error(`client component ${moduleId}#${exportName} called on the server`);
  };
  return Server.registerClientReference(stub, moduleId, exportName);
}
const Clock = clientRef('./components/Clock.js', 'default');
const Button = clientRef('./components/Widgets.js', 'Button');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------
// Cases.  Each `model()` returns a fresh model (so no state leaks between cases).

function bigMixedString(length) {
  const pieces = [
    'Flight rows, ',
    '리액트 서버 컴포넌트 ',
    '😀🎉 ',
    'line\nbreak ',
    '"quotes" and $dollar ',
    '한글과 이모지 👩‍💻 ',
    '12:T3,abc ',
  ];
  let s = '';
  for (let i = 0; s.length < length; i++) s += pieces[i % pieces.length];
  // Cut at exactly `length` UTF-16 units without splitting a surrogate pair.
  s = s.slice(0, length);
  const last = s.charCodeAt(s.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) s = s.slice(0, -1) + '.';
  return s;
}

const cases = [
  {
    name: 'root_string',
    covers: 'Root row is a bare JSON string.',
    model: () => 'hello, flight',
  },
  {
    name: 'dollar_strings',
    covers:
      'Strings beginning with "$" are escaped by doubling the first "$" ("$$..."); object keys are never escaped.',
    model: () => ({
      lone: '$',
      double: '$$',
      looksLikeRef: '$1',
      looksLikeLazy: '$L2',
      looksLikeUndefined: '$undefined',
      looksLikePromise: '$@0',
      notAtStart: 'costs $5',
      list: ['$a', '$$b', 'c$'],
      $key: 'object keys starting with $ stay as they are',
    }),
  },
  {
    name: 'large_string_mixed',
    covers:
      'A 5000-UTF-16-unit string mixing ASCII, Korean and emoji (with newlines and row-header look-alikes) is outlined as a T row whose hex length counts UTF-8 bytes.',
    model: () => ({ title: 'short strings stay inline', body: bigMixedString(5000) }),
  },
  {
    name: 'special_numbers',
    covers:
      'undefined ($undefined), NaN ($NaN), Infinity ($Infinity), -Infinity ($-Infinity), -0 ($-0) in arrays and as object properties (an undefined property is dropped by the client).',
    model: () => ({
      list: [undefined, NaN, Infinity, -Infinity, -0, 0, 1.5, -2, 1e21],
      undef: undefined,
      nan: NaN,
      negZero: -0,
    }),
  },
  {
    name: 'date_bigint',
    covers: 'Date ($D + ISO string) and BigInt ($n + decimal digits), including pre-1970 dates and big negative numbers.',
    model: () => ({
      published: new Date('2024-04-15T12:00:00.123Z'),
      epoch: new Date(0),
      before1970: new Date('1969-07-20T20:17:40.000Z'),
      big: 12345678901234567890n,
      negative: -42n,
      zero: 0n,
    }),
  },
  {
    name: 'map_set',
    covers:
      'Map ($Q + outlined row of [key, value] pairs) and Set ($W + outlined row of values): string/number/object/Date keys, a nested Map inside a Set, an empty Map and Set.',
    model: () => ({
      map: new Map([
        ['a', 1],
        [2, 'two'],
        [{ obj: 'key' }, [true]],
        [new Date('2020-01-01T00:00:00.000Z'), 'new year'],
        ['$dollar', '$value'],
      ]),
      set: new Set(['x', 3, new Map([['inner', new Set([1])]])]),
      emptyMap: new Map(),
      emptySet: new Set(),
    }),
  },
  {
    name: 'typed_arrays',
    covers:
      'Binary rows (length-prefixed, no trailing newline): Uint8Array (o) containing 0x0a bytes, Float32Array (G), ArrayBuffer (A), DataView (V) over a buffer slice with a non-zero byteOffset.',
    model: () => {
      const backing = new Uint8Array([0xde, 0xad, 0x0a, 0x0a, 0xbe, 0xef, 0x00, 0xff]).buffer;
      return {
        bytes: new Uint8Array([0x0a, 0x00, 0x41, 0x0a, 0xff, 0x3a, 0x0a]),
        floats: new Float32Array([1.5, -0.25, Math.PI]),
        buffer: new Uint8Array([1, 2, 3, 0x0a]).buffer,
        view: new DataView(backing, 2, 4),
      };
    },
  },
  {
    name: 'elements_host',
    covers:
      'Host elements ["$",type,key,props]: keyed list items, a keyed fragment ($Sreact.fragment row), a Suspense boundary ($Sreact.suspense row) with fallback, style objects, dangerouslySetInnerHTML, boolean/null children.',
    model: () =>
      h(
        'section',
        { className: 'page', style: { margin: 0, fontSize: '14px' } },
        h('h1', null, 'Hello ', 'world'),
        h(
          'ul',
          null,
          ['a', 'b', 'c'].map((k) => h('li', { key: k }, k.toUpperCase()))
        ),
        h(Fragment, { key: 'frag' }, h('span', null, 'in a keyed fragment'), h('span', null, '둘째')),
        h(Suspense, { fallback: h('p', null, 'loading…') }, h('p', null, 'ready content')),
        h('div', { dangerouslySetInnerHTML: { __html: '<b>raw</b>' } }),
        null,
        false,
        true,
        h('time', { dateTime: '2024-04-15' }, 'April 15')
      ),
  },
  {
    name: 'async_component',
    covers:
      'An async server component inside Suspense: the root row references it lazily ($L), its row arrives in a later network chunk; a sync server component is rendered away.',
    model: () => {
      function Greeting({ who }) {
        return h('p', null, 'Hello, ', who);
      }
      async function SlowList() {
        await sleep(20);
        return h(
          'ol',
          null,
          ['one', '둘', 'three 🎉'].map((x, i) => h('li', { key: i }, x))
        );
      }
      return h(
        'main',
        null,
        h(Greeting, { who: 'reader' }),
        h(Suspense, { fallback: h('p', null, 'loading list…') }, h(SlowList))
      );
    },
  },
  {
    name: 'client_component',
    covers:
      'Client references: I rows [module id, chunks, export name]; a client component as element type (with Date, Map, BigInt and server-element children props), used twice (one I row), a named export, and a client reference passed as a plain prop value.',
    model: () =>
      h(
        'div',
        null,
        h(Clock, {
          at: new Date('2024-04-15T12:00:00.000Z'),
          zones: new Map([['Seoul', 9], ['UTC', 0]]),
          ticks: 9007199254740993n,
          label: '$label',
        }),
        h(Clock, { at: new Date(0) }),
        h(Button, { kind: 'primary', icon: Clock }, h('b', null, 'server child'))
      ),
  },
  {
    name: 'resource_hints',
    covers:
      'ReactDOM resource hints called while rendering a server component become id-less ":H" rows: preconnect (C), prefetchDNS (D), preload (L), preinit style (S) and script (X).',
    model: () => {
      function Page() {
        ReactDOM.preconnect('https://cdn.example.org', { crossOrigin: 'anonymous' });
        ReactDOM.prefetchDNS('https://dns.example.org');
        ReactDOM.preload('/fonts/body.woff2', { as: 'font', type: 'font/woff2', crossOrigin: '' });
        ReactDOM.preload('/img/hero.png', { as: 'image', fetchPriority: 'high' });
        ReactDOM.preinit('/css/site.css', { as: 'style', precedence: 'default' });
        ReactDOM.preinit('/js/analytics.js', { as: 'script' });
        return h('div', null, 'page with hints');
      }
      return h(Page);
    },
  },
  {
    name: 'errors',
    covers:
      'Errors: a rejected promise value and an async server component that throws inside Suspense each become an "E" row carrying the digest returned by onError; a fulfilled promise ($@) resolves normally.',
    model: () => {
      async function Broken() {
        await sleep(5);
        throw new Error('component exploded');
      }
      const rejected = Promise.reject(new Error('data fetch failed'));
      rejected.catch(() => {});
      return {
        ok: Promise.resolve({ fine: true }),
        failed: rejected,
        tree: h(Suspense, { fallback: 'loading' }, h('div', null, h(Broken))),
      };
    },
  },
  {
    name: 'streams',
    covers:
      'A ReadableStream of values ($R, R row, values, C row), a byte ReadableStream ($r, r row, binary o rows) and an async iterable from an async generator ($X, X row, values, C row carrying the return value).',
    model: () => {
      async function* gen() {
        yield 1;
        await sleep(2);
        yield { two: 2 };
        yield '셋 3️⃣';
        return 'done';
      }
      const iterable = { [Symbol.asyncIterator]: gen };
      const values = new ReadableStream({
        async start(c) {
          c.enqueue({ chunk: 1 });
          await sleep(2);
          c.enqueue('chunk 2');
          c.close();
        },
      });
      const bytes = new ReadableStream({
        type: 'bytes',
        async start(c) {
          c.enqueue(new Uint8Array([1, 2, 0x0a]));
          await sleep(2);
          c.enqueue(new TextEncoder().encode('bytes 🌍\n'));
          c.close();
        },
      });
      return { values, bytes, iterable };
    },
  },
  {
    name: 'dedup_shared',
    covers:
      'The same object used several times (inside one row, inside a Map, and across a later async row) is sent once and referenced by path ("$0:a"-style references); the client decodes one shared instance.',
    model: () => {
      const shared = { shared: true, list: [1, 2] };
      async function Later() {
        await sleep(5);
        return { again: shared };
      }
      return {
        a: shared,
        b: shared,
        inMap: new Map([['k', shared]]),
        later: h(Later),
      };
    },
  },
];

// ---------------------------------------------------------------------------------

function renderCase(c) {
  return new Promise((resolvePromise, reject) => {
    const chunks = [];
    const serverErrors = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        chunks.push(Buffer.from(chunk));
        cb();
      },
      final(cb) {
        cb();
        resolvePromise({ chunks, serverErrors });
      },
    });
    sink.on('error', reject);
    const { pipe } = Server.renderToPipeableStream(c.model(), clientManifest, {
      onError(err) {
        const message = err instanceof Error ? err.message : String(err);
        serverErrors.push(message);
        return `digest:${c.name}:${message}`;
      },
    });
    pipe(sink);
  });
}

async function main() {
  mkdirSync(OUT, { recursive: true });
  const manifest = {
    _meta: {
      generator: 'scripts/node/flight-cases/render.mjs',
      server: 'react-server-dom-webpack/server.node (renderToPipeableStream)',
      react: pkg('react').version,
      'react-dom': pkg('react-dom').version,
      'react-server-dom-webpack': pkg('react-server-dom-webpack').version,
      NODE_ENV: process.env.NODE_ENV,
      node: process.version,
      clientManifest,
    },
    cases: {},
  };
  for (const c of cases) {
    const { chunks, serverErrors } = await renderCase(c);
    const payload = Buffer.concat(chunks);
    writeFileSync(join(OUT, `${c.name}.txt`), payload);
    manifest.cases[c.name] = {
      covers: c.covers,
      bytes: payload.length,
      chunkSizes: chunks.map((b) => b.length),
      serverErrors,
    };
    console.log(`${c.name}: ${payload.length} bytes in ${chunks.length} chunk(s)`);
  }
  writeFileSync(join(OUT, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
