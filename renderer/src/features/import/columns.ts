/**
 * The fields an imported 台账 row can fill, and the guess of which spreadsheet column holds
 * which field. Ledgers come from many offices and years, so headers vary (身份证号 / 公民身份号码 /
 * 证件号码 …); the guess is only a start — the user adjusts it and the choice is remembered.
 */

/** Fields of one ledger row. One row = one resident; building + unit + room = their household. */
export const IMPORT_FIELDS = [
  'name',
  'idNumber',
  'phone',
  'sex',
  'birthDate',
  'relation',
  'residenceType',
  'compound',
  'building',
  'unit',
  'room',
  'address',
  'householdType',
  'grid',
  'note',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** Fields without which no row can be imported; the mapping step refuses to go on without them. */
export const REQUIRED_FIELDS: readonly ImportField[] = ['name', 'building', 'room'];

/** Column index (0-based) per field; `null` = not in the file. */
export type ColumnMapping = Record<ImportField, number | null>;

// Header words per field, most specific first. A header matches a field when, after
// normalising, it equals one of these or (for the longer ones) contains it.
const HEADER_WORDS: Record<ImportField, readonly string[]> = {
  name: ['姓名', '居民姓名', '人员姓名', '名字', 'name'],
  idNumber: [
    '公民身份号码',
    '身份证号码',
    '身份证号',
    '身份证',
    '证件号码',
    '证件号',
    'idnumber',
    'id',
  ],
  phone: ['联系电话', '手机号码', '手机号', '联系方式', '电话号码', '电话', '手机', 'phone'],
  sex: ['性别', 'sex', 'gender'],
  birthDate: ['出生日期', '出生年月日', '出生年月', '生日', 'birthdate', 'birthday'],
  relation: ['与户主关系', '与户主的关系', '家庭关系', '户内关系', '关系', 'relation'],
  residenceType: [
    '户籍类型',
    '居住类型',
    '人口类型',
    '人员类型',
    '户籍性质',
    '户籍状态',
    'residencetype',
  ],
  compound: ['小区名称', '小区', '院落', '社区小区', 'compound'],
  building: ['楼栋号', '楼栋', '楼号', '楼幢', '楼宇', '栋号', 'building'],
  unit: ['单元号', '单元', 'unit'],
  room: ['门牌号', '房间号', '房号', '户号', '室号', '室', 'room'],
  address: ['现住址', '居住地址', '详细地址', '住址', '地址', 'address'],
  householdType: ['房屋性质', '房屋类型', '居住方式', '户类型', '房屋用途', 'householdtype'],
  grid: ['所属网格', '网格名称', '网格', 'grid'],
  note: ['备注', '说明', 'note', 'remarks'],
};

/** Lower-cases, drops spaces, brackets, asterisks (required-field marks) and full-width colons. */
export function normalizeHeader(header: string): string {
  return header
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s*＊:：()（）[\]【】_-]/g, '');
}

/**
 * Guesses the column of each field from the headers. An exact match beats a containment
 * match, each column is used at most once, and a field without a good candidate stays `null`.
 */
export function guessMapping(headers: readonly string[]): ColumnMapping {
  const normalized = headers.map(normalizeHeader);
  const mapping = emptyMapping();
  const used = new Set<number>();
  // Exact matches first for every field, so that "户籍类型" is not taken by a fuzzier field.
  for (const exact of [true, false]) {
    for (const field of IMPORT_FIELDS) {
      if (mapping[field] !== null) continue;
      for (const word of HEADER_WORDS[field]) {
        // Short ASCII words ("id", "室") only count as exact matches: "id" is inside "guide".
        const index = normalized.findIndex(
          (h, i) =>
            !used.has(i) &&
            h !== '' &&
            (exact
              ? h === word
              : word.length >= 2 && !/^[a-z]{1,3}$/.test(word) && h.includes(word)),
        );
        if (index >= 0) {
          mapping[field] = index;
          used.add(index);
          break;
        }
      }
    }
  }
  return mapping;
}

export function emptyMapping(): ColumnMapping {
  return Object.fromEntries(IMPORT_FIELDS.map((f) => [f, null])) as ColumnMapping;
}

/** Required fields the mapping leaves out. */
export function missingRequired(mapping: ColumnMapping): ImportField[] {
  const missing = REQUIRED_FIELDS.filter((f) => mapping[f] === null);
  // A resident needs a birth date and sex: from the ID number, or from their own columns.
  if (mapping.idNumber === null) {
    if (mapping.birthDate === null) missing.push('birthDate');
    if (mapping.sex === null) missing.push('sex');
  }
  return missing;
}

/** Identifies a file layout, so the mapping chosen for it can be offered again next time. */
export function headerSignature(headers: readonly string[]): string {
  return headers.map(normalizeHeader).join('|');
}
