import { notFound } from 'next/navigation';
import PostList from '../../components/PostList';
import { categories, getCategory, postsInCategory } from '../../lib/posts';

export const dynamicParams = false;

export function generateStaticParams() {
  return categories.map((c) => ({ category: c.slug }));
}

export async function generateMetadata({ params }) {
  const { category } = await params;
  const c = getCategory(category);
  if (!c) return {};
  return { title: c.name, alternates: { canonical: `/${c.slug}/` } };
}

export default async function CategoryPage({ params }) {
  const { category } = await params;
  const c = getCategory(category);
  if (!c) notFound();
  return (
    <section className="category">
      <h1>{c.name}</h1>
      <PostList posts={postsInCategory(c.slug)} />
    </section>
  );
}
