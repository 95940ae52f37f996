/**
 * The flow engine: trades in, classified trades + rolling metrics + signals out. Pure and in
 * memory: no I/O, no wall clock; time is the chain clock carried by the trades.
 *
 * Determinism. Everything is computed in the canonical order (slot, txIndex, signature, ixPath)
 * (`compareTrades`). Incoming trades are sorted into a pending buffer and
 * only become final when the stream is `lagSlots` (reordering tolerance) + `sandwich.maxSlots`
 * (look-ahead) slots past them; then whole slots are released in order: classified first (a same-slot round trip flags both legs; a sandwich front-run can see the victim and the
 * back-run still pending), then counted into the windows. So any split of the same trades into
 * batches, in any order within the lag, gives the same flags, metrics and signals. A trade for a
 * slot already released is "late": it is handed back unflagged and uncounted, and the caller
 * stores it and recomputes from the store (see core/pipeline.ts) — that is how a backfill fetched
 * newest-first still ends with the same results as a live run.
 *
 * Chain clock. Each released trade's time is max(its block time, the clock so far) — a monotone
 * clock over canonical order; a trade without block time takes the clock. All tokens' windows
 * advance on this clock (not only when the token trades), so an idle token decays to zero and is
 * then evicted. Signals of a token are evaluated once per chain second, when the clock moves past
 * a second in which the token traded, and at flush().
 *
 * Ticks. A source may say where the chain is (advanceTo: "slot S has time T") even when nothing
 * traded, so idle windows decay. A tick is placed in canonical order like an empty block at its
 * slot: it moves the clock only once every trade at or below S has been released. Applied at
 * once, it would stamp trades still held back (up to holdSlots behind the tip) with the tip's
 * later time, so flags and signals would depend on when ticks came — that was the recompute
 * seam of issue 3. Block times never decrease along the chain, so a tick placed this way never
 * changes a trade's time: results are the same with or without ticks, except that the final
 * clock (the newest tick) can be later than the last trade; recomputeFlow carries it over.
 */
import { compareTrades, type Trade } from '../trade.js';
import { classify, NO_REASONS, newClassifierState, pool, poolKey, sortPending, sweepClassifier, takePending, type ClassifierState, type PoolState } from './classify.js';
import { mergeOptions, type EngineOptionsInput } from './options.js';
import { evaluateSignals, type SignalState } from './signals.js';
import { isQuoteMint } from '../quote-mints.js';
import { WINDOWS, type ClassifiedTrade, type FlowOutput, type Signal, type SignalType, type WindowMetrics } from './types.js';
import { add, advance, isEmpty, newTokenWindows, snapshots, type TokenWindows } from './windows.js';

const LONGEST = WINDOWS[WINDOWS.length - 1].seconds;

interface TokenState {
  win: TokenWindows;
  /** Chain time of the token's last trade. */
  lastTs: number;
  signals: Map<SignalType, SignalState>;
  lastSignature: string;
  lastSlot: number | null;
}

export interface EngineStats {
  tokens: number;
  wallets: number;
  pools: number;
  pending: number;
  released: number;
  late: number;
  duplicates: number;
  signals: number;
  /** Chain clock (unix seconds) and slot of the last released trade. */
  clock: number | null;
  clockSlot: number | null;
  /** Every trade at or below this slot has been released (final). */
  releasedSlot: number | null;
}

export interface PushOptions {
  /**
   * The caller hands the trades over (fresh from a decoder or the store, not used afterwards):
   * the engine annotates those objects with their flags instead of copying each one. The copy
   * and the garbage it leaves were ~a fifth of the engine's time per trade.
   */
  adopt?: boolean;
}

