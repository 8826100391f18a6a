import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { v7 as uuidv7 } from 'uuid';
import { DEFAULT_DEMO_STREET } from '../../../shared/demo';
import { RoleSchema, UserSchema, type Role } from '../../../shared/domain/account';
import {
  generatePassword,
  hashPassword,
  normalizeUsername,
  passwordProblem,
} from '../services/auth';
import { isScopeCode, scopeKind } from '../services/scopes';
import type { Storage, UserRow } from '../storage/types';
import { importOrgFile } from './importOrg';
import { defaultDemoNow, demoLoginTable, loadDemo } from './loadDemo';

/**
 * The admin commands of `main.ts` (`npm run server -- <command> …`). Each command is a function
 * over a Storage, so tests call them directly; `runAdmin` parses the arguments, opens storage and
 * maps failures to exit codes: 0 done, 1 failed, 2 bad usage.
 */

/** Where a command writes: stdout and stderr in production, arrays in tests. */
export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** Wrong arguments: exit code 2 with the usage text. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A command that ran and could not do its job: exit code 1 with the message. */
export class CommandError extends Error {
  override name = 'CommandError';
}

const ROLES = RoleSchema.options.join('|');

export const ADMIN_USAGE = `Usage: npm run server [-- <command> [options]]

Without a command the server starts (settings from the environment: GRIDWORK_HOST, GRIDWORK_PORT,
DATABASE_URL or GRIDWORK_DATA_FILE, GRIDWORK_TOKEN_TTL_MINUTES, GRIDWORK_WEB_ROOT).

Commands:
  serve                                      start the server (the default)
  create-user --username <u> --name <显示名> [--password <p>] [--department-id <uuid>]
                                             a new user; without --password one is generated and printed
  grant --username <u> --scope <code> --role <${ROLES}> [--department-id <uuid>]
                                             a membership: the user works in that grid/community/street/district
                                             (admins: 110000000000 for all of Beijing); --department-id sets
                                             the department a liaison (role department) acts for
  revoke --username <u> --scope <code> [--role <role>]
                                             ends memberships (kept for the audit trail)
  list-users                                 every user with its memberships
  disable-user --username <u>                refuses the user's logins and sessions
  enable-user --username <u>                 undoes disable-user and clears a login lock
  set-password --username <u> [--password <p>]
                                             a new password (generated and printed when omitted); clears a lock
  import-org --file <path.geojson|path.csv> [--dry-run]
                                             streets, communities and grids (checked first; any error imports nothing)
  load-demo [--households 1500] [--seed 20261129] [--now <ISO instant>]
                                             the demo street ${DEFAULT_DEMO_STREET} and demo sign-ins
  help                                       this text

Passwords: at least 8 characters with letters and digits. Exit codes: 0 done, 1 failed, 2 bad usage.`;

// ------------------------------------------------------------------ commands

async function requireUser(storage: Storage, username: string): Promise<UserRow> {
  const user = await storage.transaction((tx) => tx.getUserByUsername(normalizeUsername(username)));
  if (!user) throw new CommandError(`No user "${username}". See list-users.`);
  return user;
}

function checkPassword(password: string): void {
  const problem = passwordProblem(password);
  if (problem !== null) throw new CommandError(problem);
}

/** Creates a user; returns it and the password (generated when none was given). */
export async function createUser(
  storage: Storage,
  input: { username: string; displayName: string; password?: string; departmentId?: string },
  now: Date,
): Promise<{ user: UserRow; password: string; generated: boolean }> {
  const username = normalizeUsername(input.username);
  const checked = UserSchema.pick({
    username: true,
    displayName: true,
    departmentId: true,
  }).safeParse({
    username,
    displayName: input.displayName,
    departmentId: input.departmentId ?? null,
  });
  if (!checked.success) {
    throw new CommandError(
      checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    );
  }
  const generated = input.password === undefined;
  const password = input.password ?? generatePassword();
  checkPassword(password);
  const user: UserRow = {
    id: uuidv7(),
    username,
    displayName: checked.data.displayName,
    passwordHash: await hashPassword(password),
    disabled: false,
    failedLogins: 0,
    lockedUntil: null,
    departmentId: checked.data.departmentId,
    createdAt: now.toISOString(),
  };
  await storage.transaction(async (tx) => {
    if (await tx.getUserByUsername(username))
      throw new CommandError(`The username "${username}" is taken.`);
    await tx.createUser(user);
  });
  return { user, password, generated };
}

