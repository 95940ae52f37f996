/** solflow as a library: the decoder, the trade model and wallet analysis. */
export { decodeTransaction, MalformedTransactionError, type DecodeOptions, type RawTransaction } from './core/decode/index.js';
export { checkTradesAgainstBalances, type BalanceMismatch } from './core/decode/balance-check.js';
export { compileLabels, defaultLabels, DEFAULT_LABELS_FILE, type Labels, type LabelsFile } from './core/labels.js';
export { tradeToJson, tradeFromJson, compareTrades, WSOL_MINT, type Trade, type TradeJson, type Side } from './core/trade.js';
export { analyzeWallet, type AnalyzeOptions, type WalletAnalysis, type WalletTrade, type Position, type QuoteTotals, type CostBasis, type LastPrice } from './core/wallet/index.js';
