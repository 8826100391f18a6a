import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { usePlatform } from '../../platform';
import {
  type BasemapSetting,
  type PmtilesInfo,
  basemapStyle,
  displayTransform,
  loadBasemapSetting,
  saveBasemapSetting,
  tileOrigin,
} from './basemap';
import { openBasemapFile, openedBasemapFile } from './basemapFile';

/**
 * The basemap as the app uses it: this device's setting, whether its PMTiles file is open in
 * this session, and what the map draws (`style`: sources and layers to put under the data
 * layers; `transform`: how WGS-84 data is placed over the basemap).
 */
export const useBasemapStore = defineStore('basemap', () => {
  const setting = shallowRef<BasemapSetting>(loadBasemapSetting());
  // Bumped when a file is opened: `openedBasemapFile()` is not reactive itself.
  const fileVersion = ref(0);

  const pmtilesReady = computed(() => {
    void fileVersion.value;
    const current = setting.value;
    const opened = openedBasemapFile();
    return (
      current.kind === 'pmtiles' &&
      opened !== null &&
      opened.name === current.file.name &&
      opened.size === current.file.size
    );
  });
  /** A PMTiles basemap is set but its file must be picked again in this session. */
  const needsFile = computed(() => setting.value.kind === 'pmtiles' && !pmtilesReady.value);
  const style = computed(() => basemapStyle(setting.value, { pmtilesReady: pmtilesReady.value }));
  const transform = computed(() =>
    displayTransform(setting.value, { pmtilesReady: pmtilesReady.value }),
  );

  function save(next: BasemapSetting) {
    saveBasemapSetting(next);
    setting.value = next;
    void allowTileServer(next);
  }

  /**
   * Desktop: has main allow the tile server in the page's security policy (or drop it when the
   * basemap is no longer a tile URL), and reloads when this page's policy predates it; the
   * settings screen comes back after the reload. A no-op on the web.
   */
  async function allowTileServer(next: BasemapSetting) {
    const origin = next.kind === 'raster-url' ? tileOrigin(next.url) : null;
    try {
      if (await usePlatform().setBasemapOrigin(origin)) window.location.reload();
    } catch (error) {
      console.warn('[gridwork] the basemap tile server could not be allowed', error);
    }
  }

  /** Opens a picked PMTiles file for this session (the setting is saved separately). */
  async function openFile(file: File): Promise<PmtilesInfo> {
    const info = await openBasemapFile(file);
    fileVersion.value += 1;
    return info;
  }

  return { setting, pmtilesReady, needsFile, style, transform, save, openFile };
});
