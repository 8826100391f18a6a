import { describe, expect, it } from 'vitest';
import { gridOfQuery, withoutGrid } from './gridQuery';

const GRID = '110101010027001';

describe('gridOfQuery and withoutGrid', () => {
  it('reads a 15-digit grid code from ?grid, the first of several', () => {
    expect(gridOfQuery({ grid: GRID })).toBe(GRID);
    expect(gridOfQuery({ grid: [GRID, '110101010027002'] })).toBe(GRID);
  });
  it('ignores a missing, empty or malformed value', () => {
    expect(gridOfQuery({})).toBeNull();
    expect(gridOfQuery({ grid: '' })).toBeNull();
    expect(gridOfQuery({ grid: null })).toBeNull();
    // A community code and a code of the wrong length are not grids.
    expect(gridOfQuery({ grid: '110101010027' })).toBeNull();
    expect(gridOfQuery({ grid: '110101010027000' })).toBeNull();
    expect(gridOfQuery({ grid: `${GRID}9` })).toBeNull();
  });
  it('drops only the grid from the query', () => {
    expect(withoutGrid({ grid: GRID, tab: 'x' })).toEqual({ tab: 'x' });
    expect(withoutGrid({ grid: GRID })).toEqual({});
  });
});
