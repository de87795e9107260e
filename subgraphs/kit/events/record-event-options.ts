/** How a subgraph serves and keeps its record events (GET /events and retention). */
export interface RecordEventOptions {
  /** Events older than this are deleted (RECORD_EVENT_RETENTION_HOURS, default 24): the window a reader can resume in. */
  retentionHours?: number | undefined;
  /** How often retention runs (default one minute); each run deletes bounded batches until none is full. */
  pruneIntervalMs?: number | undefined;
  /** How often an open feed looks for newly committed events (default 200 ms). */
  pollIntervalMs?: number | undefined;
  /** An idle feed sends a `: keepalive` comment this often (default 15 s), so proxies keep it open. */
  keepaliveMs?: number | undefined;
  /** Most events one poll reads (default 500): a reader far behind catches up in bounded steps. */
  batchSize?: number | undefined;
}

/** {@link RecordEventOptions} with every default filled in. */
export type RecordEventSettings = Required<{ [K in keyof RecordEventOptions]: NonNullable<RecordEventOptions[K]> }>;

export const RECORD_EVENT_DEFAULTS: RecordEventSettings = {
  retentionHours: 24,
  pruneIntervalMs: 60_000,
  pollIntervalMs: 200,
  keepaliveMs: 15_000,
  batchSize: 500,
};

/** The options given, over the defaults. */
export function recordEventSettings(options: RecordEventOptions = {}): RecordEventSettings {
  const given = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  return { ...RECORD_EVENT_DEFAULTS, ...given };
}
