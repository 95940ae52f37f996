/**
 * An adaptive request pacer: spaces calls evenly at a rate it learns from the endpoint, so a
 * backfill uses the provider's allowance without being told it and without hammering it.
 *
 * Pacing
 * - Calls are spaced 1/rate apart (±`jitter`, mean-preserving, so clients do not fall into
 *   lock-step). Late timers may catch up a few calls, an idle spell never turns into a burst.
 * - The rate only grows while callers wait on it and what was sent kept up with it, so a slow
 *   consumer or a concurrency cap does not inflate it. `ceiling` (--rps) is never exceeded.
 *
 * Learning the limit from 429s
 * - Slow start: the rate doubles every step until the first 429.
 * - A 429 for a call sent after the last episode began starts an episode; 429s for calls
 *   already in flight then report the same overload. The episode's mark (the learned limit)
 *   is the lowest of: the pace that call went out at; if we really sent at that pace, what
 *   the endpoint accepted since the last hold; if it refused more than strays, the pace times
 *   the share it accepted (a token bucket overdrawn by x% refuses x% of calls); after a slow
 *   start doubling, the midpoint between the pace before it and this one. One episode never
 *   cuts more than 30% (its measures can be skewed by a stall; a limit that really is lower
 *   shows up again at once). The rate drops 5% under the mark, climbs back to 97% of it,
 *   holds there (`plateauMs`, doubled each time a probe finds the same limit, up to 30 s),
 *   then probes upward, gently and then faster. Sent well past the mark without a 429, it
 *   forgets the mark and slow-starts again, ×1.25 a step (the plan grew).
 * - A mild episode (one 429: a collision of jittered calls, a stall that bunched them) only
 *   slows down, never below just under the last good rate (one sustained for two seconds with
 *   under 2% refused), so strays cannot ratchet the rate down to nothing. It turns severe
 *   when three 429s come back for calls in flight, or when another episode starts soon after
 *   with no probing between and over 5% of recent calls refused (the limit fell, or a window
 *   ran out), or at once when Retry-After is two seconds or more (that is no rounded-up blip):
 *   the good rate is forgotten and every call is held.
 * - A hold does not last a whole Retry-After. Retry-After is whole seconds rounded up, an upper
 *   bound: a token bucket refills in milliseconds, a fixed window ends at its boundary. After
 *   a short delay (or at Retry-After minus one second, the first moment the endpoint said it
 *   might accept) one probe call goes out: accepted, everyone resumes; throttled, the delay
 *   doubles, up to a quarter second. Retry-After's end always releases the hold. A hold that outlasted a probe means
 *   the endpoint counts in windows (per second, per 10 s) that we emptied early; the mark
 *   becomes what we sent spread over the whole cycle, sending and holding.
 *
 * Other trouble: 5xx, timeouts and dropped connections cut the rate by 30% (an overloaded node
 * sheds load).
 *
 * Callers give back the Ticket `acquire` handed them with the call's outcome, so the pacer
 * knows when and at what pace the call went out, and which call is a probe. Outcomes reported
 * without a ticket count as calls sent just now.
 *
 * Longer than 400 lines because AdaptiveRate is one state machine: pacing, episodes, holds and
 * probes all read and write the same few fields, and split apart they would each need all of
 * them. Its public shapes are in rate-types.ts, the sliding counter it measures with in
 * rate-meter.ts.
 */
import { RateMeter } from './rate-meter.js';
import type { RateOptions, RateSnapshot, Ticket } from './rate-types.js';

export type { RateOptions, RateSnapshot, Ticket } from './rate-types.js';

interface Episode {
  startedAt: number;
  /** 429s for calls sent before it began (in flight) plus its own. */
  throttled: number;
  severe: boolean;
}

interface Hold {
  startedAt: number;
  /** Retry-After's end: the hold never outlasts it. */
  until: number;
  probeAt: number;
  probeDelay: number;
  probeInFlight: boolean;
  failedProbes: number;
}

/** How far late timers may catch up, ms: a few calls, well inside any provider's burst. */
const SLACK_MS = 25;
/** Where the rate settles under a learned limit: close, with room for timer and network jitter. */
const TARGET = 0.97;
/** Episodes this close together, with no probing between them, mean the limit really fell. */
const REPEAT_MS = 3000;
/** 429s for calls in flight that turn an episode severe: more than a stray collision. */
const SEVERE_IN_FLIGHT = 3;
/** How long a rate must run, with at most GOOD_SHARE of its calls refused, to count as good. */
const GOOD_MS = 2000;
const GOOD_SHARE = 0.02;
/** A share of recent calls refused that is more than strays: the limit is being hit. */
const SEVERE_SHARE = 0.05;
/** Longest wait between a hold's probes: a window that ends resumes us at most this late. */
const MAX_PROBE_DELAY_MS = 250;
/** Longest wait before probing past a limit that probes keep finding in the same place. */
const MAX_PLATEAU_MS = 30_000;

