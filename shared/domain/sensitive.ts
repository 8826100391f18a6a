import { maskIdNumber, maskName, maskPhone } from '../validation/mask';

type Masker = (value: string) => string;

/**
 * Personal data that screens show masked (`shared/validation/mask.ts`) and that must never be
 * copied in plaintext into derived records such as the change history: per table, each sensitive
 * field and how it is masked. Residents' ID numbers and phones are what the registry masks; a
 * case's reporter is masked by design (DESIGN §4); a resource's phone is often a volunteer's own
 * mobile, so it is treated the same way.
 */
export const SENSITIVE_FIELDS: Readonly<Record<string, Readonly<Record<string, Masker>>>> = {
  residents: { idNumber: maskIdNumber, phone: maskPhone },
  cases: { reporterName: maskName, reporterPhone: maskPhone },
  resources: { phone: maskPhone },
};

// Own properties only: a table or field called `constructor` must not find Object's.
function maskerOf(table: string, field: string): Masker | undefined {
  const fields = Object.hasOwn(SENSITIVE_FIELDS, table) ? SENSITIVE_FIELDS[table] : undefined;
  return fields && Object.hasOwn(fields, field) ? fields[field] : undefined;
}

/** Whether `table.field` holds personal data that is shown and copied only masked. */
export function isSensitiveField(table: string, field: string): boolean {
  return maskerOf(table, field) !== undefined;
}

/**
 * The value as it may be copied out of its record: masked when `table.field` is sensitive and the
 * value is a non-empty string; anything else (an empty field, a non-sensitive field) unchanged.
 */
export function maskFieldValue(
  table: string,
  field: string,
  value: unknown,
): { value: unknown; masked: boolean } {
  const mask = maskerOf(table, field);
  if (!mask || typeof value !== 'string' || value === '') return { value, masked: false };
  return { value: mask(value), masked: true };
}
