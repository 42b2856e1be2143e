import Link from 'next/link';

export default function NotFound() {
  return (
    <section className="not-found">
      <h1>Page not found</h1>
      <p>
        There is no post at this address. Go back to the <Link href="/">front page</Link>.
      </p>
    </section>
  );
}
