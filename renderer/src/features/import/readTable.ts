import Papa from 'papaparse';

/**
 * Reads a ledger file into rows of text cells. The format is decided by the bytes, not by the
 * file name: a ZIP (xlsx) is read with exceljs, an old binary .xls is refused with a hint, and
 * anything else must be CSV text in UTF-8 (with or without BOM) or GBK/GB18030 — the two
 * encodings Chinese office software writes. Text that is neither is refused: importing garbled
 * names would be worse than importing nothing.
 */

export type ReadErrorCode = 'empty' | 'corrupt' | 'xls' | 'encoding' | 'no-header' | 'no-rows';

/** A file that could not be read; `code` is translated by the UI (`import.errors.*`). */
export class ImportFileError extends Error {
  constructor(
    readonly code: ReadErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ImportFileError';
  }
}

export type Encoding = 'utf-8' | 'gb18030';

/** One data row; `rowNumber` is the row as the user sees it in Excel (header = row 1). */
export interface SheetRow {
  rowNumber: number;
  cells: string[];
}

export interface SheetTable {
  format: 'xlsx' | 'csv';
  /** CSV only: the encoding the text was decoded from. */
  encoding: Encoding | null;
  /** Name of the worksheet read (xlsx: the first one that has data). */
  sheetName: string | null;
  headers: string[];
  rows: SheetRow[];
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0];

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

// Characters a ledger plausibly holds: printable ASCII, whitespace, CJK ideographs (incl. ext. A
// and the supplementary planes for rare name characters), CJK punctuation, full-width forms and
// the middle dot of minority names. A decoding that yields much else picked the wrong encoding.
const PLAUSIBLE =
  /[\t\n\r\x20-\x7e\u00a0-\u00ff\u00b7\u2010-\u206f\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\u2e80-\u2fdf\u{20000}-\u{3134f}]/u;

function plausibleShare(text: string): number {
  let good = 0;
  let total = 0;
  for (const ch of text) {
    total += 1;
    if (PLAUSIBLE.test(ch)) good += 1;
  }
  return total === 0 ? 1 : good / total;
}

/**
 * Decodes CSV bytes: strict UTF-8 first (a BOM is dropped), then strict GB18030 (a superset of
 * GBK and GB2312). Bytes valid in neither, or decoding to implausible characters, are refused.
 * @throws ImportFileError('encoding')
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: Encoding } {
  // Valid UTF-8 is almost never valid-looking GBK by accident, so UTF-8 wins when it decodes.
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    if (plausibleShare(text) >= 0.98) return { text, encoding: 'utf-8' };
  } catch {
    // not UTF-8: try GB18030 below
  }
  try {
    const text = new TextDecoder('gb18030', { fatal: true }).decode(bytes);
    if (plausibleShare(text) >= 0.98) return { text, encoding: 'gb18030' };
  } catch {
    // neither: refused below
  }
  throw new ImportFileError('encoding', 'the file is neither UTF-8 nor GBK/GB18030 text');
}

/**
 * Text of an exceljs cell value: rich text joined, formulas by result, dates as YYYY-MM-DD
 * (date-times as `YYYY-MM-DD HH:mm:ss`).
 */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) {
    // exceljs gives the wall-clock time typed in the sheet as a UTC instant: a date cell is UTC
    // midnight of its day; a date-time cell (12345 受理时间) keeps its time as `HH:mm:ss`.
    const iso = value.toISOString();
    return iso.slice(11, 19) === '00:00:00'
      ? iso.slice(0, 10)
      : `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
  }
  if (typeof value === 'object') {
    const v = value as {
      richText?: { text: string }[];
      result?: unknown;
      text?: unknown;
      error?: unknown;
    };
    if (Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('');
    if ('result' in v) return cellText(v.result);
    if (typeof v.text === 'string') return v.text; // hyperlinks
    if (v.error !== undefined) return '';
    return '';
  }
  if (typeof value === 'number') {
    // Long numbers (ID numbers typed as numbers) would print in exponent form otherwise.
    return Number.isInteger(value) ? BigInt(value).toString() : String(value);
  }
  return String(value as string | boolean);
}

function toRows(raw: string[][], firstRowNumber: number): { headers: string[]; rows: SheetRow[] } {
  // Skip title rows above the header (ledgers often start with a merged title line): the header
  // is the first row with at least two non-empty cells.
  const headerIndex = raw.findIndex((r) => r.filter((c) => c.trim() !== '').length >= 2);
  if (headerIndex < 0) throw new ImportFileError('no-header', 'no header row found');
  const headers = (raw[headerIndex] ?? []).map((c) => c.trim());
  const rows: SheetRow[] = [];
  for (let i = headerIndex + 1; i < raw.length; i += 1) {
    const cells = (raw[i] ?? []).map((c) => c.trim());
    if (cells.every((c) => c === '')) continue;
    while (cells.length < headers.length) cells.push('');
    rows.push({ rowNumber: i + firstRowNumber, cells });
  }
  if (rows.length === 0) throw new ImportFileError('no-rows', 'the file has no data rows');
  return { headers, rows };
}

async function readXlsx(bytes: Uint8Array): Promise<SheetTable> {
  // Loaded on demand: exceljs is large and only this dialog needs it.
  const excel = await import('exceljs');
  // Vite's browser build exposes the UMD bundle as a default export; Node has named exports.
  const Workbook = excel.Workbook as typeof excel.Workbook | undefined;
  const fallback = (excel as { default?: { Workbook: typeof excel.Workbook } }).default;
  const WorkbookClass = Workbook ?? fallback?.Workbook;
  if (!WorkbookClass) throw new ImportFileError('corrupt', 'exceljs did not load');
  const workbook = new WorkbookClass();
  try {
    await workbook.xlsx.load(bytes.slice().buffer);
  } catch (e) {
    throw new ImportFileError('corrupt', `not a readable xlsx file: ${String(e)}`);
  }
  const sheet = workbook.worksheets.find((ws) => ws.actualRowCount > 0);
  if (!sheet) throw new ImportFileError('no-rows', 'the workbook has no data');
  const raw: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row, rowNumber) => {
    const values = row.values as unknown[]; // 1-based: index 0 is always empty
    const cells: string[] = [];
    for (let c = 1; c < values.length; c += 1) cells.push(cellText(values[c]));
    raw[rowNumber - 1] = cells;
  });
  for (let i = 0; i < raw.length; i += 1) raw[i] ??= [];
  const { headers, rows } = toRows(raw, 1);
  return { format: 'xlsx', encoding: null, sheetName: sheet.name, headers, rows };
}

function readCsv(bytes: Uint8Array): SheetTable {
  const { text, encoding } = decodeText(bytes);
  if (text.trim() === '') throw new ImportFileError('empty', 'the file is empty');
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: false });
  // Papa reports malformed quotes but still parses; a row count mismatch is caught per row.
  const { headers, rows } = toRows(parsed.data, 1);
  return { format: 'csv', encoding, sheetName: null, headers, rows };
}

/**
 * Reads an xlsx or CSV ledger.
 * @throws ImportFileError with a code for every way a file can be unusable; nothing is changed.
 */
export async function readTable(bytes: Uint8Array): Promise<SheetTable> {
  if (bytes.length === 0) throw new ImportFileError('empty', 'the file is empty');
  if (startsWith(bytes, OLE_MAGIC)) {
    throw new ImportFileError('xls', 'old .xls workbooks are not supported; save as .xlsx');
  }
  if (startsWith(bytes, ZIP_MAGIC)) return readXlsx(bytes);
  return readCsv(bytes);
}
