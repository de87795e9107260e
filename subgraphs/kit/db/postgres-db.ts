import pg from 'pg';
import type { Logger } from '../../../lib/observability/logger.ts';
import { databaseUnavailable } from '../../../lib/errors/index.ts';
import { isDatabaseUnavailable } from './database-unavailable.ts';
import type { Db, Queryable } from './db.ts';
import { listenPostgres } from './postgres-listener.ts';

const DATE_OID = 1082;
const typeParsers = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === DATE_OID ? (value: string) => value : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** Options of {@link openPostgres}. */
export interface PostgresOptions {
  /** Where lost connections are reported. */
  log?: Logger | undefined;
  /** How long a request waits for a connection (new, or free in the pool) before it fails. */
  connectTimeoutMs?: number | undefined;
}

/**
 * A PostgreSQL server through a connection pool that outlives the server going away: a lost
 * connection is dropped and reported, never thrown at the process; requests meanwhile fail within
 * `connectTimeoutMs` with `DATABASE_UNAVAILABLE`; once the server is back the pool connects again.
 */
export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<Db> {
  const { log } = options;
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    types: typeParsers,
    idleTimeoutMillis: 30_000,
    // Without a bound a request would wait for a connection as long as the database is away.
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    keepAlive: true,
  });
  // An idle client losing its connection must not crash the process; the pool replaces it on demand.
  pool.on('error', (error) => log?.warn({ err: error.message }, 'database connection lost; the pool reconnects on demand'));
  await pool.query('select 1');
  const translate = (error: unknown): unknown => {
    if (!isDatabaseUnavailable(error)) return error;
    log?.warn({ err: (error as Error).message }, 'database unavailable');
    return databaseUnavailable(error as Error);
  };
  const wrap = (target: pg.Pool | pg.PoolClient): Queryable => ({
    async query<T>(sql: string, params: readonly unknown[] = []) {
      try {
        return (await target.query(sql, params as unknown[])).rows as T[];
      } catch (error) {
        throw translate(error);
      }
    },
    async exec(sql: string) {
      try {
        await target.query(sql);
      } catch (error) {
        throw translate(error);
      }
    },
  });
  return {
    kind: 'postgres',
    ...wrap(pool),
    async transaction(fn) {
      const client = await pool.connect().catch((error: unknown) => {
        throw translate(error);
      });
      // A checked-out client has no pool listener: its connection dying between statements would
      // otherwise be an unhandled 'error' event. Remembered, it makes the client be discarded.
      let lost: Error | undefined;
      const onError = (error: Error) => {
        lost = error;
      };
      client.on('error', onError);
      try {
        await client.query('begin');
        const result = await fn(wrap(client));
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback').catch((rollbackError: Error) => {
          lost ??= rollbackError;
        });
        throw translate(error);
      } finally {
        client.removeListener('error', onError);
        client.release(lost);
      }
    },
    listen: (channel, onNotify) => listenPostgres(url, channel, onNotify, log),
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    close: () => pool.end(),
  };
}
