import type { EntityData } from '../../db/write';
import { GRID, COMMUNITY } from '../../db/testing';

/** Test helper: a minimal valid hotline case in the test grid. Not used by the app. */
export function caseData(overrides: Partial<EntityData<'cases'>> = {}): EntityData<'cases'> {
  return {
    caseNo: 'RX20261101-000001',
    source: 'hotline',
    workOrderNo: null,
    category: '0102',
    description: '垃圾未清运',
    address: '和平里七区3号楼',
    location: [116.418, 39.955],
    gridCode: GRID,
    communityCode: COMMUNITY,
    streetCode: '110101010000',
    status: 'received',
    receivedAt: '2026-11-01T00:00:00.000Z',
    ...overrides,
  };
}
