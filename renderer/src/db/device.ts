import { v7 as uuidv7 } from 'uuid';
import { HlcClock } from '@shared/sync/hlc';
import type { GridworkDb } from './db';

/** This installation's identity and clock: the node id of every HLC it stamps. */
export interface Device {
  readonly deviceId: string;
  readonly clock: HlcClock;
}

const devices = new WeakMap<GridworkDb, Promise<Device>>();

/**
 * Loads (or on first run creates) the device id, and a clock that continues from the last
 * persisted HLC, so stamps stay monotonic across restarts even if the wall clock went back.
 */
export function loadDevice(db: GridworkDb, wallClock: () => number = Date.now): Promise<Device> {
  const cached = devices.get(db);
  if (cached) return cached;
  const device = db.transaction('rw', db.meta, async (): Promise<Device> => {
    const stored = (await db.meta.get('deviceId'))?.value;
    const deviceId = typeof stored === 'string' ? stored : uuidv7();
    if (deviceId !== stored) await db.meta.put({ key: 'deviceId', value: deviceId });
    const last = (await db.meta.get('hlc'))?.value;
    return {
      deviceId,
      clock: new HlcClock(
        deviceId,
        wallClock,
        undefined,
        typeof last === 'string' ? last : undefined,
      ),
    };
  });
  const promise = Promise.resolve(device);
  devices.set(db, promise);
  promise.catch(() => devices.delete(db));
  return promise;
}
