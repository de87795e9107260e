import type { Caller } from '../../lib/authz/principal.ts';
import { badUserInput, conflict, forbidden, notFound } from '../../lib/errors/index.ts';
import { hitEvent, type OwnershipSnapshot, type Queryable, type RecordChange, RowScope, type WriteOutcome } from '../kit/index.ts';
import type { HitAnswerInput, HitRequestInput } from './hit-confirmation-inputs.ts';
import {
  COLUMNS,
  ENTITY,
  type HitConfirmationRequestRow,
  type HitStatus,
  OPEN_STATUSES,
  RECORD_LETTER,
} from './hit-confirmation-request-repository.ts';
import type { HitConfirmationSettings } from './hit-confirmation-settings.ts';
import type { HitRecordKind } from './hit-records.ts';
import { requestHit } from './request-hit.ts';

const LABEL = 'hit confirmation request';
const STATUS_OF_ANSWER: Record<HitAnswerInput['answer'], HitStatus> = {
  CONFIRMED: 'CONFIRMED',
  NOT_CONFIRMED: 'NOT_CONFIRMED',
  NEEDS_MORE_TIME: 'EXTENDED',
};

/**
 * Every statement that makes or changes a request, inside one write's transaction and on behalf of one
 * caller: the requesting agency asks and withdraws, the record's owning agency answers, each only while
 * the request is open and at the version the client last read.
 */
export class HitConfirmationWriter {
  constructor(
    private readonly tx: Queryable,
    private readonly caller: Caller,
  ) {}

  /** A new PENDING request about a record its owner showed the caller, due by the priority's deadline. */
  async request(
    input: HitRequestInput,
    kind: HitRecordKind,
    record: OwnershipSnapshot,
    settings: HitConfirmationSettings,
  ): Promise<WriteOutcome<HitConfirmationRequestRow>> {
    const { agency, subject } = this.caller.principal!;
    if (record.owning_agency === agency) {
      throw badUserInput(`${input.recordId} is your agency's own record: there is no hit to confirm`, 'input.recordId');
    }
    const [row] = await this.tx.query<HitConfirmationRequestRow>(
      `insert into hit_confirmation_request (id, record_type, record_id, priority, requesting_agency, request_note, purpose_code,
         purpose_reference, due_at, owning_agency, jurisdiction, release_agencies, source_system)
       values ($1::text || lpad(nextval('hit_confirmation_request_number')::text, 9, '0'), $2, $3, $4, $5, $6, $7, $8,
         now() + make_interval(secs => $9), $10, $11, array[$5], $12)
       returning ${COLUMNS}`,
      [
        RECORD_LETTER,
        kind.typename,
        input.recordId,
        input.priority,
        agency,
        input.note ?? null,
        this.caller.purpose!.code,
        this.caller.purpose!.reference,
        settings.deadlines[input.priority],
        record.owning_agency,
        record.jurisdiction,
        subject.slice(0, 100),
      ],
    );
    await this.step(row!.id, 'REQUESTED');
    return outcome(row!, 'CREATED', { recordId: input.recordId, priority: input.priority });
  }

  /** The owner's answer: CONFIRMED or NOT_CONFIRMED close the request, NEEDS_MORE_TIME moves its deadline. */
  async answer(input: HitAnswerInput, expectedVersion: number): Promise<WriteOutcome<HitConfirmationRequestRow>> {
    const current = await this.lockOpen(input.requestId, expectedVersion, 'owning_agency', 'answer');
    const status = STATUS_OF_ANSWER[input.answer];
    const [row] = await this.tx.query<HitConfirmationRequestRow>(
      `update hit_confirmation_request set status = $2, answer = $3, answer_note = $4, answered_at = now(),
         due_at = case when $5::integer is null then due_at else now() + make_interval(secs => $5::integer) end,
         released_until = case when $6::integer is null then null else now() + make_interval(secs => $6::integer) end,
         escalate_at = null, version = version + 1, updated_at = now()
       where id = $1 returning ${COLUMNS}`,
      [current.id, status, input.answer, input.note ?? null, input.extendBySeconds ?? null, input.releaseForSeconds ?? null],
    );
    await this.step(current.id, input.answer);
    return outcome(row!, 'STATUS_CHANGED', {
      answer: input.answer,
      ...(input.extendBySeconds ? { extendBySeconds: input.extendBySeconds } : {}),
      ...(input.releaseForSeconds ? { releaseForSeconds: input.releaseForSeconds } : {}),
    });
  }

