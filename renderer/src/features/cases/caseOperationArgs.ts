import type { CaseOperationInput, CaseOperationType } from '@shared/cases/operations';

/**
 * The steps the step dialog (`CaseOperationDialog`) takes: all but 派单, which has its own
 * dialog, and 合并 / 关联, taken from a case's similar cases (`CaseRelations`).
 */
export type DialogOperationType = Exclude<CaseOperationType, 'dispatch' | 'merge' | 'link'>;

export function isDialogOperation(op: CaseOperationType): op is DialogOperationType {
  return op !== 'dispatch' && op !== 'merge' && op !== 'link';
}

/** What the step dialog collects; each step reads the fields it needs. */
export interface CaseOpForm {
  text: string;
  deadline: Date | null;
  contacted: boolean;
  resolved: boolean | null;
  satisfaction: 'satisfied' | 'basically-satisfied' | 'unsatisfied' | null;
  note: string;
  /** 吹哨: the departments summoned (`deadline` is then the report-in deadline). */
  departmentIds: string[];
}

export const emptyOpForm = (): CaseOpForm => ({
  text: '',
  deadline: null,
  contacted: true,
  resolved: null,
  satisfaction: null,
  note: '',
  departmentIds: [],
});

/** Which field the main text box fills for a step, and whether the step needs it. */
export function textField(op: Exclude<DialogOperationType, 'follow-up'>): {
  field: 'reason' | 'note' | 'result';
  required: boolean;
} {
  switch (op) {
    case 'return':
    case 'refuse-extension':
    case 'supervise':
    case 'reopen':
    case 'request-extension':
    case 'whistle':
      return { field: 'reason', required: true };
    case 'archive':
      return { field: 'reason', required: false };
    case 'resolve':
      return { field: 'result', required: true };
    case 'progress':
    case 'report-in':
      return { field: 'note', required: true };
    case 'sign':
    case 'start':
    case 'approve-extension':
      return { field: 'note', required: false };
  }
}

/** The operation a dialog's form stands for (validation is `applyCaseOperation`'s). */
export function buildOperation(op: DialogOperationType, f: CaseOpForm): CaseOperationInput {
  switch (op) {
    case 'follow-up':
      return {
        type: op,
        contacted: f.contacted,
        resolved: f.contacted ? f.resolved : null,
        satisfaction: f.contacted ? f.satisfaction : null,
        note: f.note,
      };
    case 'request-extension':
      return { type: op, reason: f.text, deadline: f.deadline?.toISOString() ?? '' };
    case 'return':
    case 'refuse-extension':
    case 'supervise':
    case 'archive':
      return { type: op, reason: f.text };
    case 'reopen':
      return { type: op, reason: f.text };
    case 'whistle':
      return {
        type: op,
        departmentIds: [...f.departmentIds],
        reportBy: f.deadline?.toISOString() ?? '',
        reason: f.text,
      };
    case 'resolve':
      return { type: op, result: f.text };
    case 'progress':
    case 'report-in':
    case 'sign':
    case 'start':
    case 'approve-extension':
      return { type: op, note: f.text };
  }
}
