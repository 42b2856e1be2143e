import PostArticle from '../../../components/PostArticle';
import { getPost } from '../../../lib/posts';

// Deliberately no `metadata` and no `generateMetadata`: the <head> of this page only has the
// root layout's site-wide values (title "Flight Journal", canonical "/", og:type "website").
export default function SiteDefaultsPost() {
  const post = getPost('notes', 'site-defaults');
  if (!post || post.metadata !== 'site-defaults') {
    throw new Error('lib/posts.js must keep notes/site-defaults as a site-defaults post');
  }
  return <PostArticle post={post} />;
}
