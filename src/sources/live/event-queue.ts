/**
 * The hand-over between a source's callbacks and its one consumer's `for await`: events in
 * order, the iterator ending on end() and throwing on fail(). It is bounded the only way a push
 * source can be: past `highWater` it asks the producer to pause (the socket stops reading), and
 * at or below `lowWater` to resume. Both count the queued events' weights (`weigh`, default 1
 * each): events differ by an order of magnitude in the memory they hold.
 *
 * A consumer working through a backlog (the events queued while a gap was filled) gets them
 * without a pause, each `next()` a microtask: nothing else on the thread would run meanwhile,
 * not even the socket's reads, and a node closes a subscriber that stops reading for a few
 * seconds. So the iterator lets the event loop turn every YIELD_MS of delivering.
 */
import { performance } from 'node:perf_hooks';

/** Longest the iterator delivers queued events without letting I/O and timers run. */
const YIELD_MS = 20;
/** Events delivered between clock reads. */
const CHECK_EVERY = 64;
export interface EventQueue<T> {
  push(item: T): void;
  end(): void;
  fail(error: Error): void;
  readonly size: number;
  iterate(): AsyncIterable<T>;
}

export interface QueueOptions<T> {
  highWater: number;
  lowWater: number;
  onPressure: (paused: boolean) => void;
  weigh?: (item: T) => number;
}

export function createEventQueue<T>(opts: QueueOptions<T>): EventQueue<T> {
  const weigh = opts.weigh ?? (() => 1);
  const items: T[] = [];
  let head = 0;
  /** The queued items' weights, summed. */
  let weight = 0;
  let ended = false;
  let error: Error | null = null;
  let paused = false;
  let wake: (() => void) | null = null;
  let iterating = false;

  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };

  return {
    push(item) {
      if (ended) return;
      items.push(item);
      weight += weigh(item);
      if (!paused && weight > opts.highWater) {
        paused = true;
        opts.onPressure(true);
      }
      notify();
    },
    end() {
      ended = true;
      notify();
    },
    fail(e) {
      error = e;
      ended = true;
      notify();
    },
    get size() {
      return items.length - head;
    },
    iterate() {
      if (iterating) throw new Error('a live source has one consumer: events() was already called');
      iterating = true;
      return {
        [Symbol.asyncIterator]: async function* () {
          let turnAt = performance.now();
          let sinceCheck = 0;
          for (;;) {
            if (head < items.length) {
              if (++sinceCheck === CHECK_EVERY) {
                sinceCheck = 0;
                if (performance.now() - turnAt > YIELD_MS) {
                  await new Promise<void>((resolve) => setImmediate(resolve));
                  turnAt = performance.now();
                  continue;
                }
              }
              const item = items[head];
              items[head++] = undefined as T;
              weight -= weigh(item);
              // Compact now and then rather than shift() per item.
              if (head > 1024 && head * 2 > items.length) {
                items.splice(0, head);
                head = 0;
              }
              if (paused && weight <= opts.lowWater) {
                paused = false;
                opts.onPressure(false);
              }
              yield item;
              continue;
            }
            if (error) throw error;
            if (ended) return;
            await new Promise<void>((resolve) => (wake = resolve));
            turnAt = performance.now();
          }
        },
      };
    },
  };
}
