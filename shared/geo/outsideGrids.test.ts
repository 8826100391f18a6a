import { describe, expect, it } from 'vitest';
import type { AreaGeometry } from '../domain/common';
import { placementReport } from './outsideGrids';

function square(lng: number, lat: number, size = 0.01): AreaGeometry {
  return {
    type: 'Polygon',
    coordinates: [
      [
        [lng, lat],
        [lng + size, lat],
        [lng + size, lat + size],
        [lng, lat + size],
        [lng, lat],
      ],
    ],
  };
}

const A = '110101010003001';
const B = '110101010003002';
const grids = [
  { code: A, boundary: square(116.4, 39.95) },
  { code: B, boundary: square(116.41, 39.95) },
];

describe('placementReport', () => {
  it('finds households outside every grid and those inside another grid than their own', () => {
    const households = [
      { id: 'in-own', gridCode: A, location: [116.405, 39.955] as const },
      { id: 'on-edge', gridCode: A, location: [116.41, 39.955] as const },
      { id: 'in-b', gridCode: A, location: [116.415, 39.955] as const },
      { id: 'gap', gridCode: B, location: [116.425, 39.955] as const },
      { id: 'no-grid-code', location: [116.405, 39.955] as const },
      { id: 'unknown-grid', gridCode: '110101010003009', location: [116.3, 39.9] as const },
    ];
    const report = placementReport(households, grids);
    expect(report.outside.map((h) => h.id)).toEqual(['gap', 'unknown-grid']);
    expect(report.elsewhere.map((e) => [e.record.id, e.foundIn])).toEqual([['in-b', B]]);
  });

  it('with no grids every household is outside', () => {
    const report = placementReport([{ location: [116.4, 39.9] as const }], []);
    expect(report.outside).toHaveLength(1);
  });
});
