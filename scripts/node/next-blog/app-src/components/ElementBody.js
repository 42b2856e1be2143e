import Link from 'next/link';
import Counter from './Counter';

// The body of `element-body`: JSX elements, not an HTML string.  The phrases listed in
// lib/posts.js (`bodyTextContains`) must appear here verbatim.
export default function ElementBody() {
  return (
    <div className="prose">
      <p>
        Not every body is an HTML string. Here the article is written as <em>elements</em>, so
        the Flight payload carries a tree of paragraphs, headings and lists instead of one big
        text row.
      </p>
      <h2>Links stay links</h2>
      <p>
        Inline navigation is a client component too: compare this post with{' '}
        <Link href="/notes/full-metadata/">the fully described post</Link>, whose body is a
        single string.
      </p>
      <p>Clicking does nothing useful, but the counter below is a client component with a prop:</p>
      <Counter start={3} />
      <ul>
        <li>paragraphs are host elements</li>
        <li>
          the link is a reference to <code>next/link</code>
        </li>
        <li>the counter is a reference to our own module</li>
      </ul>
      <p>
        An extractor should read the text around the client components and keep going after
        them.
      </p>
    </div>
  );
}
