import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { LoginRequest, LoginResponse, SessionUser } from '../../../shared/sync/protocol';
import { ApiError } from '../http/errors';
import type { MembershipRow, SessionRow, Storage, StorageTx, UserRow } from '../storage/types';

/**
 * Accounts and sessions (DESIGN §8): scrypt password hashes, login lockout, short-lived bearer
 * tokens bound to one device. The services take `now` as an argument so that lockout and expiry
 * are testable without waiting.
 */

// ------------------------------------------------------------------ passwords

/** scrypt cost parameters of new hashes. */
export const SCRYPT_PARAMS = { N: 2 ** 15, r: 8, p: 1, keyLength: 32, saltLength: 16 } as const;

// scrypt needs about 128 · N · r bytes (32 MiB at N = 2^15, r = 8), which is exactly Node's default
// `maxmem` and so refused by it; allow twice the need. Stored hashes with larger parameters than
// MAX_N are refused rather than computed, so a tampered row cannot make a login eat the server's memory.
const MAX_N = 2 ** 17;
const maxmemFor = (N: number, r: number): number => 2 * 128 * N * r + 1024 * 1024;

function scryptAsync(
  password: string,
  salt: Buffer,
  keyLength: number,
  options: ScryptOptions,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, keyLength, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/**
 * Hashes a password with scrypt. The result carries everything needed to verify it later:
 * `scrypt$N$r$p$saltBase64$hashBase64`, so the cost can be raised without invalidating old hashes.
 */
export async function hashPassword(password: string): Promise<string> {
  const { N, r, p, keyLength, saltLength } = SCRYPT_PARAMS;
  const salt = randomBytes(saltLength);
  const hash = await scryptAsync(password, salt, keyLength, { N, r, p, maxmem: maxmemFor(N, r) });
  return ['scrypt', N, r, p, salt.toString('base64'), hash.toString('base64')].join('$');
}

interface ParsedHash {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  hash: Buffer;
}

function parseHash(stored: string): ParsedHash | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  const salt = Buffer.from(parts[4] ?? '', 'base64');
  const hash = Buffer.from(parts[5] ?? '', 'base64');
  if (N === undefined || r === undefined || p === undefined) return null;
  const powerOfTwo = Number.isInteger(N) && N > 1 && (N & (N - 1)) === 0;
  if (!powerOfTwo || N > MAX_N || !Number.isInteger(r) || r < 1 || r > 32) return null;
  if (!Number.isInteger(p) || p < 1 || p > 16 || salt.length < 8 || hash.length < 16) return null;
  return { N, r, p, salt, hash };
}

/**
 * True when `password` matches a hash made by `hashPassword`. A malformed stored hash never
 * matches. The comparison is constant-time, so response timing does not reveal how many leading
 * bytes of a guess were right.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  const { N, r, p, salt, hash } = parsed;
  const candidate = await scryptAsync(password, salt, hash.length, {
    N,
    r,
    p,
    maxmem: maxmemFor(N, r),
  });
  return timingSafeEqual(candidate, hash);
}

/** Rules for new passwords. */
export const PASSWORD_POLICY = { minLength: 8, maxLength: 256 } as const;

/**
 * Why `password` is not acceptable as a new password, or null when it is: at least 8
 * characters with at least one letter and one digit, at most 256.
 */
export function passwordProblem(password: string): string | null {
  const length = [...password].length;
  if (length < PASSWORD_POLICY.minLength) {
    return `The password must have at least ${PASSWORD_POLICY.minLength} characters (it has ${length}).`;
  }
  if (length > PASSWORD_POLICY.maxLength) {
    return `The password must have at most ${PASSWORD_POLICY.maxLength} characters.`;
  }
  if (!/\p{L}/u.test(password) || !/\p{Nd}/u.test(password)) {
    return 'The password must contain both letters and digits.';
  }
  return null;
}

/** Throws a `bad-request` ApiError when `password` breaks the policy (see `passwordProblem`). */
export function assertPasswordPolicy(password: string): void {
  const problem = passwordProblem(password);
  if (problem !== null) throw new ApiError('bad-request', problem, { field: 'password' });
}

/** A random password that satisfies the policy: 16 characters of a-z A-Z 2-9 (no 0/O/1/l/I). */
export function generatePassword(length = 16): string {
  const letters = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ';
  const digits = '23456789';
  const alphabet = letters + digits;
  for (;;) {
    // Rejection sampling over 256 would be exact; 58 symbols from a byte leave a bias under 1%,
    // irrelevant for a one-time password the admin hands over and the user changes.
    const bytes = randomBytes(length);
    const password = [...bytes].map((b) => alphabet[b % alphabet.length] ?? 'x').join('');
    if (passwordProblem(password) === null) return password;
  }
}

