/**
 * What a backfill shows while it runs and when it ends: the live progress line (TTY) or
 * periodic log lines, Ctrl-C handling, the dry-run plan and the summary.
 */
import type { BackfillCounts, Gap } from '../../sources/backfill.js';
import type { RpcClient } from '../../sources/rpc/client.js';
import { redactText } from '../../util/redact.js';
import { EXIT } from '../errors.js';
import type { Io } from '../io.js';
import type { BackfillOptions, Plan } from './backfill-plan.js';

/** Exit code for a run stopped by Ctrl-C / SIGTERM (128 + SIGINT, the shell convention). */
export const EXIT_INTERRUPTED = 130;

export function printDryRun(plan: Plan, r: { start: number; end: number }, endpoint: string, io: Io, opts: BackfillOptions): number {
  const slots = r.end - r.start + 1;
  const info = {
    range: plan.rangeText,
    slots: `${r.start}..${r.end}`,
    slotCount: slots,
    scope: plan.address ? `address ${plan.address}` : 'all transactions',
    programs: plan.programs ? [...plan.programs] : 'all supported',
    endpoint,
    calls: plan.address
      ? 'getSignaturesForAddress pages (1000 each) + one getTransaction per successful signature'
      : `~${Math.ceil(slots / 1000)} getBlocks + up to ${slots} getBlock`,
  };
  if (opts.json) io.out(JSON.stringify(info));
  else {
    io.out(`would backfill ${info.slots} (${slots} slots) from ${endpoint}`);
    io.out(`  scope: ${info.scope}; programs: ${Array.isArray(info.programs) ? info.programs.join(',') : info.programs}`);
    io.out(`  calls: ${info.calls}`);
  }
  return EXIT.ok;
}

/** First Ctrl-C: finish the current block, store everything, exit 130. Second: exit at once. */
export function interruptFlag(io: Io) {
  let requested = false;
  const off = io.onInterrupt(() => {
    if (requested) process.exit(EXIT_INTERRUPTED);
    requested = true;
    io.err('interrupted: saving progress (press Ctrl-C again to quit at once)');
  });
  return { requested: () => requested, dispose: off };
}

export class Progress {
  readonly startedAt: number;
  counts: BackfillCounts = { planned: 0, done: 0, blocks: 0, skippedSlots: 0, transactions: 0, trades: 0, failedTxs: 0 };
  private lastDraw = 0;
  private lastLog: number;
  private readonly logEveryMs: number;

  constructor(
    private readonly io: Io,
    private readonly opts: BackfillOptions,
    private readonly client: RpcClient,
    private readonly unit: 'slots' | 'signatures',
  ) {
    this.startedAt = io.now();
    this.lastLog = this.startedAt;
    this.logEveryMs = Number(io.env.SOLFLOW_PROGRESS_MS ?? 10_000);
  }

  listing(n: number, slot: number): void {
    if (this.opts.quiet || this.opts.json) return;
    const line = `listing signatures: ${n} in range so far, down to slot ${slot}`;
    if (this.io.isTTY) this.io.status(line);
  }

  update(c: BackfillCounts): void {
    this.counts = { ...c };
    if (this.opts.quiet || this.opts.json) return;
    const now = this.io.now();
    if (this.io.isTTY) {
      if (now - this.lastDraw < 200) return;
      this.lastDraw = now;
      this.io.status(this.line(now));
    } else if (now - this.lastLog >= this.logEveryMs) {
      this.lastLog = now;
      this.io.err(this.line(now));
    }
  }

  done(): void {
    if (this.io.isTTY) this.io.status(null);
  }

  private line(now: number): string {
    const c = this.counts;
    const secs = Math.max(0.001, (now - this.startedAt) / 1000);
    const pct = c.planned ? (c.done / c.planned) * 100 : 100;
    const perSec = c.done / secs;
    const eta = perSec > 0 ? (c.planned - c.done) / perSec : NaN;
    const s = this.client.stats;
    return [
      `${this.unit} ${c.done}/${c.planned} (${pct.toFixed(1)}%)`,
      `trades ${c.trades}`,
      `${(c.transactions / secs).toFixed(0)} tx/s`,
      `rate ${this.client.rate.rate.toFixed(0)}/s`,
      `429s ${s.throttled}`,
      `ETA ${formatDuration(eta)}`,
    ].join(' · ');
  }
}

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export function printSummary(report: Record<string, unknown>, gaps: readonly Gap[], opts: BackfillOptions, io: Io): void {
  if (opts.json) {
    io.out(JSON.stringify({ ...report, gapList: gaps }));
    return;
  }
  const r = report as Record<string, number | string>;
  io.err(
    `job ${r.job} ${r.status}: slots ${r.range}, ${r.blocks} blocks (${r.skippedSlots} skipped slots), ${r.transactions} transactions, ` +
      `${r.trades} trades (${r.tradesWritten} new), ${r.calls} calls, ${r.throttled} throttled, ${r.seconds}s`,
  );
  if (Number(r.decodeFailures) > 0) io.err(`  ${r.decodeFailures} undecodable transaction(s) skipped (their blocks are stored); see the job_failures table`);
  if (gaps.length > 0) {
    io.err(`  ${gaps.length} gap(s) left; re-run the same command to retry them:`);
    for (const g of gaps.slice(0, 10)) io.err(`    ${'signature' in g ? `${g.signature} (slot ${g.slot})` : g.from === g.to ? `slot ${g.from}` : `slots ${g.from}..${g.to}`}: ${redactText(g.error)}`);
    if (gaps.length > 10) io.err(`    … and ${gaps.length - 10} more (solflow backfill --jobs --json)`);
  }
}
