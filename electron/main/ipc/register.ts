/**
 * The one way main listens on IPC. Every channel goes through `guardChannel`, which
 * (a) checks the sender is the app's own top-level page, (b) validates the payload with the
 * channel's zod schema, and only then (c) calls the handler. Electron security checklist item 17.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents, WebFrameMain } from 'electron';
import type { z } from 'zod';
import { ipcChannels, ipcPayloadSchemas } from '@shared/ipc/contract';
import type { IpcChannel, IpcHandler, IpcHandlers, IpcResponse } from '@shared/ipc/contract';
import { isAppUrl } from '../security';

/** Who called: handed to every handler (e.g. to parent a dialog on the caller's window). */
export interface MainIpcContext {
  sender: WebContents;
}

/** Main's handler table: one handler per contract channel. */
export type MainIpcHandlers = IpcHandlers<MainIpcContext>;

/** The part of a frame the sender check reads. */
export type SenderFrame = Pick<WebFrameMain, 'url' | 'parent'>;

/**
 * Whether an IPC message comes from the app itself. A missing frame (navigated away or
 * destroyed) is refused; so is any sub-frame, even a same-origin one, because the app has no
 * iframes and an embedded page must never reach the bridge.
 */
export function isTrustedSender(frame: SenderFrame | null, devServerUrl: string | null): boolean {
  if (frame === null) return false;
  if (frame.parent !== null) return false;
  return isAppUrl(frame.url, devServerUrl);
}

/** A one-line, human-readable summary of what was wrong with a payload. */
export function describeIssues(channel: IpcChannel, error: z.ZodError): string {
  const issues = error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'payload'}: ${issue.message}`)
    .join('; ');
  return `Invalid payload for ${channel}: ${issues}`;
}

/** Wraps one handler with the sender check and payload validation. */
export function guardChannel<C extends IpcChannel>(
  channel: C,
  handler: IpcHandler<C, MainIpcContext>,
  devServerUrl: string | null,
): (event: IpcMainInvokeEvent, payload: unknown) => Promise<IpcResponse<C>> {
  const schema = ipcPayloadSchemas[channel];
  return async (event, payload) => {
    if (!isTrustedSender(event.senderFrame, devServerUrl)) {
      console.warn(
        `[gridwork] refused ${channel} from ${event.senderFrame?.url ?? 'a gone frame'}`,
      );
      throw new Error(`Refused ${channel}: the caller is not the Gridwork app`);
    }
    const parsed = schema.safeParse(payload);
    if (!parsed.success) throw new Error(describeIssues(channel, parsed.error));
    return handler(parsed.data, { sender: event.sender });
  };
}

/** Registers every channel of the contract with `ipcMain.handle`. */
export function registerIpcHandlers(
  ipcMain: Pick<IpcMain, 'handle'>,
  handlers: MainIpcHandlers,
  devServerUrl: string | null,
): void {
  for (const channel of ipcChannels) {
    ipcMain.handle(channel, guardChannel(channel, handlers[channel], devServerUrl));
  }
}
