import { useI18n } from 'vue-i18n';
import {
  LIST_SEPARATOR,
  REFUSAL_PARAM_KINDS,
  REFUSAL_TEMPLATES,
  type RefusalParamKind,
  type RefusalParams,
  isRefusalKey,
  templateParams,
} from '@shared/cases/refusals';
import { CaseOperationError } from './caseActions';
import { categoryLabel } from './caseFilters';

/**
 * A refusal of a case step in the user's words (`caseUi.refusal.<key>`), its parameters named
 * by the labels the case screens use: a status as 已签收, a step as 督办, a field as 办结时限.
 * Used for a step the app refuses (the step dialogs) and one the server refuses (the conflict
 * inbox, from the answer's `reasonKey`).
 */

/** A refusal as the app holds it: a step's result, an error's, or a stored rejection. */
export interface RefusalLike {
  /** The English sentence: shown when the key is missing or unknown (old rows, newer servers). */
  reason: string;
  key?: string | undefined;
  params?: RefusalParams | undefined;
}

/** What the text needs from i18n. */
export interface RefusalTextContext {
  t: (key: string, params?: Record<string, unknown>) => string;
  te: (key: string) => boolean;
  english: boolean;
  /** An instant (ISO) as the UI shows it. */
  formatTime: (iso: string) => string;
}

/** The refusal in the user's language, or its English `reason` when the key is not known. */
export function refusalText(r: RefusalLike, ctx: RefusalTextContext): string {
  const key = r.key;
  if (!isRefusalKey(key) || !ctx.te(`caseUi.refusal.${key}`)) return r.reason;
  const params = r.params ?? {};
  const names = templateParams(REFUSAL_TEMPLATES[key]);
  // A server of another version may send other parameters: its English reason is complete.
  if (names.some((name) => !Object.hasOwn(params, name))) return r.reason;
  const named = Object.fromEntries(
    names.map((name) => [name, paramText(kindOf(name), String(params[name]), ctx)]),
  );
  return ctx.t(`caseUi.refusal.${key}`, named);
}

const KINDS: Readonly<Record<string, RefusalParamKind>> = REFUSAL_PARAM_KINDS;

function kindOf(name: string): RefusalParamKind {
  return (Object.hasOwn(KINDS, name) ? KINDS[name] : undefined) ?? 'text';
}

function paramText(kind: RefusalParamKind, raw: string, ctx: RefusalTextContext): string {
  const list = (section: string) =>
    raw
      .split(LIST_SEPARATOR)
      .map((item) => label(section, item, ctx))
      .join(ctx.english ? ', ' : '、');
  switch (kind) {
    case 'status':
      return label('caseUi.status', raw, ctx);
    case 'statuses':
      return list('caseUi.status');
    case 'operation':
      return label('caseUi.op', raw, ctx);
    case 'caseEvent':
      return label('caseUi.event', raw, ctx);
    case 'caseFields':
      return list('caseUi.loopFields');
    case 'table':
      return label('conflicts.tables', raw, ctx);
    case 'category':
      return categoryLabel(raw, ctx.english);
    case 'time':
      return Number.isNaN(Date.parse(raw)) ? raw : ctx.formatTime(raw);
    case 'text':
      return raw;
  }
}

/** The label of `raw` in `section`, or `raw` (a dotted value would read as a deeper path). */
function label(section: string, raw: string, ctx: RefusalTextContext): string {
  const key = `${section}.${raw}`;
  return !raw.includes('.') && ctx.te(key) ? ctx.t(key) : raw;
}

/** `refusalText` with the app's i18n, and the text of a failed step's error. */
export function useRefusalText() {
  const { t, te, d, locale } = useI18n();
  const context = (): RefusalTextContext => ({
    t: (key, params) => (params ? t(key, params) : t(key)),
    te: (key) => te(key),
    english: locale.value.startsWith('en'),
    formatTime: (iso) => d(new Date(iso), 'short'),
  });
  const text = (r: RefusalLike) => refusalText(r, context());
  return {
    refusalText: text,
    /** Why a step failed: a refusal in the user's words, any other error's message. */
    errorText: (e: unknown) =>
      e instanceof CaseOperationError
        ? text(e.refusal)
        : e instanceof Error
          ? e.message
          : String(e),
  };
}
