import { describe, expect, it } from 'vitest';
import { HlcClock, HlcError, formatHlc, maxHlc, parseHlc } from './hlc';

describe('hlc', () => {
  it('round-trips and sorts as strings in clock order', () => {
    const a = formatHlc({ ms: 1_700_000_000_000, counter: 2, node: 'dev-a' });
    const b = formatHlc({ ms: 1_700_000_000_000, counter: 10, node: 'dev-a' });
    const c = formatHlc({ ms: 1_700_000_000_001, counter: 0, node: 'dev-a' });
    expect(parseHlc(a)).toEqual({ ms: 1_700_000_000_000, counter: 2, node: 'dev-a' });
    expect([c, b, a].sort()).toEqual([a, b, c]);
    expect(maxHlc(a, c)).toBe(c);
  });

  it('is monotonic when the wall clock stands still or goes back', () => {
    let wall = 1000;
    const clock = new HlcClock('dev-a', () => wall);
    const first = clock.now();
    const second = clock.now();
    wall = 500;
    const third = clock.now();
    expect(first < second && second < third).toBe(true);
    expect(parseHlc(third).ms).toBe(1000);
  });

  it('orders local events after a received remote clock', () => {
    const clock = new HlcClock('dev-a', () => 1000);
    const remote = formatHlc({ ms: 2000, counter: 7, node: 'dev-b' });
    const merged = clock.receive(remote);
    expect(merged > remote).toBe(true);
    expect(clock.now() > merged).toBe(true);
  });

  it('refuses a remote clock far in the future', () => {
    const clock = new HlcClock('dev-a', () => 1000, 60_000);
    const remote = formatHlc({ ms: 1000 + 61_000, counter: 0, node: 'dev-b' });
    expect(() => clock.receive(remote)).toThrow(HlcError);
  });

  it('rejects malformed input', () => {
    expect(() => parseHlc('yesterday')).toThrow(/not an HLC/);
    expect(() => new HlcClock('Bad Node')).toThrow(HlcError);
  });
});