/** Grants `role` on `scope`; false when the user had that membership already. */
export async function grant(
  storage: Storage,
  input: { username: string; scope: string; role: string },
  now: Date,
): Promise<boolean> {
  const role = RoleSchema.safeParse(input.role);
  if (!role.success) throw new UsageError(`--role must be one of ${ROLES}, got "${input.role}"`);
  checkScope(input.scope, role.data);
  const user = await requireUser(storage, input.username);
  return storage.transaction(async (tx) => {
    const active = await tx.listMemberships(user.id);
    if (
      active.some((m) => m.scope === input.scope && m.role === role.data && m.revokedAt === null)
    ) {
      return false;
    }
    await tx.grantMembership({
      id: uuidv7(),
      userId: user.id,
      scope: input.scope,
      role: role.data,
      grantedAt: now.toISOString(),
      grantedBy: null,
      revokedAt: null,
    });
    return true;
  });
}

function checkScope(scope: string, role: Role): void {
  if (!isScopeCode(scope)) {
    throw new UsageError(
      `--scope must be a grid code (15 digits) or a community/street/district code (12 digits), got "${scope}"`,
    );
  }
  const kind = scopeKind(scope);
  if (role !== 'admin' && (kind === 'province' || kind === 'city')) {
    throw new UsageError(
      `only admins may hold a ${kind}-wide scope (${scope}); grant a district or below`,
    );
  }
}

/** Revokes memberships of `scope` (and `role`, when given); returns how many. */
export async function revoke(
  storage: Storage,
  input: { username: string; scope: string; role?: string },
  now: Date,
): Promise<number> {
  if (input.role !== undefined && !RoleSchema.safeParse(input.role).success) {
    throw new UsageError(`--role must be one of ${ROLES}, got "${input.role}"`);
  }
  const user = await requireUser(storage, input.username);
  const count = await storage.transaction((tx) =>
    tx.revokeMembership(user.id, input.scope, input.role ?? null, now.toISOString()),
  );
  if (count === 0) {
    throw new CommandError(
      `"${user.username}" has no active membership on ${input.scope}${input.role ? ` as ${input.role}` : ''}.`,
    );
  }
  return count;
}

