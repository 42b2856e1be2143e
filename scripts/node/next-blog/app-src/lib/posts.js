// Source of truth for the Flight Journal blog.  Both the Next.js app (app/, components/) and
// ../expected.mjs import this file, so it must stay plain JavaScript: no JSX, no imports.
//
// Each post chooses how much it exposes to an article extractor (`metadata`):
//   'generateMetadata'    generateMetadata with canonical + article openGraph (+ authors,
//                         keywords, robots, twitter when `richMetadata`; JSON-LD when `jsonLd`)
//   'title-description'   generateMetadata with title + description only
//   'site-defaults'       no generateMetadata at all: the post has its own static route
//                         (app/notes/site-defaults/page.js) that exports nothing but the page,
//                         so the <head> only carries the layout's site-wide values
// `body` is an HTML string rendered with dangerouslySetInnerHTML, or null when the body is
// JSX (`bodyComponent`, see components/ElementBody.js).  `bodyTextContains` lists phrases of
// the body's text content (no markup inside them) that occur nowhere else on the page.

export const site = {
  name: 'Flight Journal',
  origin: 'https://journal.example.org',
  description: 'Notes on streaming React payloads.',
  language: 'en',
  keywords: ['react server components', 'flight', 'next.js', 'streaming'],
  staff: 'Journal Staff',
};

export const categories = [
  { slug: 'notes', name: 'Notes' },
  { slug: 'long-reads', name: 'Long Reads' },
  { slug: 'tutorials', name: 'Tutorials' },
];

const fullMetadataBody = [
  '<p>This post sets <strong>every</strong> metadata field the app router knows about, and repeats the important ones in JSON-LD.</p>',
  '<h2>What to look for</h2>',
  '<ul><li>an <code>og:type</code> of <em>article</em></li><li>a canonical link to this page</li><li>published &amp; modified times with a +09:00 offset</li></ul>',
  '<p>If an extractor reports the site defaults here, it read the wrong layer.</p>',
].join('\n');

