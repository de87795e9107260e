import { BACKGROUND_SQL, type Db, hitEvent, insertRecordEvents, type Queryable, type SubgraphFeatureFactory } from '../kit/index.ts';
import { ENTITY } from './hit-confirmation-request-repository.ts';
import type { HitConfirmationSettings } from './hit-confirmation-settings.ts';
import type { HitMetrics } from './hit-metrics.ts';
import { requestHit, type RequestHitColumns } from './request-hit.ts';

/** Most requests one step of one sweep moves: a sweep stays short, and the next one takes the rest at once. */
const BATCH = 100;

interface Moved extends RequestHitColumns {
  jurisdiction: string;
}

/**
 * A deadline's step: requests in one of the `from` statuses whose `column` fell due take the `set`
 * change, each in the same statement as the check, under its row lock. Another replica sweeping at the same time skips the rows this one
 * holds and, once it commits, finds them no longer in `from`: each step is taken exactly once, at most a
 * sweep interval late, and a restart loses none (the deadline is a column, not a timer in memory).
 */
async function moveDue(tx: Queryable, from: string, column: string, set: string, params: unknown[]): Promise<Moved[]> {
  const moved = await tx.query<Moved>(
    `${BACKGROUND_SQL} with due as (
       select id from hit_confirmation_request where status in (${from}) and ${column} <= now()
       order by ${column} limit ${BATCH} for update skip locked)
     update hit_confirmation_request r set ${set}, version = version + 1, updated_at = now()
     from due where r.id = due.id
     returning r.id, r.record_id, r.owning_agency, r.requesting_agency, r.purpose_code, r.purpose_reference, r.jurisdiction, r.status`,
    params,
  );
  if (moved.length === 0) return moved;
  await tx.query(`${BACKGROUND_SQL} insert into hit_confirmation_step (request_id, step) select id, $2 from unnest($1::text[]) as id`, [
    moved.map((row) => row.id),
    moved[0]!.status,
  ]);
  await insertRecordEvents(tx, [
    ...moved.map((row) => ({
      entity: ENTITY,
      id: row.id,
      owner: row.owning_agency,
      change: 'STATUS_CHANGED' as const,
      jurisdiction: row.jurisdiction,
      category: row.status,
    })),
    ...moved.map((row) => hitEvent(requestHit(row, 'CONFIRMATION_UPDATED'))),
  ]);
  return moved;
}

/**
 * One sweep: overdue requests are sent again (OVERDUE), then overdue ones past their escalation are
 * ESCALATED; the owning agencies of the requests moved by each, once committed.
 */
async function sweep(db: Db, settings: HitConfirmationSettings): Promise<{ overdue: string[]; escalated: string[] }> {
  return db.transaction(async (tx) => {
    const overdue = await moveDue(
      tx,
      `'PENDING', 'EXTENDED'`,
      'due_at',
      `status = 'OVERDUE', second_request_at = now(),
       escalate_at = now() + make_interval(secs => case r.priority when 'URGENT' then $1::integer else $2::integer end)`,
      [settings.escalations.URGENT, settings.escalations.ROUTINE],
    );
    const escalated = await moveDue(tx, `'OVERDUE'`, 'escalate_at', `status = 'ESCALATED', escalated_at = now(), escalate_at = null`, []);
    return { overdue: overdue.map((row) => row.owning_agency), escalated: escalated.map((row) => row.owning_agency) };
  });
}

/**
 * The deadlines of hit confirmation requests, as a feature of the subgraph: every `sweepMs` (at once when
 * a sweep came back full) the requests whose deadline passed take their step. A failed sweep is logged and
 * retried at the next interval; closing waits for a sweep under way, so the database can close after it.
 */
export function hitDeadlines(settings: HitConfirmationSettings, metrics: HitMetrics): SubgraphFeatureFactory {
  return {
    name: 'hit-deadlines',
    build({ db, log, registry }) {
      metrics.register(registry, db);
      let stopped = false;
      let running: Promise<void> = Promise.resolve();
      let timer: NodeJS.Timeout | undefined;
      const schedule = (ms: number) => {
        if (!stopped) timer = setTimeout(tick, ms).unref();
      };
      const tick = () => {
        running = sweep(db, settings)
          .then(({ overdue, escalated }) => {
            metrics.moved('OVERDUE', overdue);
            metrics.moved('ESCALATED', escalated);
            schedule(overdue.length >= BATCH || escalated.length >= BATCH ? 0 : settings.sweepMs);
          })
          .catch((error: unknown) => {
            log.warn({ err: error }, 'hit confirmation deadlines not checked; retried at the next interval');
            schedule(settings.sweepMs);
          });
      };
      schedule(0);
      return {
        async close() {
          stopped = true;
          clearTimeout(timer);
          await running;
        },
      };
    },
  };
}
