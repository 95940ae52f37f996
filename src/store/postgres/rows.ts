/**
 * Trades as trade_rows values for the writer's COPY (writer.ts), with addresses as ids. u64
 * amounts and lamports go as decimal strings: exact whatever their size.
 */
import type pg from 'pg';
import type { ClassifiedTrade } from '../../core/flow/types.js';
import type { Trade } from '../../core/trade.js';

/** trade_rows columns in the order tradeValues gives them. */
export const TRADE_ROW_COLUMN_NAMES = [
  'id', 'signature', 'ix_path', 'slot', 'block_time', 'tx_index', 'venue', 'program_id', 'pool_id', 'trader_id', 'side',
  'base_mint_id', 'base_amount', 'base_decimals', 'quote_mint_id', 'quote_amount', 'quote_decimals', 'sol_amount',
  'router', 'platform', 'is_dca', 'is_limit_order', 'fee', 'fee_mint_id', 'tx_fee', 'priority_fee', 'jito_tip',
  'signer_id', 'is_bot', 'bot_reasons', 'inserted_at', 'sig_key',
] as const;

/** address → addresses.id, resolved beforehand for the whole batch. */
export type IdOf = (address: string) => number;

const EMPTY_REASONS = '[]';

/** One trade's trade_rows values, in column order (TRADE_ROW_COLUMN_NAMES). */
export function tradeValues(rowId: number, t: Trade | ClassifiedTrade, insertedAt: number, id: IdOf, key: number | null): unknown[] {
  const c = t as Partial<ClassifiedTrade>;
  const reasons = c.botReasons;
  return [
    rowId, t.signature, t.ixPath, t.slot, t.blockTime, t.txIndex, t.venue, id(t.programId),
    t.pool === null ? null : id(t.pool), id(t.trader), t.side,
    id(t.baseMint), t.baseAmount.toString(), t.baseDecimals, id(t.quoteMint), t.quoteAmount.toString(), t.quoteDecimals,
    t.solAmount === null ? null : t.solAmount.toString(),
    t.router, t.platform, t.isDca ? 1 : 0, t.isLimitOrder ? 1 : 0,
    t.fee === null ? null : t.fee.toString(), t.feeMint === null ? null : id(t.feeMint), t.txFee, t.priorityFee, t.jitoTip,
    id(t.signer), c.isBot ? 1 : 0, reasons && reasons.length > 0 ? JSON.stringify(reasons) : EMPTY_REASONS, insertedAt, key,
  ];
}

/** Every address a trade refers to (for resolving ids before the rows are built). */
export function addressesOf(t: Trade, into: Set<string>): void {
  into.add(t.programId);
  if (t.pool !== null) into.add(t.pool);
  into.add(t.trader);
  into.add(t.baseMint);
  into.add(t.quoteMint);
  if (t.feeMint !== null) into.add(t.feeMint);
  into.add(t.signer);
}

/**
 * address → id for a writer: ids cached for the life of the process (addresses are never
 * deleted, so an id never changes), bounded like the SQLite writer's book; ids learned inside a
 * transaction that rolls back are forgotten.
 */
export function createPgAddressBook(limit = 2_000_000) {
  let ids = new Map<string, number>();
  let fresh: string[] = [];
  return {
    /** Resolves every address in `wanted` that is not cached, inside the caller's transaction. */
    async resolve(client: pg.PoolClient, wanted: Iterable<string>): Promise<void> {
      // Starting over here, before the batch's ids are looked up, never drops one it is about to use.
      if (ids.size >= limit) ids = new Map();
      const missing = [...wanted].filter((a) => !ids.has(a)).sort();
      if (missing.length === 0) return;
      // Sorted, so two writers adding overlapping sets take the unique index's locks in one order.
      await client.query(
        'INSERT INTO addresses (address) SELECT a FROM unnest($1::text[]) AS u(a) ORDER BY a ON CONFLICT (address) DO NOTHING',
        [missing],
      );
      const r = await client.query<{ id: number; address: string }>('SELECT id, address FROM addresses WHERE address = ANY($1::text[])', [missing]);
      for (const row of r.rows) {
        ids.set(row.address, Number(row.id));
        fresh.push(row.address);
      }
    },
    id(address: string): number {
      const v = ids.get(address);
      if (v === undefined) throw new Error(`address ${address} was not resolved before use`);
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
export type PgAddressBook = ReturnType<typeof createPgAddressBook>;
