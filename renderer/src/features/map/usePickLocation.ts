import { getCurrentInstance, h, render } from 'vue';
import type { LngLat } from './display';

export interface PickLocationOptions {
  /** A point to start from (WGS-84), e.g. the record's current location. */
  initial?: LngLat;
  /** Dialog title; default 在地图上选择位置. */
  title?: string;
}

/**
 * Lets any screen ask the user for a point on the map (a visit's, a case's or a building's
 * location) — Electron's geolocation needs a network service that is unreachable in mainland
 * China, so picking is the way (DESIGN §6). Call in `setup`; `pickLocation()` opens a map dialog
 * and resolves to the point in WGS-84, or null if the user cancels.
 *
 *   const { pickLocation } = usePickLocation();
 *   const point = await pickLocation({ initial: building.location });
 */
export function usePickLocation(): {
  pickLocation(options?: PickLocationOptions): Promise<LngLat | null>;
} {
  // The dialog is rendered outside the caller's tree, so it borrows the app's context (i18n,
  // Element Plus, Pinia) explicitly.
  const appContext = getCurrentInstance()?.appContext ?? null;

  async function pickLocation(options: PickLocationOptions = {}): Promise<LngLat | null> {
    // Loaded on first use: the dialog brings MapLibre, which screens that merely offer a pick
    // (forms in the registry and visits) should not load up front.
    const { default: MapPickDialog } = await import('./MapPickDialog.vue');
    return new Promise((resolve) => {
      const host = document.createElement('div');
      document.body.appendChild(host);
      const vnode = h(MapPickDialog, {
        ...options,
        onDone: (point: LngLat | null) => {
          render(null, host);
          host.remove();
          resolve(point);
        },
      });
      vnode.appContext = appContext;
      render(vnode, host);
    });
  }

  return { pickLocation };
}
