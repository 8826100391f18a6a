import type { Need } from '@shared/domain/need';
import type { NewNeed } from './visits';

/** A need row being edited: the cascader's path ([top, leaf]) rather than the bare code. */
export interface NeedDraft {
  key: number;
  path: string[];
  urgency: Need['urgency'];
  description: string;
}

/** The leaf category a draft is filed on, once both levels are picked. */
export function leafOf(draft: NeedDraft): string | undefined {
  return draft.path.length === 2 ? draft.path[1] : undefined;
}

/** The visit's needs from the drafts, or null when one lacks a leaf category or a description. */
export function newNeedsOf(drafts: readonly NeedDraft[]): NewNeed[] | null {
  const needs: NewNeed[] = [];
  for (const draft of drafts) {
    const category = leafOf(draft);
    const description = draft.description.trim();
    if (!category || !description) return null;
    needs.push({ category, urgency: draft.urgency, description });
  }
  return needs;
}
