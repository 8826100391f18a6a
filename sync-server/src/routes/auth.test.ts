import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DEVICE_HEADER,
  ErrorBodySchema,
  LoginResponseSchema,
  PROTOCOL_HEADER,
  PROTOCOL_VERSION,
  SessionUserSchema,
} from '../../../shared/sync/protocol';
import { registerErrorHandling } from '../http/errors';
import { registerProtocolGuard } from '../http/protocolGuard';
import { TEST_PASSWORD, TEST_USER_ID, storageWithTestUser } from '../services/testing';
import type { Storage } from '../storage/types';
import { getAuth, registerAuthRoutes, requireAuth } from './auth';

const DEVICE = '0190a5d0-7c2e-7a4b-9c1d-2e3f4a5b6c7d';
const USER_ID = TEST_USER_ID;
const PASSWORD = TEST_PASSWORD;

let storage: Storage;
let app: FastifyInstance;
let clock = new Date('2026-11-29T06:00:00.000Z');

beforeEach(async () => {
  storage = await storageWithTestUser('110101010000', 'street', clock);
  app = Fastify({ logger: false });
  registerErrorHandling(app, { log: () => undefined });
  registerProtocolGuard(app);
  registerAuthRoutes(app, { storage, now: () => clock, tokenTtlMs: 60 * 60_000 });
  // how the sync routes use it
  app.get(
    '/api/whoami',
    { preHandler: requireAuth({ storage, now: () => clock }) },
    async (request) => {
      const { user, memberships, session } = getAuth(request);
      return { id: user.id, scopes: memberships.map((m) => m.scope), device: session.deviceId };
    },
  );
  app.get('/api/forgot-auth', async (request) => getAuth(request).user.id);
});
afterEach(async () => {
  await app.close();
  await storage.close();
});

const protocol = { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) };

async function signIn(password = PASSWORD) {
  return app.inject({
    method: 'POST',
    url: '/api/auth/login',
    headers: protocol,
    payload: { username: 'wang.li', password, deviceId: DEVICE },
  });
}

function authed(token: string) {
  return { ...protocol, authorization: `Bearer ${token}`, [DEVICE_HEADER]: DEVICE };
}

describe('auth routes', () => {
  it('logs in, answers /me and the sync-style route, logs out', async () => {
    const res = await signIn();
    expect(res.statusCode).toBe(200);
    const login = LoginResponseSchema.parse(res.json());
    expect(login.user.memberships).toEqual([{ scope: '110101010000', role: 'street' }]);
    expect(res.json().user.departmentId).toBeNull();

    const me = await app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: authed(login.token),
    });
    expect(me.statusCode).toBe(200);
    expect(SessionUserSchema.parse(me.json())).toEqual(login.user);

    const whoami = await app.inject({
      method: 'GET',
      url: '/api/whoami',
      headers: authed(login.token),
    });
    expect(whoami.json()).toEqual({ id: USER_ID, scopes: ['110101010000'], device: DEVICE });

    const out = await app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: authed(login.token),
    });
    expect(out.statusCode).toBe(204);
    const after = await app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: authed(login.token),
    });
    expect(after.statusCode).toBe(401);
    expect(ErrorBodySchema.parse(after.json()).error.code).toBe('unauthorized');
  });

  it("gives a liaison's department in the login answer and /me", async () => {
    const department = '0190a5d0-0000-7000-8000-00000000d001';
    await storage.transaction((tx) => tx.updateUser(USER_ID, { departmentId: department }));
    const login = LoginResponseSchema.parse((await signIn()).json());
    expect(login.user.departmentId).toBe(department);
    const me = await app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: authed(login.token),
    });
    expect(me.json()).toMatchObject({ id: USER_ID, departmentId: department });
  });

  it('refuses bad credentials, a bad body and a missing protocol header', async () => {
    const wrong = await signIn('wrong-pass-1');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('invalid-credentials');

    const bad = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: protocol,
      payload: { username: 'wang.li', password: PASSWORD, deviceId: 'not-a-uuid', extra: 1 },
    });
    expect(bad.statusCode).toBe(400);
    const paths = (bad.json().error.details.issues as { path: string }[]).map((i) => i.path);
    expect(paths).toContain('deviceId');

    const old = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'wang.li', password: PASSWORD, deviceId: DEVICE },
    });
    expect(old.statusCode).toBe(426);
  });

  it('tells an expired token and a foreign device apart', async () => {
    const { token } = LoginResponseSchema.parse((await signIn()).json());
    const foreign = await app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { ...authed(token), [DEVICE_HEADER]: '0190a5d0-7c2e-7a4b-9c1d-000000000000' },
    });
    expect(foreign.statusCode).toBe(401);
    expect(foreign.json().error.code).toBe('device-mismatch');
    clock = new Date(clock.getTime() + 60 * 60_000);
    const expired = await app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: authed(token),
    });
    expect(expired.statusCode).toBe(401);
    expect(expired.json().error.code).toBe('token-expired');
    const none = await app.inject({ method: 'POST', url: '/api/auth/logout', headers: protocol });
    expect(none.json().error.code).toBe('unauthorized');
  });

  it('fails closed when a route forgets requireAuth', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/forgot-auth', headers: protocol });
    expect(res.statusCode).toBe(500);
  });
});
