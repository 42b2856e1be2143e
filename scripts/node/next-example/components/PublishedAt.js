'use client';

// Receives a Date from a server component: Flight encodes it as "$D<ISO string>".
export default function PublishedAt({ date, label }) {
  const iso = date instanceof Date ? date.toISOString() : String(date);
  return (
    <p className="published">
      {label}: <span data-iso={iso}>{iso.slice(0, 10)}</span>
    </p>
  );
}
