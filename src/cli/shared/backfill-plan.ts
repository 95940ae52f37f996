/** Backfill options checked into a plan before any I/O (shared by backfill and analyze --fetch). */
import type { EngineOptionsInput } from '../../core/flow/options.js';
import type { Commitment } from '../../sources/types.js';
import { UsageError } from '../errors.js';
import { parseVenues } from './venues.js';
import { parseAddress, parsePositiveInt, parseRps } from '../options.js';
import { parseLast, parseRange, type RangeSpec } from '../range.js';

export interface BackfillOptions {
  last?: string;
  program?: string;
  address?: string;
  rpc?: string;
  from?: string;
  concurrency?: string;
  rps?: string;
  timeout?: string;
  retries?: string;
  commitment?: string;
  dryRun?: boolean;
  jobs?: boolean;
  db?: string;
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  flowConfig?: string;
}

/** Checked options: everything a run needs, decided before any I/O. */
export interface Plan {
  spec: RangeSpec | null;
  rangeText: string;
  programs: Set<string> | null;
  address: string | null;
  concurrency: number;
  rps: number | undefined;
  timeoutMs: number;
  retries: number;
  commitment: Commitment;
  /** Flow-engine thresholds from --flow-config (defaults when undefined). */
  flow: EngineOptionsInput | undefined;
}

export function checkOptions(rangeArg: string | undefined, opts: BackfillOptions, nowMs: number): Omit<Plan, 'flow'> {
  if (rangeArg && opts.last) throw new UsageError('give a range or --last, not both');
  if (opts.from && opts.rpc) throw new UsageError('--from reads recorded files; it cannot be combined with --rpc');
  if (opts.from && opts.address) throw new UsageError('--address needs RPC; it cannot be combined with --from');
  let spec: RangeSpec | null = null;
  if (rangeArg) spec = parseRange(rangeArg, nowMs);
  else if (opts.last) spec = parseLast(opts.last, nowMs);
  else if (!opts.from) throw new UsageError('missing range: e.g. solflow backfill 312000000..312000500, -2h..now or --last 30m');
  const rangeText = rangeArg ? rangeArg.trim() : opts.last ? `--last ${opts.last.trim()}` : 'all';

  const programs = parseVenues(opts.program).names;
  const address = opts.address === undefined ? null : parseAddress('--address', opts.address);
  const concurrency = parsePositiveInt('--concurrency', opts.concurrency ?? '16', 256);
  const rps = parseRps(opts.rps);
  const timeout = Number(opts.timeout ?? 30);
  if (!Number.isFinite(timeout) || timeout <= 0) throw new UsageError('--timeout must be a positive number of seconds');
  const retries = Number(opts.retries ?? 5);
  if (!Number.isInteger(retries) || retries < 0 || retries > 100) throw new UsageError('--retries must be a whole number from 0 to 100');
  const commitment = (opts.commitment ?? 'finalized') as Commitment;
  if (commitment !== 'confirmed' && commitment !== 'finalized') throw new UsageError('--commitment must be confirmed or finalized (getBlock serves nothing less)');
  return { spec, rangeText, programs, address, concurrency, rps, timeoutMs: timeout * 1000, retries, commitment };
}