const koreanLongBody = [
  '<p class="lede">스트리밍 페이로드를 처음 읽는 사람을 위한 <strong>긴 글</strong>입니다. 커피 한 잔 준비하세요 ☕</p>',
  '<h2>1. 행(row)이란 무엇인가</h2>',
  '<p>플라이트 페이로드는 줄 단위의 <em>행</em>으로 이루어져 있습니다. 각 행은 16진수 아이디와 콜론으로 시작하고, 대부분 줄바꿈으로 끝납니다. 하지만 긴 문자열은 <code>T</code> 행으로 보내지며, 길이는 UTF-8 <strong>바이트</strong> 수로 적힙니다. 🚀</p>',
  '<h3>1.1 왜 바이트 길이인가</h3>',
  '<p>한글 한 글자는 UTF-8에서 3바이트, 이모지 😀 는 4바이트입니다. 글자 수로 세면 틀립니다. 👩‍💻 같은 결합 이모지는 더 깁니다.</p>',
  '<ul>',
  '<li>ASCII: 1바이트</li>',
  '<li>한글 음절: 3바이트<ul><li>예: “가”, “힣”</li><li>자모도 3바이트</li></ul></li>',
  '<li>이모지: 4바이트 이상 🎉</li>',
  '</ul>',
  '<h2>2. 읽는 순서</h2>',
  '<ol>',
  '<li>행 머리(아이디와 태그)를 읽습니다.</li>',
  '<li><code>T</code> 행이면 쉼표 앞의 16진수 길이만큼 바이트를 읽습니다.</li>',
  '<li>나머지 행은 줄바꿈까지 읽고 JSON으로 해석합니다.</li>',
  '</ol>',
  '<blockquote><p>“길이를 믿되, 검증하라.” — 어느 파서 작성자의 메모</p></blockquote>',
  '<h2>3. 코드 예제</h2>',
  '<p>아래 코드는 <code>$</code> 기호와 백틱, 그리고 부등호가 들어 있는 예입니다.</p>',
  '<pre><code class="language-js">const rows = payload.split(\'\\n\');\nfor (let i = 0; i &lt; rows.length; i++) {\n  const price = `$${rows[i].length} bytes`;\n  if (rows[i].startsWith(\'$L\') &amp;&amp; i &lt;= 3) console.log(price);\n}\n</code></pre>',
  '<p>자세한 설명은 <a href="https://example.com/x">예제 문서</a>를 참고하세요. 그림도 하나 있습니다:</p>',
  '<p><img src="/images/row-layout.png" alt="행 구조 다이어그램"></p>',
  '<h2>4. 요약 표</h2>',
  '<table>',
  '<thead><tr><th>행 종류</th><th>끝 표시</th><th>예</th></tr></thead>',
  '<tbody>',
  '<tr><td>JSON 행</td><td>줄바꿈</td><td><code>0:["$","div",null,{}]</code></td></tr>',
  '<tr><td>텍스트 행</td><td>바이트 길이</td><td><code>5:T1a,…</code></td></tr>',
  '<tr><td>모듈 행</td><td>줄바꿈</td><td><code>2:I[…]</code></td></tr>',
  '</tbody>',
  '</table>',
  '<h2>5. 자주 묻는 질문</h2>',
  '<p><strong>Q.</strong> 텍스트 행 안에 줄바꿈이 있으면 어떻게 되나요?<br><strong>A.</strong> 아무 문제 없습니다. 길이만큼 읽기 때문에 줄바꿈도 그냥 내용의 일부입니다.</p>',
  '<p><strong>Q.</strong> 같은 페이지를 HTML로 받으면요?<br><strong>A.</strong> 같은 행들이 <code>self.__next_f.push</code> 스크립트 안에 JSON 문자열로 들어 있습니다. 이스케이프를 풀면 원래 바이트가 나옵니다.</p>',
  '<h3>4.1 마무리</h3>',
  '<p>읽어 주셔서 감사합니다! 다음 글에서는 <em>Suspense</em> 경계와 지연 행을 다룹니다. 좋은 하루 보내세요 ✨🌙</p>',
  '<p>덧붙임: 이 글은 일부러 길게 썼습니다. 3킬로바이트가 넘는 문자열은 별도의 텍스트 행이 되어야 하기 때문입니다. 한 문장 더: 스트림은 끝날 때까지 끝난 것이 아닙니다. 🧑🏽‍🚀 👨‍👩‍👧‍👦</p>',
].join('\n');

const siteDefaultsBody = [
  '<p>This page exports no <code>generateMetadata</code>. Its <code>&lt;head&gt;</code> therefore carries only what the root layout declares: the site name as the title, the site description, a canonical link to the home page and an <code>og:type</code> of <em>website</em>.</p>',
  '<p>An extractor that trusts the head will report the home page as the canonical URL of this article, the site slogan as its summary and no publication date at all. Everything that belongs to the article lives in the page markup instead: the heading, the <code>&lt;time&gt;</code> element, the tag list and this body.</p>',
  '<h2>Where the facts are</h2>',
  '<ul>',
  '<li>The title is the <code>h1</code> inside the article header.</li>',
  '<li>The publication date is a <code>time</code> element whose <code>dateTime</code> is not even strict ISO 8601: it uses a space and a zone offset without a colon.</li>',
  '<li>The modification date is plain text in a span.</li>',
  '<li>The tags are links with <code>rel="tag"</code>.</li>',
  '</ul>',
  '<h2>Why this happens</h2>',
  '<p>Metadata in the app router is resolved from the root layout down to the page. A page that exports nothing simply inherits the layout values, and nothing warns about it. Many real sites ship like this for years.</p>',
  '<p>Search engines see the same trap. A crawler that only reads the head indexes every article under the home page address, and the article disappears behind its own site. The fix on the site side is one function; the fix on the reader side is to know where the page segment starts.</p>',
  '<p>The moral: look at the page segment of the Flight tree, not only at the head, and prefer values that are specific to the route over values that every route shares. A sidebar that lists categories with post counts is site-wide state too.</p>',
].join('\n');

