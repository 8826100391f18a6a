import type { GridworkDb } from '../../db/db';

/**
 * Lets a signed-in user unlock the idle lock while offline: at sign-in the password is turned
 * into a PBKDF2-SHA-256 verifier (random salt, 210k iterations) kept in the local database; the
 * password itself is never stored. Unlocking derives again and compares.
 */
export const VERIFIER_KEY = 'unlock-verifier';
const ITERATIONS = 210_000;

interface Verifier {
  userId: string;
  salt: string;
  hash: string;
  iterations: number;
}

const hex = (bytes: ArrayBuffer | Uint8Array) =>
  Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
const fromHex = (text: string) =>
  new Uint8Array((text.match(/../g) ?? []).map((h) => parseInt(h, 16)));

async function derive(
  password: string,
  salt: Uint8Array<ArrayBuffer>,
  iterations: number,
): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(password),
    'PBKDF2',
    false,
    ['deriveBits'],
  );
  return hex(
    await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, 256),
  );
}

export async function saveUnlockVerifier(
  db: GridworkDb,
  userId: string,
  password: string,
): Promise<void> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const value: Verifier = {
    userId,
    salt: hex(salt),
    hash: await derive(password, salt, ITERATIONS),
    iterations: ITERATIONS,
  };
  await db.meta.put({ key: VERIFIER_KEY, value });
}

/** True when `password` is the one the user signed in with on this device. */
export async function checkUnlockPassword(
  db: GridworkDb,
  userId: string,
  password: string,
): Promise<boolean> {
  const value = (await db.meta.get(VERIFIER_KEY))?.value as Verifier | undefined;
  if (!value || value.userId !== userId) return false;
  const hash = await derive(password, fromHex(value.salt), value.iterations);
  // Both are fixed-length hex strings; compare every character so timing says nothing.
  let diff = hash.length ^ value.hash.length;
  for (let i = 0; i < hash.length; i += 1)
    diff |= hash.charCodeAt(i) ^ value.hash.charCodeAt(i % value.hash.length);
  return diff === 0;
}

export async function forgetUnlockVerifier(db: GridworkDb): Promise<void> {
  await db.meta.delete(VERIFIER_KEY);
}
