import Link from 'next/link';
import { getAllPosts } from '../lib/posts';

export const metadata = {
  metadataBase: new URL('https://example.org'),
  title: {
    template: '%s | Flight Notes',
    default: 'Flight Notes',
  },
  description: 'A tiny blog used to produce React Server Components payload fixtures.',
};

export default function RootLayout({ children }) {
  const posts = getAllPosts();
  return (
    <html lang="en">
      <body>
        <div className="shell">
          <nav className="sidebar" aria-label="Posts">
            <p className="brand">
              <Link href="/posts/hello">Flight Notes</Link>
            </p>
            <ul>
              {posts.map((p) => (
                <li key={p.slug}>
                  <Link href={`/posts/${p.slug}`}>{p.title}</Link>
                </li>
              ))}
            </ul>
          </nav>
          <main className="content">{children}</main>
        </div>
      </body>
    </html>
  );
}
