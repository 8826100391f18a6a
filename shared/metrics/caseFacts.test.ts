import { describe, expect, it } from 'vitest';
import { instantMs } from './caseFacts';

describe('instantMs', () => {
  it('matches Date.parse on stored instants across eras, leap days and month ends', () => {
    const samples = [
      '1970-01-01T00:00:00.000Z',
      '1999-12-31T23:59:59.999Z',
      '2000-02-29T12:34:56.789Z',
      '2024-02-29T16:00:00.000Z',
      '2026-01-01T00:00:00.001Z',
      '2026-03-01T00:00:00.000Z',
      '2100-03-01T08:00:00.000Z',
      '1969-07-20T20:17:40.000Z',
    ];
    for (const s of samples) expect(instantMs(s)).toBe(Date.parse(s));
    for (let t = Date.UTC(2019, 0, 1); t < Date.UTC(2031, 0, 1); t += 86_400_000 * 0.77) {
      const s = new Date(Math.floor(t)).toISOString();
      expect(instantMs(s)).toBe(Date.parse(s));
    }
  });

  it('hands other forms to Date.parse', () => {
    expect(instantMs('2026-03-01T00:00:00Z')).toBe(Date.parse('2026-03-01T00:00:00Z'));
    expect(instantMs('2026-03-01T08:00:00.000+08:00')).toBe(Date.parse('2026-03-01T00:00:00Z'));
    expect(instantMs('not a date at all, 24 chZ')).toBeNaN();
  });
});
