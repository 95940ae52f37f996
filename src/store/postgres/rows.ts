/**
 * Trades as column arrays for one multi-row statement: `INSERT … SELECT * FROM unnest($1::text[],
 * $2::text[], …)` binds one array per column, so a 20,000-row batch is one statement with 32
 * parameters (a VALUES list would need 640,000, past the protocol's 65,535). u64 amounts and
 * lamports go as decimal strings: exact whatever their size.
 */
import type pg from 'pg';
import type { ClassifiedTrade } from '../../core/flow/types.js';
import type { Trade } from '../../core/trade.js';

/** trade_rows columns in the order the arrays are bound, with each array's SQL type. */
const COLUMNS: readonly (readonly [string, string])[] = [
  ['id', 'int8'], ['signature', 'text'], ['ix_path', 'text'], ['slot', 'int8'], ['block_time', 'int8'], ['tx_index', 'int8'],
  ['venue', 'text'], ['program_id', 'int8'], ['pool_id', 'int8'], ['trader_id', 'int8'], ['side', 'text'],
  ['base_mint_id', 'int8'], ['base_amount', 'numeric'], ['base_decimals', 'int2'], ['quote_mint_id', 'int8'],
  ['quote_amount', 'numeric'], ['quote_decimals', 'int2'], ['sol_amount', 'int8'], ['router', 'text'],
  ['platform', 'text'], ['is_dca', 'int2'], ['is_limit_order', 'int2'], ['fee', 'numeric'], ['fee_mint_id', 'int8'],
  ['tx_fee', 'int8'], ['priority_fee', 'int8'], ['jito_tip', 'int8'], ['signer_id', 'int8'], ['is_bot', 'int2'],
  ['bot_reasons', 'text'], ['inserted_at', 'int8'], ['sig_key', 'int8'],
];

export const TRADE_ROW_COLUMN_NAMES = COLUMNS.map(([c]) => c);

/** Rows go in; on a (sig_key, ix_path) already stored nothing happens, and RETURNING says what went in. */
export const PG_TRADE_INSERT_SQL =
  `INSERT INTO trade_rows (${TRADE_ROW_COLUMN_NAMES.join(', ')})
   SELECT * FROM unnest(${COLUMNS.map(([, t], i) => `$${i + 1}::${t}[]`).join(', ')})
   ON CONFLICT (sig_key, ix_path) DO NOTHING
   RETURNING sig_key, ix_path, signature`;

/** address → addresses.id, resolved beforehand for the whole batch. */
export type IdOf = (address: string) => number;

export type TradeColumns = unknown[][];

const EMPTY_REASONS = '[]';

export function emptyColumns(): TradeColumns {
  return COLUMNS.map(() => []);
}

/** Appends one trade's values (in COLUMNS order) to the column arrays. */
export function pushTrade(cols: TradeColumns, rowId: number, t: Trade | ClassifiedTrade, insertedAt: number, id: IdOf, key: number | null): void {
  const c = t as Partial<ClassifiedTrade>;
  const reasons = c.botReasons;
  const values = [
    rowId, t.signature, t.ixPath, t.slot, t.blockTime, t.txIndex, t.venue, id(t.programId),
    t.pool === null ? null : id(t.pool), id(t.trader), t.side,
    id(t.baseMint), t.baseAmount.toString(), t.baseDecimals, id(t.quoteMint), t.quoteAmount.toString(), t.quoteDecimals,
    t.solAmount === null ? null : t.solAmount.toString(),
    t.router, t.platform, t.isDca ? 1 : 0, t.isLimitOrder ? 1 : 0,
    t.fee === null ? null : t.fee.toString(), t.feeMint === null ? null : id(t.feeMint), t.txFee, t.priorityFee, t.jitoTip,
    id(t.signer), c.isBot ? 1 : 0, reasons && reasons.length > 0 ? JSON.stringify(reasons) : EMPTY_REASONS, insertedAt, key,
  ];
  for (let i = 0; i < values.length; i++) cols[i].push(values[i]);
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
