// eslint-disable-next-line no-restricted-imports -- unit tests run in Node and read the fixture files
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  EXPECTED_ISSUES,
  FIXTURE_HEADERS,
  GOOD_ROWS,
} from '../../../../test/fixtures/import/expected';
import type { GridworkDb } from '../../db/db';
import { COMMUNITY, GRID, freshDb, householdData, residentData } from '../../db/testing';
import { commitChange } from '../../db/write';
import { guessMapping, headerSignature, missingRequired } from './columns';
import { importValidRows, initialMapping, loadImportContext, rememberMapping } from './importer';
import { ImportFileError, decodeText, readTable } from './readTable';
import { parseBirthDate, validateTable } from './validate';

const actor = { id: '01900000-0000-7000-8000-0000000000aa' };
const fixture = (name: string) =>
  new Uint8Array(
    readFileSync(new URL(`../../../../test/fixtures/import/${name}`, import.meta.url)),
  );
let db: GridworkDb;
afterEach(async () => {
  vi.restoreAllMocks();
  await db.delete();
});

/** A grid with buildings 1号楼 and 2号楼, and one resident whose ID row 16 repeats. */
async function seed(): Promise<void> {
  db = freshDb();
  await commitChange(
    db,
    {
      op: 'create',
      table: 'orgUnits',
      scope: GRID,
      data: { code: GRID, level: 'grid', name: '和平里七区第一网格', parentCode: COMMUNITY },
    },
    actor,
  );
  for (const [i, name] of ['1号楼', '2号楼'].entries()) {
    await commitChange(
      db,
      {
        op: 'create',
        table: 'buildings',
        scope: GRID,
        id: `01900000-0000-7000-8000-00000000000${i + 1}`,
        data: {
          gridCode: GRID,
          communityCode: COMMUNITY,
          compound: '和平里七区',
          name,
          address: `和平里七区${name}`,
          kind: 'residential',
          floors: 6,
          units: 3,
          location: [116.418 + i / 1000, 39.955],
        },
      },
      actor,
    );
  }
  // An existing household elsewhere holding the resident whose ID the file repeats.
  const h = await commitChange(
    db,
    {
      op: 'create',
      table: 'households',
      scope: GRID,
      data: householdData({ unit: '9', room: '909' }),
    },
    actor,
  );
  await commitChange(
    db,
    { op: 'create', table: 'residents', scope: GRID, data: residentData(h.id) },
    actor,
  );
}

async function counts() {
  return {
    households: await db.households.count(),
    residents: await db.residents.count(),
    outbox: await db.outbox.count(),
  };
}

async function reportOf(file: string) {
  const table = await readTable(fixture(file));
  const context = await loadImportContext(db, GRID);
  const report = await validateTable(table, guessMapping(table.headers), context);
  return { table, context, report };
}

describe('header guessing', () => {
  beforeEach(() => {
    db = freshDb();
  });
  it('maps the usual Chinese ledger headers', () => {
    const m = guessMapping([...FIXTURE_HEADERS]);
    expect(m).toMatchObject({
      name: 1,
      sex: 2,
      idNumber: 3,
      birthDate: 4,
      phone: 5,
      relation: 6,
      residenceType: 7,
      building: 8,
      unit: 9,
      room: 10,
      note: 11,
      address: null,
    });
    expect(missingRequired(m)).toEqual([]);
  });

  it('knows the other spellings and leaves unknown columns out', () => {
    const m = guessMapping([
      '居民姓名',
      '证件号码',
      '手机号',
      '楼号',
      '单元号',
      '房号',
      '住址',
      '网格',
      '爱好',
    ]);
    expect(m).toMatchObject({
      name: 0,
      idNumber: 1,
      phone: 2,
      building: 3,
      unit: 4,
      room: 5,
      address: 6,
      grid: 7,
    });
    expect(Object.values(m)).not.toContain(8);
    expect(missingRequired(guessMapping(['姓名', '楼栋']))).toEqual(['room', 'birthDate', 'sex']);
  });

  it('remembers an adjusted mapping for files with the same headers', async () => {
    const headers = ['姓名', '身份证', '楼', '房'];
    expect((await initialMapping(db, headers)).remembered).toBe(false);
    const mapping = guessMapping(headers);
    mapping.building = 2;
    mapping.room = 3;
    await rememberMapping(db, headers, mapping);
    const again = await initialMapping(db, [' 姓名 ', '身份证', '楼', '房']);
    expect(again.remembered).toBe(true);
    expect(again.mapping).toMatchObject({ building: 2, room: 3 });
    expect(headerSignature(['姓名*'])).toBe(headerSignature(['姓名']));
  });
});

