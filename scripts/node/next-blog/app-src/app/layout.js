import Link from 'next/link';
import { categories, postsInCategory, site } from '../lib/posts';

export const metadata = {
  metadataBase: new URL(site.origin),
  title: {
    template: `%s · ${site.name}`,
    default: site.name,
  },
  description: site.description,
  keywords: site.keywords,
  authors: [{ name: site.staff }],
  openGraph: {
    type: 'website',
    siteName: site.name,
    url: '/',
  },
  alternates: { canonical: '/' },
};

export default function RootLayout({ children }) {
  return (
    <html lang={site.language}>
      <body>
        <header className="site-header">
          <Link href="/" className="site-title">
            {site.name}
          </Link>
        </header>
        <div className="shell">
          <nav className="sidebar" aria-label="Categories">
            <ul>
              {categories.map((c) => (
                <li key={c.slug}>
                  <Link href={`/${c.slug}/`}>{`${c.name} (${postsInCategory(c.slug).length})`}</Link>
                </li>
              ))}
            </ul>
          </nav>
          <main className="content">{children}</main>
        </div>
        <footer className="site-footer">{`© 2025 ${site.name}`}</footer>
      </body>
    </html>
  );
}
