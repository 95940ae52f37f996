/** Exit codes, documented in the README. */
export const EXIT = {
  ok: 0,
  /** Runtime failure (I/O, RPC, database). */
  failure: 1,
  /** The user typed something that cannot work (bad flag, bad range, bad address). */
  usage: 2,
  /** Finished, but with gaps or per-item failures that are listed and can be retried. */
  partial: 3,
  /** Another process holds the lock (prune beside prune); try again later. */
  tempFail: 75,
} as const;

/** An error the user caused: printed as one line, no stack, exit code 2 unless given. */
export class UsageError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number = EXIT.usage) {
    super(message);
    this.name = 'UsageError';
    this.exitCode = exitCode;
  }
}
