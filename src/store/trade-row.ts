/**
 * A stored trade read back, on any backend: the columns of the `trades` view (sql/003) and the
 * row -> Trade conversion, with exact bigints for u64 amounts.
 */
import type { ClassifiedTrade } from '../core/flow/types.js';
import { num, numOrNull } from './values.js';

/**
 * Columns of the `trades` view (sql/003): what readers select and rowToTrade reads. The writer
 * inserts into trade_rows, which holds the same values with addresses as ids.
 */
export const TRADE_COLUMNS = [
  'signature', 'ix_path', 'slot', 'block_time', 'tx_index', 'venue', 'program_id', 'pool', 'trader', 'side',
  'base_mint', 'base_amount', 'base_decimals', 'quote_mint', 'quote_amount', 'quote_decimals', 'sol_amount',
  'router', 'platform', 'is_dca', 'is_limit_order', 'fee', 'fee_mint', 'tx_fee', 'priority_fee', 'jito_tip',
  'signer', 'is_bot', 'bot_reasons', 'inserted_at',
] as const;

/** A trades row with integers as number, bigint or decimal string (SQLite safeIntegers, pg int8); all are accepted. */
export type TradeRow = Record<(typeof TRADE_COLUMNS)[number], unknown>;


export function rowToTrade(r: TradeRow): ClassifiedTrade {
  return {
    signature: r.signature as string,
    ixPath: r.ix_path as string,
    slot: numOrNull(r.slot),
    blockTime: numOrNull(r.block_time),
    txIndex: numOrNull(r.tx_index),
    venue: r.venue as string,
    programId: r.program_id as string,
    pool: (r.pool as string | null) ?? null,
    trader: r.trader as string,
    side: r.side as 'buy' | 'sell',
    baseMint: r.base_mint as string,
    baseAmount: BigInt(r.base_amount as string),
    baseDecimals: num(r.base_decimals),
    quoteMint: r.quote_mint as string,
    quoteAmount: BigInt(r.quote_amount as string),
    quoteDecimals: num(r.quote_decimals),
    solAmount: r.sol_amount === null || r.sol_amount === undefined ? null : BigInt(r.sol_amount as number | bigint | string),
    router: (r.router as string | null) ?? null,
    platform: (r.platform as string | null) ?? null,
    isDca: num(r.is_dca) === 1,
    isLimitOrder: num(r.is_limit_order) === 1,
    fee: r.fee === null || r.fee === undefined ? null : BigInt(r.fee as string),
    feeMint: (r.fee_mint as string | null) ?? null,
    txFee: num(r.tx_fee),
    priorityFee: num(r.priority_fee),
    jitoTip: num(r.jito_tip),
    signer: r.signer as string,
    isBot: num(r.is_bot) === 1,
    botReasons: JSON.parse(r.bot_reasons as string) as string[],
  };
}
