'use client';

import { useState } from 'react';

// Client component inside every article: its props travel in the Flight payload.
export default function ShareButton({ permalink, postId }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="share"
      data-post-id={postId}
      onClick={() => {
        const url = new URL(permalink, window.location.href).toString();
        if (navigator.clipboard) navigator.clipboard.writeText(url);
        setCopied(true);
      }}
    >
      {copied ? 'Link copied' : 'Share this post'}
    </button>
  );
}
