/** `file:*` handlers: saving exports (reports, backups) where the user chooses. */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { app, BrowserWindow, dialog } from 'electron';
import type { IpcPayload, SaveFileResult } from '@shared/ipc/contract';
import type { MainIpcContext } from './register';

/**
 * `file:save`: shows the save dialog (modal to the caller's window) and writes the data there.
 * The renderer never names a directory: the only path written is the one the user picked in the
 * OS dialog, so a compromised page cannot overwrite files of its choosing.
 */
export async function saveFile(
  request: IpcPayload<'file:save'>,
  context: MainIpcContext,
): Promise<SaveFileResult> {
  const options = {
    // basename again, although the schema already refuses separators: belt and braces.
    defaultPath: path.join(app.getPath('downloads'), path.basename(request.suggestedName)),
    filters: request.filters ?? [],
  };
  const window = BrowserWindow.fromWebContents(context.sender);
  const choice = window
    ? await dialog.showSaveDialog(window, options)
    : await dialog.showSaveDialog(options);
  if (choice.canceled || !choice.filePath) return { saved: false };
  await writeFile(choice.filePath, request.data);
  return { saved: true, path: choice.filePath };
}
