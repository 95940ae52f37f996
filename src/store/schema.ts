/**
 * Kysely table types for the schema in sql/NNN_*.sql. The SQL files are the source of truth;
 * these types only describe them to the compiler and must follow any new migration.
 */
import type { Generated } from 'kysely';

/** The `trades` view (sql/003): read it; writes go to trade_rows through src/store/rows.ts. */
export interface TradesTable {
  id: number;
  signature: string;
  ix_path: string;
  slot: number | null;
  block_time: number | null;
  tx_index: number | null;
  venue: string;
  program_id: string;
  pool: string | null;
  trader: string;
  side: 'buy' | 'sell';
  base_mint: string;
  /** u64 as a decimal string. */
  base_amount: string;
  base_decimals: number;
  quote_mint: string;
  /** u64 as a decimal string. */
  quote_amount: string;
  quote_decimals: number;
  /** Lamports; null when the quote is not SOL/WSOL. */
  sol_amount: number | bigint | null;
  router: string | null;
  platform: string | null;
  is_dca: number;
  is_limit_order: number;
  fee: string | null;
  fee_mint: string | null;
  tx_fee: number;
  priority_fee: number;
  jito_tip: number;
  signer: string;
  is_bot: number;
  /** JSON array of reason strings. */
  bot_reasons: string;
  inserted_at: number;
}

export interface TokenMetricsTable {
  mint: string;
  window: string;
  as_of: number;
  as_of_slot: number | null;
  buy_volume: number;
  sell_volume: number;
  buy_count: number;
  sell_count: number;
  net_flow: number;
  unique_wallets: number;
  unique_buyers: number;
  unique_sellers: number;
  bot_volume: number;
  bot_trades: number;
  bot_wallets: number;
  bot_share: number;
  dca_volume: number;
  dca_buy_volume: number;
  dca_trades: number;
  dca_wallets: number;
  dca_share: number;
  updated_at: number;
}

export interface SignalsTable {
  id: Generated<number>;
  mint: string;
  type: string;
  strength: number;
  window: string;
  block_time: number;
  slot: number | null;
  signature: string;
  inputs_json: string;
  created_at: number;
}

export interface TokensTable {
  mint: string;
  decimals: number;
  symbol: string | null;
  name: string | null;
  first_seen_slot: number | null;
  first_seen_time: number | null;
  last_seen_slot: number | null;
  last_seen_time: number | null;
  updated_at: number;
}

export interface BlocklistTable {
  mint: string;
  reason: string | null;
  added_at: number;
}

export interface JobsTable {
  id: Generated<number>;
  kind: string;
  params_json: Generated<string>;
  status: Generated<string>;
  cursor_json: string | null;
  counts_json: string | null;
  gaps_json: string | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
}

export interface JobFailuresTable {
  job_id: number;
  signature: string;
  slot: number | null;
  stage: string;
  error: string;
  at: number;
}

/** trade_rows: the trades view's storage, the same columns with addresses as addresses.id. */
export interface TradeRowsTable
  extends Omit<TradesTable, 'id' | 'program_id' | 'pool' | 'trader' | 'base_mint' | 'quote_mint' | 'fee_mint' | 'signer'> {
  id: Generated<number>;
  program_id: number;
  pool_id: number | null;
  trader_id: number;
  base_mint_id: number;
  quote_mint_id: number;
  fee_mint_id: number | null;
  signer_id: number;
  /** The signature's key (src/store/sig-key.ts, sql/004); null when another signature has it. */
  sig_key: number | null;
}

/** Keys two signatures have shared (sql/004); never pruned. */
export interface SigCollisionsTable {
  sig_key: number;
}

/** Every address a trade refers to, once; ids are never reused. */
export interface AddressesTable {
  id: Generated<number>;
  address: string;
}

/** Named live-ingest cursors (sql/005): the last slot fully committed per source. */
export interface CursorsTable {
  name: string;
  slot: number;
  updated_at: number;
}

export interface SchemaMigrationsTable {
  version: number;
  name: string;
  checksum: string;
  applied_at: number;
}

export interface DB {
  trades: TradesTable;
  trade_rows: TradeRowsTable;
  addresses: AddressesTable;
  sig_collisions: SigCollisionsTable;
  token_metrics: TokenMetricsTable;
  signals: SignalsTable;
  tokens: TokensTable;
  blocklist: BlocklistTable;
  jobs: JobsTable;
  job_failures: JobFailuresTable;
  cursors: CursorsTable;
  schema_migrations: SchemaMigrationsTable;
}
