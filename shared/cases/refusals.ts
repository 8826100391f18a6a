/**
 * Why a case step or a write to the case tables is refused, as a stable message key and its
 * parameters. The app and the sync server run the same checks; the server answers a refusal with
 * the key (`reasonKey`, `reasonParams`: PROTOCOL.md §3) and the app says it in the user's
 * language (`caseUi.refusal.<key>` in the locales), naming enum parameters (a status, a step)
 * by their labels. The English `reason` is built from the same key, so the sentence in logs, in
 * tests and in apps that do not know a key never drifts from the key.
 *
 * Adding a refusal = one template here (its `{name}` placeholders are its parameters, checked
 * by the compiler at every `refusal()` call) and one text per locale (checked by a test).
 */

/** The English sentence of each refusal; `{name}` is a parameter. */
export const REFUSAL_TEMPLATES = {
  // Arguments that do not parse (a step built by hand or by an old app): the parser's words.
  invalidOperation: '{detail}',
  invalidActor: '{detail}',
  // Roles (`mayAct`).
  streetOnly: 'only the street office may {op} a case',
  localHandlerOnly: 'only the grid worker or community handling the case may {op} it',
  leadLiaisonOnly: "only the lead department's liaison may {op} this case",
  followUpRoles: 'follow-up calls are made by the street, the community or the grid worker',
  summonedOnly: 'only the liaison of a department summoned by a whistle (吹哨) may report in',
  progressRoles: 'only the units handling the case or the street may report progress',
  // The transition table (`checkCaseTransition`).
  statusFinal: 'a case in status {from} cannot change any more',
  statusMove: 'a case in status {from} can only move to {allowed}, not {to}',
  // The steps' own rules.
  leadAlsoCo: 'the lead department cannot also be a co-handler',
  startWrongStatus: 'a case in status {status} is not waiting to be started',
  statusNotHandling: 'a case in status {status} is not being handled',
  extensionWrongStatus: 'an extension is asked for while handling, not in status {status}',
  extensionPending: 'an extension request is already waiting for a decision',
  extensionNotLater: 'the new deadline must be later than {deadline}',
  extensionInPast: 'the new deadline must be in the future',
  noExtensionRequest: 'no extension request is waiting',
  extensionNotNeeded: 'a case in status {status} needs no extension',
  superviseWrongStatus: 'a case in status {status} is no longer supervised',
  notOverdue: 'only an overdue case is supervised (督办)',
  whistleWrongStatus:
    'departments are summoned to a dispatched case being handled, not in status {status}',
  reportByInPast: 'the report-in deadline must be in the future',
  reportInWrongStatus: 'a case in status {status} takes no report-in',
  alreadyReportedIn: 'this department has already reported in to every whistle',
  notSummonedHere: 'no whistle on this case summoned this department',
  followUpWrongStatus: 'a follow-up call is made after 办结, not in status {status}',
  reopenWrongStatus: '重办 follows a follow-up call, not status {status}',
  reopenNeedsFailedFollowUp:
    'only a case whose follow-up was unresolved or unsatisfied is reopened',
  unknownCategory: 'unknown category {category}: give a handle limit',
  archiveWrongStatus: '归档 follows the follow-up call, not status {status}',
  archiveNeedsReason: 'archiving a case whose follow-up failed needs a reason',
  // 合并 and 关联: the other case.
  relatedSelf: 'a case is not merged into or linked to itself',
  relatedMissing: 'case {id} does not exist',
  relatedOtherStreet:
    'case {caseNo} belongs to another street: cases are merged and linked within one',
  alreadyMerged: 'this case is already merged',
  mergeWrongStatus: 'a case is merged while it is handled, before 办结, not in status {status}',
  mainMerged: 'case {caseNo} is itself merged into another case: merge into that one',
  mainClosed: 'case {caseNo} is closed: a new report of its matter is handled on its own or linked',
  alreadyLinked: 'this case is already linked to {caseNo}',
  tooManyLinks: 'a case is linked to at most {max} others',
  // The case the step is taken on (the app's copy; the server's).
  caseMissing: 'case {id} does not exist',
  caseDeleted: 'case {id} is deleted',
  caseMissingOnServer: 'case {id} does not exist on the server',
  // The server's roles over the case's scope (`case.op`).
  noRoleInScope: 'no role in the scope of this case',
  noRoleOverRelated: 'no role of yours over case {caseNo} may {op} it',
  noRoleForStep: 'no role may take this step',
  // Plain writes: the state machine is not skipped (`plainWrites.ts`, the server's role check).
  createPastIntake:
    'a new case starts as received; {fields} change only through a case step (case.op)',
  stepEventOnly: 'a "{eventType}" event is written only by its case step (case.op)',
  loopFieldsStepOnly: '{fields} change only through a case step (case.op)',
  liaisonTable: 'a department liaison may not write {table}',
  liaisonWorkflow: 'a department liaison may not write {table} with {workflow}',
} as const;

export type RefusalKey = keyof typeof REFUSAL_TEMPLATES;

/** The `{name}` placeholders of a template. */
type Placeholders<T extends string> = T extends `${string}{${infer P}}${infer Rest}`
  ? P | Placeholders<Rest>
  : never;

/** Every parameter name any refusal takes. */
export type RefusalParamName = Placeholders<(typeof REFUSAL_TEMPLATES)[RefusalKey]>;

/** Parameter values as they travel: raw codes and numbers, never translated text. */
export type RefusalParams = Readonly<Record<string, string | number>>;

/**
 * What each parameter holds, so the app can name it in the user's language: one name means one
 * kind in every template. A list is its items joined by `LIST_SEPARATOR`.
 */
export const REFUSAL_PARAM_KINDS = {
  detail: 'text',
  id: 'text',
  caseNo: 'text',
  max: 'text',
  op: 'operation',
  from: 'status',
  to: 'status',
  status: 'status',
  allowed: 'statuses',
  deadline: 'time',
  category: 'category',
  fields: 'caseFields',
  eventType: 'caseEvent',
  table: 'table',
  workflow: 'text',
} as const satisfies Record<RefusalParamName, string>;

export type RefusalParamKind = (typeof REFUSAL_PARAM_KINDS)[RefusalParamName];

/** How a list parameter (`statuses`, `caseFields`) joins its items. */
export const LIST_SEPARATOR = ', ';

/** A refusal: its key and parameters, and the same in English. */
export interface Refusal {
  key: RefusalKey;
  params: RefusalParams;
  /** The English sentence, for logs and for apps that do not know `key`. */
  reason: string;
}

type ParamArgs<K extends RefusalKey> = [Placeholders<(typeof REFUSAL_TEMPLATES)[K]>] extends [never]
  ? []
  : [params: Record<Placeholders<(typeof REFUSAL_TEMPLATES)[K]>, string | number>];

/** The refusal `key` with its parameters; the compiler asks for exactly the template's. */
export function refusal<K extends RefusalKey>(key: K, ...args: ParamArgs<K>): Refusal {
  const params: RefusalParams = args[0] ?? {};
  return { key, params, reason: fillTemplate(REFUSAL_TEMPLATES[key], params) };
}

/** Whether `key` (from the wire, maybe from a newer server) is a refusal this code knows. */
export function isRefusalKey(key: unknown): key is RefusalKey {
  return typeof key === 'string' && Object.hasOwn(REFUSAL_TEMPLATES, key);
}

/** The parameter names of a template, in order of appearance. */
export function templateParams(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '');
}

/** `template` with each `{name}` replaced by its parameter (left as it is when missing). */
export function fillTemplate(template: string, params: RefusalParams): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}
