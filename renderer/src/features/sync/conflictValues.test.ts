import { afterEach, describe, expect, it } from 'vitest';
import { createI18n } from 'vue-i18n';
import type { Role } from '@shared/domain/account';
import { ConflictSchema } from '@shared/domain/conflict';
import type { GridworkDb } from '../../db/db';
import { GRID, freshDb, householdData, residentData } from '../../db/testing';
import { commitChanges } from '../../db/write';
import en from '../../i18n/en';
import zhCN from '../../i18n/zh-CN';
import { fieldLabel, valueText } from '../history/historyFormat';
import { replaceWithOverwritten } from './conflictInbox';
import { inboxTextContext, referencedNames, refusedCaseStep } from './conflictValues';

const LOCAL = '00000000-0000-0000-0000-000000000000';
const actor = { id: '01900000-0000-7000-8000-0000000000aa' };
const HOUSEHOLD = '01900000-0000-7000-8000-0000000000b1';
const RESIDENT = '01900000-0000-7000-8000-0000000000c1';

const i18n = createI18n({ legacy: false, locale: 'zh-CN', messages: { 'zh-CN': zhCN, en } });
const { t, te } = i18n.global;
const user = (role: Role) => ({ memberships: [{ role }] });
const ctx = (who: { memberships: { role: Role }[] } | null, locale = 'zh-CN', names = new Map()) =>
  inboxTextContext(
    { t: (key, params) => (params ? t(key, params) : t(key)), te: (key) => te(key), locale },
    who,
    names,
    LOCAL,
  );

// 高龄老人 is not sensitive; 严重精神障碍患者 is (PIPL Art. 28).
const TAGS = ['advanced-age-elder', 'severe-mental-disorder'];

describe('conflict inbox values', () => {
  it('names tag codes and hides the tags the viewer’s role may not see', () => {
    expect(valueText('residents', 'tags', TAGS, ctx(user('grid-worker')))).toBe(
      '高龄老人、严重精神障碍患者',
    );
    expect(valueText('residents', 'tags', TAGS, ctx(null))).toBe('高龄老人、严重精神障碍患者');
    expect(valueText('residents', 'tags', TAGS, ctx(user('street')))).toBe(
      '高龄老人、另有 1 项无权查看',
    );
    // A signed-in user without any membership sees no tags at all.
    for (const who of [user('department'), user('admin'), { memberships: [] }])
      expect(valueText('residents', 'tags', TAGS, ctx(who))).toBe('另有 2 项无权查看');
    const text = valueText('residents', 'tags', TAGS, ctx(user('department'), 'en'));
    expect(text).not.toMatch(/severe|advanced|精神/);
  });

  it('names enum values, catalogue codes and referenced records as the history does', () => {
    const names = new Map([[RESIDENT, '张三明']]);
    expect(valueText('residents', 'relation', 'head', ctx(null))).toBe('户主');
    expect(valueText('residents', 'status', 'moved-out', ctx(null))).toBe('已迁出');
    expect(valueText('households', 'type', 'rented', ctx(null))).toBe('出租');
    expect(valueText('households', 'headResidentId', RESIDENT, ctx(null, 'zh-CN', names))).toBe(
      '张三明',
    );
    expect(valueText('households', 'note', '', ctx(null))).toBe('（空）');
    expect(fieldLabel('residents', 'tags', ctx(null))).toBe('特殊群体');
  });
});

describe('conflict inbox records', () => {
  let db: GridworkDb;
  afterEach(async () => {
    await db.delete();
  });

  async function seed(tags: string[]) {
    db = freshDb();
    await commitChanges(
      db,
      [
        { op: 'create', table: 'households', scope: GRID, id: HOUSEHOLD, data: householdData() },
        {
          op: 'create',
          table: 'residents',
          scope: GRID,
          id: RESIDENT,
          data: residentData(HOUSEHOLD, { tags }),
        },
      ],
      actor,
    );
  }

  it('finds the names of the records that values point at', async () => {
    await seed([]);
    const names = await referencedNames(db, [RESIDENT, [HOUSEHOLD], 'note', null, 3]);
    expect(names).toEqual(
      new Map([
        [RESIDENT, '张三明'],
        [HOUSEHOLD, householdData().address],
      ]),
    );
  });

  it('puts back only the overwritten tags the role may see; hidden tags stay as stored', async () => {
    await seed(['severe-mental-disorder']);
    const conflict = ConflictSchema.parse({
      id: '01900000-0000-7000-8000-0000000000d1',
      scope: GRID,
      createdAt: '2026-05-01T08:00:00.000Z',
      updatedAt: '2026-05-01T08:00:00.000Z',
      hlc: '1777622400000-0000-server',
      recordTable: 'residents',
      recordId: RESIDENT,
      field: 'tags',
      winnerValue: ['severe-mental-disorder'],
      winnerHlc: '1777622400000-0001-devicea',
      loserValue: ['advanced-age-elder', 'community-correction'],
      loserHlc: '1777622400000-0000-deviceb',
      loserActorId: '01900000-0000-7000-8000-0000000000c2',
      detectedAt: '2026-05-01T08:00:00.000Z',
    });
    await db.conflicts.put(conflict);
    await replaceWithOverwritten(db, conflict, actor, 'street');
    expect((await db.residents.get(RESIDENT))?.tags).toEqual([
      'advanced-age-elder',
      'severe-mental-disorder',
    ]);
    expect((await db.conflicts.get(conflict.id))?.resolution).toBe('replaced');
  });
});

describe('refusedCaseStep', () => {
  const eventIds = ['0190a5d0-0000-7000-8000-0000000e0001'];
  it('names a refused case step and the text given with it', () => {
    expect(
      refusedCaseStep('case.op', { op: { type: 'archive', reason: '离线归档' }, eventIds }),
    ).toEqual({ type: 'archive', text: '离线归档' });
    expect(refusedCaseStep('case.op', { op: { type: 'sign', note: '' }, eventIds })).toEqual({
      type: 'sign',
      text: '',
    });
  });
  it('leaves other refusals and malformed arguments to the generic display', () => {
    expect(refusedCaseStep('update', { op: { type: 'archive' }, eventIds })).toBeNull();
    expect(refusedCaseStep('case.op', { op: { reason: 'x' }, eventIds })).toBeNull();
    expect(refusedCaseStep('case.op', { op: 'archive' })).toBeNull();
  });
});
