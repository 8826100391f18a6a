import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  DEVICE_HEADER,
  PROTOCOL_HEADER,
  PROTOCOL_VERSION,
  SYNC_LIMITS,
} from '@shared/sync/protocol';
import { v7 as uuidv7 } from 'uuid';
import { historyRowData } from '@shared/domain/recordChange';
import { formatHlc } from '@shared/sync/hlc';
import { hashToken } from '../../sync-server/src/services/auth';
import { pullChanges } from '../../renderer/src/sync/engine';
import { ENGINES, useSeededServer } from './fixture';
import type { TestDevice } from './device';
import { COMMUNITY, GRID_A, GRID_B } from './harness';

/**
 * Several simulated devices (the app's real db + sync client on fake-indexeddb) against the real
 * server process, on SQLite and — when GRIDWORK_TEST_DATABASE_URL is set, as in CI — PostgreSQL.
 */
describe.each(ENGINES)('sync on %s', (engine) => {
  const env = useSeededServer(engine, [
    { username: 'alice', scope: GRID_A, role: 'grid-worker' },
    { username: 'bob', scope: GRID_A, role: 'grid-worker' },
    { username: 'carol', scope: GRID_B, role: 'grid-worker' },
    { username: 'dave', scope: COMMUNITY, role: 'community' },
    { username: 'root', scope: '110000000000', role: 'admin' },
  ]);
  const device = (username: string) => env.device(username);
  const householdA = () => env.id(`household-${GRID_A}`);
  const householdB = () => env.id(`household-${GRID_B}`);
  /** Queues `count` timeline notes on grid A's household, reasons `<prefix>-<i>`. */
  const queueNotes = async (a: TestDevice, count: number, prefix: string) => {
    for (let i = 0; i < count; i += 1) {
      await a.create('caseEvents', GRID_A, {
        caseId: householdA(),
        type: 'note',
        at: new Date().toISOString(),
        actorId: a.userId,
        actorName: 'alice',
        departmentId: null,
        reason: `${prefix}-${i}`,
        data: {},
      });
    }
  };
  /** How many notes with that prefix a device holds, and how many distinct ones. */
  const notesOf = async (d: TestDevice, prefix: string) => {
    const reasons = (await d.db.caseEvents.toArray())
      .map((e) => e.reason)
      .filter((r) => r.startsWith(`${prefix}-`));
    return { count: reasons.length, distinct: new Set(reasons).size };
  };

  it('keeps both edits when two devices change different fields of one household offline', async () => {
    const a = await device('alice');
    const b = await device('bob');
    await Promise.all([a.sync(), b.sync()]);
    await a.update('households', householdA(), { type: 'rented' });
    await b.update('households', householdA(), { note: '独居老人，需每周走访' });
    await a.sync();
    await b.sync();
    await a.sync();
    for (const d of [a, b]) {
      expect(await d.get('households', householdA())).toMatchObject({
        type: 'rented',
        note: '独居老人，需每周走访',
      });
      expect(await d.db.outbox.count()).toBe(0);
    }
    const third = await device('dave');
    await third.sync();
    expect(await third.get('households', householdA())).toMatchObject({
      type: 'rented',
      note: '独居老人，需每周走访',
    });
    expect(await third.db.conflicts.count()).toBe(0);
  });

  it('syncs the change history to every device of the record’s scope and nowhere else', async () => {
    const a = await device('alice');
    const b = await device('bob');
    const c = await device('carol');
    await Promise.all([a.sync(), b.sync(), c.sync()]);
    await a.update('households', householdA(), { note: '变更记录同步' });
    // The history row travels with the edit but is not counted as a change of its own.
    expect(await a.sync()).toMatchObject({ pushed: 1, rejected: 0 });
    expect(await a.db.outbox.count()).toBe(0);
    await Promise.all([b.sync(), c.sync()]);
    const ofHousehold = async (d: typeof a) =>
      (await d.db.recordChanges.toArray()).filter((r) => r.recordId === householdA());
    const rows = (await ofHousehold(b)).filter((r) => r.fields.note?.new === '变更记录同步');
    expect(rows.map((r) => [r.table, r.op, r.actorId, r.scope])).toEqual([
      ['households', 'update', a.userId, GRID_A],
    ]);
    expect(await ofHousehold(c)).toEqual([]);
  });

  it('drops the history row of a refused change; sends one an older app queued on its own', async () => {
    const a = await device('alice');
    const b = await device('bob');
    await Promise.all([a.sync(), b.sync()]);
    const historyOf = async (d: TestDevice, recordId: string) =>
      (await d.db.recordChanges.toArray()).filter((r) => r.recordId === recordId);

    // Alice writes only grid A: the server refuses a household she adds in grid B, and the
    // history row that rode on it, which the server never wrote, leaves her device too.
    const mine = await a.get('households', householdA());
    if (!mine) throw new Error('no household in grid A');
    const { id: _id, scope: _s, createdAt: _c, updatedAt: _u, hlc: _h, clocks: _k, ...data } = mine;
    const outside = await a.create('households', GRID_B, { ...data, gridCode: GRID_B });
    expect(await historyOf(a, outside.id)).toHaveLength(1);
    expect(await a.sync()).toMatchObject({ pushed: 1, rejected: 1 });
    expect(await historyOf(a, outside.id)).toEqual([]);
    expect((await a.db.rejections.toArray()).map((r) => [r.recordId, r.code])).toEqual([
      [outside.id, 'out-of-scope'],
    ]);

    // An outbox queued by a protocol-3 app holds the history row as a create of its own.
    const at = new Date().toISOString();
    const hlc = formatHlc({ ms: Date.now(), counter: 0, node: 'legacy' });
    const legacyId = uuidv7();
    await a.db.outbox.add({
      table: 'recordChanges',
      recordId: legacyId,
      scope: GRID_A,
      op: 'create',
      fields: historyRowData(
        { table: 'households', recordId: householdA(), op: 'update', actorId: a.userId, at },
        { actorName: 'alice', fields: { note: { old: '', new: '旧版记录' } } },
      ),
      base: {},
      hlc,
      actorId: a.userId,
      at,
    });
    expect(await a.sync()).toMatchObject({ pushed: 0, rejected: 0 });
    await b.sync();
    expect(
      (await historyOf(b, householdA())).map((r) => [r.id, r.fields.note?.new]),
    ).toContainEqual([legacyId, '旧版记录']);
  });

  it('picks the same winner everywhere for one field and keeps both values in a conflict', async () => {
    const a = await device('alice');
    const b = await device('bob');
    await Promise.all([a.sync(), b.sync()]);
    await a.update('households', householdA(), { unit: '3' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await b.update('households', householdA(), { unit: '4' }); // the later clock wins
    await b.sync();
    await a.sync();
    await b.sync();
    const winners = await Promise.all(
      [a, b].map(async (d) => (await d.get('households', householdA()))?.unit),
    );
    expect(winners).toEqual(['4', '4']);
    for (const d of [a, b]) {
      const conflicts = (await d.db.conflicts.toArray()).filter(
        (c) => c.recordId === householdA() && c.field === 'unit',
      );
      expect(conflicts).toHaveLength(1);
      expect(conflicts[0]).toMatchObject({ winnerValue: '4', loserValue: '3', resolved: false });
    }
  });

  it('never overwrites a field that still has an unacknowledged local edit', async () => {
    const a = await device('alice');
    const b = await device('bob');
    await Promise.all([a.sync(), b.sync()]);
    await a.update('households', householdA(), { note: 'A 未上传' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await b.update('households', householdA(), { note: 'B 已上传', type: 'vacant' });
    await b.sync();
    await pullChanges(a.db, a.api); // A pulls B's row while its own edit is still queued
    expect(await a.get('households', householdA())).toMatchObject({
      note: 'A 未上传',
      type: 'vacant',
    });
    expect(await a.db.outbox.count()).toBe(1); // the edit, its change-history row riding on it
    await a.sync(); // now the server decides: B's later clock wins, and A converges to it
    expect(await a.get('households', householdA())).toMatchObject({
      note: 'B 已上传',
      type: 'vacant',
    });
  });

  it('treats a replayed or duplicated push as a no-op', async () => {
    const a = await device('alice');
    await a.sync();
    await a.create('caseEvents', GRID_A, {
      caseId: householdA(),
      type: 'note',
      at: new Date().toISOString(),
      actorId: a.userId,
      actorName: 'alice',
      departmentId: null,
      reason: '重复推送测试',
      data: {},
    });
    const [entry] = await a.db.outbox.toArray();
    expect(entry).toBeDefined();
    const batch = {
      deviceId: a.api.deviceId,
      mutations: [
        {
          seq: entry?.seq ?? 0,
          op: 'create' as const,
          table: 'caseEvents' as const,
          recordId: entry?.recordId ?? '',
          scope: GRID_A,
          fields: entry?.fields ?? {},
          base: {},
          hlc: entry?.hlc ?? '',
          actorId: a.userId,
          at: entry?.at ?? '',
        },
      ],
    };
    const first = await a.api.push(batch);
    const again = await a.api.push(batch);
    const doubled = await a.api.push({
      ...batch,
      mutations: [...batch.mutations, ...batch.mutations],
    });
    expect(first.results.map((r) => r.status)).toEqual(['applied']);
    expect(again.results.map((r) => r.status)).toEqual(['duplicate']);
    expect(doubled.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate']);
    await a.sync(); // the outbox entry is answered as a duplicate and leaves
    const b = await device('bob');
    await b.sync();
    const events = (await b.db.caseEvents.toArray()).filter((e) => e.reason === '重复推送测试');
    expect(events).toHaveLength(1);
    expect(await a.db.outbox.count()).toBe(0);
  });

  it('loses nothing and duplicates nothing when the server is killed mid-batch', async () => {
    await env.server.kill();
    await env.server.start({ GRIDWORK_FAULT_PUSH_DELAY_MS: '1500' });
    const a = await device('alice');
    await a.sync();
    await queueNotes(a, 120, 'crash');
    // Settled into a value at once, so the rejection is never "unhandled" while the server dies.
    const attempt = a.sync().then(
      () => null,
      (error: unknown) => error,
    );
    await new Promise((resolve) => setTimeout(resolve, 500)); // inside the held-open push transaction
    await env.server.kill('SIGKILL');
    expect(await attempt).toMatchObject({ code: 'unavailable' });
    expect(await a.db.outbox.count()).toBe(120);
    await env.server.start();
    await a.sync();
    expect(await a.db.outbox.count()).toBe(0);
    const b = await device('bob');
    await b.sync();
    expect(await notesOf(b, 'crash')).toEqual({ count: 120, distinct: 120 });
  }, 60_000);

  it('keeps the answer of a batch when the next batch’s request dies', async () => {
    await env.server.kill();
    await env.server.start({ GRIDWORK_FAULT_PUSH_DELAY_MS: '1500' });
    const a = await device('alice');
    await a.sync();
    const total = SYNC_LIMITS.maxPushMutations + 200; // two batches
    await queueNotes(a, total, 'batch');
    const attempt = a.sync().then(
      () => null,
      (error: unknown) => error,
    );
    // The first batch is answered after 1.5 s; the second is then held open when the server dies.
    await new Promise((resolve) => setTimeout(resolve, 2300));
    await env.server.kill('SIGKILL');
    expect(await attempt).toMatchObject({ code: 'unavailable' });
    // The first answer was applied while the second batch was on the wire.
    expect(await a.db.outbox.count()).toBe(200);
    await env.server.start();
    await a.sync();
    expect(await a.db.outbox.count()).toBe(0);
    const b = await device('bob');
    await b.sync();
    expect(await notesOf(b, 'batch')).toEqual({ count: total, distinct: total });
  }, 60_000);

  it('keeps both of two pushes that change one household at the same moment', async () => {
    await env.server.kill();
    await env.server.start({ GRIDWORK_FAULT_PUSH_DELAY_MS: '800' });
    const a = await device('alice');
    const b = await device('bob');
    await Promise.all([a.sync(), b.sync()]);
    await a.update('households', householdA(), { type: 'rented' });
    await b.update('households', householdA(), { note: '同时推送' });
    // A's push holds its transaction open; B's arrives meanwhile. On PostgreSQL both run side
    // by side: B must not read the row before A commits, or it writes A's field back.
    const first = a.sync();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await b.sync();
    await first;
    await env.server.kill();
    await env.server.start();
    const stored = await env.server
      .storage()
      .transaction((tx) => tx.getRow('households', householdA()));
    expect(stored?.record).toMatchObject({ type: 'rented', note: '同时推送' });
  }, 60_000);

  it('refuses reads and writes outside the user’s scopes', async () => {
    const a = await device('alice');
    await a.sync();
    expect(await a.get('households', householdB())).toBeUndefined();
    expect((await a.db.households.toArray()).every((h) => h.scope === GRID_A)).toBe(true);

    // A forged write into grid B, as a modified client would send it.
    await a.create('households', GRID_B, {
      gridCode: GRID_B,
      buildingId: householdA(),
      unit: '1',
      room: '101',
      address: '越权写入',
      type: 'owner',
      headResidentId: null,
      location: [116.41, 39.95],
      note: '',
    });
    const report = await a.sync();
    expect(report.rejected).toBe(1);
    const [rejection] = await a.db.rejections.toArray();
    expect(rejection).toMatchObject({ code: 'out-of-scope' });
    const c = await device('carol');
    await c.sync();
    expect((await c.db.households.toArray()).map((h) => h.address)).not.toContain('越权写入');
    expect((await c.db.households.toArray()).map((h) => h.id)).toEqual([householdB()]);
  });

  it('gives a city-wide admin every district, each with its own cursor', async () => {
    const admin = await device('root');
    await admin.sync();
    expect((await admin.db.households.toArray()).map((h) => h.id).sort()).toEqual(
      [householdA(), householdB()].sort(),
    );
    expect((await admin.db.syncState.toArray()).map((s) => s.scope)).toEqual(['110101000000']);
  });

  it('answers malformed, oversized, wrong-version and forged requests with named 4xx errors and changes nothing', async () => {
    const a = await device('alice');
    await a.sync();
    const headers = {
      [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
      [DEVICE_HEADER]: a.api.deviceId,
      authorization: `Bearer ${a.currentToken ?? ''}`,
      'content-type': 'application/json',
    };
    const post = (path: string, body: string, extra: Record<string, string> = {}) =>
      fetch(`${env.server.url}${path}`, {
        method: 'POST',
        headers: { ...headers, ...extra },
        body,
      });
    const expectError = async (response: Response, status: number, code: string) => {
      expect(response.status).toBe(status);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe(code);
    };
    await expectError(await post('/api/sync/push', '{"deviceId": 42'), 400, 'bad-request');
    await expectError(
      await post(
        '/api/sync/push',
        JSON.stringify({ deviceId: a.api.deviceId, mutations: [{ seq: 1, op: 'update' }] }),
      ),
      400,
      'bad-request',
    );
    // A 5 MiB body is refused from its declared length before any of it is read; the test sends
    // only the headers and waits for the answer, so no write races the server's early reply.
    const oversized = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = httpRequest(
        `${env.server.url}/api/sync/push`,
        { method: 'POST', headers: { ...headers, 'content-length': String(5 * 1024 * 1024) } },
        (response) => {
          let body = '';
          response.on('data', (chunk: Buffer) => (body += chunk.toString()));
          response.on('end', () => {
            resolve({ status: response.statusCode ?? 0, body });
            request.destroy();
          });
        },
      );
      request.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code !== 'ECONNRESET') reject(error);
      });
      request.write('{"deviceId":"');
    });
    expect(oversized.status).toBe(413);
    expect((JSON.parse(oversized.body) as { error: { code: string } }).error.code).toBe(
      'body-too-large',
    );
    await expectError(
      await post('/api/sync/pull', JSON.stringify({ deviceId: a.api.deviceId, cursors: {} }), {
        [PROTOCOL_HEADER]: '99',
      }),
      426,
      'protocol-version',
    );
    await expectError(
      await post('/api/sync/pull', JSON.stringify({ deviceId: a.api.deviceId, cursors: {} }), {
        authorization: 'Bearer forged-token-forged-token-forged-token',
      }),
      401,
      'unauthorized',
    );
    await expectError(
      await post('/api/sync/pull', JSON.stringify({ deviceId: a.api.deviceId, cursors: {} }), {
        [DEVICE_HEADER]: '01900000-0000-7000-8000-000000000999',
      }),
      401,
      'device-mismatch',
    );
    // An expired session, written straight into the server's storage.
    const expired = 'expired-token-expired-token-expired-token-0123456789';
    await env.server.storage().transaction((tx) =>
      tx.createSession({
        tokenHash: hashToken(expired),
        userId: a.userId,
        deviceId: a.api.deviceId,
        createdAt: '2026-01-01T00:00:00.000Z',
        expiresAt: '2026-01-01T12:00:00.000Z',
        revokedAt: null,
      }),
    );
    await expectError(
      await post('/api/sync/pull', JSON.stringify({ deviceId: a.api.deviceId, cursors: {} }), {
        authorization: `Bearer ${expired}`,
      }),
      401,
      'token-expired',
    );
    // Nothing was changed by any of them: the household is as seeded, and no mutation was recorded.
    const stored = await env.server
      .storage()
      .transaction((tx) => tx.getRow('households', householdA()));
    expect(stored?.record.address).toBe('和平里七区3号楼2单元501（001）');
    expect(
      await env.server.storage().transaction((tx) => tx.getMutationResult(a.api.deviceId, 1)),
    ).toBeUndefined();
    expect((await a.get('households', householdA()))?.id).toBe(householdA());
  });
});
