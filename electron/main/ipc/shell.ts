/** `shell:*` handlers: hand-offs to the operating system. */
import { shell } from 'electron';
import type { OpenExternalResult } from '@shared/ipc/contract';
import { isSafeExternalUrl } from '../security';

/**
 * `shell:open-external`: opens an http(s)/mailto URL in the system browser or mail client.
 * The renderer's URL is re-checked here even though the contract validated its shape: the OS
 * would run a handler for any scheme it is given (checklist item 15).
 */
export async function openExternal(url: string): Promise<OpenExternalResult> {
  if (!isSafeExternalUrl(url)) return { opened: false, reason: 'unsafe-url' };
  try {
    await shell.openExternal(url);
    return { opened: true };
  } catch (error) {
    console.warn('[gridwork] openExternal failed', error);
    return { opened: false, reason: 'failed' };
  }
}
