import { notFound } from 'next/navigation';
import PublishedAt from '../../../components/PublishedAt';
import { getAllPosts, getPost } from '../../../lib/posts';

export const dynamicParams = false;

export function generateStaticParams() {
  return getAllPosts().map((p) => ({ slug: p.slug }));
}

export async function generateMetadata({ params }) {
  const { slug } = await params;
  const post = getPost(slug);
  if (!post) return {};
  return {
    title: post.title,
    description: post.description,
    metadataBase: new URL('https://example.org'),
    alternates: { canonical: `/posts/${post.slug}` },
    openGraph: {
      type: 'article',
      title: post.title,
      description: post.description,
      publishedTime: post.publishedAt,
      authors: [post.author],
      tags: post.tags,
    },
  };
}

export default async function PostPage({ params }) {
  const { slug } = await params;
  const post = getPost(slug);
  if (!post) notFound();
  const jsonLd = {
    '@context': 'https://schema.org',
    '@type': 'BlogPosting',
    headline: post.title,
    datePublished: post.publishedAt,
    author: { '@type': 'Person', name: post.author },
    keywords: post.tags,
  };
  return (
    <article className="post">
      <script
        type="application/ld+json"
        dangerouslySetInnerHTML={{ __html: JSON.stringify(jsonLd) }}
      />
      <h1>{post.title}</h1>
      <p className="byline">
        by {post.author} on <time dateTime={post.publishedAt}>{post.publishedAt.slice(0, 10)}</time>
      </p>
      <ul className="tags">
        {post.tags.map((t) => (
          <li key={t}>#{t}</li>
        ))}
      </ul>
      <PublishedAt date={new Date(post.publishedAt)} label="Published" />
      <div className="body" dangerouslySetInnerHTML={{ __html: post.html }} />
    </article>
  );
}
