/**
 * Fetches started ahead of their consumer and handed over in the order they were started: at
 * most `ahead` units of work (by weight: a block, a batch of n signatures) in flight, the next
 * started as the oldest is handed over. Memory stays bounded however long the source is.
 */
export interface Ahead<T> {
  /** Settles to what this piece of work hands over, in order. */
  result: Promise<T[]>;
  weight: number;
}

export async function* inOrderAhead<T>(work: AsyncIterator<Ahead<T>>, ahead: number): AsyncGenerator<T> {
  const window: Array<Ahead<T>> = [];
  let inFlight = 0;
  let exhausted = false;
  const fill = async () => {
    while (!exhausted && inFlight < ahead) {
      const next = await work.next();
      if (next.done) exhausted = true;
      else {
        window.push(next.value);
        inFlight += next.value.weight;
      }
    }
  };
  await fill();
  while (window.length > 0) {
    const head = window.shift()!;
    const out = await head.result;
    inFlight -= head.weight;
    await fill();
    yield* out;
  }
}
