import { v7 as uuidv7 } from 'uuid';
import type { EntityData } from './write';
import { openDb, type GridworkDb } from './db';
import { householdFields } from '@shared/domain/testing';

/** Test helpers: a fresh database per test and minimal valid records. Not used by the app. */

let counter = 0;
export function freshDb(): GridworkDb {
  counter += 1;
  return openDb(`gridwork-test-${counter}-${uuidv7()}`);
}

export const GRID = '110101010027001';
export const COMMUNITY = '110101010027';

export function householdData(
  overrides: Partial<EntityData<'households'>> = {},
): EntityData<'households'> {
  return { ...householdFields(GRID), ...overrides };
}

export function residentData(
  householdId: string,
  overrides: Partial<EntityData<'residents'>> = {},
): EntityData<'residents'> {
  return {
    householdId,
    gridCode: GRID,
    name: '张三明',
    idNumber: '11010519491231002X',
    phone: '13812341234',
    birthDate: '1949-12-31',
    sex: 'F',
    relation: 'head',
    residenceType: 'registered',
    status: 'active',
    tags: [],
    partyMember: false,
    note: '',
    ...overrides,
  };
}
