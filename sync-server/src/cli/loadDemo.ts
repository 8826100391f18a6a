import {
  DEFAULT_DEMO_STREET,
  demoAccounts,
  generateDemoStreet,
  type DemoOptions,
} from '../../../shared/demo';
import type { Role } from '../../../shared/domain/account';
import { hashPassword } from '../services/auth';
import type { MembershipRow, Storage, UserRow } from '../storage/types';
import { findOrgUnits } from './importOrg';

/**
 * `load-demo`: writes the deterministic demo street (shared/demo, default 和平里街道) into the
 * server database and creates its sign-ins, so a newcomer can start the server and log in at once.
 * Idempotent: the data is skipped when the street's org unit exists, users when their username does.
 */

/** The password of every demo account; printed by the command, never for real accounts. */
export const DEMO_PASSWORD = 'gridwork-demo-2026';

/** Rows per transaction: big enough to be fast, small enough not to hold the database for long. */
const ROWS_PER_TRANSACTION = 2500;

export interface LoadDemoOptions {
  households: number;
  seed: number;
  /** The demo's "today", ISO UTC. */
  now: string;
  streetCode?: string;
  /** Progress and result lines. */
  out: (line: string) => void;
}

export interface DemoLogin {
  username: string;
  role: Role;
  scope: string;
}

export interface LoadDemoResult {
  /** False when the street was in the database already. */
  dataWritten: boolean;
  /** Rows written per table. */
  rows: Record<string, number>;
  usersCreated: number;
  usersSkipped: number;
  /** Demo users in all (the five per-role ones, a grid worker per grid, a liaison per department). */
  totalUsers: number;
  /** One sign-in per role, for the table printed at the end. */
  logins: DemoLogin[];
}

/** The demo's default "today": the current UTC day at 00:00, so ids repeat within a day. */
export function defaultDemoNow(today = new Date()): string {
  return new Date(
    Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()),
  ).toISOString();
}

/** Loads the demo street and its accounts; see the module comment. */
export async function loadDemo(
  storage: Storage,
  options: LoadDemoOptions,
): Promise<LoadDemoResult> {
  const streetCode = options.streetCode ?? DEFAULT_DEMO_STREET;
  const demo: DemoOptions = {
    households: options.households,
    seed: options.seed,
    now: options.now,
    streetCode,
  };
  const { out } = options;
  const rows: Record<string, number> = {};

  // Checked before anything is generated, so bad options fail fast with the generator's message.
  const { users, memberships } = demoAccounts(demo);

  const existing = await storage.transaction((tx) => findOrgUnits(tx, [streetCode]));
  const dataWritten = !existing.has(streetCode);
  if (!dataWritten) {
    out(`The demo street ${streetCode} is in the database already: data left as it is.`);
  } else {
    out(
      `Writing the demo street ${streetCode} (${options.households} households, seed ${options.seed}, now ${options.now}) …`,
    );
    let table = '';
    for (const batch of generateDemoStreet(demo, ROWS_PER_TRANSACTION)) {
      if (batch.table !== table) {
        if (table) out(`  ${table}: ${rows[table] ?? 0}`);
        table = batch.table;
      }
      await storage.transaction(async (tx) => {
        for (const row of batch.rows) {
          await tx.putRow(
            batch.table,
            row.id,
            row.scope,
            row as unknown as Record<string, unknown>,
          );
        }
      });
      rows[batch.table] = (rows[batch.table] ?? 0) + batch.rows.length;
    }
    if (table) out(`  ${table}: ${rows[table] ?? 0}`);
  }

  // One hash for all demo users: they share a published password, so separate salts would only
  // cost seconds of scrypt. Real accounts always get their own salt (hashPassword per user).
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const result = await storage.transaction(async (tx) => {
    let created = 0;
    let skipped = 0;
    const createdIds = new Set<string>();
    for (const user of users) {
      if (await tx.getUserByUsername(user.username)) {
        skipped += 1;
        continue;
      }
      const row: UserRow = {
        id: user.id,
        username: user.username,
        displayName: user.displayName,
        passwordHash,
        disabled: false,
        failedLogins: 0,
        lockedUntil: null,
        departmentId: user.departmentId,
        createdAt: user.createdAt,
      };
      await tx.createUser(row);
      createdIds.add(user.id);
      created += 1;
    }
    for (const m of memberships) {
      if (!createdIds.has(m.userId)) continue;
      const row: MembershipRow = { ...m, revokedAt: null };
      await tx.grantMembership(row);
    }
    return { created, skipped };
  });

  const byUser = new Map(users.map((u) => [u.id, u.username]));
  const logins: DemoLogin[] = memberships
    .map((m) => ({ username: byUser.get(m.userId) ?? '?', role: m.role, scope: m.scope }))
    .filter((l) => l.username.startsWith('demo-'));
  return {
    dataWritten,
    rows,
    usersCreated: result.created,
    usersSkipped: result.skipped,
    totalUsers: users.length,
    logins,
  };
}

/** The lines to print after a load: the demo sign-ins as a table, and the password. */
export function demoLoginTable(result: LoadDemoResult): string[] {
  const header = ['username', 'role', 'scope'];
  const body = result.logins.map((l) => [l.username, l.role, l.scope]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [
    `Users: ${result.usersCreated} created, ${result.usersSkipped} already there (${result.totalUsers} demo users in all).`,
    '',
    'Demo sign-ins:',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...body.map(line),
    '',
    `Password for every demo user: ${DEMO_PASSWORD}`,
    'Also: one grid worker per grid (gw-<grid code>) and one liaison per department (dept-<code>), same password.',
  ];
}
