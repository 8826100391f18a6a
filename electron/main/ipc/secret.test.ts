import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSecretStore, secretFilePath } from './secret';
import type { SecretCipher } from './secret';

type Backend = ReturnType<SecretCipher['getSelectedStorageBackend']>;

/** A reversible stand-in for safeStorage: "encrypts" by reversing bytes behind a marker. */
function fakeCipher(options: { available?: boolean; backend?: Backend } = {}) {
  const state = { reEncrypt: false, encryptions: 0 };
  const cipher: SecretCipher = {
    isAsyncEncryptionAvailable: () => Promise.resolve(options.available ?? true),
    getSelectedStorageBackend: () => options.backend ?? 'gnome_libsecret',
    encryptStringAsync: (plain) => {
      state.encryptions += 1;
      return Promise.resolve(Buffer.concat([Buffer.from('ENC:'), Buffer.from(plain).reverse()]));
    },
    decryptStringAsync: (encrypted) => {
      if (!encrypted.subarray(0, 4).equals(Buffer.from('ENC:'))) {
        return Promise.reject(new Error('bad key'));
      }
      const result = Buffer.from(encrypted.subarray(4)).reverse().toString();
      return Promise.resolve({ result, shouldReEncrypt: state.reEncrypt });
    },
  };
  return { cipher, state };
}

describe('secret store', () => {
  let dir = '';
  beforeEach(async () => {
    dir = path.join(await mkdtemp(path.join(tmpdir(), 'gridwork-secrets-')), 'secrets');
  });
  afterEach(async () => {
    await rm(path.dirname(dir), { recursive: true, force: true });
  });

  it('stores encrypted, reads back, and deletes', async () => {
    const { cipher } = fakeCipher();
    const store = createSecretStore({ dir, cipher, platform: 'linux' });
    expect(await store.get('sync-token')).toBeNull();
    expect(await store.set('sync-token', 'tok-123')).toEqual({ stored: true });

    const file = secretFilePath(dir, 'sync-token');
    expect((await readFile(file)).toString()).not.toContain('tok-123');
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).toBe(0o600);

    expect(await store.get('sync-token')).toBe('tok-123');
    await store.delete('sync-token');
    expect(await store.get('sync-token')).toBeNull();
    await expect(store.delete('sync-token')).resolves.toBeUndefined();
  });

  it('refuses to store when encryption is unavailable, and writes nothing', async () => {
    const { cipher, state } = fakeCipher({ available: false });
    const store = createSecretStore({ dir, cipher, platform: 'linux' });
    expect(await store.set('sync-token', 'tok')).toEqual({
      stored: false,
      reason: 'encryption-unavailable',
    });
    expect(state.encryptions).toBe(0);
    expect(await store.get('sync-token')).toBeNull();
  });

  it('re-encrypts when the OS says the key rotated', async () => {
    const { cipher, state } = fakeCipher();
    const store = createSecretStore({ dir, cipher, platform: 'linux' });
    await store.set('sync-refresh-token', 'r1');
    state.reEncrypt = true;
    expect(await store.get('sync-refresh-token')).toBe('r1');
    expect(state.encryptions).toBe(2);
  });

  it('reports an undecryptable secret as absent', async () => {
    const { cipher } = fakeCipher();
    const store = createSecretStore({ dir, cipher, platform: 'linux' });
    await store.set('sync-token', 'tok');
    await writeFile(secretFilePath(dir, 'sync-token'), 'garbage');
    expect(await store.get('sync-token')).toBeNull();
  });

  it('refuses keys outside the allow-list even if the contract were bypassed', () => {
    expect(() => secretFilePath(dir, '../../.ssh/id_rsa')).toThrow(/Unknown secret key/);
    expect(() => secretFilePath(dir, 'password')).toThrow(/Unknown secret key/);
    expect(secretFilePath(dir, 'sync-token')).toBe(path.join(dir, 'sync-token.bin'));
  });

  it.each([
    [
      { platform: 'linux', backend: 'gnome_libsecret' },
      { available: true, backend: 'gnome_libsecret' },
    ],
    [
      { platform: 'linux', backend: 'basic_text' },
      { available: false, backend: 'basic_text' },
    ],
    [
      { platform: 'win32', backend: 'unknown' },
      { available: true, backend: 'dpapi' },
    ],
    [
      { platform: 'darwin', backend: 'unknown' },
      { available: true, backend: 'keychain' },
    ],
  ] as const)('reports status %j', async (setup, expected) => {
    const { cipher } = fakeCipher({ backend: setup.backend });
    const store = createSecretStore({ dir, cipher, platform: setup.platform });
    expect(await store.status()).toEqual(expected);
  });

  it('reports unavailable when the OS cannot encrypt', async () => {
    const { cipher } = fakeCipher({ available: false, backend: 'kwallet5' });
    const store = createSecretStore({ dir, cipher, platform: 'linux' });
    expect(await store.status()).toEqual({ available: false, backend: 'kwallet5' });
  });
});
