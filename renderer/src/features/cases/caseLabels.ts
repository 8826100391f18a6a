import type { CaseStatus } from '@shared/domain/case';

/** Element Plus tag colours per status: open work stands out, closed work fades. */
export const STATUS_TAG: Record<CaseStatus, 'primary' | 'success' | 'warning' | 'info' | 'danger'> =
  {
    received: 'warning',
    dispatched: 'primary',
    signed: 'primary',
    handling: 'primary',
    resolved: 'success',
    'followed-up': 'success',
    archived: 'info',
    returned: 'danger',
  };
