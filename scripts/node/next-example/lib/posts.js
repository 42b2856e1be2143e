// Two posts. `long-read` has an HTML body well over 2 KB (Korean text and emoji), so
// React outlines it as a length-prefixed text row ("<id>:T<hex byte length>,<text>").

function longReadBody() {
  const sections = [
    {
      h: 'Why rows?',
      p: 'A Flight payload is a sequence of rows. Each row starts with a hexadecimal id and a colon; most rows end at a newline, but large strings are sent with an explicit byte length instead. 🚀',
    },
    {
      h: '한국어 섹션',
      p: '리액트 서버 컴포넌트는 서버에서 렌더링된 트리를 "플라이트"라는 형식으로 브라우저에 보냅니다. 긴 문자열은 UTF-8 바이트 길이가 붙은 텍스트 행으로 분리됩니다. 이 문단은 한글이 들어 있어서 글자 수와 바이트 수가 다릅니다. 🇰🇷',
    },
    {
      h: 'Emoji check',
      p: 'Astral characters take four bytes in UTF-8 and two UTF-16 code units: 😀 🎉 👩‍💻 🧑🏽‍🚀 👨‍👩‍👧‍👦 — a length counted in characters would be wrong here.',
    },
    {
      h: 'Dollar signs & quotes',
      p: 'Text rows are not JSON, so "$1", "$$", backslashes \\ and quotes " appear raw. Only strings inside JSON rows get a doubled leading dollar.',
    },
    {
      h: '마무리',
      p: '읽어 주셔서 감사합니다! 다음 글에서는 스트리밍과 Suspense 경계를 다룹니다. ✨ 좋은 하루 보내세요 ☕',
    },
  ];
  const parts = ['<p class="lede">A longer post whose body is big enough to become a text row. 긴 글입니다 📚</p>'];
  for (const s of sections) {
    parts.push(`<h2>${s.h}</h2>`);
    for (let i = 1; i <= 3; i++) parts.push(`<p data-n="${i}">${s.p}</p>`);
  }
  parts.push('<ul>' + ['하나', 'two 2️⃣', '셋 🌟'].map((x) => `<li>${x}</li>`).join('') + '</ul>');
  parts.push('<pre><code>0:["$","div",null,{"children":"$L1"}]\n1:T1a,not json at all</code></pre>');
  return parts.join('\n');
}

const POSTS = [
  {
    slug: 'hello',
    title: 'Hello, Flight',
    description: 'A short first post.',
    publishedAt: '2024-03-01T09:30:00.000Z',
    author: 'Ada Example',
    tags: ['intro', 'rsc'],
    html: '<p>Hello! This is a <strong>short</strong> post. Its body stays inline in the JSON row.</p>\n<p>It costs $5 &amp; uses "quotes".</p>',
  },
  {
    slug: 'long-read',
    title: '긴 글: Flight rows in depth 📚',
    description: 'A long post with Korean text and emoji, rendered as a text row.',
    publishedAt: '2024-04-15T12:00:00.000Z',
    author: '김예시',
    tags: ['deep-dive', '한국어', 'emoji'],
    html: longReadBody(),
  },
];

export function getAllPosts() {
  return POSTS;
}

export function getPost(slug) {
  return POSTS.find((p) => p.slug === slug) || null;
}
