import { afterEach, describe, expect, it } from 'vitest';
import type { GridworkDb } from '../../db/db';
import { freshDb } from '../../db/testing';
import {
  VERIFIER_KEY,
  checkUnlockPassword,
  forgetUnlockVerifier,
  saveUnlockVerifier,
} from './unlockVerifier';

let db: GridworkDb;
afterEach(async () => {
  await db.delete();
});

describe('unlock verifier', () => {
  it('accepts the sign-in password offline, refuses others, and never stores the password', async () => {
    db = freshDb();
    await saveUnlockVerifier(db, 'user-1', 'grid-pass-2026');
    expect(await checkUnlockPassword(db, 'user-1', 'grid-pass-2026')).toBe(true);
    expect(await checkUnlockPassword(db, 'user-1', 'grid-pass-2027')).toBe(false);
    expect(await checkUnlockPassword(db, 'user-2', 'grid-pass-2026')).toBe(false);
    expect(JSON.stringify((await db.meta.get(VERIFIER_KEY))?.value)).not.toContain('grid-pass');
    await forgetUnlockVerifier(db);
    expect(await checkUnlockPassword(db, 'user-1', 'grid-pass-2026')).toBe(false);
  });
});
