import { afterEach, describe, expect, it, vi } from 'vitest';
import { SyncApiError } from './api';
import { SyncScheduler, backoffDelay, isFatal } from './scheduler';

afterEach(() => {
  vi.useRealTimers();
});

describe('backoffDelay', () => {
  it('doubles per failure up to the cap, with jitter in [exp/2, exp]', () => {
    expect(backoffDelay(1, 1000, 60_000, () => 0)).toBe(500);
    expect(backoffDelay(1, 1000, 60_000, () => 1)).toBe(1000);
    expect(backoffDelay(4, 1000, 60_000, () => 1)).toBe(8000);
    expect(backoffDelay(20, 1000, 60_000, () => 1)).toBe(60_000);
  });
});

describe('SyncScheduler', () => {
  it('retries with growing delays after failures, and resets after a success', async () => {
    vi.useFakeTimers();
    const outcomes = [
      new SyncApiError('unavailable', 'offline', 0),
      new SyncApiError('unavailable', 'offline', 0),
      null,
    ];
    const states: number[] = [];
    const run = vi.fn(async () => {
      const next = outcomes.shift();
      if (next) throw next;
    });
    const scheduler = new SyncScheduler({
      run,
      minBackoffMs: 1000,
      maxBackoffMs: 10_000,
      intervalMs: 60_000,
      random: () => 1,
      onState: (s) => states.push(s.failures),
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(run).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(run).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(run).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(2000);
    expect(run).toHaveBeenCalledTimes(3);
    expect(states).toContain(2);
    expect(states[states.length - 1]).toBe(0);
    scheduler.stop();
  });

  it('stops retrying on errors only the user can fix', async () => {
    vi.useFakeTimers();
    const run = vi.fn(async () => {
      throw new SyncApiError('token-expired', 'expired', 401);
    });
    const scheduler = new SyncScheduler({ run, minBackoffMs: 10 });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(run).toHaveBeenCalledTimes(1);
    expect(isFatal(new SyncApiError('unavailable', 'x', 0))).toBe(false);
    scheduler.stop();
  });

  it('coalesces requests made during a round into one more round', async () => {
    let release = () => {};
    const run = vi.fn(() => new Promise<void>((resolve) => (release = resolve)));
    const scheduler = new SyncScheduler({ run });
    const first = scheduler.syncNow();
    void scheduler.syncNow();
    void scheduler.syncNow();
    release();
    await first;
    await new Promise((r) => setTimeout(r, 0));
    expect(run).toHaveBeenCalledTimes(2);
    release();
    scheduler.stop();
  });
});
