/** `query signals`: recent flow signals and the numbers that fired them. */
import type { StoredSignal } from '../../core/store/reports.js';
import { EXIT, UsageError } from '../errors.js';
import { withReader } from '../with-db.js';
import { isoTime, shortKey } from '../format.js';
import { parseFormat } from '../options.js';
import type { Column } from '../output.js';
import { limitOf, optionalAddress, printRows, span, tokenCell, type DataOpts, type TimeOpts } from './common.js';
import { SIGNAL_TYPES } from './names.js';

const inputsText = (s: StoredSignal) =>
  Object.entries(s.inputs)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');

export const SIGNAL_COLUMNS: Column<StoredSignal>[] = [
  { key: 'time', value: (s) => isoTime(s.blockTime) },
  { key: 'mint', value: (s) => s.mint, cell: (s) => tokenCell(s.mint, s.symbol) },
  { key: 'type', value: (s) => s.type },
  { key: 'strength', value: (s) => s.strength, cell: (s) => s.strength.toFixed(2), numeric: true },
  { key: 'window', value: (s) => s.window },
  { key: 'inputs', value: (s) => JSON.stringify(s.inputs), cell: inputsText },
  { key: 'signature', value: (s) => s.signature, cell: (s) => shortKey(s.signature, 6) },
];

export function signalJson(s: StoredSignal): Record<string, unknown> {
  return { id: s.id, time: isoTime(s.blockTime), blockTime: s.blockTime, slot: s.slot, mint: s.mint, symbol: s.symbol, type: s.type, strength: s.strength, window: s.window, signature: s.signature, inputs: s.inputs };
}

export async function runSignals(opts: DataOpts & TimeOpts & { mint?: string; type?: string; minStrength?: string }): Promise<number> {
  const format = parseFormat(opts);
  const type = opts.type?.trim().toUpperCase();
  if (type !== undefined && !(type in SIGNAL_TYPES)) throw new UsageError(`bad --type '${opts.type}': expected ${Object.keys(SIGNAL_TYPES).join(', ')}`);
  let minStrength: number | undefined;
  if (opts.minStrength !== undefined) {
    minStrength = Number(opts.minStrength);
    if (!/^\s*\d*\.?\d+\s*$/.test(opts.minStrength) || minStrength > 1) throw new UsageError(`bad --min-strength '${opts.minStrength}': expected a number from 0 to 1`);
  }
  const q = { mint: optionalAddress('--mint', opts.mint), type, minStrength, ...span(opts), limit: limitOf(opts), includeBlocked: opts.includeBlocked };
  return withReader(opts.db, async (store) => {
    printRows(await store.reports.findSignals(q), SIGNAL_COLUMNS, format, signalJson);
    return EXIT.ok;
  });
}