// ------------------------------------------------------------------ login

/** Consecutive failed logins that lock an account. */
export const MAX_FAILED_LOGINS = 5;
/** How long a locked account refuses logins. */
export const LOCKOUT_MS = 15 * 60_000;
/** Default session lifetime (DESIGN §8: short-lived tokens). */
export const DEFAULT_TOKEN_TTL_MS = 12 * 60 * 60_000;
/** Expired sessions are kept this long (so the client hears `token-expired`), then deleted at a login. */
const EXPIRED_SESSION_RETENTION_MS = 7 * 24 * 60 * 60_000;

export interface LoginOptions {
  /** Session lifetime in ms (default 12 h). */
  tokenTtlMs?: number;
}

const INVALID_CREDENTIALS = 'Wrong username or password.';

let dummyHash: Promise<string> | undefined;
/**
 * A real hash of a random password, verified against when the username is unknown so that an
 * unknown user costs the same scrypt time as a wrong password (no timing oracle for usernames).
 */
function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  return dummyHash;
}

/** SHA-256 (hex) of a bearer token: what the sessions table stores instead of the token. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The client's view of a user, its active memberships and the department it is liaison of. */
export function sessionUser(user: UserRow, memberships: readonly MembershipRow[]): SessionUser {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    memberships: memberships
      .filter((m) => m.revokedAt === null)
      .map((m) => ({ scope: m.scope, role: m.role })),
    departmentId: user.departmentId,
  };
}

/** Usernames are lower-case (UserSchema); accept what people type. */
export function normalizeUsername(username: string): string {
  return username.trim().toLowerCase();
}

function isLocked(user: UserRow, now: Date): boolean {
  return user.lockedUntil !== null && Date.parse(user.lockedUntil) > now.getTime();
}

/** Records a failed attempt; locks the account at the fifth in a row. */
async function recordFailure(tx: StorageTx, userId: string, now: Date): Promise<void> {
  // Re-read inside the writing transaction so concurrent failures all count.
  const user = await tx.getUserById(userId);
  if (!user) return;
  // A lock that has run out starts a fresh count: five more tries, then locked again.
  const lockExpired = user.lockedUntil !== null && !isLocked(user, now);
  const failed = (lockExpired ? 0 : user.failedLogins) + 1;
  if (failed >= MAX_FAILED_LOGINS) {
    await tx.updateUser(userId, {
      failedLogins: failed,
      lockedUntil: new Date(now.getTime() + LOCKOUT_MS).toISOString(),
    });
  } else {
    await tx.updateUser(userId, { failedLogins: failed, lockedUntil: null });
  }
}

function lockedError(user: UserRow): ApiError {
  return new ApiError(
    'account-locked',
    `Too many failed logins: the account is locked until ${user.lockedUntil ?? '?'}. Try again later or ask an administrator.`,
    { lockedUntil: user.lockedUntil },
  );
}

/**
 * Signs a user in on a device. Errors (ApiError):
 * - `invalid-credentials`: unknown user or wrong password (one message for both);
 * - `account-locked`: 5 failures in a row lock the account for 15 minutes (checked before the
 *   password, so guessing cannot continue during the lock);
 * - `account-disabled`: only told to someone who knows the password.
 *
 * On success the failure count is reset and a session is created: a random 256-bit token, stored
 * only as its SHA-256, bound to `request.deviceId`, valid for `tokenTtlMs` (default 12 h).
 */
