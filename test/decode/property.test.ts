/**
 * The decoder is total: for any mutation of a real transaction (a field deleted, nulled or given
 * the wrong type, a number made negative or huge, an array cut short or grown, a base58 string
 * corrupted) decodeTransaction returns well-formed trades or [], or throws
 * MalformedTransactionError with a one-line reason — never another error, never a hang.
 *
 * The cases run in a worker thread that names each case before decoding it. The test's bound is
 * on progress, not speed: a case still running after CASE_BOUND_MS is a loop that never ends
 * (a case takes about a millisecond), and the test fails naming it.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { corruptK, type Targeted } from './mutate.js';

const SEED = 17;
const RUNS = 3000;
const CASE_BOUND_MS = 15_000;

const TWO_HOP = '2pfnv4drhn'; // stackHeight on every inner instruction
const NO_HEIGHTS = '5cm2kyqtj7'; // 2024: call depths only in the logs
/** Inputs that hung or crashed the decoder when issue 17 was filed; they run before the random ones. */
const REPORTED: Targeted[] = [
  // A negative stackHeight on one inner instruction: the call-tree loop never ended.
  { fixture: TWO_HOP, path: 'meta.innerInstructions.1.instructions.2.stackHeight', kind: 'negative', k: 0 },
  // A depth of 0 in the logs ("invoke [0]") did the same where heights come from the logs.
  { fixture: NO_HEIGHTS, path: 'meta.logMessages.2', kind: 'corrupt', k: corruptK(62, 60, '0') },
  // "balances is not iterable"
  { fixture: TWO_HOP, path: 'meta.preTokenBalances', kind: 'wrongType', k: 1 },
  // "line.startsWith is not a function"
  { fixture: NO_HEIGHTS, path: 'meta.logMessages.0', kind: 'wrongType', k: 1 },
  // "Cannot convert undefined to a BigInt"
  { fixture: TWO_HOP, path: 'meta.postTokenBalances.0.uiTokenAmount.amount', kind: 'delete', k: 0 },
  // invalid base58 in instruction data
  { fixture: TWO_HOP, path: 'transaction.message.instructions.4.data', kind: 'corrupt', k: 4 },
  // valid base58 that changes a Pump.fun event's fee fields: their sum overflowed a u64
  { fixture: '5LzhiGZB462s', path: 'meta.innerInstructions.2.instructions.0.data', kind: 'corrupt', k: corruptK(212, 102, 'z') },
];

interface Done {
  type: 'done';
  cases: number;
  fixtures: number;
  failed: boolean;
  counterexample: string | null;
  error: string | null;
  seed: number;
}

function runProperty(seed: number, numRuns: number, targeted: Targeted[]): Promise<Done> {
  return new Promise((resolve, reject) => {
    // A worker does not inherit vitest's TypeScript loader: load the script through tsx's API.
    const tsx = new URL('./index.mjs', pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api'))).href;
    const script = new URL('./property-worker.ts', import.meta.url).href;
    const code = `import(${JSON.stringify(tsx)}).then((api) => api.tsImport(${JSON.stringify(script)}, ${JSON.stringify(import.meta.url)}))`;
    const worker = new Worker(code, { eval: true, workerData: { seed, numRuns, targeted } });
    let current = '(loading fixtures)';
    let watchdog = setTimeout(onHang, CASE_BOUND_MS * 2);
    function onHang() {
      void worker.terminate();
      reject(new Error(`decodeTransaction did not return: ${current}`));
    }
    worker.on('message', (m: { type: string; plan?: string } & Partial<Done>) => {
      clearTimeout(watchdog);
      if (m.type === 'case') {
        current = m.plan!;
        watchdog = setTimeout(onHang, CASE_BOUND_MS);
      } else if (m.type === 'done') {
        void worker.terminate();
        resolve(m as Done);
      }
    });
    worker.on('error', (e) => {
      clearTimeout(watchdog);
      reject(e);
    });
  });
}

describe('decodeTransaction over mutated real transactions', () => {
  it(`is total (${RUNS} seeded cases)`, async () => {
    const r = await runProperty(SEED, RUNS, REPORTED);
    expect(r.fixtures).toBeGreaterThan(150);
    expect(r.failed ? `${r.error}\n  case: ${r.counterexample}` : null).toBeNull();
    expect(r.cases).toBeGreaterThanOrEqual(RUNS);
  }, 120_000);
});
