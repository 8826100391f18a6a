import type { SyncApiError } from './api';

/**
 * When to sync: on demand, when the network comes back, and periodically; after a failure it
 * waits with exponential backoff (with jitter, so a street's laptops do not retry in step).
 * One round at a time: a request during a round marks one more round to follow.
 */
export interface SchedulerOptions {
  run: () => Promise<void>;
  intervalMs?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  random?: () => number;
  onState?: (state: SchedulerState) => void;
}

export interface SchedulerState {
  running: boolean;
  failures: number;
  nextAttemptAt: number | null;
}

/** Delay before attempt n+1 after n consecutive failures. */
export function backoffDelay(
  failures: number,
  minMs: number,
  maxMs: number,
  random: () => number,
): number {
  const exp = Math.min(maxMs, minMs * 2 ** Math.max(0, failures - 1));
  return Math.round(exp / 2 + (random() * exp) / 2);
}

/** Errors that retrying cannot fix: the user must act (sign in again, update the app). */
export function isFatal(error: unknown): boolean {
  const code = (error as Partial<SyncApiError> | null)?.code;
  return (
    code === 'unauthorized' ||
    code === 'token-expired' ||
    code === 'device-mismatch' ||
    code === 'protocol-version' ||
    code === 'account-disabled'
  );
}

export class SyncScheduler {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private current: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private state: SchedulerState = { running: false, failures: 0, nextAttemptAt: null };
  private readonly options: Required<Omit<SchedulerOptions, 'onState'>> &
    Pick<SchedulerOptions, 'onState'>;
  private readonly onOnline = () => void this.syncNow();

  constructor(options: SchedulerOptions) {
    this.options = {
      intervalMs: 60_000,
      minBackoffMs: 2_000,
      maxBackoffMs: 5 * 60_000,
      random: Math.random,
      ...options,
    };
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    globalThis.addEventListener?.('online', this.onOnline);
    void this.syncNow();
  }

  stop(): void {
    this.stopped = true;
    globalThis.removeEventListener?.('online', this.onOnline);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Runs a round now (or right after the current one) and resolves when it is done. */
  syncNow(): Promise<void> {
    if (this.current) {
      this.again = true;
      return this.current;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.current = this.round().finally(() => {
      this.current = null;
      if (this.again) {
        this.again = false;
        void this.syncNow();
      }
    });
    return this.current;
  }

  private async round(): Promise<void> {
    this.update({ running: true, nextAttemptAt: null });
    let delay = this.options.intervalMs;
    try {
      await this.options.run();
      this.update({ failures: 0 });
    } catch (error) {
      const failures = this.state.failures + 1;
      this.update({ failures });
      if (isFatal(error)) delay = -1;
      else
        delay = backoffDelay(
          failures,
          this.options.minBackoffMs,
          this.options.maxBackoffMs,
          this.options.random,
        );
    } finally {
      this.update({ running: false });
    }
    if (!this.stopped && delay >= 0) {
      this.update({ nextAttemptAt: Date.now() + delay });
      this.timer = setTimeout(() => void this.syncNow(), delay);
    }
  }

  private update(patch: Partial<SchedulerState>) {
    this.state = { ...this.state, ...patch };
    this.options.onState?.(this.state);
  }
}