/** One line per user: username, name, state, memberships. */
export async function listUsers(storage: Storage, now: Date): Promise<string[]> {
  const rows = await storage.transaction(async (tx) => {
    const users = await tx.listUsers();
    const result: string[][] = [];
    for (const user of users.sort((a, b) => a.username.localeCompare(b.username))) {
      const memberships = await tx.listMemberships(user.id);
      const locked = user.lockedUntil !== null && Date.parse(user.lockedUntil) > now.getTime();
      const state = user.disabled
        ? 'disabled'
        : locked
          ? `locked until ${user.lockedUntil}`
          : 'active';
      result.push([
        user.username,
        user.displayName,
        state,
        memberships.map((m) => `${m.role}@${m.scope}`).join(', ') || '(no memberships)',
      ]);
    }
    return result;
  });
  if (rows.length === 0) return ['No users yet. Create one with create-user, or run load-demo.'];
  const header = ['username', 'name', 'state', 'memberships'];
  // CJK names are double width in a terminal; padding by code points keeps columns close enough.
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((r) => [...(r[i] ?? '')].length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c + ' '.repeat(Math.max(0, (widths[i] ?? 0) - [...c].length)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

/** Disables or re-enables a user (enabling also clears a login lock). */
export async function setDisabled(
  storage: Storage,
  username: string,
  disabled: boolean,
): Promise<void> {
  const user = await requireUser(storage, username);
  await storage.transaction((tx) =>
    tx.updateUser(
      user.id,
      disabled ? { disabled: true } : { disabled: false, failedLogins: 0, lockedUntil: null },
    ),
  );
}

/** Sets a new password (generated when none is given) and clears a login lock; returns it. */
export async function setPassword(
  storage: Storage,
  username: string,
  password: string | undefined,
): Promise<{ password: string; generated: boolean }> {
  const chosen = password ?? generatePassword();
  checkPassword(chosen);
  const user = await requireUser(storage, username);
  const passwordHash = await hashPassword(chosen);
  await storage.transaction((tx) =>
    tx.updateUser(user.id, { passwordHash, failedLogins: 0, lockedUntil: null }),
  );
  return { password: chosen, generated: password === undefined };
}

// ------------------------------------------------------------------ argument parsing

type OptionSpec = Record<string, { type: 'string' | 'boolean' }>;

/** The commands, their options and which options they require. */
const COMMANDS = {
  'create-user': {
    options: {
      username: { type: 'string' },
      name: { type: 'string' },
      password: { type: 'string' },
      'department-id': { type: 'string' },
    },
    required: ['username', 'name'],
  },
  grant: {
    options: {
      username: { type: 'string' },
      scope: { type: 'string' },
      role: { type: 'string' },
      'department-id': { type: 'string' },
    },
    required: ['username', 'scope', 'role'],
  },
  revoke: {
    options: { username: { type: 'string' }, scope: { type: 'string' }, role: { type: 'string' } },
    required: ['username', 'scope'],
  },
  'list-users': { options: {}, required: [] },
  'disable-user': { options: { username: { type: 'string' } }, required: ['username'] },
  'enable-user': { options: { username: { type: 'string' } }, required: ['username'] },
  'set-password': {
    options: { username: { type: 'string' }, password: { type: 'string' } },
    required: ['username'],
  },
  'import-org': {
    options: { file: { type: 'string' }, 'dry-run': { type: 'boolean' } },
    required: ['file'],
  },
  'load-demo': {
    options: { households: { type: 'string' }, seed: { type: 'string' }, now: { type: 'string' } },
    required: [],
  },
} as const satisfies Record<string, { options: OptionSpec; required: readonly string[] }>;

export type AdminCommand = keyof typeof COMMANDS;

/** A parsed command line: the command and its option values. */
export interface ParsedCommand {
  command: AdminCommand;
  values: Record<string, string | boolean | undefined>;
}

function isCommand(name: string): name is AdminCommand {
  return Object.hasOwn(COMMANDS, name);
}

/**
 * Parses `argv` (without node and the script). Returns null for `help`/`--help`.
 * @throws UsageError for an unknown command, an unknown or missing option or a stray argument.
 */
export function parseAdminArgs(argv: readonly string[]): ParsedCommand | null {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h')
    return null;
  if (!isCommand(command)) throw new UsageError(`Unknown command "${command}".`);
  const spec = COMMANDS[command];
  const options: OptionSpec = spec.options;
  const values: Record<string, string | boolean | undefined> = {};
  try {
    const parsed = parseArgs({ args: [...rest], options, strict: true, allowPositionals: false });
    for (const [name, value] of Object.entries(parsed.values)) {
      // No option is `multiple`, so arrays never occur; the check keeps the type honest.
      if (!Array.isArray(value)) values[name] = value;
    }
  } catch (error) {
    throw new UsageError(`${command}: ${error instanceof Error ? error.message : String(error)}`);
  }
  for (const name of spec.required) {
    const value = values[name];
    if (typeof value !== 'string' || value.trim() === '')
      throw new UsageError(`${command} needs --${name}.`);
  }
  return { command, values };
}

function str(values: ParsedCommand['values'], name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

function intOption(values: ParsedCommand['values'], name: string, fallback: number): number {
  const text = str(values, name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === '' || !Number.isSafeInteger(value)) {
    throw new UsageError(`--${name} must be an integer, got "${text}"`);
  }
  return value;
}

/** What `runAdmin` needs: how to open storage (only after the arguments are valid), output, clock. */
export interface AdminDeps {
  openStorage: () => Storage | Promise<Storage>;
  io: CliIo;
  now?: () => Date;
}

async function execute(
  parsed: ParsedCommand,
  storage: Storage,
  io: CliIo,
  now: Date,
): Promise<void> {
  const { values } = parsed;
  const need = (name: string): string => str(values, name) ?? '';
  switch (parsed.command) {
    case 'create-user': {
      const departmentId = str(values, 'department-id');
      const password = str(values, 'password');
      const {
        user,
        password: chosen,
        generated,
      } = await createUser(
        storage,
        {
          username: need('username'),
          displayName: need('name'),
          ...(password !== undefined ? { password } : {}),
          ...(departmentId !== undefined ? { departmentId } : {}),
        },
        now,
      );
      io.out(`Created ${user.username} (${user.displayName}), id ${user.id}.`);
      if (generated) io.out(`Password (shown once, hand it over safely): ${chosen}`);
      io.out(`Next: grant --username ${user.username} --scope <code> --role <role>`);
      return;
    }
    case 'grant': {
      const departmentId = str(values, 'department-id');
      // The liaison's department is the user's (one per liaison), checked before anything changes.
      const department =
        departmentId === undefined ? null : UserSchema.shape.departmentId.safeParse(departmentId);
      if (department && !department.success)
        throw new UsageError(`--department-id must be an id, got "${departmentId}"`);
      const added = await grant(
        storage,
        { username: need('username'), scope: need('scope'), role: need('role') },
        now,
      );
      io.out(
        added
          ? `Granted ${need('role')} on ${need('scope')} to ${need('username')}.`
          : `${need('username')} already has ${need('role')} on ${need('scope')}.`,
      );
      if (department?.success) {
        const user = await requireUser(storage, need('username'));
        const id = department.data;
        await storage.transaction((tx) => tx.updateUser(user.id, { departmentId: id }));
        io.out(`${need('username')} acts for department ${String(id)}.`);
      }
      if (
        need('role') === 'department' &&
        (await requireUser(storage, need('username'))).departmentId === null
      ) {
        io.err(
          'Note: this user has no department (create-user --department-id); a liaison acts for one department.',
        );
      }
      return;
    }
    case 'revoke': {
      const role = str(values, 'role');
      const count = await revoke(
        storage,
        { username: need('username'), scope: need('scope'), ...(role ? { role } : {}) },
        now,
      );
      io.out(
        `Revoked ${count} membership${count === 1 ? '' : 's'} of ${need('username')} on ${need('scope')}.`,
      );
      return;
    }
    case 'list-users':
      for (const line of await listUsers(storage, now)) io.out(line);
      return;
    case 'disable-user':
      await setDisabled(storage, need('username'), true);
      io.out(`Disabled ${need('username')}: logins and existing sessions are refused.`);
      return;
    case 'enable-user':
      await setDisabled(storage, need('username'), false);
      io.out(`Enabled ${need('username')}.`);
      return;
    case 'set-password': {
      const { password, generated } = await setPassword(
        storage,
        need('username'),
        str(values, 'password'),
      );
      io.out(`New password set for ${need('username')}.`);
      if (generated) io.out(`Password (shown once, hand it over safely): ${password}`);
      return;
    }
    case 'import-org': {
      const file = need('file');
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        throw new CommandError(
          `Cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      const dryRun = values['dry-run'] === true;
      const result = await importOrgFile(storage, basename(file), text, { dryRun, now });
      if (!result.ok) {
        for (const error of result.errors) io.err(`  ${error}`);
        throw new CommandError(
          `${file}: ${result.errors.length} problem${result.errors.length === 1 ? '' : 's'}; nothing imported.`,
        );
      }
      const levels = Object.entries(result.byLevel)
        .filter(([, n]) => n > 0)
        .map(([level, n]) => `${n} ${level}`)
        .join(', ');
      io.out(
        `${dryRun ? 'Dry run, nothing written: would import' : 'Imported'} ${result.created + result.updated} units (${levels}): ${result.created} new, ${result.updated} updated.`,
      );
      return;
    }
    case 'load-demo': {
      const options = {
        households: intOption(values, 'households', 1500),
        seed: intOption(values, 'seed', 20261129),
        now: str(values, 'now') ?? defaultDemoNow(now),
      };
      const started = Date.now();
      let result;
      try {
        result = await loadDemo(storage, { ...options, out: io.out });
      } catch (error) {
        // The generator checks its options and explains with a RangeError.
        if (error instanceof RangeError) throw new UsageError(error.message);
        throw error;
      }
      if (result.dataWritten) {
        const total = Object.values(result.rows).reduce((a, b) => a + b, 0);
        io.out(`Wrote ${total} rows in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
      }
      for (const line of demoLoginTable(result)) io.out(line);
      return;
    }
  }
}

/**
 * Runs one admin command line; returns the exit code (0 done, 1 failed, 2 bad usage). Storage is
 * opened (and migrated) only once the arguments are valid, and always closed.
 */
export async function runAdmin(argv: readonly string[], deps: AdminDeps): Promise<number> {
  const { io } = deps;
  let parsed: ParsedCommand | null;
  try {
    parsed = parseAdminArgs(argv);
  } catch (error) {
    io.err(error instanceof Error ? error.message : String(error));
    io.err('');
    io.err(ADMIN_USAGE);
    return 2;
  }
  if (parsed === null) {
    io.out(ADMIN_USAGE);
    return 0;
  }
  let storage: Storage | undefined;
  try {
    storage = await deps.openStorage();
    await storage.migrate();
    await execute(parsed, storage, io, (deps.now ?? (() => new Date()))());
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(error.message);
      io.err(`Run "help" for the usage.`);
      return 2;
    }
    io.err(
      error instanceof CommandError
        ? error.message
        : `Failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    return 1;
  } finally {
    await storage?.close();
  }
}
