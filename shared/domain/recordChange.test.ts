import { describe, expect, it } from 'vitest';
import { fieldChangesOf } from './recordChange';
import { isSensitiveField, maskFieldValue } from './sensitive';

describe('sensitive fields', () => {
  it('masks residents’ ID numbers and phones and a case reporter, and nothing else', () => {
    expect(maskFieldValue('residents', 'idNumber', '11010519491231002X')).toEqual({
      value: '110105********002X',
      masked: true,
    });
    expect(maskFieldValue('cases', 'reporterName', '张三明').value).toBe('张*明');
    expect(maskFieldValue('residents', 'name', '张三明')).toEqual({
      value: '张三明',
      masked: false,
    });
    expect(maskFieldValue('residents', 'phone', null)).toEqual({ value: null, masked: false });
    // Only own entries count: Object's properties are not a table's or a field's masks.
    expect(isSensitiveField('constructor', 'keys')).toBe(false);
    expect(isSensitiveField('residents', 'toString')).toBe(false);
  });
});

describe('fieldChangesOf', () => {
  const before = { name: '张三明', phone: '13812341234', tags: ['disabled'], note: '' };

  it('lists a create’s non-empty fields, an update’s old and new values, masked where due', () => {
    expect(
      fieldChangesOf('residents', 'create', undefined, {
        ...before,
        deleted: false,
        idNumber: null,
      }),
    ).toEqual({
      name: { new: '张三明' },
      phone: { new: '138****1234', masked: true },
      tags: { new: ['disabled'] },
    });
    expect(
      fieldChangesOf('residents', 'update', before, { phone: null, tags: [], note: '独居' }),
    ).toEqual({
      phone: { old: '138****1234', new: null, masked: true },
      tags: { old: ['disabled'], new: [] },
      note: { old: '', new: '独居' },
    });
  });

  it('keeps no fields for a delete or a restore', () => {
    expect(fieldChangesOf('residents', 'delete', before, { deleted: true })).toEqual({});
    expect(fieldChangesOf('residents', 'restore', before, { deleted: false })).toEqual({});
  });
});
