import Link from 'next/link';
import ElementBody from './ElementBody';
import ShareButton from './ShareButton';
import { displayDate, getCategory, neighbours, postPath, site } from '../lib/posts';

const BODY_COMPONENTS = { 'element-body': ElementBody };

function jsonLdFor(post) {
  const url = new URL(postPath(post), site.origin).toString();
  const data = {
    '@context': 'https://schema.org',
    '@type': 'BlogPosting',
    headline: post.title,
    description: post.description,
    datePublished: post.published,
    dateModified: post.modified || post.published,
    author: post.authors.map((a) => ({ '@type': 'Person', name: a.name, ...(a.url ? { url: a.url } : {}) })),
    keywords: post.tags,
    articleSection: getCategory(post.category).name,
    image: post.image ? new URL(post.image, site.origin).toString() : undefined,
    url,
    mainEntityOfPage: { '@type': 'WebPage', '@id': url },
    publisher: { '@type': 'Organization', name: site.name },
  };
  // Escape "<" so that a "</script>" inside a value cannot end the script element.
  return JSON.stringify(data).replace(/</g, '\\u003c');
}

function Byline({ authors }) {
  return (
    <p className="byline">
      {'By '}
      {authors.map((a, i) => (
        <span key={a.name}>
          {i > 0 ? ', ' : null}
          {a.url ? (
            <a href={a.url} rel="author">
              {a.name}
            </a>
          ) : (
            <span className="author">{a.name}</span>
          )}
        </span>
      ))}
    </p>
  );
}

// The article and its previous/next navigation; shared by app/[category]/[slug]/page.js and
// the metadata-less app/notes/site-defaults/page.js.
export default function PostArticle({ post }) {
  const category = getCategory(post.category);
  const { prev, next } = neighbours(post);
  const Body = post.body == null ? BODY_COMPONENTS[post.bodyComponent] : null;
  return (
    <>
      <article className="post" data-slug={post.slug}>
        {post.jsonLd ? (
          <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: jsonLdFor(post) }} />
        ) : null}
        <header>
          <p className="category">
            <Link href={`/${category.slug}/`}>{category.name}</Link>
          </p>
          <h1>{post.title}</h1>
          <Byline authors={post.authors} />
          <time dateTime={post.published}>{displayDate(post.published)}</time>{' '}
          {post.modified ? (
            <span className="updated">{`Updated: ${post.modified.slice(0, 10)}`}</span>
          ) : null}
        </header>
        {Body ? <Body /> : <div className="post-content" dangerouslySetInnerHTML={{ __html: post.body }} />}
        <ul className="tags">
          {post.tags.map((tag) => (
            <li key={tag}>
              <a href={`/tags/${tag}/`} rel="tag">
                #{tag}
              </a>
            </li>
          ))}
        </ul>
        <ShareButton permalink={postPath(post)} postId={post.slug} />
      </article>
      <nav className="post-nav">
        {prev ? (
          <Link href={postPath(prev)} rel="prev">
            ← Previous: {prev.title}
          </Link>
        ) : null}{' '}
        {next ? (
          <Link href={postPath(next)} rel="next">
            Next: {next.title} →
          </Link>
        ) : null}
      </nav>
    </>
  );
}
