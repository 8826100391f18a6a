import type { EntityTable } from '@shared/domain/entities';
import { openDb, type GridworkDb } from '../../renderer/src/db/db';
import { loadDevice } from '../../renderer/src/db/device';
import { getRecord } from '../../renderer/src/db/repositories/records';
import { commitChange, type EntityData } from '../../renderer/src/db/write';
import { SyncApi } from '../../renderer/src/sync/api';
import { syncOnce } from '../../renderer/src/sync/engine';
import { TEST_PASSWORD } from './harness';

let counter = 0;

/**
 * A simulated device: the app's real local database (on fake-indexeddb) and its real sync
 * client, talking HTTP to the real server process.
 */
export class TestDevice {
  private token: string | null = null;
  userId = '';

  private constructor(
    readonly db: GridworkDb,
    readonly api: SyncApi,
  ) {}

  static async create(serverUrl: string): Promise<TestDevice> {
    counter += 1;
    const db = openDb(`gridwork-it-device-${counter}-${Date.now()}`);
    const { deviceId } = await loadDevice(db);
    let device: TestDevice | null = null;
    const api = new SyncApi(serverUrl, deviceId, () => device?.token ?? null);
    device = new TestDevice(db, api);
    return device;
  }

  async login(username: string, password = TEST_PASSWORD) {
    const response = await this.api.login(username, password);
    this.token = response.token;
    this.userId = response.user.id;
    return response;
  }

  setToken(token: string | null) {
    this.token = token;
  }

  get currentToken() {
    return this.token;
  }

  sync() {
    return syncOnce(this.db, this.api);
  }

  update<T extends EntityTable>(table: T, id: string, patch: Partial<EntityData<T>>) {
    return commitChange(this.db, { op: 'update', table, id, patch }, { id: this.userId });
  }

  create<T extends EntityTable>(table: T, scope: string, data: EntityData<T>) {
    return commitChange(this.db, { op: 'create', table, scope, data }, { id: this.userId });
  }

  get<T extends EntityTable>(table: T, id: string) {
    return getRecord(this.db, table, id);
  }

  async dispose() {
    await this.db.delete();
  }
}
