import { describe, expect, it } from 'vitest';
import { addressKeys, idTail, phoneTail, stripLocalKeys, deriveKeys } from './derive';
import { householdData } from './testing';

describe('derived index keys', () => {
  it('takes ID and phone tails', () => {
    expect(idTail('11010519491231002x')).toBe('002X');
    expect(idTail(null)).toBeNull();
    expect(phoneTail('010-6400 1234')).toBe('1234');
    expect(phoneTail('12')).toBeNull();
  });

  it('splits an address at building, unit and room boundaries', () => {
    expect(addressKeys('和平里七区3号楼2单元501')).toEqual([
      '和平里七区3号楼2单元501',
      '3号楼2单元501',
      '2单元501',
      '501',
    ]);
    expect(addressKeys('安德路16号院5号楼')).toEqual(['安德路16号院5号楼', '16号院5号楼', '5号楼']);
  });

  it('adds local keys and strips them again', () => {
    const record = { ...householdData(), id: 'x' } as never;
    const stored = deriveKeys('households', record);
    expect(stored._addrKeys).toContain('501');
    expect(stripLocalKeys(stored)).toEqual(record);
  });
});
