// Builders for hand-made case fixtures in the metrics tests (not shipped code).
import {
  CaseEventSchema,
  CaseSchema,
  type Case,
  type CaseEvent,
  type CaseEventType,
} from '../domain/case';

export const STREET = '110101010000';
export const C1 = '110101010001';
export const C2 = '110101010002';
export const G1 = `${C1}001`;
export const G2 = `${C1}002`;
export const G3 = `${C2}001`;
export const D1 = '0190a000-0000-7000-8000-00000000d001';
export const D2 = '0190a000-0000-7000-8000-00000000d002';
const ACTOR = '0190a000-0000-7000-8000-0000000000ac';

let seq = 0;
const uuid = () => `0190a000-0000-7000-8000-${String(++seq).padStart(12, '0')}`;

/** A point `eastM` metres east and `northM` metres north of a spot in 和平里. */
export function near(eastM: number, northM = 0): [number, number] {
  const lat = 39.96;
  return [116.42 + eastM / (111_320 * Math.cos((lat * Math.PI) / 180)), lat + northM / 110_574];
}

export function makeCase(over: Partial<Case> = {}): Case {
  const receivedAt = over.receivedAt ?? '2026-03-02T01:00:00.000Z';
  return CaseSchema.parse({
    id: uuid(),
    scope: over.gridCode ?? G1,
    createdAt: receivedAt,
    updatedAt: receivedAt,
    hlc: '1772413200000-0000-dev1',
    caseNo: `GW-${String(seq).padStart(6, '0')}`,
    source: 'hotline',
    category: '0102',
    description: '测试案件',
    gridCode: G1,
    communityCode: C1,
    streetCode: STREET,
    status: 'dispatched',
    receivedAt,
    ...over,
  });
}

export function makeEvent(
  c: Case,
  type: CaseEventType,
  at: string,
  data: Record<string, unknown> = {},
): CaseEvent {
  return CaseEventSchema.parse({
    id: uuid(),
    scope: c.scope,
    createdAt: at,
    updatedAt: at,
    hlc: '1772413200000-0000-dev1',
    caseId: c.id,
    type,
    at,
    actorId: ACTOR,
    actorName: '测试',
    data,
  });
}