describe('reading files', () => {
  beforeEach(() => {
    db = freshDb();
  });
  it('decodes the GBK CSV to the right Chinese and the UTF-8 one with its BOM dropped', async () => {
    const gbk = await readTable(fixture('ledger-gbk.csv'));
    expect(gbk.encoding).toBe('gb18030');
    expect(gbk.headers).toEqual([...FIXTURE_HEADERS]);
    expect(gbk.rows[0]?.cells[1]).toBe('王建国');
    const utf8 = await readTable(fixture('ledger-utf8.csv'));
    expect(utf8.encoding).toBe('utf-8');
    expect(utf8.headers[0]).toBe('序号');
    expect(utf8.rows.map((r) => r.cells)).toEqual(gbk.rows.map((r) => r.cells));
  });

  it('reads the xlsx, with date cells as YYYY-MM-DD', async () => {
    const t = await readTable(fixture('ledger.xlsx'));
    expect(t.format).toBe('xlsx');
    expect(t.headers).toEqual([...FIXTURE_HEADERS]);
    expect(t.rows[0]).toMatchObject({ rowNumber: 2 });
    expect(t.rows[0]?.cells.slice(1, 5)).toEqual([
      '王建国',
      '男',
      '110108196003150119',
      '1960-03-15',
    ]);
  });

  it('refuses bytes that are neither UTF-8 nor GBK instead of producing garbled text', () => {
    const bytes = new Uint8Array([0x41, 0x2c, 0xff, 0xfe, 0x80, 0x0a, 0x81, 0x20, 0xff]);
    expect(() => decodeText(bytes)).toThrow(ImportFileError);
    expect(decodeText(new TextEncoder().encode('姓名,楼栋')).text).toBe('姓名,楼栋');
  });

  it('refuses a corrupt xlsx with a clear error', async () => {
    await expect(readTable(fixture('corrupt.xlsx'))).rejects.toMatchObject({ code: 'corrupt' });
    await expect(readTable(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 1, 2]))).rejects.toMatchObject({
      code: 'xls',
    });
    await expect(readTable(new Uint8Array())).rejects.toMatchObject({ code: 'empty' });
  });

  it('parses the birth-date spellings', () => {
    expect(parseBirthDate('1978/11/2')).toBe('1978-11-02');
    expect(parseBirthDate('1978年11月2日')).toBe('1978-11-02');
    expect(parseBirthDate('19781102')).toBe('1978-11-02');
    expect(parseBirthDate('1980-02-30')).toBeNull();
  });
});

describe.each(['ledger.xlsx', 'ledger-utf8.csv', 'ledger-gbk.csv'])('report on %s', (file) => {
  it('names each bad row with every reason, and only those', async () => {
    await seed();
    const { report } = await reportOf(file);
    const bad = Object.fromEntries(
      report.rows
        .filter((r) => r.issues.length > 0)
        .map((r) => [r.rowNumber, r.issues.map((i) => i.code).sort()]),
    );
    expect(bad).toEqual(
      Object.fromEntries(
        Object.entries(EXPECTED_ISSUES).map(([k, v]) => [Number(k), [...v].sort()]),
      ),
    );
    expect(report).toMatchObject({ valid: GOOD_ROWS.length, invalid: 9, newHouseholds: 3 });
    const row12 = report.rows.find((r) => r.rowNumber === 12);
    expect(row12?.issues[0]).toMatchObject({ code: 'dup-in-file', row: 2 });
    const row9 = report.rows.find((r) => r.rowNumber === 9);
    expect(row9?.issues).toContainEqual(
      expect.objectContaining({
        code: 'birth-mismatch',
        value: '1971-01-01',
        expected: '1970-01-01',
      }),
    );
  });
});

describe('importing', () => {
  it('"import the valid rows" writes exactly the good rows, households grouped, in one go', async () => {
    await seed();
    const before = await counts();
    const { report, context } = await reportOf('ledger-gbk.csv');
    const result = await importValidRows(db, report, context, actor);
    expect(result).toEqual({ households: 3, residents: 6 });
    const after = await counts();
    expect(after.households - before.households).toBe(3);
    expect(after.residents - before.residents).toBe(6);
    expect(after.outbox - before.outbox).toBe(9); // each record, its change history riding on it

    const wang = await db.residents.filter((r) => r.name === '王建国').first();
    expect(wang).toMatchObject({
      idNumber: '110108196003150119',
      phone: '13812345678',
      birthDate: '1960-03-15',
      sex: 'M',
      relation: 'head',
      residenceType: 'registered',
      gridCode: GRID,
    });
    const home = await db.households.get(wang?.householdId ?? '');
    expect(home).toMatchObject({
      unit: '1',
      room: '101',
      address: '和平里七区1号楼1单元101',
      headResidentId: wang?.id,
      buildingId: '01900000-0000-7000-8000-000000000001',
    });
    expect(
      await db.residents
        .where('householdId')
        .equals(home?.id ?? '')
        .count(),
    ).toBe(3);
    const sun = await db.residents.filter((r) => r.name === '孙强').first();
    expect(sun).toMatchObject({ idNumber: null, birthDate: '1978-11-02', sex: 'M' });
    expect(await db.residents.filter((r) => r.name === '钱多多').count()).toBe(0);
    const zhao = await db.residents.filter((r) => r.name === '赵丽').first();
    expect(zhao).toMatchObject({ phone: '010-64001234', residenceType: 'floating', note: '独居' });

    // Importing the same file again: every good row with an ID number is now a duplicate of a
    // stored resident; only 孙强, who has none, cannot be recognised.
    const second = await reportOf('ledger.xlsx');
    expect(second.report.rows.filter((r) => r.issues.length === 0).map((r) => r.data.name)).toEqual(
      ['孙强'],
    );
  });

  it('"import nothing" and a corrupt file change nothing', async () => {
    await seed();
    const before = await counts();
    await reportOf('ledger.xlsx'); // validated, then the user chooses "import nothing"
    await expect(readTable(fixture('corrupt.xlsx'))).rejects.toBeInstanceOf(ImportFileError);
    expect(await counts()).toEqual(before);
  });

  it('a failure in the middle of the write leaves nothing behind (one transaction)', async () => {
    await seed();
    const before = await counts();
    const { report, context } = await reportOf('ledger.xlsx');
    // Records are already put when the outbox write fails: the transaction must undo them.
    vi.spyOn(db.outbox, 'bulkAdd').mockRejectedValueOnce(new Error('disk full'));
    const progress: number[] = [];
    await expect(
      importValidRows(db, report, context, actor, (done) => progress.push(done)),
    ).rejects.toThrow('disk full');
    expect(progress.length).toBeGreaterThan(0); // records had been written before the failure
    expect(await counts()).toEqual(before);
  });
});
