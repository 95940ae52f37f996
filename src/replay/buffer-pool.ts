/**
 * Big buffers kept for reuse. A block of the soak bench is tens of megabytes of JSON; written
 * into fresh memory each time, the page faults of touching it cost the server several times
 * the copy itself (measured: ~31 µs per transaction against ~4 µs into a reused buffer). A
 * frame's buffer comes back once the socket has taken its bytes (see live.ts, server.ts).
 */

/** Below this a buffer comes from Node's allocator as usual: small ones are cheap. */
const MIN_POOLED = 1 << 20;

export interface BufferPool {
  /** A buffer of at least `size` bytes (its contents are whatever was there). */
  take(size: number): Buffer;
  /** Give back a buffer take() returned (or a view of one), once nothing reads it; others are ignored. */
  give(buf: Buffer): void;
}

export function createBufferPool(maxFreeBytes = 128 * 2 ** 20): BufferPool {
  const free: Buffer[] = [];
  let freeBytes = 0;
  // Only memory the pool allocated and handed out comes back, once: never Node's shared slab.
  const out = new WeakSet<ArrayBufferLike>();
  return {
    take(size) {
      if (size < MIN_POOLED) return Buffer.allocUnsafe(size);
      let best = -1;
      for (let i = 0; i < free.length; i++) if (free[i].length >= size && (best < 0 || free[i].length < free[best].length)) best = i;
      let buf: Buffer;
      if (best >= 0) {
        buf = free.splice(best, 1)[0];
        freeBytes -= buf.length;
      } else {
        // Rounded up so blocks of slightly different sizes fit each other's buffers.
        buf = Buffer.allocUnsafeSlow(Math.ceil((size * 1.05) / MIN_POOLED) * MIN_POOLED);
      }
      out.add(buf.buffer);
      return buf;
    },
    give(view) {
      const ab = view.buffer;
      if (!out.has(ab)) return;
      out.delete(ab);
      const buf = Buffer.from(ab);
      // Over the cap, the smallest free buffers go first: big blocks need the big ones.
      free.push(buf);
      freeBytes += buf.length;
      free.sort((a, b) => b.length - a.length);
      while (freeBytes > maxFreeBytes && free.length > 0) freeBytes -= free.pop()!.length;
    },
  };
}
