/**
 * `solflow demo`: the whole path on the bundled real mainnet transactions, offline — fill a
 * database through the same pipeline as `backfill --from`, then ask it what users ask: the top
 * flows and one wallet's analysis, and say what to type next. The story (headings, tables, what
 * to type next) is on stdout, so `solflow demo > demo.txt` keeps all of it; progress and notes
 * stay on stderr. On a terminal it offers a last step: the same transactions replayed as a live
 * chain and shown by watch (demo-watch.ts, also `solflow demo --watch`).
 */
import { mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { defaultDemoDbPath } from '../demo-path.js';
import { runAnalyzeCommand } from './analyze.js';
import { bundledFixturesDir } from './demo-fixtures.js';
import { runBackfillCommand } from '../shared/backfill-run.js';
import { defaultIo } from '../io.js';
import { EXIT } from '../errors.js';
import { runTopFlows } from '../query/top-flows.js';
import { withReader } from '../with-db.js';
import { redactUrl } from '../../util/redact.js';

export interface DemoOptions {
  db?: string;
  /** Only the live replay (demo-watch.ts): the bundle as a chain, shown by watch. */
  watch?: boolean;
}

export async function runDemo(opts: DemoOptions): Promise<number> {
  if (opts.watch) return (await import('./demo-watch.js')).runDemoWatch();
  const io = defaultIo();
  const path = opts.db ?? defaultDemoDbPath();
  if (!opts.db) {
    mkdirSync(dirname(path), { recursive: true });
    for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  }
  const fixtures = bundledFixturesDir();
  io.out(`1. Filling ${redactUrl(path)} from the bundled mainnet transactions (decode → flags → metrics → writer, as solflow backfill --from does)`);
  const filled = await runBackfillCommand(undefined, { from: fixtures, db: path }, io);
  if (filled !== EXIT.ok) return filled;

  const { wallet, first } = await withReader(path, async (store) => ({ wallet: await store.reports.mostActiveWallet(), first: (await store.reports.storeClock()).oldestTradeTime }));
  if (wallet === null || first === null) {
    io.err('no trades were stored; nothing to show');
    return EXIT.failure;
  }

  // The bundled transactions span years, so rank over all of them rather than a rolling window.
  io.out('\n2. Top flows: tokens ranked by net SOL flow over every stored trade (solflow query top-flows)');
  const flows = await runTopFlows({ db: path, since: String(first), window: '5m', order: 'net', limit: '10', format: 'table' });
  if (flows !== EXIT.ok) return flows;

  io.out(`\n3. One wallet: ${wallet}, the most active in this data (solflow analyze)`);
  const analyzed = await runAnalyzeCommand(wallet, { db: path, limit: '10' }, io);
  if (analyzed !== EXIT.ok) return analyzed;

  const db_ = ` --db ${redactUrl(path)}`; // a postgres:// URL's password is never printed
  io.out(
    [
      '',
      'Next:',
      `  solflow query top-flows${db_} --window 4h          rolling windows as of the newest trade`,
      `  solflow analyze ${wallet}${db_} --cost-basis fifo`,
      `  solflow query trades${db_} --wallet ${wallet}`,
      `  solflow query stats${db_}`,
      '  solflow backfill -u mainnet-beta --last 10m          real data (needs an RPC endpoint)',
      '  solflow --help                                       every command, with an example',
    ].join('\n'),
  );
  // On a terminal, the last step is the live view: the same transactions replayed as a chain.
  if (process.stdout.isTTY && process.stdin.isTTY && (await wantsReplay())) return (await import('./demo-watch.js')).runDemoWatch();
  return EXIT.ok;
}

/** Asks on the terminal; Enter says yes, anything else (or Ctrl-D / Ctrl-C) no. */
async function wantsReplay(): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const closed = new Promise<null>((resolve) => rl.once('close', () => resolve(null)));
  try {
    const answer = await Promise.race([
      rl.question('\n4. Live: press Enter to watch these transactions replayed as a live chain (solflow demo --watch; q leaves it), or n to finish: '),
      closed,
    ]);
    return answer !== null && answer.trim() === '';
  } finally {
    rl.close();
  }
}
