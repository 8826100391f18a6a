import { liveQuery, type Subscription } from 'dexie';
import { onScopeDispose, ref, watch, type Ref } from 'vue';
import { useDb } from '../../db/db';

/**
 * Scope code → the division's name (e.g. 110101010027001 → 和平里七区第一网格), for the codes
 * the device holds an org unit of. Live: the names appear as soon as the first pull brings the
 * org units, which is usually just after sign-in.
 */
export function useScopeNames(codes: () => string[]): Ref<Record<string, string>> {
  const db = useDb();
  const names = ref<Record<string, string>>({});
  let subscription: Subscription | null = null;

  watch(
    codes,
    (list) => {
      subscription?.unsubscribe();
      subscription = liveQuery(() => db.orgUnits.where('code').anyOf(list).toArray()).subscribe({
        next: (units) => (names.value = Object.fromEntries(units.map((u) => [u.code, u.name]))),
        error: (error: unknown) => console.error('scope names failed', error),
      });
    },
    { immediate: true },
  );
  onScopeDispose(() => subscription?.unsubscribe());
  return names;
}