export const posts = [
  {
    slug: 'full-metadata',
    category: 'notes',
    title: 'Everything in the Head: a Fully Described Post',
    description: 'What ends up in <head> when a page sets every metadata field, plus JSON-LD.',
    authors: [
      { name: 'Ada Lindqvist', url: 'https://journal.example.org/authors/ada/' },
      { name: 'Kenji Mori' },
    ],
    published: '2025-03-04T09:15:00+09:00',
    modified: '2025-03-06T11:00:00+09:00',
    tags: ['rsc', 'flight', 'metadata', 'next.js'],
    image: '/images/flight-rows.png',
    metadata: 'generateMetadata',
    richMetadata: true, // also authors, keywords, category, robots, twitter
    jsonLd: true,
    body: fullMetadataBody,
    bodyTextContains: ['repeats the important ones in JSON-LD', 'it read the wrong layer'],
  },
  {
    slug: 'korean-long',
    category: 'long-reads',
    title: '플라이트 페이로드 읽기: 긴 글 🚀',
    description: '행, 바이트 길이, 그리고 텍스트 행에 대한 긴 한국어 안내서입니다.',
    authors: [{ name: '김하늘', url: 'https://journal.example.org/authors/haneul/' }],
    published: '2025-04-12T21:05:30+09:00',
    modified: null,
    tags: ['한국어', 'streaming', 'text-rows', 'emoji', 'utf-8'],
    image: '/images/hangul-stream.jpg',
    metadata: 'generateMetadata',
    jsonLd: false,
    body: koreanLongBody,
    bodyTextContains: ['길이를 믿되, 검증하라.', '요약 표'],
  },
  {
    slug: 'site-defaults',
    category: 'notes',
    title: 'A Post Without Its Own Metadata',
    description: null,
    authors: [{ name: 'Mina Park' }],
    published: '2025-05-06 18:20:00+0900',
    modified: '2025-05-08',
    tags: ['pitfalls', 'seo', 'layouts'],
    image: null,
    metadata: 'site-defaults',
    jsonLd: false,
    body: siteDefaultsBody,
    bodyTextContains: ['This page exports no', 'Many real sites ship like this for years.'],
  },
  {
    slug: 'element-body',
    category: 'tutorials',
    title: 'Bodies Made of Elements',
    description: 'A post whose body is JSX, with a link and a client component in the middle.',
    authors: [{ name: 'Sam Ortega', url: 'https://journal.example.org/authors/sam/' }],
    published: '2025-06-01T07:45:00-04:00',
    modified: null,
    tags: ['jsx', 'client-components', 'links'],
    image: null,
    metadata: 'title-description',
    jsonLd: false,
    body: null,
    bodyComponent: 'element-body',
    // Phrases rendered by components/ElementBody.js.
    bodyTextContains: [
      'Not every body is an HTML string.',
      'the counter below is a client component',
      'Links stay links',
    ],
  },
];

export function postPath(post) {
  return `/${post.category}/${post.slug}/`;
}

export function getPost(category, slug) {
  return posts.find((p) => p.category === category && p.slug === slug) || null;
}

export function getCategory(slug) {
  return categories.find((c) => c.slug === slug) || null;
}

export function postsInCategory(slug) {
  return posts.filter((p) => p.category === slug);
}

// Previous / next in the order of `posts`.
export function neighbours(post) {
  const i = posts.indexOf(post);
  return { prev: i > 0 ? posts[i - 1] : null, next: i < posts.length - 1 ? posts[i + 1] : null };
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
  'September', 'October', 'November', 'December'];

// "2025-05-06 18:20:00+0900" -> "May 6, 2025" (from the written date; no time zone maths).
export function displayDate(value) {
  const [y, m, d] = value.slice(0, 10).split('-').map(Number);
  return `${MONTHS[m - 1]} ${d}, ${y}`;
}
