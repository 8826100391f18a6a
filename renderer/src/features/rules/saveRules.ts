import type { Plan, RuleIssue } from '@shared/cases/datedRows';
import {
  type NegativeDraft,
  type NegativeField,
  planNegativeSave,
} from '@shared/cases/negativeListEdits';
import {
  type RuleDraft,
  type RuleField,
  planRuleRetire,
  planRuleSave,
  planRuleWithdraw,
} from '@shared/cases/ruleVersions';
import type { Table } from 'dexie';
import type { GridworkDb } from '../../db/db';
import { loadDevice } from '../../db/device';
import { type Actor, type AnyChange, WriteError, commitChanges, writeStores } from '../../db/write';

/**
 * Writes of the 权责清单 screen. Each edit reads the list and plans it (`ruleVersions`) inside
 * the transaction that writes it, so the overlap check sees every row written before, and the
 * planned rows go through `commitChanges` (outbox, sync) in one batch: a new version and the
 * closing of the old one are stored together or not at all.
 */

/** An edit refused by the plan: nothing was written; `issues` name the fields to fix. */
export class RuleEditError extends WriteError {
  constructor(readonly ruleIssues: RuleIssue<RuleField | NegativeField>[]) {
    super(
      'validation',
      `refused: ${ruleIssues.map((i) => `${i.field ?? '-'} ${i.key}`).join(', ')}`,
      ruleIssues.map((i) => ({ path: i.field ?? '', message: i.key })),
    );
    this.name = 'RuleEditError';
  }
}

type ListTable = 'responsibilityRules' | 'negativeList';

/** Commits a plan's writes to `table`, new rows in `scope`; returns how many rows changed. */
async function commitPlan<D extends object, F extends RuleField | NegativeField>(
  db: GridworkDb,
  actor: Actor,
  table: ListTable,
  scope: string,
  plan: Plan<D, F>,
): Promise<number> {
  if (!plan.ok) throw new RuleEditError(plan.issues);
  if (plan.writes.length === 0) return 0;
  const changes = plan.writes.map((w) => {
    switch (w.op) {
      case 'create':
        return { op: 'create', table, scope, data: w.data };
      case 'update':
        return { op: 'update', table, id: w.id, patch: w.patch };
      case 'delete':
        return { op: 'delete', table, id: w.id };
    }
  }) as AnyChange[]; // the plan's data is the table's own (RuleData / NegativeItemData)
  await commitChanges(db, changes, actor);
  return changes.length;
}

/** Runs `work` in one read-write transaction over the lists and what committing them needs. */
async function inTransaction<T>(db: GridworkDb, work: () => Promise<T>): Promise<T> {
  // The first write of a device stores its id; a refused edit must not roll that back.
  await loadDevice(db);
  const stores = new Set<Table>([
    ...writeStores(db, ['responsibilityRules', 'negativeList']),
    db.departments,
  ]);
  return db.transaction('rw', [...stores], work);
}

async function ruleContext(db: GridworkDb) {
  const [rules, negativeList, departments] = await Promise.all([
    db.responsibilityRules.toArray(),
    db.negativeList.toArray(),
    db.departments.toArray(),
  ]);
  return { rules, context: { negativeList, departments } };
}

export interface RuleSave {
  /** Scope of new rows: the street's code. */
  scope: string;
  /** The rule edited, or null for a new one. */
  targetId: string | null;
  draft: RuleDraft;
  /** Beijing date today (`YYYY-MM-DD`). */
  today: string;
}

/**
 * Saves the rule form: a new rule, a new version of one in force (the old one closed), or a
 * correction of a version not yet in force. Returns the number of rows written (0: unchanged).
 * @throws RuleEditError when the plan refuses (overlap, a field to fix), writing nothing.
 */
export function saveRule(db: GridworkDb, actor: Actor, save: RuleSave): Promise<number> {
  return inTransaction(db, async () => {
    const { rules, context } = await ruleContext(db);
    const plan = planRuleSave(rules, save.targetId, save.draft, save.today, context);
    return commitPlan(db, actor, 'responsibilityRules', save.scope, plan);
  });
}

/** Sets the last day of a rule in force (停用). @throws RuleEditError */
export function retireRule(
  db: GridworkDb,
  actor: Actor,
  id: string,
  lastDay: string,
  today: string,
): Promise<number> {
  return inTransaction(db, async () => {
    const rules = await db.responsibilityRules.toArray();
    const plan = planRuleRetire(rules, id, lastDay, today);
    // No scope: ending a rule only updates rows.
    return commitPlan(db, actor, 'responsibilityRules', '', plan);
  });
}

/** Withdraws a version not yet in force (撤销); its predecessor runs on. @throws RuleEditError */
export function withdrawRule(
  db: GridworkDb,
  actor: Actor,
  id: string,
  today: string,
): Promise<number> {
  return inTransaction(db, async () => {
    const rules = await db.responsibilityRules.toArray();
    return commitPlan(db, actor, 'responsibilityRules', '', planRuleWithdraw(rules, id, today));
  });
}

/** Saves a 负面清单 item, new (`targetId` null) or corrected in place. @throws RuleEditError */
export function saveNegativeItem(
  db: GridworkDb,
  actor: Actor,
  save: { scope: string; targetId: string | null; draft: NegativeDraft },
): Promise<number> {
  return inTransaction(db, async () => {
    const items = await db.negativeList.toArray();
    const plan = planNegativeSave(items, save.targetId, save.draft);
    return commitPlan(db, actor, 'negativeList', save.scope, plan);
  });
}
