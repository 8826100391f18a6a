/**
 * Residents' phone numbers: mainland mobiles and Beijing landlines. Short service numbers (12345,
 * 110, 95xxx) and other cities' landlines are rejected on purpose: a resident record should hold a
 * number that reaches that resident in Beijing.
 */

/** Outcome of {@link parsePhone}. */
export type PhoneParseResult =
  | {
      ok: true;
      kind: 'mobile' | 'landline';
      /** Mobile: 11 digits. Landline: `010-XXXXXXXX`, plus `-ext` when an extension was given. */
      normalized: string;
    }
  | { ok: false; error: 'empty' | 'format' };

// Separators people type inside numbers, including full-width ones from Chinese IMEs.
const SEPARATORS = /[\s\-－—–.()（）]/g;

const MOBILE = /^(?:\+86|0086|86)?(1[3-9]\d{9})$/;

// Applied after whitespace is removed. The area code may be written 010, (010), +86 10 or 0086 10;
// the 8-digit local number starts 2–9 and may be split 4-4; an extension needs a separator.
const LANDLINE =
  /^(?:(?:\+86|0086)-?\(?0?10\)?-?|\(010\)-?|（010）-?|010-?)?([2-9]\d{3})-?(\d{4})(?:(?:-|转|ext\.?|x|#)(\d{1,6}))?$/i;

interface Landline {
  local: string;
  ext: string | null;
}

function matchLandline(compact: string): Landline | null {
  const m = LANDLINE.exec(compact.replace(/[－—–]/g, '-'));
  if (!m) return null;
  return { local: `${m[1] ?? ''}${m[2] ?? ''}`, ext: m[3] ?? null };
}

/**
 * Parses a mobile (`13812341234`, `+86 138-1234-1234`) or Beijing landline (`64001234`,
 * `010-6400 1234`, `(010)64001234转123`) and returns its normalised form.
 */
export function parsePhone(input: string): PhoneParseResult {
  const compact = input.replace(/\s/g, '');
  if (compact === '') return { ok: false, error: 'empty' };

  const mobile = MOBILE.exec(compact.replace(SEPARATORS, ''));
  if (mobile?.[1]) return { ok: true, kind: 'mobile', normalized: mobile[1] };

  const landline = matchLandline(compact);
  if (landline) {
    const ext = landline.ext === null ? '' : `-${landline.ext}`;
    return { ok: true, kind: 'landline', normalized: `010-${landline.local}${ext}` };
  }
  return { ok: false, error: 'format' };
}

/** True for a mainland mobile number in any accepted spelling. */
export function isMobile(s: string): boolean {
  const r = parsePhone(s);
  return r.ok && r.kind === 'mobile';
}

/** True for a Beijing landline in any accepted spelling. */
export function isBeijingLandline(s: string): boolean {
  const r = parsePhone(s);
  return r.ok && r.kind === 'landline';
}

/**
 * Last `n` digits of the subscriber number, used to tell residents apart in lists without showing the
 * whole number. A landline extension is ignored: it identifies the desk, not the household.
 * Returns '' for an invalid number or a non-positive `n`.
 */
export function phoneTail(s: string, n = 4): string {
  const r = parsePhone(s);
  if (!r.ok || n <= 0) return '';
  const subscriber = r.kind === 'mobile' ? r.normalized : r.normalized.slice(4, 12);
  return subscriber.slice(-n);
}
