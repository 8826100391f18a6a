import type { LayerMap, LayerMapEvent } from './types';

/** Where a source may have just finished loading (see `whenSourcesLoaded`). */
const EVENTS: readonly LayerMapEvent[] = ['sourcedata', 'render'];

/**
 * Calls `ready` once, as soon as every source that `sourceIds` names has loaded what the view
 * needs, and returns a function that cancels the wait (for a layer removed before that).
 *
 * Checked on `sourcedata`, which fires as a source's last tile arrives and before the frame that
 * draws it, so whatever `ready` changes is drawn in that same frame and the map goes idle after
 * it as it would have anyway; and after every frame (`render`), for a source that finishes with
 * no event of its own (nothing to load in view) — `render` fires before the map decides it is
 * idle, so `ready` still runs before `idle`. Never checked at once: the registry adds the layers
 * above this one right after, and their sources are not on the map yet. `sourceIds` is read at
 * each check, since sources come and go while the wait lasts.
 */
export function whenSourcesLoaded(
  map: LayerMap,
  sourceIds: () => readonly string[],
  ready: () => void,
): () => void {
  const cancel = () => {
    for (const type of EVENTS) map.off(type, check);
  };
  function check() {
    if (!sourceIds().every((id) => map.isSourceLoaded(id))) return;
    cancel();
    ready();
  }
  for (const type of EVENTS) map.on(type, check);
  return cancel;
}
