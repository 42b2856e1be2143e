import { notFound } from 'next/navigation';
import PostArticle from '../../../components/PostArticle';
import { getCategory, getPost, postPath, posts } from '../../../lib/posts';

export const dynamicParams = false;

// `site-defaults` posts have their own static route without generateMetadata.
export function generateStaticParams() {
  return posts
    .filter((p) => p.metadata !== 'site-defaults')
    .map((p) => ({ category: p.category, slug: p.slug }));
}

export async function generateMetadata({ params }) {
  const { category, slug } = await params;
  const post = getPost(category, slug);
  if (!post) return {};
  if (post.metadata === 'title-description') {
    return { title: post.title, description: post.description };
  }
  const path = postPath(post);
  const images = post.image ? [{ url: post.image, width: 1200, height: 630, alt: post.title }] : undefined;
  const openGraph = {
    type: 'article',
    title: post.title,
    description: post.description,
    url: path,
    publishedTime: post.published,
    ...(post.modified ? { modifiedTime: post.modified } : {}),
    tags: post.tags,
    ...(images ? { images } : {}),
  };
  const metadata = {
    title: post.title,
    description: post.description,
    alternates: { canonical: path },
    openGraph,
  };
  if (post.richMetadata) {
    const section = getCategory(post.category).name;
    Object.assign(metadata, {
      authors: post.authors.map((a) => (a.url ? { name: a.name, url: a.url } : { name: a.name })),
      keywords: post.tags,
      category: section,
      robots: { index: true, follow: true },
      twitter: {
        card: images ? 'summary_large_image' : 'summary',
        title: post.title,
        description: post.description,
        ...(images ? { images: [post.image] } : {}),
      },
    });
    Object.assign(openGraph, { authors: post.authors.map((a) => a.name), section });
  }
  return metadata;
}

export default async function PostPage({ params }) {
  const { category, slug } = await params;
  const post = getPost(category, slug);
  if (!post) notFound();
  return <PostArticle post={post} />;
}
