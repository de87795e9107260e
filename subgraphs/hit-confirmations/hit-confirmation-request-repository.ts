import { type Connection, countRecords, type Page, type Queryable, type RecordRow, type RowScope, toConnection } from '../kit/index.ts';

/** The first letter of every request id: that letter and nine digits. */
export const RECORD_LETTER = 'H';
/** The entity of the requests' record events and audit entries. */
export const ENTITY = 'HitConfirmationRequest';

/** A stored request's status: the SDL's HitConfirmationStatus. */
export type HitStatus = 'PENDING' | 'EXTENDED' | 'OVERDUE' | 'ESCALATED' | 'CONFIRMED' | 'NOT_CONFIRMED' | 'WITHDRAWN';
/** Statuses in which the owner may still answer and the requester withdraw. */
export const OPEN_STATUSES: readonly HitStatus[] = ['PENDING', 'EXTENDED', 'OVERDUE', 'ESCALATED'];

/** A row of hit_confirmation_request as stored, timestamps as ISO 8601 text. */
export interface HitConfirmationRequestRow extends RecordRow {
  id: string;
  version: number;
  /** The record's GraphQL type (schema/supergraph.yaml `records`). */
  record_type: string;
  record_id: string;
  priority: 'URGENT' | 'ROUTINE';
  status: HitStatus;
  requesting_agency: string;
  request_note: string | null;
  purpose_code: string;
  purpose_reference: string | null;
  requested_at: string;
  due_at: string;
  second_request_at: string | null;
  escalated_at: string | null;
  answer: string | null;
  answer_note: string | null;
  answered_at: string | null;
  released_until: string | null;
}

/** One step of a request, as stored. */
export interface HitConfirmationStepRow {
  request_id: string;
  step: string;
  at: string;
  agency: string | null;
}

const iso = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as ${column}`;

export const COLUMNS = [
  'id, version, record_type, record_id, priority, status, requesting_agency, request_note, purpose_code, purpose_reference',
  ...['requested_at', 'due_at', 'second_request_at', 'escalated_at', 'answered_at', 'released_until'].map(iso),
  'answer, answer_note, owning_agency, jurisdiction, release_mode, release_jurisdictions, release_agencies, source_system',
].join(', ');

/** Which requests a list asks for: a side (made by, or about records of, the caller's agency), statuses, a record. */
export interface HitRequestFilter {
  side?: 'REQUESTED' | 'RECEIVED' | null | undefined;
  statuses?: readonly HitStatus[] | null | undefined;
  recordId?: string | null | undefined;
}

/**
 * Every statement that reads requests, each filtered in SQL by the caller's row rules: a request is
 * released ONLY to its requesting agency, and its owning agency is the record's, so each side sees its
 * own and nobody else anything. Never cached: deadlines change a request without a write. One per request.
 */
export class HitConfirmationRequestRepository {
  constructor(
    private readonly db: Queryable,
    private readonly scope: RowScope,
    private readonly agency: string | null,
  ) {}

  /** Visible rows for the given ids; unknown and hidden ids are simply absent. */
  async findByIds(ids: readonly string[]): Promise<HitConfirmationRequestRow[]> {
    const params: unknown[] = [ids];
    const visible = this.scope.predicate(params);
    return this.db.query<HitConfirmationRequestRow>(
      `select ${COLUMNS} from hit_confirmation_request where id = any($1::text[]) and ${visible}`,
      params,
    );
  }

  /** The steps of the given requests, oldest first; only called for requests already read through the scope. */
  async steps(ids: readonly string[]): Promise<HitConfirmationStepRow[]> {
    return this.db.query<HitConfirmationStepRow>(
      `select request_id, step, ${iso('at')}, agency from hit_confirmation_step where request_id = any($1::text[]) order by seq`,
      [ids],
    );
  }

  /** One keyset page of visible requests, newest first, counted lazily under the same filter. */
  async list(filter: HitRequestFilter, page: Page): Promise<Connection<HitConfirmationRequestRow>> {
    const params: unknown[] = [];
    const where = [this.scope.predicate(params)];
    if (filter.side === 'REQUESTED') where.push(`requesting_agency = $${params.push(this.agency)}`);
    if (filter.side === 'RECEIVED') where.push(`owning_agency = $${params.push(this.agency)}`);
    if (filter.statuses?.length) where.push(`status = any($${params.push(filter.statuses)}::text[])`);
    if (filter.recordId) where.push(`record_id = $${params.push(filter.recordId)}`);
    const filtered = where.join(' and ');
    const keyset = page.after === null ? '' : ` and id < $${params.length + 1}`;
    const rows = await this.db.query<HitConfirmationRequestRow>(
      `select ${COLUMNS} from hit_confirmation_request where ${filtered}${keyset} order by id desc limit ${page.limit + 1}`,
      page.after === null ? params : [...params, page.after],
    );
    return toConnection(
      rows,
      page,
      (row) => row.id,
      () =>
        countRecords(this.db, {
          from: 'hit_confirmation_request',
          where: filtered,
          params,
          // Requests carry no notifyOwnerOnHit mark: a request is shown to its two sides only.
          notify: null,
        }),
    );
  }
}