export interface FlowEngine {
  /**
   * Add trades (any order, any batch size); returns what became final. `metrics` is empty here:
   * metrics are taken separately (takeMetrics) at whatever cadence the consumer wants.
   */
  push(trades: readonly Trade[], opts?: PushOptions): FlowOutput;
  /**
   * Advance every token's windows to the chain clock and return the numbers of tokens that
   * changed since the last call (six windows each); tokens idle past the longest window are
   * returned once more at zero and evicted. Call it regularly (the pipeline does, on a wall-clock
   * timer): it is also what frees memory.
   */
  takeMetrics(): WindowMetrics[];
  /** End of input: release everything pending, evaluate the last second, take every token's metrics. */
  flush(): FlowOutput;
  /**
   * The chain is at (blockTime, slot) even if nothing traded: held-back trades older than the lag
   * are released, and the clock moves to blockTime once every trade up to `slot` has (so windows
   * decay while nothing trades). Safe in any source, live or backfill: see "Ticks" above.
   */
  advanceTo(blockTime: number, slot: number | null): FlowOutput;
  /** Current numbers of one token (all windows), or [] if unknown/evicted. */
  metricsFor(mint: string): WindowMetrics[];
  stats(): EngineStats;
}

/**
 * The engine's own copy of a trade. Written out field by field rather than `{...t}`: a spread of
 * this many properties can leave V8 objects in slow dictionary mode, which made every later
 * property read several times slower. The ClassifiedTrade annotation makes the compiler reject
 * this literal if Trade gains a required field.
 */
function toClassified(t: Trade): ClassifiedTrade {
  return {
    signature: t.signature, slot: t.slot, blockTime: t.blockTime, txIndex: t.txIndex, ixPath: t.ixPath,
    venue: t.venue, programId: t.programId, pool: t.pool, trader: t.trader, side: t.side,
    baseMint: t.baseMint, baseAmount: t.baseAmount, baseDecimals: t.baseDecimals,
    quoteMint: t.quoteMint, quoteAmount: t.quoteAmount, quoteDecimals: t.quoteDecimals, solAmount: t.solAmount,
    router: t.router, platform: t.platform, isDca: t.isDca, isLimitOrder: t.isLimitOrder,
    fee: t.fee, feeMint: t.feeMint, txFee: t.txFee, priorityFee: t.priorityFee, jitoTip: t.jitoTip, signer: t.signer,
    isBot: false, botReasons: NO_REASONS,
  };
}

/** The trade itself, made a ClassifiedTrade: unflagged until classify() says otherwise. */
function adoptClassified(t: Trade): ClassifiedTrade {
  const c = t as ClassifiedTrade;
  c.isBot = false;
  c.botReasons = NO_REASONS;
  return c;
}

const slotOf = (t: Trade) => t.slot ?? -1;

/** A trade waiting for its slot to become final, with its pool's state looked up once. */
interface Held {
  t: ClassifiedTrade;
  pool: PoolState;
}

const compareHeld = (a: Held, b: Held) => compareTrades(a.t, b.t);
const sameKey = (a: Trade, b: Trade) => a.signature === b.signature && a.ixPath === b.ixPath;

