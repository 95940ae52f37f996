/**
 * Every threshold of the flow engine in one place, with defaults and the source of each default
 * (see shared/REFERENCE.md section D). Callers pass a partial; mergeOptions fills the rest.
 */

export interface BotOptions {
  /** A wallet is automated when it sends >= `trades` distinct transactions within `seconds` (all tokens). */
  rate: { trades: number; seconds: number };
  /** Buy then sell (or sell then buy) of the same token by the same wallet within `seconds`. */
  roundTrip: { seconds: number };
  /**
   * Front-run + victim + back-run on the same pool within `maxSlots` slots. The attacker legs are
   * linked by amount (base amounts within `amountToleranceBps`), not by signer: they may differ.
   */
  sandwich: { maxSlots: number; amountToleranceBps: number; maxScan: number };
  /** >= `count` trades of the identical raw size and side by one wallet within `seconds`. */
  fixedSize: { count: number; seconds: number };
  /**
   * Fee outliers: a priority fee (or Jito tip) at least `multiple`× the pool's running typical
   * value (a geometric moving average over its recent trades), above `min*` and after
   * `minSample` trades on that pool. 0 disables.
   */
  feeOutlier: { multiple: number; minSample: number; minPriorityFee: number; minJitoTip: number };
  /** Pool fee history resets after this long without trades (keeps memory bounded). */
  poolIdleSeconds: number;
}

export interface SignalOptions {
  /** Seconds after a fire during which the same (token, signal) cannot fire again. */
  cooldownSeconds: number;
  /** An active signal re-arms after this long even if its hold condition never dropped. */
  maxActiveSeconds: number;
  breakout: { minNetSol: number; minTrades: number; minWallets: number; maxBotShare: number; acceleration: number; holdAcceleration: number };
  reaccumulation: { minDcaNetSol: number; minDcaWallets: number; minTrades: number };
  focusedBuyers: { minInflowSol: number; minBuyers: number; topShare: number; maxFocus: number; holdFocus: number };
  persistence: { minTradesPerSlice: number; minWallets: number; maxBotShare: number };
  flowReversal: { minOutflowSol: number; minTrades: number; minSellers: number; minPriorInflowSol: number; minPriorTrades: number };
}

export interface EngineOptions {
  /**
   * How many slots out of order a source may deliver. A trade becomes final (classified,
   * counted, evaluated) once the stream is lagSlots + bot.sandwich.maxSlots slots past it: the
   * extra slots are the sandwich rule's look-ahead, which must itself have fully arrived.
   */
  lagSlots: number;
  bot: BotOptions;
  signals: SignalOptions;
  /** Mints whose signals are suppressed (their trades and metrics are still kept); the quote assets always are. */
  blockedMints: ReadonlySet<string>;
}

export type EngineOptionsInput = {
  lagSlots?: number;
  bot?: { [K in keyof BotOptions]?: BotOptions[K] extends object ? Partial<BotOptions[K]> : BotOptions[K] };
  signals?: { [K in keyof SignalOptions]?: SignalOptions[K] extends object ? Partial<SignalOptions[K]> : SignalOptions[K] };
  blockedMints?: ReadonlySet<string>;
};

export const DEFAULT_OPTIONS: EngineOptions = {
  lagSlots: 8, // ~3 s of reordering between concurrent fetches
  bot: {
    // ">10 tx/min" is the dashboard rule of thumb (REFERENCE D, S21).
    rate: { trades: 10, seconds: 60 },
    // Humans rarely close a position within seconds; same-slot is always automated.
    roundTrip: { seconds: 10 },
    // Wide sandwiches span up to ~3 slots (REFERENCE D, S26).
    sandwich: { maxSlots: 3, amountToleranceBps: 100, maxScan: 64 },
    // Bot/wash patterns repeat identical sizes (S29, S30); 5 in 5 min avoids flagging a human
    // clicking the same preset button a couple of times.
    fixedSize: { count: 5, seconds: 300 },
    feeOutlier: { multiple: 20, minSample: 16, minPriorityFee: 1_000_000, minJitoTip: 1_000_000 },
    poolIdleSeconds: 3600,
  },
  signals: {
    cooldownSeconds: 900,
    maxActiveSeconds: 3600,
    breakout: { minNetSol: 1, minTrades: 10, minWallets: 5, maxBotShare: 0.3, acceleration: 3, holdAcceleration: 1.5 },
    reaccumulation: { minDcaNetSol: 0.1, minDcaWallets: 2, minTrades: 5 },
    focusedBuyers: { minInflowSol: 1, minBuyers: 5, topShare: 0.7, maxFocus: 0.35, holdFocus: 0.5 },
    persistence: { minTradesPerSlice: 3, minWallets: 5, maxBotShare: 0.4 },
    flowReversal: { minOutflowSol: 0.5, minTrades: 3, minSellers: 2, minPriorInflowSol: 1, minPriorTrades: 5 },
  },
  blockedMints: new Set(),
};

export function mergeOptions(input: EngineOptionsInput = {}): EngineOptions {
  const d = DEFAULT_OPTIONS;
  const bot = input.bot ?? {};
  const sig = input.signals ?? {};
  const o: EngineOptions = {
    lagSlots: input.lagSlots ?? d.lagSlots,
    bot: {
      rate: { ...d.bot.rate, ...bot.rate },
      roundTrip: { ...d.bot.roundTrip, ...bot.roundTrip },
      sandwich: { ...d.bot.sandwich, ...bot.sandwich },
      fixedSize: { ...d.bot.fixedSize, ...bot.fixedSize },
      feeOutlier: { ...d.bot.feeOutlier, ...bot.feeOutlier },
      poolIdleSeconds: bot.poolIdleSeconds ?? d.bot.poolIdleSeconds,
    },
    signals: {
      cooldownSeconds: sig.cooldownSeconds ?? d.signals.cooldownSeconds,
      maxActiveSeconds: sig.maxActiveSeconds ?? d.signals.maxActiveSeconds,
      breakout: { ...d.signals.breakout, ...sig.breakout },
      reaccumulation: { ...d.signals.reaccumulation, ...sig.reaccumulation },
      focusedBuyers: { ...d.signals.focusedBuyers, ...sig.focusedBuyers },
      persistence: { ...d.signals.persistence, ...sig.persistence },
      flowReversal: { ...d.signals.flowReversal, ...sig.flowReversal },
    },
    blockedMints: input.blockedMints ?? d.blockedMints,
  };
  if (!(o.lagSlots >= 0) || !(o.bot.sandwich.maxSlots >= 0)) throw new Error('lagSlots and sandwich.maxSlots must be >= 0');
  return o;
}
