import PostList from '../components/PostList';
import { posts, site } from '../lib/posts';

export default function HomePage() {
  return (
    <section className="home">
      <h1>{site.name}</h1>
      <p>{site.description}</p>
      <h2>Recent posts</h2>
      <PostList posts={[...posts].reverse()} />
    </section>
  );
}