export function createFlowEngine(input: EngineOptionsInput = {}): FlowEngine {
  const o = mergeOptions(input);
  const holdSlots = o.lagSlots + o.bot.sandwich.maxSlots;
  const cls: ClassifierState = newClassifierState();
  const tokens = new Map<string, TokenState>();
  let pending: Held[] = [];
  let pendingSorted = true;
  /** Pools whose pending list received a trade out of order since the last sort. */
  let unsortedPools: PoolState[] = [];
  let maxSlot = -Infinity;
  /** Every slot <= this has been released. */
  let releasedSlot = -Infinity;
  let clock = -Infinity;
  let clockSlot: number | null = null;
  /** Tokens that traded in the current clock second, in first-trade order. */
  let tradedThisSecond = new Set<TokenState>();
  /** Ticks not yet in effect, by ascending slot (one per slot, its latest time), from tickHead on. */
  let ticks: Array<{ slot: number; time: number }> = [];
  let tickHead = 0;
  const counts = { released: 0, late: 0, duplicates: 0, signals: 0 };

  const emptyOut = (): FlowOutput => ({ trades: [], late: [], metrics: [], signals: [] });

  // SOL and the stablecoins keep their windows (top-flows --include-quotes shows them) but fire
  // no signal: a SOL ↔ USDC swap is money changing quote, not flow into a token, and a
  // BREAKOUT on USDT is noise in every signal list. Blocklisted mints are quiet the same way.
  const quiet = (mint: string) => o.blockedMints.has(mint) || isQuoteMint(mint);

  function evaluateSecond(out: FlowOutput): void {
    if (tradedThisSecond.size === 0) return;
    for (const tok of tradedThisSecond) {
      advance(tok.win, clock);
      const sigs: Signal[] = evaluateSignals(
        tok.win, tok.signals, clock, tok.lastSlot, tok.lastSignature, o.signals, quiet(tok.win.mint),
      );
      for (const s of sigs) out.signals.push(s);
      counts.signals += sigs.length;
    }
    tradedThisSecond = new Set();
  }

  function setClock(ts: number, out: FlowOutput): void {
    if (ts > clock) {
      evaluateSecond(out);
      clock = ts;
    }
  }

  function absorb(t: ClassifiedTrade, ts: number, out: FlowOutput): void {
    setClock(ts, out);
    if (t.slot !== null) clockSlot = t.slot;
    let tok = tokens.get(t.baseMint);
    if (tok === undefined) {
      tok = { win: newTokenWindows(t.baseMint), lastTs: ts, signals: new Map(), lastSignature: '', lastSlot: null };
      tokens.set(t.baseMint, tok);
    } else {
      advance(tok.win, ts);
      // Idle past the longest window: same state as a token the sweep evicted.
      if (isEmpty(tok.win)) tok.signals.clear();
    }
    const sol = t.solAmount === null ? 0 : Number(t.solAmount);
    add(tok.win, ts, t.trader, t.side === 'buy', sol, t.isBot, t.isDca);
    tok.lastTs = ts;
    tok.lastSignature = t.signature;
    tok.lastSlot = t.slot;
    tradedThisSecond.add(tok);
  }

  /**
   * Put the clock forward for every tick whose slot is below `slot` (all its trades are out).
   * Its slot is then final like a released block's: a trade for it arriving later is late.
   */
  function applyTicksBelow(slot: number, out: FlowOutput): void {
    while (tickHead < ticks.length && ticks[tickHead].slot < slot) {
      const k = ticks[tickHead++];
      setClock(k.time, out);
      if (k.slot > releasedSlot) releasedSlot = k.slot;
    }
    if (tickHead === ticks.length) {
      ticks = [];
      tickHead = 0;
    } else if (tickHead > 64 && tickHead * 2 > ticks.length) {
      ticks = ticks.slice(tickHead);
      tickHead = 0;
    }
  }

  function addTick(slot: number, time: number, out: FlowOutput): void {
    // At or below the released slot its place in canonical order is now: pending trades are later.
    if (slot <= releasedSlot) return setClock(time, out);
    let i = ticks.length;
    while (i > tickHead && ticks[i - 1].slot > slot) i--;
    const prev = i > tickHead ? ticks[i - 1] : undefined;
    if (prev !== undefined && prev.slot === slot) prev.time = Math.max(prev.time, time);
    else ticks.splice(i, 0, { slot, time });
  }

  /** Release every pending trade with slot < limit, whole slots at a time (and ticks below limit). */
  function release(limit: number, out: FlowOutput): void {
    if (pending.length === 0) return applyTicksBelow(limit, out);
    if (!pendingSorted) {
      pending.sort(compareHeld);
      pendingSorted = true;
    }
    if (unsortedPools.length > 0) {
      for (const p of unsortedPools) sortPending(p, compareTrades);
      unsortedPools = [];
    }
    let i = 0;
    const group: ClassifiedTrade[] = [];
    const times: number[] = [];
    while (i < pending.length && slotOf(pending[i].t) < limit) {
      const slot = slotOf(pending[i].t);
      applyTicksBelow(slot, out);
      group.length = 0;
      times.length = 0;
      // Classify the whole slot before counting any of it (same-slot round trips flag both legs).
      let ts = clock;
      let prev: ClassifiedTrade | null = null;
      while (i < pending.length && slotOf(pending[i].t) === slot) {
        const h = pending[i++];
        const t = h.t;
        takePending(h.pool, t);
        // Sorted, so a trade delivered twice sits next to itself.
        if (prev !== null && sameKey(prev, t)) {
          counts.duplicates++;
          continue;
        }
        prev = t;
        if (t.blockTime !== null && t.blockTime > ts) ts = t.blockTime;
        const tt = ts === -Infinity ? 0 : ts;
        classify(cls, o.bot, t, tt, h.pool);
        group.push(t);
        times.push(tt);
      }
      for (let k = 0; k < group.length; k++) {
        absorb(group[k], times[k], out);
        out.trades.push(group[k]);
      }
      counts.released += group.length;
      releasedSlot = Math.max(releasedSlot, slot);
    }
    pending = i === pending.length ? [] : pending.slice(i);
    applyTicksBelow(limit, out);
  }

  /**
   * Advance every token to the clock and collect the numbers of those that changed (or of all,
   * at the end of input, so the final state does not depend on when metrics were taken).
   * Tokens that emptied are evicted with a last all-zero snapshot stamped with the moment they
   * emptied (last trade + longest window), again independent of when this runs.
   */
  function sweep(out: { metrics: WindowMetrics[] }, all: boolean): void {
    if (clock === -Infinity) return;
    tokens.forEach((tok, mint) => {
      advance(tok.win, clock);
      if (isEmpty(tok.win) && !tradedThisSecond.has(tok)) {
        for (const m of snapshots(tok.win, null)) {
          m.asOf = tok.lastTs + LONGEST;
          out.metrics.push(m);
        }
        tokens.delete(mint);
      } else if (all || tok.win.changed) {
        for (const m of snapshots(tok.win, clockSlot)) out.metrics.push(m);
        tok.win.changed = false;
      }
    });
    sweepClassifier(cls, o.bot, clock);
  }

  function accept(trades: readonly Trade[], adopt: boolean, out: FlowOutput): void {
    const own = adopt ? adoptClassified : toClassified;
    for (const raw of trades) {
      const slot = slotOf(raw);
      const t = own(raw);
      if (slot <= releasedSlot) {
        counts.late++;
        out.late.push(t);
        continue;
      }
      if (pendingSorted && pending.length > 0 && compareTrades(pending[pending.length - 1].t, t) > 0) pendingSorted = false;
      const p = pool(cls, poolKey(t));
      pending.push({ t, pool: p });
      const pp = p.pending;
      // Compared with the last one, released or not: a false alarm only costs a sort.
      if (pp.length > 0 && compareTrades(pp[pp.length - 1], t) > 0 && (unsortedPools.length === 0 || unsortedPools[unsortedPools.length - 1] !== p)) {
        unsortedPools.push(p);
      }
      pp.push(t);
      if (slot > maxSlot) maxSlot = slot;
    }
  }

  return {
    push(trades, opts) {
      const out = emptyOut();
      accept(trades, opts?.adopt === true, out);
      release(maxSlot - holdSlots, out);
      return out;
    },
    takeMetrics() {
      const out = { metrics: [] as WindowMetrics[] };
      sweep(out, false);
      return out.metrics;
    },
    flush() {
      const out = emptyOut();
      release(Infinity, out);
      evaluateSecond(out);
      sweep(out, true);
      return out;
    },
    advanceTo(blockTime, slot) {
      const out = emptyOut();
      if (slot !== null && slot > maxSlot) maxSlot = slot;
      // Without a slot, the chain is at least past everything seen so far.
      const at = slot ?? maxSlot;
      if (at === -Infinity) setClock(blockTime, out);
      else addTick(at, blockTime, out);
      release(maxSlot - holdSlots, out);
      return out;
    },
    metricsFor(mint) {
      const tok = tokens.get(mint);
      if (tok === undefined || clock === -Infinity) return [];
      advance(tok.win, clock);
      return snapshots(tok.win, clockSlot);
    },
    stats() {
      return {
        tokens: tokens.size,
        wallets: cls.wallets.size,
        pools: cls.pools.size,
        pending: pending.length,
        ...counts,
        clock: clock === -Infinity ? null : clock,
        clockSlot,
        releasedSlot: releasedSlot === -Infinity ? null : releasedSlot,
      };
    },
  };
}
