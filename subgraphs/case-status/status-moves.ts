import type { CaseStatus } from './seed-text.ts';

/**
 * The status changes a case allows (documented on CaseStatus in schema.graphql): forward through the
 * stages, one or more at a time; back from CHARGED or AT_TRIAL to UNDER_INVESTIGATION; from any
 * stage to CLOSED; and out of CLOSED only by reopening to UNDER_INVESTIGATION. Nothing returns to OPEN.
 */
const MOVES: Record<CaseStatus, readonly CaseStatus[]> = {
  OPEN: ['UNDER_INVESTIGATION', 'CHARGED', 'AT_TRIAL', 'CLOSED'],
  UNDER_INVESTIGATION: ['CHARGED', 'AT_TRIAL', 'CLOSED'],
  CHARGED: ['UNDER_INVESTIGATION', 'AT_TRIAL', 'CLOSED'],
  AT_TRIAL: ['UNDER_INVESTIGATION', 'CLOSED'],
  CLOSED: ['UNDER_INVESTIGATION'],
};

/** Whether a case in status `from` may move to `to`. */
export const mayMove = (from: string, to: CaseStatus): boolean => MOVES[from as CaseStatus]?.includes(to) ?? false;
