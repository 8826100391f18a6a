import { makeIdNumber } from '@shared/validation';
import { openDb } from '../src/db/db';
import { commitChange } from '../src/db/write';
import { guessMapping } from '../src/features/import/columns';
import { importValidRows, loadImportContext } from '../src/features/import/importer';
import { readTable } from '../src/features/import/readTable';
import { validateTable } from '../src/features/import/validate';

/**
 * In-page part of `npm run bench:import`: builds a ledger xlsx of `rows` residents with exceljs
 * (not timed), then times the import as the dialog runs it — read the file, load the grid and
 * validate every row, write all valid rows in one transaction.
 */
export interface ImportBenchResult {
  rows: number;
  fileBytes: number;
  parseMs: number;
  validateMs: number;
  writeMs: number;
  totalMs: number;
  valid: number;
  invalid: number;
  households: number;
  residents: number;
  storedResidents: number;
  outboxEntries: number;
}

const GRID = '110105010027001';
const COMMUNITY = '110105010027';
const BUILDINGS = 60;
const actor = { id: '00000000-0000-0000-0000-000000000000' };

function log(line: string) {
  const el = document.getElementById('log');
  if (el) el.textContent += `\n${line}`;
}

async function makeLedger(rows: number): Promise<Uint8Array> {
  const { Workbook } = await import('exceljs');
  const workbook = new Workbook();
  const sheet = workbook.addWorksheet('人口台账');
  sheet.addRow([
    '姓名',
    '性别',
    '身份证号',
    '联系电话',
    '与户主关系',
    '户籍类型',
    '楼栋',
    '单元',
    '门牌号',
  ]);
  const relations = ['户主', '配偶', '子', '女'];
  const base = Date.UTC(1950, 0, 1);
  for (let i = 0; i < rows; i += 1) {
    const birth = new Date(base + i * 86_400_000).toISOString().slice(0, 10);
    const id = makeIdNumber('110105', birth, i % 1000);
    const household = Math.floor(i / 4);
    const building = (household % BUILDINGS) + 1;
    const unit = (Math.floor(household / BUILDINGS) % 4) + 1;
    const room = 101 + Math.floor(household / (BUILDINGS * 4));
    // Every 50th row carries a bad phone number, so the report has work to do.
    const phone = i % 50 === 0 ? '12345' : `139${String(i).padStart(8, '0')}`;
    sheet.addRow([
      `居民${i}`,
      Number(id.charAt(16)) % 2 === 1 ? '男' : '女',
      id,
      phone,
      relations[i % 4] ?? '其他',
      '户籍',
      `${building}号楼`,
      String(unit),
      String(room),
    ]);
  }
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

async function runImportBench(options: { rows: number }): Promise<ImportBenchResult> {
  const db = openDb(`gridwork-import-bench-${Date.now()}`);
  await commitChange(
    db,
    {
      op: 'create',
      table: 'orgUnits',
      scope: GRID,
      data: { code: GRID, level: 'grid', name: '基准网格', parentCode: COMMUNITY },
    },
    actor,
  );
  for (let b = 1; b <= BUILDINGS; b += 1) {
    await commitChange(
      db,
      {
        op: 'create',
        table: 'buildings',
        scope: GRID,
        data: {
          gridCode: GRID,
          communityCode: COMMUNITY,
          compound: '基准小区',
          name: `${b}号楼`,
          address: `基准小区${b}号楼`,
          kind: 'residential',
          floors: 18,
          units: 4,
          location: [116.4, 39.9],
        },
      },
      actor,
    );
  }
  log(`generating ${options.rows} rows…`);
  const bytes = await makeLedger(options.rows);
  log(`xlsx ${bytes.length} bytes; importing…`);

  const t0 = performance.now();
  const table = await readTable(bytes);
  const t1 = performance.now();
  const context = await loadImportContext(db, GRID);
  const report = await validateTable(table, guessMapping(table.headers), context);
  const t2 = performance.now();
  const result = await importValidRows(db, report, context, actor);
  const t3 = performance.now();

  const storedResidents = await db.residents.count();
  const outboxEntries = await db.outbox.count();
  db.close();
  await db.delete();
  log('done');
  return {
    rows: options.rows,
    fileBytes: bytes.length,
    parseMs: t1 - t0,
    validateMs: t2 - t1,
    writeMs: t3 - t2,
    totalMs: t3 - t0,
    valid: report.valid,
    invalid: report.invalid,
    households: result.households,
    residents: result.residents,
    storedResidents,
    outboxEntries,
  };
}

declare global {
  interface Window {
    runImportBench?: typeof runImportBench;
  }
}
window.runImportBench = runImportBench;