export class AdaptiveRate {
  private current: number;
  private readonly ceiling: number;
  private readonly floor: number;
  private readonly stepMs: number;
  private readonly plateauMs: number;
  private readonly probeDelayMs: number;
  private readonly defaultRetryAfterMs: number;
  private readonly jitter: number;
  private readonly now: () => number;
  private readonly random: () => number;

  private nextAt = 0;
  private queue: Array<{ n: number; resolve: (t: Ticket) => void }> = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private timerAt = Infinity;
  private hold: Hold | null = null;
  /** Closed: callers are released at once, nothing is paced (no timer keeps the process up). */
  private closed = false;
  private episode: Episode | null = null;
  private learned: number | null = null;
  /** The last rate sustained for GOOD_MS without a 429. */
  private good: number | null = null;
  /** Slow start's growth per step: ×2 at first, ×1.25 when a learned limit stopped holding. */
  private growth = 2;
  /** The slowest pace slow start released calls at (the starting rate). */
  private readonly startRate: number;
  private doubledAt = -Infinity;
  private sentSinceChange = 0;
  private lastChangeAt: number;
  private waitedSinceChange = false;
  /** When sending last resumed after a hold (or began). */
  private resumedAt: number;
  /** The rate grew past the mark since the last episode (probing, not a fall in the limit). */
  private grewSinceEpisode = false;
  private plateau: number;
  /** Calls released and calls answered, by the time it happened. */
  private readonly sent = new RateMeter(2000);
  private readonly answered = new RateMeter(2000);
  /** Outcomes by the time the call was *sent*, for the share the endpoint accepts. */
  private readonly okBySend = new RateMeter(2000);
  private readonly refusedBySend = new RateMeter(2000);
  private throttles = 0;
  private episodes = 0;
  private severeEpisodes = 0;
  private probes = 0;
  private failedProbes = 0;
  private slowdowns = 0;

  constructor(opts: RateOptions = {}) {
    this.ceiling = opts.ceiling && opts.ceiling > 0 ? opts.ceiling : Infinity;
    this.floor = Math.min(opts.floor ?? 1, this.ceiling);
    this.current = Math.min(this.ceiling, opts.initial ?? (Number.isFinite(this.ceiling) ? this.ceiling : 20));
    this.stepMs = opts.stepMs ?? 200;
    this.plateauMs = opts.plateauMs ?? 5000;
    this.plateau = this.plateauMs;
    this.probeDelayMs = opts.probeDelayMs ?? 40;
    this.defaultRetryAfterMs = opts.defaultRetryAfterMs ?? 1000;
    this.jitter = Math.min(0.5, Math.max(0, opts.jitter ?? 0.1));
    this.now = opts.now ?? Date.now;
    this.random = opts.random ?? Math.random;
    this.startRate = this.current;
    this.lastChangeAt = this.now();
    this.resumedAt = this.lastChangeAt;
  }

  get rate(): number {
    return this.current;
  }

  snapshot(): RateSnapshot {
    return {
      rate: this.current,
      ceiling: this.ceiling,
      learnedLimit: this.learned,
      pausedForMs: this.hold ? Math.max(0, this.hold.until - this.now()) : 0,
      throttles: this.throttles,
      episodes: this.episodes,
      severe: this.severeEpisodes,
      probes: this.probes,
      failedProbes: this.failedProbes,
      slowdowns: this.slowdowns,
    };
  }

  /** Release every waiting caller now (the client is closing; they will not send). */
  close(): void {
    this.closed = true;
    this.clearTimer();
    this.hold = null;
    const q = this.queue;
    this.queue = [];
    const t = this.now();
    for (const w of q) w.resolve({ sentAt: t, rate: this.current, probe: false });
  }

