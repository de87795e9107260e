import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { BACKGROUND_SQL, type Db } from '../kit/index.ts';
import type { HitConfirmationRequestRow } from './hit-confirmation-request-repository.ts';

/** Seconds from a request to its answer: NCIC's deadlines are 10 minutes and an hour, escalation beyond. */
const ANSWER_BUCKETS = [10, 30, 60, 120, 300, 600, 1_200, 1_800, 3_600, 7_200, 14_400, 86_400];

/**
 * The hit confirmation workflow's series on the subgraph's /metrics, per owning agency (the agency that
 * must answer). Made with the server (the context needs them) and registered once the kit hands the
 * features its registry.
 */
export class HitMetrics {
  private readonly answerSeconds = new Histogram({
    name: 'liaison_hit_confirmation_answer_seconds',
    help: 'Time from a hit confirmation request to each answer of its owner (counted by the replica that wrote the answer).',
    labelNames: ['owning_agency', 'priority', 'answer'],
    buckets: ANSWER_BUCKETS,
    registers: [],
  });
  private readonly steps = new Counter({
    name: 'liaison_hit_confirmation_deadline_steps_total',
    help: 'Requests the deadlines moved: OVERDUE (sent again) and ESCALATED (counted by the replica that took the step).',
    labelNames: ['owning_agency', 'step'],
    registers: [],
  });

  /** Registers the series, with the gauge of requests by status that every replica reads from the shared database. */
  register(registry: Registry | undefined, db: Db): void {
    if (!registry) return;
    registry.registerMetric(this.answerSeconds);
    registry.registerMetric(this.steps);
    new Gauge({
      name: 'liaison_hit_confirmation_requests',
      help: 'Hit confirmation requests by owning agency and status (every replica reports the shared database).',
      labelNames: ['owning_agency', 'status'],
      registers: [registry],
      async collect() {
        // A scrape while the database is away keeps the last counts rather than failing /metrics.
        const rows = await db
          .query<{ owning_agency: string; status: string; n: number }>(
            `${BACKGROUND_SQL} select owning_agency, status, count(*)::int as n from hit_confirmation_request group by owning_agency, status`,
          )
          .catch(() => undefined);
        if (!rows) return;
        this.reset();
        for (const row of rows) this.set({ owning_agency: row.owning_agency, status: row.status }, row.n);
      },
    });
  }

  /** An answer committed (never a replayed one). */
  answered(row: HitConfirmationRequestRow): void {
    const seconds = (Date.parse(row.answered_at!) - Date.parse(row.requested_at)) / 1000;
    this.answerSeconds.observe({ owning_agency: row.owning_agency, priority: row.priority, answer: row.answer! }, seconds);
  }

  /** The deadlines moved these requests to `step`. */
  moved(step: 'OVERDUE' | 'ESCALATED', owners: readonly string[]): void {
    for (const owner of owners) this.steps.inc({ owning_agency: owner, step });
  }
}
