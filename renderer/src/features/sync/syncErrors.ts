import dayjs from 'dayjs';
import { ERROR_CODES, type ErrorCode } from '@shared/sync/protocol';
import { SyncApiError } from '../../sync/api';
import { SyncDataError } from '../../sync/engine';
import { isFatal } from '../../sync/scheduler';
import { TokenStorageError } from '../session/tokenStorageError';

/**
 * A sync or sign-in failure described for people: an i18n key under `sync.errors` with its
 * parameters, plus what the screen should offer. Stores keep this (not translated text), so the
 * message follows a locale switch and the stores need no i18n instance.
 */
export interface SyncErrorInfo {
  /** The protocol's error code, or a local kind when the failure never reached the server. */
  code: ErrorCode | 'invalid-data' | 'keychain' | 'unknown';
  /** Full i18n key, e.g. `sync.errors.token-expired`. */
  messageKey: string;
  params: Record<string, string>;
  /** Retrying cannot help: the user must sign in again (or update the app). */
  fatal: boolean;
  /** The technical message, for the tooltip and for support. */
  detail: string;
}

const KNOWN = new Set<string>(ERROR_CODES);

/** The time an account stays locked until: from the error's details when the API carries them, else from the message. */
function lockedUntil(error: SyncApiError): string {
  const details = (error as SyncApiError & { details?: { lockedUntil?: unknown } }).details;
  const raw =
    typeof details?.lockedUntil === 'string'
      ? details.lockedUntil
      : /\d{4}-\d{2}-\d{2}T[\d:.]+Z/.exec(error.message)?.[0];
  // Show local wall-clock time: "locked until 06:15Z" means nothing to a grid worker.
  return raw && dayjs(raw).isValid() ? dayjs(raw).format('YYYY-MM-DD HH:mm') : '—';
}

/** Maps anything thrown by the sync client, the engine or sign-in to a plain-words message. */
export function describeSyncError(error: unknown): SyncErrorInfo {
  const detail = error instanceof Error ? error.message : String(error);
  if (error instanceof SyncApiError && KNOWN.has(error.code)) {
    const params: Record<string, string> = { message: detail };
    if (error.code === 'account-locked') params.until = lockedUntil(error);
    return {
      code: error.code,
      messageKey: `sync.errors.${error.code}`,
      params,
      fatal: isFatal(error),
      detail,
    };
  }
  if (error instanceof SyncDataError)
    return {
      code: 'invalid-data',
      messageKey: 'sync.errors.invalidData',
      params: { message: detail },
      fatal: false,
      detail,
    };
  if (error instanceof TokenStorageError)
    return {
      code: 'keychain',
      messageKey: 'sync.errors.keychain',
      params: { message: detail },
      fatal: true,
      detail,
    };
  return {
    code: 'unknown',
    messageKey: 'sync.errors.unknown',
    params: { message: detail },
    fatal: false,
    detail,
  };
}
