'use client';

import { useState } from 'react';

export default function Counter({ start }) {
  const [count, setCount] = useState(start);
  return (
    <button type="button" className="counter" onClick={() => setCount(count + 1)}>
      {`Clicked ${count} times`}
    </button>
  );
}
