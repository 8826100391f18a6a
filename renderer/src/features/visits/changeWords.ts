import type { ChangeLine } from './householdChanges';

/** The i18n `t` as this module uses it. */
export type Translate = (key: string, params: Record<string, string | number>) => string;

/**
 * A household change in plain words. The confirmation shows a new member's name as typed, so
 * the visitor can check it; the visit's findings (`forRecord`) keep only masked names.
 */
export function describeChange(t: Translate, line: ChangeLine, forRecord = false): string {
  const key = `visits.changes.lines.${line.kind}`;
  switch (line.kind) {
    case 'household-moved-out':
      return t(key, { n: line.members });
    case 'new-member':
      return t(key, {
        name: forRecord ? line.masked : line.name,
        relation: t(`enums.relation.${line.relation}`, {}),
      });
    case 'head-set':
      return t(key, { name: forRecord ? line.masked : line.name });
    case 'phone':
      return t(key, { name: line.name, phone: line.phone });
    case 'moved-out':
    case 'head-cleared':
      return t(key, { name: line.name });
  }
}

/** The paragraph appended to the visit's findings: every change, masked, on one line. */
export function changeSummary(t: Translate, lines: ChangeLine[]): string {
  const words = lines.map((line) => describeChange(t, line, true));
  return t('visits.changes.summary', { lines: words.join(t('visits.changes.separator', {})) });
}
