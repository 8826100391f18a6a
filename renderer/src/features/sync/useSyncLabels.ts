import dayjs from 'dayjs';
import { useI18n } from 'vue-i18n';
import { fieldLabel, valueText } from '../history/historyFormat';
import { LOCAL_ACTOR_ID, useSessionStore } from '../session/useSessionStore';
import { inboxTextContext } from './conflictValues';

/**
 * Friendly names for what the sync screens show: tables, operations and rejection codes get their
 * i18n name when one exists and stay raw otherwise (a new field should not need a translation
 * before it can be shown). Fields and values of records follow the change history's rules (see
 * conflictValues.ts), the viewer's special-group rule included.
 */
export function useSyncLabels() {
  const { t, te, locale } = useI18n();
  const session = useSessionStore();
  const context = (names: ReadonlyMap<string, string> = new Map()) =>
    inboxTextContext(
      {
        t: (key, params) => (params ? t(key, params) : t(key)),
        te: (key) => te(key),
        locale: locale.value,
      },
      session.user,
      names,
      LOCAL_ACTOR_ID,
    );

  const named = (section: string, raw: string) => {
    // Raw names may contain dots (`case.transition`), which i18n would read as a path.
    const key = `${section}.${raw}`;
    return !raw.includes('.') && te(key) ? t(key) : raw;
  };

  return {
    tableName: (table: string) => named('conflicts.tables', table),
    /** A record field's label, in the table's own words where it has them. */
    fieldName: (table: string, field: string) => fieldLabel(table, field, context()),
    opName: (op: string) => named('conflicts.ops', op),
    reasonName: (code: string) => named('conflicts.codes', code),
    roleName: (role: string) => named('sync.roles', role),
    /** A record value as short text; `names` names the record ids it may hold. */
    formatValue: (
      table: string,
      field: string,
      value: unknown,
      names?: ReadonlyMap<string, string>,
    ) => valueText(table, field, value, context(names)),
    /** Local date and time, minutes precision. */
    formatTime: (iso: string | number) => dayjs(iso).format('YYYY-MM-DD HH:mm'),
    /** Local time of day with seconds, for retries that are seconds away. */
    formatClock: (ms: number) => dayjs(ms).format('HH:mm:ss'),
  };
}
