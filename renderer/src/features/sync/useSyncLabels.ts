import dayjs from 'dayjs';
import { useI18n } from 'vue-i18n';

/**
 * Friendly names for what the sync screens show: tables, fields, operations and rejection codes
 * get their i18n name when one exists and stay raw otherwise (a new field should not need a
 * translation before it can be shown). Values are rendered as short plain text.
 */
export function useSyncLabels() {
  const { t, te } = useI18n();

  const named = (section: string, raw: string) => {
    // Raw names may contain dots (`case.transition`), which i18n would read as a path.
    const key = `${section}.${raw}`;
    return !raw.includes('.') && te(key) ? t(key) : raw;
  };

  function formatValue(value: unknown): string {
    if (value === null || value === undefined || value === '') return t('conflicts.emptyValue');
    if (typeof value === 'boolean') return value ? t('conflicts.yes') : t('conflicts.no');
    if (Array.isArray(value))
      return value.length === 0 ? t('conflicts.emptyValue') : value.map(formatValue).join('、');
    if (typeof value === 'object') return JSON.stringify(value);
    return String(value);
  }

  return {
    tableName: (table: string) => named('conflicts.tables', table),
    fieldName: (field: string) => named('conflicts.fields', field),
    opName: (op: string) => named('conflicts.ops', op),
    reasonName: (code: string) => named('conflicts.codes', code),
    roleName: (role: string) => named('sync.roles', role),
    formatValue,
    /** Local date and time, minutes precision. */
    formatTime: (iso: string | number) => dayjs(iso).format('YYYY-MM-DD HH:mm'),
    /** Local time of day with seconds, for retries that are seconds away. */
    formatClock: (ms: number) => dayjs(ms).format('HH:mm:ss'),
  };
}
