import { describe, expect, it } from 'vitest';
import { moveHousehold } from '../../renderer/src/features/registry/moves';
import { residentData } from '../../renderer/src/db/testing';
import { pullChanges, pushOutbox } from '../../renderer/src/sync/engine';
import type { TestDevice } from './device';
import { ENGINES, useSeededServer } from './fixture';
import { GRID_A, GRID_B, STREET } from './harness';

/**
 * Moving registry records to another grid moves their sync scope (`record.rescope`): the new
 * grid's workers receive them, the old grid's drop them, and whoever reads both keeps one copy.
 * Real server process, real clients, SQLite and (with GRIDWORK_TEST_DATABASE_URL) PostgreSQL.
 */
describe.each(ENGINES)('moving records between grids on %s', (engine) => {
  const env = useSeededServer(engine, [
    { username: 'alice', scope: GRID_A, role: 'grid-worker' },
    { username: 'carol', scope: GRID_B, role: 'grid-worker' },
    { username: 'sam', scope: STREET, role: 'street' },
    { username: 'tom', scope: STREET, role: 'street' },
  ]);
  const device = (username: string) => env.device(username);
  const actorOf = (d: TestDevice) => ({ id: d.userId, name: 'test' });

  /** A building in grid B, and in grid A a household with two residents, made by `d`. */
  async function household(d: TestDevice, tag: string) {
    const building = await d.create('buildings', GRID_B, {
      gridCode: GRID_B,
      communityCode: GRID_B.slice(0, 12),
      compound: '和平里七区',
      name: `${tag}号楼`,
      address: `和平里七区${tag}号楼`,
      kind: 'residential',
      floors: 6,
      units: 3,
      location: [116.42, 39.96],
    });
    const home = await d.create('households', GRID_A, {
      gridCode: GRID_A,
      buildingId: building.id,
      unit: '1',
      room: '101',
      address: `和平里七区旧楼${tag}`,
      type: 'owner',
      headResidentId: null,
      location: [116.418, 39.955],
      note: '',
    });
    const people = [
      await d.create('residents', GRID_A, residentData(home.id, { gridCode: GRID_A })),
      await d.create(
        'residents',
        GRID_A,
        residentData(home.id, {
          gridCode: GRID_A,
          name: '李四',
          idNumber: null,
          relation: 'spouse',
        }),
      ),
    ];
    return { building, home, people: people.map((p) => p.id) };
  }

  const moved = (d: TestDevice, home: string, building: string) =>
    moveHousehold(d.db, home, building, { unit: '2', room: '202' }, actorOf(d));

  it('hands a household and its residents from grid A to grid B; a street user keeps one copy', async () => {
    const tom = await device('tom'); // the street colleague who moves it
    const [alice, carol, sam] = await Promise.all([
      device('alice'),
      device('carol'),
      device('sam'),
    ]);
    const { building, home, people } = await household(tom, '21');
    await tom.sync();
    await Promise.all([alice.sync(), carol.sync(), sam.sync()]);
    expect(await alice.get('households', home.id)).toMatchObject({ scope: GRID_A });
    expect(await carol.get('households', home.id)).toBeUndefined();
    for (const id of people) expect(await alice.get('residents', id)).toBeDefined();

    await moved(tom, home.id, building.id);
    // The mover's device shows the move at once, before any sync.
    expect(await tom.get('households', home.id)).toMatchObject({ scope: GRID_B, gridCode: GRID_B });
    expect(await tom.sync()).toMatchObject({ rejected: 0 });
    expect(await tom.db.outbox.count()).toBe(0);
    await Promise.all([alice.sync(), carol.sync(), sam.sync()]);

    // Grid B's worker has it, with its residents, in grid B's scope.
    expect(await carol.get('households', home.id)).toMatchObject({
      scope: GRID_B,
      gridCode: GRID_B,
      buildingId: building.id,
      room: '202',
    });
    for (const id of people)
      expect(await carol.get('residents', id)).toMatchObject({ scope: GRID_B, gridCode: GRID_B });
    // Grid A's worker no longer has any of it.
    expect(await alice.get('households', home.id)).toBeUndefined();
    for (const id of people) expect(await alice.get('residents', id)).toBeUndefined();
    // The street user reads both grids: one copy each, in the new scope.
    expect((await sam.db.households.toArray()).filter((h) => h.id === home.id)).toEqual([
      expect.objectContaining({ scope: GRID_B, gridCode: GRID_B }),
    ]);
    for (const id of people)
      expect(await sam.get('residents', id)).toMatchObject({ scope: GRID_B });
    // The move's change history went to grid B too.
    const historyOf = async (d: TestDevice) =>
      (await d.db.recordChanges.toArray()).filter(
        (r) => r.recordId === home.id && r.fields.room?.new === '202',
      );
    expect(await historyOf(carol)).toHaveLength(1);
    expect(await historyOf(alice)).toEqual([]);
    // The server stores it in grid B.
    const stored = await env.server.storage().transaction((tx) => tx.getRow('households', home.id));
    expect(stored).toMatchObject({ scope: GRID_B });
    for (const d of [alice, carol, sam, tom]) expect(await d.db.rejections.count()).toBe(0);

    // A fresh device of grid A never sees it; a fresh one of grid B gets it in its snapshot.
    const [alice2, carol2] = await Promise.all([device('alice'), device('carol')]);
    await Promise.all([alice2.sync(), carol2.sync()]);
    expect(await alice2.get('households', home.id)).toBeUndefined();
    expect(await carol2.get('households', home.id)).toMatchObject({ scope: GRID_B });
  });

  it('refuses a grid worker’s move out of reach and puts the household back on their device', async () => {
    const tom = await device('tom');
    const { building, home, people } = await household(tom, '22');
    await tom.sync();
    const alice = await device('alice');
    await alice.sync();
    // Alice's device holds the target building only through a street colleague's device; here
    // it is copied in to let the local move happen, as an out-of-date device might.
    await alice.db.buildings.put(building);

    await moved(alice, home.id, building.id);
    expect(await alice.get('households', home.id)).toMatchObject({ scope: GRID_B });
    const report = await alice.sync();
    expect(report.rejected).toBeGreaterThan(0);
    expect(await alice.db.outbox.count()).toBe(0);
    // Nothing moved on the server, and her device shows the household where it still is.
    const stored = await env.server.storage().transaction((tx) => tx.getRow('households', home.id));
    expect(stored).toMatchObject({ scope: GRID_A });
    expect(stored?.record).toMatchObject({ gridCode: GRID_A, room: '101' });
    expect(await alice.get('households', home.id)).toMatchObject({
      scope: GRID_A,
      gridCode: GRID_A,
      room: '101',
    });
    for (const id of people)
      expect(await alice.get('residents', id)).toMatchObject({ scope: GRID_A, gridCode: GRID_A });
    const rejections = await alice.db.rejections.toArray();
    expect(rejections.filter((r) => r.op === 'record.rescope')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          recordId: home.id,
          code: 'out-of-scope',
          fields: { toScope: GRID_B },
        }),
      ]),
    );
    const carol = await device('carol');
    await carol.sync();
    expect(await carol.get('households', home.id)).toBeUndefined();
  });

  it('drops a moved row with a pending local edit; the refused edit lands in the inbox', async () => {
    const tom = await device('tom');
    const { building, home } = await household(tom, '23');
    await tom.sync();
    const alice = await device('alice');
    await alice.sync();
    await alice.update('households', home.id, { note: '离线时写的备注' }); // offline, not yet sent
    await moved(tom, home.id, building.id);
    await tom.sync();

    // Sent first: the server refuses it (the row is in grid B now), and says so.
    await pushOutbox(alice.db, alice.api);
    const [rejection] = (await alice.db.rejections.toArray()).filter((r) => r.recordId === home.id);
    expect(rejection).toMatchObject({ code: 'out-of-scope', fields: { note: '离线时写的备注' } });
    await alice.sync();
    expect(await alice.get('households', home.id)).toBeUndefined();
    const stored = await env.server.storage().transaction((tx) => tx.getRow('households', home.id));
    expect(stored?.record).toMatchObject({ scope: GRID_B, note: '' });
  });

  it('keeps the row on a device that moved it while the server still has it in the old grid', async () => {
    const tom = await device('tom');
    const sam = await device('sam');
    const { building, home } = await household(tom, '24');
    await tom.sync();
    await sam.sync();
    await moved(sam, home.id, building.id);
    // Tom edits the household's note: Sam pulls that row (still in grid A) before pushing.
    await tom.update('households', home.id, { note: '同一街道的另一位同事' });
    await tom.sync();
    await pullChanges(sam.db, sam.api);
    expect(await sam.get('households', home.id)).toMatchObject({
      scope: GRID_B, // the pending move keeps its scope
      gridCode: GRID_B,
      note: '同一街道的另一位同事',
    });
    await sam.sync();
    await tom.sync();
    for (const d of [sam, tom])
      expect(await d.get('households', home.id)).toMatchObject({
        scope: GRID_B,
        gridCode: GRID_B,
        note: '同一街道的另一位同事',
      });
  });
});
