/**
 * Test fixtures shared by the app's, the server's and the shared code's tests. Not used by the
 * product.
 */

/** A household's own data (no envelope) in `grid`: 和平里七区3号楼2单元501. */
export function householdFields(grid: string, buildingId = '01900000-0000-7000-8000-000000000001') {
  return {
    gridCode: grid,
    buildingId,
    unit: '2',
    room: '501',
    address: '和平里七区3号楼2单元501',
    type: 'owner' as const,
    headResidentId: null,
    location: [116.418, 39.955] as [number, number],
    note: '',
  };
}