  /**
   * Wait for this caller's turn to send `n` calls (a batch of n counts n). FIFO, except that
   * `first` callers (calls retried after a 429: the oldest work, which an ordered consumer is
   * waiting on) go to the front.
   */
  acquire(n = 1, opts: { first?: boolean } = {}): Promise<Ticket> {
    return new Promise<Ticket>((resolve) => {
      // Work still draining after close (a fill's remaining batches) goes straight on to the
      // client's aborted answer; queued behind the pace it kept a stopped ingest up for seconds.
      if (this.closed) return resolve({ sentAt: this.now(), rate: this.current, probe: false });
      // Nobody was waiting when the last slot came: an idle spell earns no catch-up.
      if (this.queue.length === 0 && !this.hold) this.nextAt = Math.max(this.nextAt, this.now());
      if (opts.first) this.queue.unshift({ n, resolve });
      else this.queue.push({ n, resolve });
      this.pump();
    });
  }

  // -------------------------------------------------------------------------------------------
  // Outcomes

  /** `n` calls were answered (a result or a final RPC error: the endpoint is healthy). */
  onSuccess(n = 1, ticket?: Ticket): void {
    const now = this.now();
    if (n > 0) {
      this.answered.add(now, n);
      this.okBySend.add(ticket?.sentAt ?? now, n);
    }
    this.endProbe(ticket);
    this.noteGood(now);
    this.maybeGrow(now);
  }

  /** The call was answered with something that is neither success nor throttle nor trouble. */
  onOther(ticket?: Ticket): void {
    this.endProbe(ticket);
  }

  /** The endpoint said 429 (Retry-After in ms when it gave one). */
  onThrottle(retryAfterMs?: number, ticket?: Ticket): void {
    const now = this.now();
    this.throttles++;
    this.refusedBySend.add(ticket?.sentAt ?? now, 1);
    const bound = now + (retryAfterMs && retryAfterMs > 0 ? retryAfterMs : this.defaultRetryAfterMs);
    // Retry-After is whole seconds, rounded up: "2" means the endpoint will not take a call for
    // more than one second, so probing sooner only draws 429s.
    const earliest = retryAfterMs && retryAfterMs > 1000 ? now + retryAfterMs - 1000 : now;
    if (ticket?.probe && !ticket.reported && this.hold) {
      ticket.reported = true;
      this.probeFailed(now, bound, earliest);
      return;
    }
    if (ticket) ticket.reported = true;
    const sentAt = ticket?.sentAt ?? now;
    const ep = this.episode;
    // Sent before the current episode began: the same overload, already acted on (without a
    // ticket, anything within 100 ms counts as the same).
    if (ep && (sentAt < ep.startedAt || (!ticket && now - ep.startedAt < 100))) {
      ep.throttled++;
      if (this.hold) this.hold.until = Math.max(this.hold.until, Math.min(bound, this.hold.startedAt + 60_000));
      else if ((ep.throttled >= SEVERE_IN_FLIGHT || earliest > now) && !ep.severe) this.escalate(now, bound, earliest, ticket?.rate ?? this.current);
      return;
    }
    this.startEpisode(now, bound, earliest, ticket);
  }

  /** 5xx, timeout, dropped connection or garbage: the node may be overloaded. */
  onTrouble(ticket?: Ticket): void {
    const now = this.now();
    this.slowdowns++;
    this.endProbe(ticket);
    if (now - this.lastChangeAt < this.stepMs) return;
    this.setRate(Math.max(this.floor, this.current * 0.7), now);
  }

  // -------------------------------------------------------------------------------------------
  // Episodes and holds

  private startEpisode(now: number, bound: number, earliest: number, ticket?: Ticket): void {
    const prev = this.episode;
    const nominal = ticket?.rate ?? this.current;
    // Refused again soon after the last episode, with no probing between them, and not as a
    // stray: the limit really fell, or a window ran out.
    const repeated = prev !== null && !this.grewSinceEpisode && now - prev.startedAt < REPEAT_MS && this.refusedShare(now) >= SEVERE_SHARE;
    const probed = this.grewSinceEpisode;
    // In slow start, the pace one step before this call's (it drew no 429).
    const overshot = this.learned === null && nominal > this.startRate * 1.01 ? nominal / this.growth : null;
    let mark = this.measureLimit(now, nominal);
    // Slow start doubled into the 429: the limit lies between the pace before the doubling
    // and this one. Aim between.
    if (overshot !== null) mark = Math.min(mark, (overshot + nominal) / 2);
    // A stray 429 (a collision of jittered calls, a stall that bunched them) must not ratchet
    // the rate down: never below just under a rate that ran (nearly) clean for a while.
    else if (!repeated && this.good !== null) mark = Math.max(mark, Math.min(nominal, this.good) * TARGET);
    // A probe that found the same limit again: probe less often while it stays put.
    if (probed && this.learned !== null && Math.abs(mark - this.learned) < this.learned * 0.05) this.plateau = Math.min(this.plateau * 2, MAX_PLATEAU_MS);
    else this.plateau = overshot !== null ? Math.min(this.plateauMs, 1000) : this.plateauMs;
    this.episodes++;
    this.episode = { startedAt: now, throttled: 1, severe: false };
    this.grewSinceEpisode = false;
    this.setMark(repeated ? mark * 0.97 : mark, now);
    // Retry-After of two seconds or more is no rounded-up blip: the endpoint means it.
    if (repeated || earliest > now) this.escalate(now, bound, earliest, nominal, false);
  }

