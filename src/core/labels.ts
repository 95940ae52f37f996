/**
 * Labels are data, not code: the shipped `labels.json` plus whatever file the user adds.
 * `compileLabels` turns the JSON into lookup tables once; the decoder only reads them.
 */
import defaults from './labels.json' with { type: 'json' };

export type ProgramKind = 'dex' | 'router' | 'platform' | 'infra' | 'dca' | 'limit';

export interface ProgramLabel {
  name: string;
  kind: ProgramKind;
  /** Event decoder name for venues that emit trade events (see decode/venues). */
  decoder?: string;
  /** Index of the pool/market account in the swap instruction's account list. */
  pool?: number;
  /** Platform recorded on trades routed through this program. */
  platform?: string;
}

export interface FeeWallet {
  address: string;
  /** ISO date the wallet started receiving fees, when it rotated in. */
  validFrom?: string;
  validUntil?: string;
}

export interface LabelsFile {
  programs?: Record<string, ProgramLabel>;
  routerAuthorities?: Record<string, string>;
  platforms?: Record<string, { feeWallets?: FeeWallet[] }>;
  jitoTipAccounts?: string[];
  quoteMints?: Array<{ mint: string; symbol: string }>;
}

export interface Labels {
  programs: Map<string, ProgramLabel>;
  routerAuthorities: Map<string, string>;
  /** fee wallet → platform name and validity window (unix seconds). */
  feeWallets: Map<string, { platform: string; from: number; until: number }>;
  jitoTipAccounts: Set<string>;
  /** mint → rank; lower is "more quote". */
  quoteRank: Map<string, number>;
  quoteSymbols: Map<string, string>;
}

const KINDS = new Set<ProgramKind>(['dex', 'router', 'platform', 'infra', 'dca', 'limit']);

function dateToUnix(s: string | undefined, fallback: number): number {
  if (!s) return fallback;
  const t = Date.parse(s);
  if (Number.isNaN(t)) throw new Error(`labels: bad date '${s}'`);
  return Math.floor(t / 1000);
}

export function compileLabels(...files: LabelsFile[]): Labels {
  const labels: Labels = {
    programs: new Map(),
    routerAuthorities: new Map(),
    feeWallets: new Map(),
    jitoTipAccounts: new Set(),
    quoteRank: new Map(),
    quoteSymbols: new Map(),
  };
  for (const f of files) {
    for (const [id, p] of Object.entries(f.programs ?? {})) {
      if (!p || typeof p.name !== 'string' || !KINDS.has(p.kind)) {
        throw new Error(`labels: program ${id} needs a name and a kind (${[...KINDS].join('|')})`);
      }
      labels.programs.set(id, p);
    }
    for (const [a, name] of Object.entries(f.routerAuthorities ?? {})) labels.routerAuthorities.set(a, name);
    for (const [platform, p] of Object.entries(f.platforms ?? {})) {
      for (const w of p.feeWallets ?? []) {
        labels.feeWallets.set(w.address, {
          platform,
          from: dateToUnix(w.validFrom, 0),
          until: dateToUnix(w.validUntil, Number.MAX_SAFE_INTEGER),
        });
      }
    }
    for (const k of f.jitoTipAccounts ?? []) labels.jitoTipAccounts.add(k);
    if (f.quoteMints) {
      labels.quoteRank.clear();
      f.quoteMints.forEach((q, i) => {
        labels.quoteRank.set(q.mint, i);
        labels.quoteSymbols.set(q.mint, q.symbol);
      });
    }
  }
  return labels;
}

export const DEFAULT_LABELS_FILE = defaults as LabelsFile;
export const defaultLabels: Labels = compileLabels(DEFAULT_LABELS_FILE);
