/**
 * The token_metrics upsert both backends write (their VALUES differ: SQLite binds one row,
 * Postgres unnests arrays): the column list and the conflict rule that never lets a row be
 * replaced by one with an older chain time.
 */
const COLUMNS = [
  'mint', '"window"', 'as_of', 'as_of_slot', 'buy_volume', 'sell_volume', 'buy_count', 'sell_count', 'net_flow',
  'unique_wallets', 'unique_buyers', 'unique_sellers', 'bot_volume', 'bot_trades', 'bot_wallets', 'bot_share',
  'dca_volume', 'dca_buy_volume', 'dca_trades', 'dca_wallets', 'dca_share', 'updated_at',
];

/** `INSERT INTO token_metrics (…columns)`: values follow in this order, updated_at last. */
export const METRICS_INSERT = `INSERT INTO token_metrics (${COLUMNS.join(', ')})`;

export const METRICS_COLUMN_COUNT = COLUMNS.length;

export const METRICS_ON_CONFLICT = `ON CONFLICT (mint, "window") DO UPDATE SET ${COLUMNS.slice(2)
  .map((c) => `${c} = excluded.${c}`)
  .join(', ')}
  WHERE excluded.as_of >= token_metrics.as_of`;
