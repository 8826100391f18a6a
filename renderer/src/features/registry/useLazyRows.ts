import { shallowRef, triggerRef } from 'vue';

/**
 * Rows of a very long list, fetched by key only when they scroll into view. The key list
 * comes from an index (cheap even for 150k rows); the records are fetched in pages.
 */
export function useLazyRows<T>(
  fetch: (keys: string[]) => Promise<(T | undefined)[]>,
  pageSize = 100,
) {
  const keys = shallowRef<string[]>([]);
  const rows = shallowRef(new Map<number, T>());
  const pending = new Set<number>();
  let generation = 0;

  function reset(nextKeys: string[]) {
    generation += 1;
    keys.value = nextKeys;
    rows.value = new Map();
    pending.clear();
  }

  async function ensure(start: number, end: number) {
    const first = Math.floor(start / pageSize);
    const last = Math.floor(end / pageSize);
    const mine = generation;
    for (let page = first; page <= last; page += 1) {
      if (pending.has(page)) continue;
      pending.add(page);
      const from = page * pageSize;
      const slice = keys.value.slice(from, from + pageSize);
      const records = await fetch(slice);
      if (mine !== generation) return;
      records.forEach(
        (record, offset) => record !== undefined && rows.value.set(from + offset, record),
      );
      triggerRef(rows);
    }
  }

  return { keys, rows, reset, ensure };
}
