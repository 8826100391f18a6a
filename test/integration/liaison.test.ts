import { describe, expect, it } from 'vitest';
import { LIAISON_TABLES } from '@shared/sync/readableTables';
import { ENTITY_TABLES } from '@shared/domain/entities';
import { caseData } from '../../renderer/src/features/cases/testCases';
import type { TestDevice } from './device';
import { ENGINES, useSeededServer } from './fixture';
import { GRID_A, STREET } from './harness';

/**
 * A department liaison reads the case loop of its street and nothing of the registry (DESIGN §2,
 * PROTOCOL.md §4): narrowed on the server, purged on a device that held more, and pulled again
 * from the start when the user's roles widen. Real server process, real clients.
 */
describe.each(ENGINES)('a liaison’s reads on %s', (engine) => {
  const env = useSeededServer(engine, [
    { username: 'sam', scope: STREET, role: 'street' },
    { username: 'dora', scope: STREET, role: 'department' },
  ]);
  /** Which tables the device holds rows of. */
  const tablesHeld = async (d: TestDevice) => {
    const held: string[] = [];
    for (const table of ENTITY_TABLES) if ((await d.db.table(table).count()) > 0) held.push(table);
    return held;
  };
  const membership = async (username: string, role: 'street' | 'department', grant: boolean) =>
    env.server.storage().transaction(async (tx) => {
      const user = await tx.getUserByUsername(username);
      if (!user) throw new Error(`${username} was not seeded`);
      const at = new Date().toISOString();
      if (grant)
        await tx.grantMembership({
          id: crypto.randomUUID(),
          userId: user.id,
          scope: STREET,
          role,
          grantedAt: at,
          grantedBy: null,
          revokedAt: null,
        });
      else await tx.revokeMembership(user.id, STREET, role, at);
    });

  it('pulls the street’s cases and no household; widening pulls the registry again', async () => {
    const sam = await env.device('sam');
    const c = await sam.create('cases', GRID_A, caseData());
    await sam.sync();

    const dora = await env.device('dora');
    await dora.sync();
    expect(await dora.get('cases', c.id)).toMatchObject({ status: 'received' });
    expect(await dora.db.households.count()).toBe(0);
    expect((await tablesHeld(dora)).every((t) => LIAISON_TABLES.includes(t as never))).toBe(true);
    expect(await dora.db.syncState.get(STREET)).toMatchObject({ tables: [...LIAISON_TABLES] });

    // Dora also becomes a street officer: her street is read whole again, from the start.
    await membership('dora', 'street', true);
    await dora.sync();
    expect(await dora.db.households.count()).toBe(2);
    expect((await dora.db.syncState.get(STREET))?.tables).toBeUndefined();

    // And back to liaison only: the registry leaves her device, the cases stay.
    await membership('dora', 'street', false);
    await dora.sync();
    expect(await dora.db.households.count()).toBe(0);
    expect(await dora.get('cases', c.id)).toBeDefined();
  });
});
