/**
 * Circuit breaker for one endpoint: after `threshold` consecutive failures that say the endpoint
 * is unwell (5xx, timeouts, dropped connections), stop sending for a cool-down, then let a
 * single probe through (half-open). A probe that gets any answer closes the circuit; one that
 * fails re-opens it with a doubled cool-down (capped). Callers wait rather than fail while the
 * circuit is open, so a short outage costs time, not data; an outage longer than `maxDownMs`
 * rejects waiting callers so the run can stop and be resumed later.
 */
import { RpcError } from './rpc/errors.js';

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerOptions {
  /** Consecutive failures that open the circuit; default 5. */
  threshold?: number;
  /** First cool-down, ms; default 1000. */
  cooldownMs?: number;
  /** Longest cool-down, ms; default 30 s. */
  maxCooldownMs?: number;
  /** Give up after the endpoint has been down this long, ms; default 5 minutes. */
  maxDownMs?: number;
  now?: () => number;
  onChange?: (state: BreakerState) => void;
}

export class CircuitBreaker {
  private state_: BreakerState = 'closed';
  private failures = 0;
  private openUntil = 0;
  private downSince = 0;
  private cooldown: number;
  private probing = false;
  private waiters: Array<() => void> = [];
  private readonly threshold: number;
  private readonly baseCooldown: number;
  private readonly maxCooldown: number;
  private readonly maxDownMs: number;
  private readonly now: () => number;
  private readonly onChange?: (state: BreakerState) => void;

  constructor(opts: BreakerOptions = {}) {
    this.threshold = opts.threshold ?? 5;
    this.baseCooldown = opts.cooldownMs ?? 1000;
    this.cooldown = this.baseCooldown;
    this.maxCooldown = opts.maxCooldownMs ?? 30_000;
    this.maxDownMs = opts.maxDownMs ?? 300_000;
    this.now = opts.now ?? Date.now;
    this.onChange = opts.onChange;
  }

  get state(): BreakerState {
    return this.state_;
  }

  /**
   * Resolve when a request may be sent. Answers true when the caller is the half-open probe
   * (it must report back with onSuccess / onFailure).
   */
  async admit(): Promise<boolean> {
    for (;;) {
      if (this.state_ === 'closed') return false;
      const now = this.now();
      if (now - this.downSince > this.maxDownMs) {
        throw new RpcError('down', `endpoint unreachable for ${Math.round((now - this.downSince) / 1000)} s (circuit breaker open)`);
      }
      if (this.state_ === 'open' && now >= this.openUntil) this.set('half-open');
      if (this.state_ === 'half-open' && !this.probing) {
        this.probing = true;
        return true;
      }
      // Wait for the cool-down to end or for the probe's verdict, whichever comes first.
      const wait = this.state_ === 'open' ? this.openUntil - now : this.cooldown;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.max(1, wait));
        this.waiters.push(done);
        function done() {
          clearTimeout(timer);
          resolve();
        }
      });
    }
  }

  /** The endpoint answered (anything but an endpoint-trouble failure). */
  onSuccess(): void {
    this.failures = 0;
    if (this.state_ !== 'closed') {
      this.probing = false;
      this.cooldown = this.baseCooldown;
      this.set('closed');
      this.wake();
    }
  }

  onFailure(): void {
    this.failures++;
    const now = this.now();
    if (this.state_ === 'half-open') {
      this.probing = false;
      this.cooldown = Math.min(this.maxCooldown, this.cooldown * 2);
      this.openUntil = now + this.cooldown;
      this.set('open');
      this.wake();
    } else if (this.state_ === 'closed' && this.failures >= this.threshold) {
      this.downSince = now;
      this.openUntil = now + this.cooldown;
      this.set('open');
    }
  }

  private set(state: BreakerState): void {
    if (this.state_ === state) return;
    this.state_ = state;
    this.onChange?.(state);
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const done of w) done();
  }
}
