/**
 * Seeded pseudo-random numbers for the demo generator. The output must be byte-identical for the
 * same options in the browser and in Node, so nothing here touches Math.random, Date.now or the
 * platform's crypto. sfc32 (Chris Doty-Humphrey's Small Fast Counter, from PractRand) passes
 * PractRand/BigCrush, needs only 32-bit integer maths and is ~10× faster than a hash per draw.
 */

/** A deterministic random source. Every method advances the same stream. */
export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Uniform integer in [min, max] (both inclusive). */
  range(min: number, max: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** A uniformly chosen element; throws on an empty list (a generator bug, not bad input). */
  pick<T>(items: readonly T[]): T;
  /** Approximately normal (Irwin–Hall of 4 uniforms): cheap, bounded to mean ± 2√3·sd. */
  normal(mean: number, sd: number): number;
  /** Fills `out` with 16 random bytes (for UUIDv7's random part) and returns it. */
  bytes16(out: Uint8Array): Uint8Array;
}

/**
 * cyrb128: a small string hash giving four 32-bit words, used to seed sfc32 from
 * `"<seed>:<stream name>"`. Separate named streams keep, say, the case generator's draws from
 * shifting when the resident generator changes.
 */
function cyrb128(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/** A stream named `name` derived from `seed`; the same pair always gives the same numbers. */
export function createRng(seed: number, name: string): Rng {
  let [a, b, c, d] = cyrb128(`${seed}:${name}`);
  const nextU32 = (): number => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return t >>> 0;
  };
  // Discard the first outputs: sfc32 mixes its state over the first dozen rounds.
  for (let i = 0; i < 15; i++) nextU32();

  const next = (): number => nextU32() / 4294967296;
  const int = (n: number): number => Math.floor(next() * n);
  return {
    next,
    int,
    range: (min, max) => min + int(max - min + 1),
    chance: (p) => next() < p,
    pick<T>(items: readonly T[]): T {
      const item = items[int(items.length)];
      if (item === undefined) throw new RangeError('pick() from an empty list');
      return item;
    },
    normal: (mean, sd) => mean + (next() + next() + next() + next() - 2) * sd * Math.sqrt(3),
    bytes16(out) {
      for (let i = 0; i < 16; i += 4) {
        const word = nextU32();
        out[i] = word & 0xff;
        out[i + 1] = (word >>> 8) & 0xff;
        out[i + 2] = (word >>> 16) & 0xff;
        out[i + 3] = word >>> 24;
      }
      return out;
    },
  };
}

/**
 * Picks from a fixed weighted list in O(log n): build once, draw many times (150k cases draw a
 * category each).
 */
export class WeightedTable<T> {
  private readonly cumulative: number[] = [];
  private readonly total: number;

  constructor(private readonly items: readonly (readonly [T, number])[]) {
    let sum = 0;
    for (const [, weight] of items) {
      sum += Math.max(0, weight);
      this.cumulative.push(sum);
    }
    if (!(sum > 0)) throw new RangeError('WeightedTable needs a positive total weight');
    this.total = sum;
  }

  draw(rng: Rng): T {
    const target = rng.next() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.cumulative[mid] ?? 0) > target) hi = mid;
      else lo = mid + 1;
    }
    const entry = this.items[lo];
    if (entry === undefined) throw new RangeError('WeightedTable is empty');
    return entry[0];
  }
}
