import type { GridworkBridge } from '@shared/ipc/contract';
import { createBrowserPlatform } from './browser';
import { createElectronPlatform } from './electron';
import type { Platform } from './types';

export type { Platform } from './types';

declare global {
  interface Window {
    /** Present only inside Electron, exposed by the preload. */
    gridwork?: GridworkBridge;
  }
}

let platform: Platform | null = null;

/** The host the renderer runs in: Electron when the preload's bridge is there, else a browser. */
export function usePlatform(): Platform {
  platform ??= window.gridwork ? createElectronPlatform(window.gridwork) : createBrowserPlatform();
  return platform;
}
