/**
 * The small per-batch statements beside the trades: tokens seen, token_metrics, signals and flag
 * updates, each one multi-row statement over unnest() arrays, rows in key order.
 */
import type pg from 'pg';
import type { Signal, WindowMetrics } from '../../core/flow/types.js';
import type { FlagUpdate } from '../../core/store/types.js';
import { sigKey } from '../sig-key.js';
import { bulkOrEach, type Delta, type Reject } from './batch.js';
import { tradeKey, type TradeInput } from './trade-insert.js';
import { noteTokenSeen, type TokenSeen } from '../writer/tokens-seen.js';
import { METRICS_INSERT, METRICS_ON_CONFLICT } from '../writer/metrics-sql.js';

const METRICS_UPSERT_SQL = `${METRICS_INSERT}
  SELECT u.*, $22::int8 FROM unnest($1::text[], $2::text[], $3::int8[], $4::int8[], $5::int8[], $6::int8[], $7::int8[],
    $8::int8[], $9::int8[], $10::int8[], $11::int8[], $12::int8[], $13::int8[], $14::int8[], $15::int8[], $16::float8[],
    $17::int8[], $18::int8[], $19::int8[], $20::int8[], $21::float8[]) AS u
  ${METRICS_ON_CONFLICT}`;

const SIGNAL_INSERT_SQL = `INSERT INTO signals (mint, type, strength, "window", block_time, slot, signature, inputs_json, created_at)
  SELECT u.*, $9::int8 FROM unnest($1::text[], $2::text[], $3::float8[], $4::text[], $5::int8[], $6::int8[], $7::text[], $8::text[]) AS u
  ON CONFLICT (mint, type, signature) DO NOTHING RETURNING 1`;

// LEAST/GREATEST skip NULLs: first/last seen are min/max over everything seen, in any order.
const TOKEN_UPSERT_SQL = `INSERT INTO tokens (mint, decimals, first_seen_slot, first_seen_time, last_seen_slot, last_seen_time, updated_at)
  SELECT u.*, $7::int8 FROM unnest($1::text[], $2::int2[], $3::int8[], $4::int8[], $5::int8[], $6::int8[]) AS u
  ON CONFLICT (mint) DO UPDATE SET decimals = excluded.decimals,
  first_seen_slot = LEAST(tokens.first_seen_slot, excluded.first_seen_slot),
  first_seen_time = LEAST(tokens.first_seen_time, excluded.first_seen_time),
  last_seen_slot = GREATEST(tokens.last_seen_slot, excluded.last_seen_slot),
  last_seen_time = GREATEST(tokens.last_seen_time, excluded.last_seen_time),
  updated_at = excluded.updated_at`;

// Keyed: through trades_key. Otherwise through trades_unkeyed (its predicate, then the slot as a
// filter: IS NOT DISTINCT FROM is no index condition, but the signature already narrows to a row or two).
const flagUpdateSql = (keyed: boolean) => `UPDATE trade_rows r SET is_bot = u.b, bot_reasons = u.reasons
  FROM unnest($1::int2[], $2::text[], $3::int8[], $4::text[], $5::text[], $6::int8[]) AS u(b, reasons, k, ix, sig, s)
  WHERE ${keyed ? 'r.slot = u.s AND r.sig_key = u.k' : '(r.sig_key IS NULL OR r.slot IS NULL) AND r.slot IS NOT DISTINCT FROM u.s'}
    AND r.ix_path = u.ix AND r.signature = u.sig
  RETURNING r.signature, r.ix_path, r.slot`;

export async function upsertTokens(client: pg.PoolClient, fresh: TradeInput[], at: number): Promise<void> {
  const seen = new Map<string, TokenSeen>();
  for (const { t } of fresh) noteTokenSeen(seen, t);
  if (seen.size === 0) return;
  const mints = [...seen.keys()].sort();
  const col = (f: (s: TokenSeen) => number | null) => mints.map((m) => f(seen.get(m)!));
  await client.query(TOKEN_UPSERT_SQL, [
    mints, col((s) => s.decimals), col((s) => s.minSlot), col((s) => s.minTime), col((s) => s.maxSlot), col((s) => s.maxTime), at,
  ]);
}