  /** More than a stray 429: hold every call until a probe gets through. */
  private escalate(now: number, bound: number, earliest: number, nominal: number, remark = true): void {
    const ep = this.episode!;
    ep.severe = true;
    this.severeEpisodes++;
    this.good = null;
    if (remark) this.setMark(Math.min(this.learned ?? Infinity, this.measureLimit(now, nominal)), now);
    const delay = this.probeDelayMs * (1 + this.jitter * this.random());
    this.hold = { startedAt: now, until: bound, probeAt: Math.max(earliest, now + delay), probeDelay: this.probeDelayMs, probeInFlight: false, failedProbes: 0 };
    this.kick();
  }

  /**
   * The lowest of what the endpoint's answers say the limit is, for a call released at
   * `nominal` calls/s (never below 70% of that: one episode's measures can be skewed by a stall
   * or by calls of an earlier pace, and a limit that really is lower shows up again at once):
   * - if we really sent at that pace lately (the pacer, not the consumer, the concurrency cap
   *   or the CPU, was the bottleneck): that pace, and what the endpoint accepted meanwhile;
   * - if it refused more than strays lately: the pace times the share it accepted (a bucket
   *   overdrawn by x% refuses x% of calls).
   * Otherwise the 429 answered a burst, not the pace, and the pace itself is the measure.
   */
  private measureLimit(now: number, nominal: number): number {
    let mark = nominal;
    // Short, so a slow start's ramp does not read as the pace it reached.
    const pace = now - this.resumedAt >= 300 ? this.sent.rate(now, 300) : nominal;
    if (pace >= 0.9 * nominal) {
      mark = Math.min(mark, pace);
      // Measured since the last hold or slow-start doubling (a hold or a ramp inside the
      // window would read low; under 300 ms is noise).
      const window = Math.min(1000, now - Math.max(this.resumedAt, this.doubledAt));
      if (window >= 300) mark = Math.min(mark, this.answered.rate(now, window));
    }
    const share = this.refusedShare(now);
    if (share >= SEVERE_SHARE) mark = Math.min(mark, Math.min(pace, nominal) * (1 - share));
    return Math.max(nominal * 0.7, mark);
  }

  /** The share of calls sent in the last half second (or second, if few) that were refused. */
  private refusedShare(now: number): number {
    for (const window of [500, 1000]) {
      const ok = this.okBySend.count(now, window);
      const refused = this.refusedBySend.count(now, window);
      if (ok + refused >= 8) return refused / (ok + refused);
    }
    return 0;
  }

  private setMark(mark: number, now: number): void {
    this.learned = Math.max(this.floor, Math.min(this.ceiling, mark));
    this.setRate(Math.max(this.floor, this.learned * 0.95), now);
  }

  private probeFailed(now: number, bound: number, earliest: number): void {
    // Still over: wait twice as long before the next probe, never past Retry-After's end.
    const h = this.hold!;
    this.failedProbes++;
    h.failedProbes++;
    h.probeInFlight = false;
    h.probeDelay = Math.min(h.probeDelay * 2, MAX_PROBE_DELAY_MS);
    h.probeAt = Math.max(earliest, now + h.probeDelay * (1 + this.jitter * this.random()));
    h.until = Math.max(h.until, bound);
    this.kick();
  }

  /** The probe got an answer other than 429: lift the hold. */
  private endProbe(ticket: Ticket | undefined): void {
    if (!ticket) return;
    const wasReported = ticket.reported;
    ticket.reported = true;
    if (!ticket.probe || wasReported || !this.hold) return;
    this.endHold(this.now());
    this.kick();
  }

