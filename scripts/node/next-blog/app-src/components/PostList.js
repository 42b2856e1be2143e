import Link from 'next/link';
import { displayDate, postPath } from '../lib/posts';

export default function PostList({ posts }) {
  return (
    <ul className="post-list">
      {posts.map((post) => (
        <li key={post.slug}>
          <Link href={postPath(post)}>{post.title}</Link>{' '}
          <time dateTime={post.published}>{displayDate(post.published)}</time>
          {post.description ? <p>{post.description}</p> : null}
        </li>
      ))}
    </ul>
  );
}
