import type { Platform } from './types';

declare const __APP_VERSION__: string | undefined;

/** Web mode: downloads through an object URL, secrets in sessionStorage. */
export function createBrowserPlatform(): Platform {
  return {
    kind: 'web',
    async appInfo() {
      return {
        version: typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : 'dev',
        platform: navigator.platform,
        runtime: navigator.userAgent,
      };
    },
    async openExternal(url) {
      if (!/^https?:\/\//i.test(url)) return false;
      return window.open(url, '_blank', 'noopener,noreferrer') !== null;
    },
    async setSyncServer() {
      return false;
    },
    async setBasemapOrigin() {
      return false;
    },
    async saveFile(suggestedName, data, mime) {
      const part: BlobPart = typeof data === 'string' ? data : new Uint8Array(data);
      const href = URL.createObjectURL(new Blob([part], { type: mime }));
      const link = document.createElement('a');
      link.href = href;
      link.download = suggestedName;
      link.click();
      setTimeout(() => URL.revokeObjectURL(href), 10_000);
      return true;
    },
    secrets: {
      async get(key) {
        return sessionStorage.getItem(`gridwork:${key}`);
      },
      async set(key, value) {
        sessionStorage.setItem(`gridwork:${key}`, value);
      },
      async delete(key) {
        sessionStorage.removeItem(`gridwork:${key}`);
      },
    },
  };
}
