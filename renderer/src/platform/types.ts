import type { SecretKey } from '@shared/ipc/contract';

/**
 * What the renderer needs from its host. Two implementations: Electron (through the preload's
 * `window.gridwork` bridge) and a plain browser (web mode). Screens use only this interface,
 * never `window.gridwork` directly, so every screen runs in both.
 */
export interface Platform {
  readonly kind: 'electron' | 'web';
  appInfo(): Promise<{ version: string; platform: string; runtime: string }>;
  /** Opens an http(s) link outside the app; returns false when refused. */
  openExternal(url: string): Promise<boolean>;
  /**
   * Desktop only: remembers the sync server and allows it in the page's security policy; true
   * when the page must reload before it can reach the new server. The web app always talks to
   * the server it was loaded from, so there it is a no-op that answers false.
   */
  setSyncServer(url: string): Promise<boolean>;
  /**
   * Desktop only: remembers the basemap's tile server origin (`https://tiles.example.gov.cn`, or
   * null for none) and allows it in the page's security policy; true when the page must reload
   * before the map can load tiles from it. Throws when the origin is refused. A web page's
   * policy comes from the server that serves it, so there it is a no-op that answers false.
   */
  setBasemapOrigin(origin: string | null): Promise<boolean>;
  /** Saves bytes or text under a user-chosen name; returns false when cancelled. */
  saveFile(
    suggestedName: string,
    data: Uint8Array<ArrayBuffer> | string,
    mime: string,
  ): Promise<boolean>;
  /**
   * Small secrets (the sync token). Electron keeps them in the OS keychain; a browser keeps
   * them for the session only, so closing the tab signs the user out.
   */
  readonly secrets: {
    get(key: SecretKey): Promise<string | null>;
    set(key: SecretKey, value: string): Promise<void>;
    delete(key: SecretKey): Promise<void>;
  };
}