  /** The requesting agency no longer needs the answer. */
  async withdraw(requestId: string, expectedVersion: number): Promise<WriteOutcome<HitConfirmationRequestRow>> {
    const current = await this.lockOpen(requestId, expectedVersion, 'requesting_agency', 'withdraw');
    const [row] = await this.tx.query<HitConfirmationRequestRow>(
      `update hit_confirmation_request set status = 'WITHDRAWN', escalate_at = null, version = version + 1, updated_at = now()
       where id = $1 returning ${COLUMNS}`,
      [current.id],
    );
    await this.step(current.id, 'WITHDRAWN');
    return outcome(row!, 'STATUS_CHANGED', {});
  }

  /**
   * Whether the caller may answer `id` at `expectedVersion` now, checked without a lock before the owner is
   * asked to grant a release (the answer's own write checks again, under its lock): throws as the answer would.
   */
  async checkAnswerable(id: string, expectedVersion: number): Promise<HitConfirmationRequestRow> {
    return this.lockOpen(id, expectedVersion, 'owning_agency', 'answer', '');
  }

  /**
   * Locks the request (with `lock` empty, only reads it) and checks, in the order that reveals nothing,
   * that the caller may take this step: a request it may not see is NOT_FOUND; one of the other side's
   * FORBIDDEN; one changed since it read it, or closed, CONFLICT with the current version.
   */
  private async lockOpen(
    id: string,
    expectedVersion: number,
    side: 'owning_agency' | 'requesting_agency',
    verb: string,
    lock = ' for update',
  ): Promise<HitConfirmationRequestRow> {
    const [row] = await this.tx.query<HitConfirmationRequestRow & { owning_agency: string }>(
      `select ${COLUMNS} from hit_confirmation_request where id = $1${lock}`,
      [id],
    );
    if (!row || !RowScope.for(this.caller).admits(row)) throw notFound(`No ${LABEL} ${id}`);
    if (row[side] !== this.caller.principal?.agency) {
      const who = side === 'owning_agency' ? 'the owning agency' : 'the requesting agency';
      throw forbidden(`Only ${who} ${row[side]} may ${verb} ${LABEL} ${id}`);
    }
    if (row.version !== expectedVersion) {
      throw conflict(
        `${LABEL} ${id} changed since version ${expectedVersion}: it is now at version ${row.version}; read it again and retry`,
        {
          currentVersion: row.version,
        },
      );
    }
    if (!OPEN_STATUSES.includes(row.status)) {
      throw conflict(`${LABEL} ${id} is ${row.status}: it can no longer be answered or withdrawn`, { currentVersion: row.version });
    }
    return row;
  }

  private async step(id: string, step: string): Promise<void> {
    await this.tx.query('insert into hit_confirmation_step (request_id, step, agency) values ($1, $2, $3)', [
      id,
      step,
      this.caller.principal!.agency,
    ]);
  }
}

/**
 * The write's outcome: audited in the chain of the record's owner (the agency asked), and published as a
 * record event whose category is the request's status, for subscribers to filter on; and as a hit on
 * the record, for its owner's hitsOnOwnRecords.
 */
function outcome(
  row: HitConfirmationRequestRow,
  change: RecordChange,
  detail: Record<string, unknown>,
): WriteOutcome<HitConfirmationRequestRow> {
  return {
    result: row,
    records: [{ entity: ENTITY, id: row.id, owner: row.owning_agency, change, jurisdiction: row.jurisdiction, category: row.status }],
    events: [hitEvent(requestHit(row, change === 'CREATED' ? 'CONFIRMATION_REQUESTED' : 'CONFIRMATION_UPDATED'))],
    detail: { requestId: row.id, ...detail },
  };
}
