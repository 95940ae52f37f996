/**
 * Trade -> trade_rows parameters for the SQLite writer (positional arrays: the fast path), and
 * the address book that interns addresses. Reading rows back is shared: ../trade-row.ts.
 */
import type Database from 'better-sqlite3';
import type { Trade } from '../../core/trade.js';
import type { ClassifiedTrade } from '../../core/flow/types.js';
import { sigKey } from '../sig-key.js';

export { rowToTrade, TRADE_COLUMNS, type TradeRow } from '../trade-row.js';

/** Column order of TRADE_INSERT_SQL and tradeParams(). */
const TRADE_ROW_COLUMNS = [
  'signature', 'ix_path', 'slot', 'block_time', 'tx_index', 'venue', 'program_id', 'pool_id', 'trader_id', 'side',
  'base_mint_id', 'base_amount', 'base_decimals', 'quote_mint_id', 'quote_amount', 'quote_decimals', 'sol_amount',
  'router', 'platform', 'is_dca', 'is_limit_order', 'fee', 'fee_mint_id', 'tx_fee', 'priority_fee', 'jito_tip',
  'signer_id', 'is_bot', 'bot_reasons', 'inserted_at', 'sig_key',
] as const;

/**
 * Does nothing for a trade already stored under its key (sql/006); writer.ts handles keys that
 * collide and trades with no slot.
 */
export const TRADE_INSERT_SQL =
  `INSERT INTO trade_rows (${TRADE_ROW_COLUMNS.join(', ')}) VALUES (${TRADE_ROW_COLUMNS.map(() => '?').join(', ')})` +
  ' ON CONFLICT (slot, sig_key, ix_path) DO NOTHING';

/** address → addresses.id (tradeParams takes any such function; the writer's is an AddressBook). */
export type AddressId = (address: string) => number;

/**
 * address → addresses.id, adding the addresses it has not seen. Call it inside the write
 * transaction: an id handed out there is only real once that transaction commits, so a writer
 * whose transaction rolls back must forget() what it learned in it.
 */
export interface AddressBook {
  id: AddressId;
  /** Drop ids learned since the last commit (the transaction that made them rolled back). */
  forget(): void;
  /** The transaction that made the recent ids committed: they are permanent. */
  committed(): void;
}

/**
 * Addresses are never deleted, so a cached id stays right for the life of the process even
 * with another writer on the same file. The cache is bounded: past `limit` it starts over,
 * and a miss costs one indexed lookup.
 */
export function createAddressBook(sqlite: Database.Database, limit = 2_000_000): AddressBook {
  const insert = sqlite.prepare('INSERT INTO addresses (address) VALUES (?) ON CONFLICT (address) DO NOTHING');
  const lookup = sqlite.prepare('SELECT id FROM addresses WHERE address = ?').pluck();
  let ids = new Map<string, number>();
  let fresh: string[] = [];
  return {
    id(address) {
      let v = ids.get(address);
      if (v !== undefined) return v;
      const r = insert.run(address);
      if (r.changes > 0) {
        v = Number(r.lastInsertRowid);
        fresh.push(address);
      } else {
        v = Number(lookup.get(address));
      }
      if (ids.size >= limit) ids = new Map();
      ids.set(address, v);
      return v;
    },
    forget() {
      for (const a of fresh) ids.delete(a);
      fresh = [];
    },
    committed() {
      fresh = [];
    },
  };
}

const EMPTY_REASONS = '[]';

/** `key` is the row's sig_key: the signature's own (sig-key.ts), or null for a collision. */
export function tradeParams(t: Trade | ClassifiedTrade, insertedAt: number, id: AddressId, key: number | null = sigKey(t.signature)): unknown[] {
  const c = t as Partial<ClassifiedTrade>;
  const reasons = c.botReasons;
  return [
    t.signature, t.ixPath, t.slot, t.blockTime, t.txIndex, t.venue, id(t.programId),
    t.pool === null ? null : id(t.pool), id(t.trader), t.side,
    id(t.baseMint), t.baseAmount.toString(), t.baseDecimals, id(t.quoteMint), t.quoteAmount.toString(), t.quoteDecimals,
    t.solAmount, // bigint binds as INTEGER
    t.router, t.platform, t.isDca ? 1 : 0, t.isLimitOrder ? 1 : 0,
    t.fee === null ? null : t.fee.toString(), t.feeMint === null ? null : id(t.feeMint), t.txFee, t.priorityFee, t.jitoTip,
    id(t.signer), c.isBot ? 1 : 0, reasons && reasons.length > 0 ? JSON.stringify(reasons) : EMPTY_REASONS, insertedAt, key,
  ];
}

const U64_MAX = (1n << 64n) - 1n;
const IX_PATH = /^\d+\.\d+$/;

const I64_MAX = U64_MAX >> 1n;
const isU64 = (v: unknown): boolean => typeof v === 'bigint' && v >= 0n && v <= U64_MAX;

/**
 * Cheap checks before SQL sees the row; returns why a trade cannot be stored, or null. Runs for
 * every trade the writer stores, so it allocates nothing on the way to "valid".
 */
export function invalidTrade(t: Trade): string | null {
  if (!t || typeof t.signature !== 'string' || t.signature.length === 0) return 'missing signature';
  if (typeof t.ixPath !== 'string' || !IX_PATH.test(t.ixPath)) return `bad ixPath ${String(t.ixPath)}`;
  if (t.side !== 'buy' && t.side !== 'sell') return `bad side ${String(t.side)}`;
  if (!t.baseMint || !t.quoteMint || !t.trader || !t.signer) return 'missing mint, trader or signer';
  if (!isU64(t.baseAmount)) return 'bad baseAmount';
  if (!isU64(t.quoteAmount)) return 'bad quoteAmount';
  if (t.fee !== null && !isU64(t.fee)) return 'bad fee';
  if (t.solAmount !== null && (typeof t.solAmount !== 'bigint' || t.solAmount < 0n || t.solAmount > I64_MAX)) {
    return 'bad solAmount';
  }
  return null;
}