export async function upsertMetrics(client: pg.PoolClient, ms: WindowMetrics[], at: number, reject: Reject, c: Delta): Promise<void> {
  const sorted = [...ms].sort((a, b) => (a.mint < b.mint ? -1 : a.mint > b.mint ? 1 : a.window < b.window ? -1 : a.window > b.window ? 1 : 0));
  const done = await bulkOrEach(
    client,
    sorted,
    async (items) => {
      const col = <K extends keyof WindowMetrics>(k: K) => items.map((m) => m[k]);
      await client.query(METRICS_UPSERT_SQL, [
        col('mint'), col('window'), col('asOf'), col('asOfSlot'), col('buyVolume'), col('sellVolume'), col('buyCount'),
        col('sellCount'), col('netFlow'), col('uniqueWallets'), col('uniqueBuyers'), col('uniqueSellers'), col('botVolume'),
        col('botTrades'), col('botWallets'), col('botShare'), col('dcaVolume'), col('dcaBuyVolume'), col('dcaTrades'),
        col('dcaWallets'), col('dcaShare'), at,
      ]);
      return items;
    },
    (m, reason) => reject('metrics', m, reason),
  );
  c.metricsWritten += done.length;
}

export async function insertSignals(client: pg.PoolClient, ss: Signal[], at: number, reject: Reject, c: Delta): Promise<void> {
  let tried = 0;
  const written = await bulkOrEach(
    client,
    ss,
    async (items) => {
      const col = <K extends keyof Signal>(k: K) => items.map((s) => s[k]);
      const r = await client.query(SIGNAL_INSERT_SQL, [
        col('mint'), col('type'), col('strength'), col('window'), col('blockTime'), col('slot'), col('signature'),
        items.map((s) => JSON.stringify(s.inputs)), at,
      ]);
      tried += items.length;
      return r.rows;
    },
    (s, reason) => reject('signal', s, reason),
  );
  c.signalsWritten += written.length;
  c.signalsDuplicate += tried - written.length;
}

export async function updateFlags(client: pg.PoolClient, fs: FlagUpdate[], collided: () => Promise<Set<number>>, c: Delta): Promise<void> {
  if (fs.length === 0) return;
  // One UPDATE applies one source row per target: keep the last update of each trade, as applying them in turn would.
  const last = new Map<string, FlagUpdate>();
  for (const f of fs) last.set(tradeKey(f.signature, f.ixPath, f.slot), f);
  // trades_key's order, slot-less last as there.
  const list = [...last.values()]
    .map((f) => ({ f, k: sigKey(f.signature) }))
    .sort((a, b) => (a.f.slot ?? Infinity) - (b.f.slot ?? Infinity) || a.k - b.k || (a.f.ixPath < b.f.ixPath ? -1 : a.f.ixPath > b.f.ixPath ? 1 : 0));
  const args = (l: typeof list) => [
    l.map(({ f }) => (f.isBot ? 1 : 0)), l.map(({ f }) => JSON.stringify(f.botReasons)), l.map(({ k }) => k),
    l.map(({ f }) => f.ixPath), l.map(({ f }) => f.signature), l.map(({ f }) => f.slot),
  ];
  type Hit = { signature: string; ix_path: string; slot: number | null };
  const hitKey = (r: Hit) => tradeKey(r.signature, r.ix_path, r.slot === null ? null : Number(r.slot));
  const slotted = list.filter(({ f }) => f.slot !== null);
  const hit = new Set(slotted.length > 0 ? (await client.query<Hit>(flagUpdateSql(true), args(slotted))).rows.map(hitKey) : []);
  // Not found keyed: stored unkeyed (only under a listed key), or without a slot.
  const keys = await collided();
  const rest = list.filter(({ f, k }) => !hit.has(tradeKey(f.signature, f.ixPath, f.slot)) && (f.slot === null || keys.has(k)));
  if (rest.length > 0) {
    for (const r of (await client.query<Hit>(flagUpdateSql(false), args(rest))).rows) hit.add(hitKey(r));
  }
  for (const f of fs) if (hit.has(tradeKey(f.signature, f.ixPath, f.slot))) c.flagsUpdated++;
}

/** Before a flow recompute: drop signals and token_metrics, return the chain clock they reached. */
export async function clearFlowTablesPg(client: pg.PoolClient): Promise<{ clock: number | null }> {
  const r = await client.query<{ clock: number | null }>('SELECT max(as_of) AS clock FROM token_metrics');
  await client.query('DELETE FROM signals');
  await client.query('DELETE FROM token_metrics');
  return { clock: r.rows[0].clock === null ? null : Number(r.rows[0].clock) };
}

