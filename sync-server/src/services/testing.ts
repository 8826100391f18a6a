import type { Role } from '@shared/domain/account';
import { createSqliteStorage } from '../storage/sqlite';
import type { Storage } from '../storage/types';
import { hashPassword } from './auth';
import type { SyncAuth } from './sync';

/** Test fixtures for the auth tests: one user, 王丽 (`wang.li`), with one membership. Not used by the server. */
export const TEST_USER_ID = '0190a5d0-0000-7000-8000-000000000001';
export const TEST_PASSWORD = 'heping2026li';

/** A migrated in-memory SQLite storage holding the test user with `scope`/`role`. */
export async function storageWithTestUser(scope: string, role: Role, at: Date): Promise<Storage> {
  const storage = createSqliteStorage(':memory:');
  await storage.migrate();
  const passwordHash = await hashPassword(TEST_PASSWORD);
  await storage.transaction(async (tx) => {
    await tx.createUser({
      id: TEST_USER_ID,
      username: 'wang.li',
      displayName: '王丽',
      passwordHash,
      disabled: false,
      failedLogins: 0,
      lockedUntil: null,
      departmentId: null,
      createdAt: at.toISOString(),
    });
    await tx.grantMembership({
      id: '0190a5d0-0000-7000-8000-000000000002',
      userId: TEST_USER_ID,
      scope,
      role,
      grantedAt: at.toISOString(),
      grantedBy: null,
      revokedAt: null,
    });
  });
  return storage;
}

/** What a test's SyncAuth is made of; everything but the memberships has a default. */
export interface TestSyncAuthOptions {
  memberships: { scope: string; role?: Role }[];
  deviceId: string;
  userId?: string;
  displayName?: string;
  departmentId?: string | null;
  /** When the user, memberships and session were made. */
  at?: Date;
}

/** An authenticated caller for the sync service tests, as `authenticate` would resolve it. */
export function testSyncAuth(options: TestSyncAuthOptions): SyncAuth {
  const userId = options.userId ?? TEST_USER_ID;
  const at = (options.at ?? new Date('2026-11-01T00:00:00.000Z')).toISOString();
  return {
    user: {
      id: userId,
      username: 'zhou.min',
      displayName: options.displayName ?? '周敏',
      passwordHash: 'scrypt$x',
      disabled: false,
      failedLogins: 0,
      lockedUntil: null,
      departmentId: options.departmentId ?? null,
      createdAt: at,
    },
    memberships: options.memberships.map((m, i) => ({
      id: `m${i + 1}`,
      userId,
      scope: m.scope,
      role: m.role ?? 'grid-worker',
      grantedAt: at,
      grantedBy: null,
      revokedAt: null,
    })),
    session: {
      tokenHash: 'hash',
      userId,
      deviceId: options.deviceId,
      createdAt: at,
      expiresAt: '2026-12-29T06:00:00.000Z',
      revokedAt: null,
    },
  };
}
