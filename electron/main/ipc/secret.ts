/**
 * `secret:*` handlers: small secrets (sync tokens) encrypted with Electron's safeStorage, i.e.
 * DPAPI on Windows, the Keychain on macOS and libsecret/KWallet on Linux. Each secret is one file
 * `<userData>/secrets/<key>.bin`, readable only by the user. The renderer never sees ciphertext.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SafeStorage } from 'electron';
import { SecretKeySchema } from '@shared/ipc/contract';
import type { SecretKey, SecretSetResult, SecretStatus } from '@shared/ipc/contract';

/** The safeStorage functions the store uses (the real module in main, a fake in tests). */
export type SecretCipher = Pick<
  SafeStorage,
  | 'isAsyncEncryptionAvailable'
  | 'encryptStringAsync'
  | 'decryptStringAsync'
  | 'getSelectedStorageBackend'
>;

export interface SecretStoreOptions {
  /** Folder for the encrypted files, e.g. `<userData>/secrets`. */
  dir: string;
  cipher: SecretCipher;
  platform: NodeJS.Platform;
}

export interface SecretStore {
  get(key: SecretKey): Promise<string | null>;
  set(key: SecretKey, value: string): Promise<SecretSetResult>;
  delete(key: SecretKey): Promise<void>;
  status(): Promise<SecretStatus>;
}

/**
 * The file for one key. The key was validated by the contract already; it is checked again
 * because it becomes part of a path.
 */
export function secretFilePath(dir: string, key: string): string {
  const parsed = SecretKeySchema.safeParse(key);
  if (!parsed.success) throw new Error(`Unknown secret key: ${key.slice(0, 64)}`);
  return path.join(dir, `${parsed.data}.bin`);
}

function backendName(cipher: SecretCipher, platform: NodeJS.Platform): string {
  if (platform === 'win32') return 'dpapi';
  if (platform === 'darwin') return 'keychain';
  if (platform === 'linux') return cipher.getSelectedStorageBackend();
  return 'unknown';
}

function isMissingFile(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}

/** Creates the secret store over `options.dir`. */
export function createSecretStore(options: SecretStoreOptions): SecretStore {
  const { dir, cipher, platform } = options;

  async function write(key: SecretKey, value: string): Promise<void> {
    const encrypted = await cipher.encryptStringAsync(value);
    const target = secretFilePath(dir, key);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    // Write then rename, so a crash mid-write never leaves a truncated secret behind.
    const temporary = `${target}.${process.pid}.tmp`;
    await writeFile(temporary, encrypted, { mode: 0o600 });
    await rename(temporary, target);
  }

  return {
    async get(key) {
      let encrypted: Buffer;
      try {
        encrypted = await readFile(secretFilePath(dir, key));
      } catch (error) {
        if (isMissingFile(error)) return null;
        throw error;
      }
      try {
        const { result, shouldReEncrypt } = await cipher.decryptStringAsync(encrypted);
        if (shouldReEncrypt) await write(key, result);
        return result;
      } catch (error) {
        // The OS key changed (new profile, keyring reset): the secret is unrecoverable. Report
        // "none" so the app asks the user to sign in again instead of failing forever.
        console.warn(`[gridwork] cannot decrypt secret ${key}`, error);
        return null;
      }
    },

    async set(key, value) {
      // Refuse rather than fall back to plain text: a token on disk unencrypted is exactly what
      // this store exists to prevent.
      if (!(await cipher.isAsyncEncryptionAvailable())) {
        return { stored: false, reason: 'encryption-unavailable' };
      }
      await write(key, value);
      return { stored: true };
    },

    async delete(key) {
      await rm(secretFilePath(dir, key), { force: true });
    },

    async status() {
      const backend = backendName(cipher, platform);
      // basic_text "encrypts" with a hard-coded key: no protection, so report it as unavailable.
      const available = (await cipher.isAsyncEncryptionAvailable()) && backend !== 'basic_text';
      return { available, backend };
    },
  };
}
