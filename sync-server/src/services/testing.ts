import type { Role } from '@shared/domain/account';
import { createSqliteStorage } from '../storage/sqlite';
import type { Storage } from '../storage/types';
import { hashPassword } from './auth';

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
