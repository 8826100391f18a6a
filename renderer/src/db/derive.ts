import type { EntityOf, EntityTable } from '@shared/domain/entities';

/**
 * Local index keys derived from a record, so that searches use an index instead of scanning
 * 150k rows per keystroke. They are recomputed on every local or remote write and stripped
 * before a record leaves the device.
 */
export type Stored<T extends EntityTable> = EntityOf<T> & Record<`_${string}`, unknown>;

const DIGITS = /\d/g;

/** Last four characters of an ID number (the check character may be X). */
export function idTail(idNumber: string | null): string | null {
  return idNumber && idNumber.length >= 4 ? idNumber.slice(-4).toUpperCase() : null;
}

/** Last four digits of a phone number, whatever separators it was typed with. */
export function phoneTail(phone: string | null): string | null {
  const digits = phone?.match(DIGITS)?.join('') ?? '';
  return digits.length >= 4 ? digits.slice(-4) : null;
}

/**
 * Address search keys: the full address plus each suffix that starts a number run (building,
 * unit, room), so "和平里七区…", "3号楼…", "2单元501" and "501" all match by index prefix.
 */
export function addressKeys(address: string): string[] {
  const keys = new Set<string>([address]);
  for (const match of address.matchAll(/(?<!\d)\d/g))
    if (match.index > 0) keys.add(address.slice(match.index));
  return [...keys];
}

/** The local index keys of a record of `table` (none for most tables). */
function localKeys(table: EntityTable, record: object): Record<`_${string}`, unknown> | null {
  if (table === 'residents') {
    const resident = record as EntityOf<'residents'>;
    return { _idTail: idTail(resident.idNumber), _phoneTail: phoneTail(resident.phone) };
  }
  if (table === 'households')
    return { _addrKeys: addressKeys((record as EntityOf<'households'>).address) };
  return null;
}

export function deriveKeys<T extends EntityTable>(table: T, record: EntityOf<T>): Stored<T> {
  // Tables without derived keys are stored as they are: copying 100k rows costs a sync dearly.
  const keys = localKeys(table, record);
  return (keys ? { ...record, ...keys } : record) as Stored<T>;
}

/**
 * `deriveKeys` for a record the caller owns (a row just parsed from a pull page): the keys are
 * added to it instead of to a copy, which saves a copy of every row of an initial sync.
 */
export function deriveKeysInPlace<T extends EntityTable>(table: T, record: EntityOf<T>): Stored<T> {
  const keys = localKeys(table, record);
  return (keys ? Object.assign(record, keys) : record) as Stored<T>;
}

/** The record without its local index keys: what is validated, compared and synced. */
export function stripLocalKeys<T extends EntityTable>(
  stored: Stored<T> | EntityOf<T>,
): EntityOf<T> {
  const record: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(stored)) if (!key.startsWith('_')) record[key] = value;
  return record as EntityOf<T>;
}
