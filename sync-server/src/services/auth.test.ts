import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LoginResponseSchema } from '../../../shared/sync/protocol';
import { ApiError } from '../http/errors';
import { TEST_PASSWORD, TEST_USER_ID, storageWithTestUser } from './testing';
import type { Storage } from '../storage/types';
import {
  DEFAULT_TOKEN_TTL_MS,
  LOCKOUT_MS,
  authenticate,
  bearerToken,
  generatePassword,
  hashPassword,
  hashToken,
  login,
  logout,
  passwordProblem,
  verifyPassword,
} from './auth';

const DEVICE = '0190a5d0-7c2e-7a4b-9c1d-2e3f4a5b6c7d';
const OTHER_DEVICE = '0190a5d0-7c2e-7a4b-9c1d-2e3f4a5b6c7e';
const USER_ID = TEST_USER_ID;
const PASSWORD = TEST_PASSWORD;
const T0 = new Date('2026-11-29T06:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

async function expectApiError(promise: Promise<unknown>, code: string): Promise<ApiError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  expect((error as ApiError).code).toBe(code);
  return error as ApiError;
}

describe('passwords', () => {
  it('hashes with scrypt and verifies the same password only', async () => {
    const stored = await hashPassword(PASSWORD);
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(stored).not.toContain(PASSWORD);
    expect(await verifyPassword(PASSWORD, stored)).toBe(true);
    expect(await verifyPassword('heping2026lj', stored)).toBe(false);
    // a fresh salt each time
    expect(await hashPassword(PASSWORD)).not.toBe(stored);
  });

  it('never matches a malformed or absurd stored hash', async () => {
    expect(await verifyPassword(PASSWORD, '')).toBe(false);
    expect(await verifyPassword(PASSWORD, PASSWORD)).toBe(false);
    expect(
      await verifyPassword(PASSWORD, 'scrypt$1073741824$8$1$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA=='),
    ).toBe(false);
    expect(
      await verifyPassword(PASSWORD, 'scrypt$1000$8$1$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA=='),
    ).toBe(false);
  });

  it('applies the policy with clear messages', () => {
    expect(passwordProblem('short1')).toMatch(/at least 8/);
    expect(passwordProblem('onlyletters')).toMatch(/letters and digits/);
    expect(passwordProblem('1234567890')).toMatch(/letters and digits/);
    expect(passwordProblem('x'.repeat(300) + '1')).toMatch(/at most/);
    expect(passwordProblem('网格员密码2026')).toBeNull();
    expect(passwordProblem(PASSWORD)).toBeNull();
    for (let i = 0; i < 20; i++) expect(passwordProblem(generatePassword())).toBeNull();
  });

  it('reads bearer tokens strictly', () => {
    expect(bearerToken('Bearer abc_DEF-123')).toBe('abc_DEF-123');
    expect(bearerToken('bearer abc')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeNull();
    expect(bearerToken('Bearer')).toBeNull();
    expect(bearerToken('Bearer a b')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
  });
});

describe('login and sessions', () => {
  let storage: Storage;

  beforeEach(async () => {
    storage = await storageWithTestUser('110101010027001', 'grid-worker', T0);
  });
  afterEach(async () => {
    await storage.close();
  });

  const request = (password = PASSWORD, username = 'wang.li') => ({
    username,
    password,
    deviceId: DEVICE,
  });
  const user = () => storage.transaction((tx) => tx.getUserById(USER_ID));

  it('signs in and returns a device-bound session with the memberships', async () => {
    const response = await login(storage, request(), T0);
    expect(LoginResponseSchema.parse(response)).toEqual(response);
    expect(response.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(response.expiresAt).toBe(at(DEFAULT_TOKEN_TTL_MS).toISOString());
    expect(response.user).toEqual({
      id: USER_ID,
      username: 'wang.li',
      displayName: '王丽',
      memberships: [{ scope: '110101010027001', role: 'grid-worker' }],
      departmentId: null,
    });
    // only the token's hash is stored
    const session = await storage.transaction((tx) => tx.getSession(hashToken(response.token)));
    expect(session).toMatchObject({ userId: USER_ID, deviceId: DEVICE, revokedAt: null });
    const other = await storage.transaction((tx) => tx.getSession(response.token));
    expect(other).toBeUndefined();
  });

  it('accepts the username in any case and a custom lifetime', async () => {
    const response = await login(storage, request(PASSWORD, ' Wang.Li '), T0, {
      tokenTtlMs: 60_000,
    });
    expect(response.expiresAt).toBe(at(60_000).toISOString());
  });

  it('answers a wrong password and an unknown user alike', async () => {
    const wrong = await expectApiError(
      login(storage, request('wrong-pass-1'), T0),
      'invalid-credentials',
    );
    const unknown = await expectApiError(
      login(storage, request(PASSWORD, 'nobody'), T0),
      'invalid-credentials',
    );
    expect(wrong.message).toBe(unknown.message);
    expect(wrong.status).toBe(401);
    expect((await user())?.failedLogins).toBe(1);
  });

  it('locks after 5 failures in a row for 15 minutes, then lets the right password in', async () => {
    for (let i = 1; i <= 4; i++) {
      await expectApiError(
        login(storage, request('wrong-pass-1'), at(i * 1000)),
        'invalid-credentials',
      );
    }
    const fifth = await expectApiError(
      login(storage, request('wrong-pass-1'), at(5000)),
      'account-locked',
    );
    const until = at(5000 + LOCKOUT_MS).toISOString();
    expect(fifth.message).toContain(until);
    expect(fifth.status).toBe(423);
    // even the right password is refused while locked
    await expectApiError(login(storage, request(), at(6000)), 'account-locked');
    await expectApiError(login(storage, request(), at(5000 + LOCKOUT_MS - 1)), 'account-locked');
    // after the lock: in, and the counter is reset
    await login(storage, request(), at(5000 + LOCKOUT_MS));
    expect(await user()).toMatchObject({ failedLogins: 0, lockedUntil: null });
  });

  it('gives a fresh count of tries after a lock runs out', async () => {
    for (let i = 1; i <= 5; i++) {
      await login(storage, request('wrong-pass-1'), at(i)).catch(() => undefined);
    }
    const later = at(LOCKOUT_MS + 10);
    await expectApiError(login(storage, request('wrong-pass-1'), later), 'invalid-credentials');
    expect((await user())?.failedLogins).toBe(1);
  });

  it('a success resets the count of failures', async () => {
    for (let i = 1; i <= 4; i++) {
      await login(storage, request('wrong-pass-1'), at(i)).catch(() => undefined);
    }
    await login(storage, request(), at(10));
    await expectApiError(login(storage, request('wrong-pass-1'), at(20)), 'invalid-credentials');
    expect((await user())?.failedLogins).toBe(1);
  });

  it('refuses a disabled account, but only to someone who knows the password', async () => {
    await storage.transaction((tx) => tx.updateUser(USER_ID, { disabled: true }));
    await expectApiError(login(storage, request('wrong-pass-1'), T0), 'invalid-credentials');
    const disabled = await expectApiError(login(storage, request(), T0), 'account-disabled');
    expect(disabled.status).toBe(403);
  });

  it('authenticates the token on its device', async () => {
    const { token } = await login(storage, request(), T0);
    const auth = await authenticate(storage, `Bearer ${token}`, DEVICE, at(1000));
    expect(auth.user.username).toBe('wang.li');
    expect(auth.memberships.map((m) => m.scope)).toEqual(['110101010027001']);
    expect(auth.session.deviceId).toBe(DEVICE);
  });

  it('refuses missing, forged, expired and foreign-device tokens', async () => {
    const { token } = await login(storage, request(), T0, { tokenTtlMs: 60_000 });
    await expectApiError(authenticate(storage, undefined, DEVICE, T0), 'unauthorized');
    await expectApiError(authenticate(storage, token, DEVICE, T0), 'unauthorized');
    const forged = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    await expectApiError(authenticate(storage, `Bearer ${forged}`, DEVICE, T0), 'unauthorized');
    await expectApiError(
      authenticate(storage, `Bearer ${token}`, DEVICE, at(60_000)),
      'token-expired',
    );
    await expectApiError(
      authenticate(storage, `Bearer ${token}`, OTHER_DEVICE, T0),
      'device-mismatch',
    );
    await expectApiError(
      authenticate(storage, `Bearer ${token}`, undefined, T0),
      'device-mismatch',
    );
  });

  it('refuses a token after logout and a disabled user’s token', async () => {
    const first = await login(storage, request(), T0);
    const second = await login(storage, request(), T0);
    await logout(storage, first.token, at(10));
    await expectApiError(
      authenticate(storage, `Bearer ${first.token}`, DEVICE, at(20)),
      'unauthorized',
    );
    await authenticate(storage, `Bearer ${second.token}`, DEVICE, at(20));
    await storage.transaction((tx) => tx.updateUser(USER_ID, { disabled: true }));
    await expectApiError(
      authenticate(storage, `Bearer ${second.token}`, DEVICE, at(30)),
      'account-disabled',
    );
  });

  it('names the department of a liaison (部门联络员) in the session', async () => {
    const department = '0190a5d0-0000-7000-8000-00000000d001';
    await storage.transaction((tx) => tx.updateUser(USER_ID, { departmentId: department }));
    const response = await login(storage, request(), T0);
    expect(response.user.departmentId).toBe(department);
    expect(LoginResponseSchema.parse(response).user.departmentId).toBe(department);
  });

  it('drops revoked memberships from the session', async () => {
    await storage.transaction((tx) =>
      tx.revokeMembership(USER_ID, '110101010027001', null, T0.toISOString()),
    );
    const response = await login(storage, request(), T0);
    expect(response.user.memberships).toEqual([]);
  });
});
