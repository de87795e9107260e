import type { Logger } from '../../../lib/observability/logger.ts';

/** A row as returned by the driver. */
export type Row = Record<string, unknown>;

/** Runs parameterised SQL. Both drivers return DATE columns as 'YYYY-MM-DD' strings. */
export interface Queryable {
  query<T = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs a script of several statements without parameters (migrations, seeds). */
  exec(sql: string): Promise<void>;
}

/** A subgraph's database: embedded PGlite or a PostgreSQL server, behind one interface. */
export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction; it is rolled back if `fn` throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Calls `onNotify` for every NOTIFY on `channel`, which PostgreSQL sends only when the notifying
   * transaction commits, from any replica. Resolves once listening, with what stops it.
   */
  listen(channel: string, onNotify: () => void): Promise<() => Promise<void>>;
  /** PostgreSQL only: the connection pool's state now, for the metrics. */
  poolStats?(): PoolStats;
  close(): Promise<void>;
}

/** Connections of a pool: open in all, open and idle, and requests waiting for one. */
export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

/** Where a subgraph keeps its data. */
export interface DbOptions {
  /** PostgreSQL server URL; when absent an embedded PGlite database is used. */
  url?: string | undefined;
  /** PGlite data directory; when absent PGlite runs in memory. */
  dataDir?: string | undefined;
  /** PostgreSQL only: how long a request waits for a connection before DATABASE_UNAVAILABLE. */
  connectTimeoutMs?: number | undefined;
  /** PostgreSQL only: where lost connections are reported. */
  log?: Logger | undefined;
}

/** Opens the database a subgraph was configured with. */
export async function openDb(options: DbOptions): Promise<Db> {
  if (options.url) {
    const { openPostgres } = await import('./postgres-db.ts');
    return openPostgres(options.url, { log: options.log, connectTimeoutMs: options.connectTimeoutMs });
  }
  const { openPglite } = await import('./pglite-db.ts');
  return openPglite(options.dataDir);
}