  /**
   * A hold ended after `held` ms, following `active` ms of sending. A bucket refills within a
   * probe delay; a hold that outlasted a probe means a window we emptied early, and what it
   * really allows is the pace we emptied it at spread over the whole cycle, sending and
   * holding. (If sending began before the window did, this reads high, and the next window
   * runs out sooner and corrects it: better than reading a slow start's ramp as the limit.)
   */
  private endHold(now: number): void {
    const h = this.hold!;
    this.hold = null;
    const held = now - h.startedAt;
    const active = h.startedAt - this.resumedAt;
    this.resumedAt = now;
    // Pacing resumes from the hold's end, not from before it.
    this.nextAt = Math.max(this.nextAt, now);
    if (h.failedProbes > 0 && active > 0 && this.learned !== null) {
      this.learned = Math.max(this.floor, this.learned * (active / (active + held)));
      this.setRate(Math.max(this.floor, Math.min(this.current, this.learned * 0.95)), now);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Growth

  private noteGood(now: number): void {
    if (now - this.resumedAt < GOOD_MS) return;
    const ok = this.okBySend.count(now, GOOD_MS);
    const refused = this.refusedBySend.count(now, GOOD_MS);
    if (ok < 20 || refused > ok * GOOD_SHARE) return;
    const sent = this.sent.rate(now, GOOD_MS);
    if (sent >= 0.9 * this.current) this.good = sent;
  }

  private maybeGrow(now: number): void {
    if (this.hold || now - this.lastChangeAt < this.stepMs || !this.waitedSinceChange) return;
    // Grow only when the rate is what limits us: callers had to wait, and what was sent kept up
    // with the rate (otherwise concurrency, the consumer or the CPU is the bottleneck).
    const expected = ((now - this.lastChangeAt) / 1000) * this.current;
    if (this.sentSinceChange < expected * 0.9) return;
    let next = this.current;
    if (this.learned === null) {
      next = this.current * this.growth;
      this.doubledAt = now;
    } else {
      const target = this.learned * TARGET;
      if (this.current < target) next = Math.min(target, this.current + Math.max(1, (target - this.current) / 2));
      else if (now - this.calmSince() > this.plateau) {
        // Probe gently at first, then faster the longer the endpoint keeps saying yes (the
        // mark may be low, or the plan may have grown).
        const probingFor = now - this.calmSince() - this.plateau;
        const step = Math.max(0.5, this.current * 0.005) * 2 ** Math.min(6, Math.floor(probingFor / 500));
        next = this.current + step;
        this.grewSinceEpisode = true;
        // Sent (not just allowed) well past the mark without a 429: it no longer holds.
        if (this.sent.rate(now, 1000) > this.learned * 1.1) {
          this.learned = null;
          this.growth = 1.25;
        }
      }
    }
    this.setRate(Math.min(this.ceiling, next), now);
  }

  /** Since when no 429 episode or hold has held the rate back. */
  private calmSince(): number {
    return Math.max(this.resumedAt, this.episode?.startedAt ?? -Infinity);
  }

  private setRate(rate: number, now: number): void {
    this.current = rate;
    this.lastChangeAt = now;
    this.waitedSinceChange = false;
    this.sentSinceChange = 0;
  }

  // -------------------------------------------------------------------------------------------
  // Pacing

  /**
   * Release queued callers one interval apart at the rate in force *now* (a rate change or a
   * hold applies to callers already waiting, not only to new ones).
   */
  private pump(): void {
    for (;;) {
      const head = this.queue[0];
      if (!head) return;
      const now = this.now();
      const h = this.hold;
      if (h && now >= h.until) this.endHold(now);
      else if (h) {
        this.waitedSinceChange = true;
        if (!h.probeInFlight && now >= h.probeAt) {
          h.probeInFlight = true;
          this.probes++;
          this.release(now, true);
          continue;
        }
        return this.wakeAt(h.probeInFlight ? h.until : Math.min(h.probeAt, h.until), now);
      }
      if (this.nextAt > now) {
        this.waitedSinceChange = true;
        return this.wakeAt(this.nextAt, now);
      }
      this.release(now, false);
    }
  }

  private release(now: number, probe: boolean): void {
    const head = this.queue.shift()!;
    this.sent.add(now, head.n);
    const base = Math.max(this.nextAt, now - SLACK_MS);
    const spread = 1 + this.jitter * (2 * this.random() - 1);
    this.nextAt = base + ((head.n * 1000) / this.current) * spread;
    this.sentSinceChange += head.n;
    head.resolve({ sentAt: now, rate: this.current, probe });
  }

  private wakeAt(at: number, now: number): void {
    if (this.timer && this.timerAt <= at) return;
    this.clearTimer();
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.timerAt = Infinity;
      this.pump();
    }, Math.max(1, at - now));
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = Infinity;
  }

  private kick(): void {
    this.clearTimer();
    this.pump();
  }
}
