import { describe, expect, it } from 'vitest';
import { LIAISON_TABLES, readableTables } from './readableTables';

const STREET = '110101010000';
const GRID = '110101010027001';
const OTHER_STREET = '110101011000';

describe('readableTables', () => {
  it('narrows a street a user reads only as a department liaison to the case loop', () => {
    expect(readableTables([{ scope: STREET, role: 'department' }], STREET)).toBe(LIAISON_TABLES);
    expect(LIAISON_TABLES).toContain('cases');
    expect(LIAISON_TABLES).not.toContain('households');
    expect(LIAISON_TABLES).not.toContain('residents');
  });

  it('reads every table when another role overlaps the scope, above or inside it', () => {
    const liaison = { scope: STREET, role: 'department' } as const;
    expect(readableTables([liaison, { scope: STREET, role: 'street' }], STREET)).toBeNull();
    expect(readableTables([liaison, { scope: GRID, role: 'grid-worker' }], STREET)).toBeNull();
    expect(readableTables([{ scope: GRID, role: 'grid-worker' }], GRID)).toBeNull();
    // A role in another street does not widen this one.
    expect(readableTables([liaison, { scope: OTHER_STREET, role: 'street' }], STREET)).toBe(
      LIAISON_TABLES,
    );
  });
});
