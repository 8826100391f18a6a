/**
 * Hybrid logical clock (Kulkarni et al.): wall-clock milliseconds plus a counter that orders
 * events within one millisecond or when a device's clock runs behind one it has heard from,
 * plus the node (device) id as the final tie-breaker. Encoded as a fixed-width string so that
 * plain string comparison is clock order: `0001764396000000-001f-<node>`.
 */

export interface Hlc {
  /** Wall-clock milliseconds since the epoch. */
  readonly ms: number;
  /** Logical counter within `ms`, 0–0xffff. */
  readonly counter: number;
  /** Device (node) id; ties between equal (ms, counter) are broken by it. */
  readonly node: string;
}

const MAX_COUNTER = 0xffff;
const NODE_PATTERN = /^[0-9a-z-]{1,64}$/;

export class HlcError extends Error {
  constructor(
    readonly code: 'hlc-format' | 'hlc-counter-overflow' | 'hlc-drift',
    message: string,
  ) {
    super(message);
    this.name = 'HlcError';
  }
}

export function formatHlc({ ms, counter, node }: Hlc): string {
  if (!Number.isSafeInteger(ms) || ms < 0 || ms > 9_999_999_999_999) {
    throw new HlcError('hlc-format', `HLC time out of range: ${ms}`);
  }
  if (!Number.isInteger(counter) || counter < 0 || counter > MAX_COUNTER) {
    throw new HlcError('hlc-counter-overflow', `HLC counter out of range: ${counter}`);
  }
  if (!NODE_PATTERN.test(node)) throw new HlcError('hlc-format', `HLC node id is invalid: ${node}`);
  return `${String(ms).padStart(13, '0')}-${counter.toString(16).padStart(4, '0')}-${node}`;
}

export function parseHlc(text: string): Hlc {
  const match = /^(\d{13})-([0-9a-f]{4})-([0-9a-z-]{1,64})$/.exec(text);
  if (!match) throw new HlcError('hlc-format', `not an HLC: ${text}`);
  const [, ms = '', counter = '', node = ''] = match;
  return { ms: Number(ms), counter: parseInt(counter, 16), node };
}

/** The larger of two encoded clocks (string order is clock order). */
export function maxHlc(a: string, b: string): string {
  return a >= b ? a : b;
}

/**
 * A device's clock. `now()` stamps a local event; `receive()` merges a clock seen from elsewhere
 * so later local events order after it. A remote clock more than `maxDriftMs` ahead of the
 * wall clock is refused: accepting it would drag every later local stamp into the future.
 */
export class HlcClock {
  private last: Hlc;

  constructor(
    readonly node: string,
    private readonly wallClock: () => number = () => Date.now(),
    readonly maxDriftMs = 5 * 60_000,
    last?: string,
  ) {
    if (!NODE_PATTERN.test(node))
      throw new HlcError('hlc-format', `HLC node id is invalid: ${node}`);
    this.last = last ? parseHlc(last) : { ms: 0, counter: 0, node };
  }

  now(): string {
    const wall = this.wallClock();
    const ms = Math.max(wall, this.last.ms);
    const counter = ms === this.last.ms ? this.last.counter + 1 : 0;
    return this.commit(ms, counter);
  }

  receive(remote: string): string {
    const r = parseHlc(remote);
    const wall = this.wallClock();
    if (r.ms - wall > this.maxDriftMs) {
      throw new HlcError('hlc-drift', `remote clock is ${r.ms - wall} ms ahead of this device`);
    }
    const ms = Math.max(wall, this.last.ms, r.ms);
    let counter = 0;
    if (ms === this.last.ms && ms === r.ms) counter = Math.max(this.last.counter, r.counter) + 1;
    else if (ms === this.last.ms) counter = this.last.counter + 1;
    else if (ms === r.ms) counter = r.counter + 1;
    return this.commit(ms, counter);
  }

  private commit(ms: number, counter: number): string {
    if (counter > MAX_COUNTER) {
      throw new HlcError('hlc-counter-overflow', 'more than 65535 events in one millisecond');
    }
    this.last = { ms, counter, node: this.node };
    return formatHlc(this.last);
  }
}
