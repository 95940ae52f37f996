/**
 * The keys delivered lately, so no (signature, ixPath) reaches the screen or an --ndjson reader
 * twice even when a reader has to step back (a prune lowered the keys) or a writer stores a
 * pruned trade again. Bounded: the oldest keys are forgotten first.
 */
export interface Seen {
  /** True the first time a key is offered (and remembers it), false after. */
  add(key: string): boolean;
  readonly size: number;
}

export function createSeen(cap = 200_000): Seen {
  const keys = new Set<string>();
  return {
    add(key) {
      if (keys.has(key)) return false;
      keys.add(key);
      // A Set iterates in insertion order: the first is the oldest.
      if (keys.size > cap) keys.delete(keys.values().next().value as string);
      return true;
    },
    get size() {
      return keys.size;
    },
  };
}