export async function login(
  storage: Storage,
  request: LoginRequest,
  now: Date,
  options: LoginOptions = {},
): Promise<LoginResponse> {
  const ttl = options.tokenTtlMs ?? DEFAULT_TOKEN_TTL_MS;
  if (!Number.isFinite(ttl) || ttl <= 0) throw new RangeError('tokenTtlMs must be positive');
  const username = normalizeUsername(request.username);

  // scrypt runs outside any transaction: a database transaction (an SQLite write lock) must not
  // be held for the ~50 ms of a hash.
  const user = await storage.transaction((tx) => tx.getUserByUsername(username));
  if (!user) {
    await verifyPassword(request.password, await dummyPasswordHash());
    throw new ApiError('invalid-credentials', INVALID_CREDENTIALS);
  }
  // Checked before the password so guessing cannot go on during a lock. This tells a guesser that
  // a locked username exists; the accepted price of telling a real user why they cannot get in.
  if (isLocked(user, now)) throw lockedError(user);

  const ok = await verifyPassword(request.password, user.passwordHash);
  if (!ok) {
    const after = await storage.transaction(async (tx) => {
      await recordFailure(tx, user.id, now);
      return tx.getUserById(user.id);
    });
    // The attempt that locks the account says so, so the user knows why the next one fails.
    if (after && isLocked(after, now)) throw lockedError(after);
    throw new ApiError('invalid-credentials', INVALID_CREDENTIALS);
  }

  return storage.transaction(async (tx) => {
    const current = await tx.getUserById(user.id);
    if (!current) throw new ApiError('invalid-credentials', INVALID_CREDENTIALS);
    // Locked by concurrent failures while this password was being checked.
    if (isLocked(current, now)) throw lockedError(current);
    if (current.disabled) {
      throw new ApiError('account-disabled', 'This account is disabled. Ask an administrator.');
    }
    if (current.failedLogins !== 0 || current.lockedUntil !== null) {
      await tx.updateUser(current.id, { failedLogins: 0, lockedUntil: null });
    }
    await tx.deleteExpiredSessions(
      new Date(now.getTime() - EXPIRED_SESSION_RETENTION_MS).toISOString(),
    );
    // 32 random bytes: unguessable, and only its hash is stored, so a database leak gives no tokens.
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + ttl).toISOString();
    await tx.createSession({
      tokenHash: hashToken(token),
      userId: current.id,
      deviceId: request.deviceId,
      createdAt: now.toISOString(),
      expiresAt,
      revokedAt: null,
    });
    const memberships = await tx.listMemberships(current.id);
    return { token, expiresAt, user: sessionUser(current, memberships) };
  });
}

// ------------------------------------------------------------------ authenticate

/** Who is calling: the user, its active memberships and the session the token belongs to. */
export interface AuthContext {
  user: UserRow;
  memberships: MembershipRow[];
  session: SessionRow;
}

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(authorization: string | undefined): string | null {
  const match = /^Bearer[ \t]+([A-Za-z0-9._~+/-]+=*)[ \t]*$/i.exec(authorization ?? '');
  return match?.[1] ?? null;
}

/**
 * Resolves a request's credentials. Errors (ApiError): `unauthorized` for a missing, malformed,
 * unknown or revoked token (or a deleted user); `token-expired`; `device-mismatch` when the
 * device header is absent or not the device the token was issued to (a copied token is useless
 * elsewhere); `account-disabled`.
 */
export async function authenticate(
  storage: Storage,
  authorizationHeader: string | undefined,
  deviceIdHeader: string | string[] | undefined,
  now: Date,
): Promise<AuthContext> {
  const token = bearerToken(authorizationHeader);
  if (token === null) {
    throw new ApiError('unauthorized', 'Sign in first (Authorization: Bearer <token>).');
  }
  return storage.transaction(async (tx) => {
    const session = await tx.getSession(hashToken(token));
    if (!session || session.revokedAt !== null) {
      throw new ApiError('unauthorized', 'The session is not valid. Sign in again.');
    }
    if (Date.parse(session.expiresAt) <= now.getTime()) {
      throw new ApiError('token-expired', 'The session has expired. Sign in again.');
    }
    const device = Array.isArray(deviceIdHeader) ? deviceIdHeader[0] : deviceIdHeader;
    if (device !== session.deviceId) {
      throw new ApiError(
        'device-mismatch',
        'This session belongs to another device. Sign in on this device.',
      );
    }
    const user = await tx.getUserById(session.userId);
    if (!user) throw new ApiError('unauthorized', 'The session is not valid. Sign in again.');
    if (user.disabled) {
      throw new ApiError('account-disabled', 'This account is disabled. Ask an administrator.');
    }
    const memberships = (await tx.listMemberships(user.id)).filter((m) => m.revokedAt === null);
    return { user, memberships, session };
  });
}

/** Revokes the session of `token` (a no-op for an unknown token). */
export async function logout(storage: Storage, token: string, now: Date): Promise<void> {
  await storage.transaction(async (tx) => {
    const tokenHash = hashToken(token);
    const session = await tx.getSession(tokenHash);
    if (session && session.revokedAt === null) await tx.revokeSession(tokenHash, now.toISOString());
  });
}
