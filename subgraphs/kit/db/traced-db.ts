import { clientSpan } from '../../../lib/observability/tracing.ts';
import type { Db, Queryable } from './db.ts';

/**
 * What a statement does (`SELECT`, `INSERT`, `WITH`…), past any leading block comment (BACKGROUND_SQL):
 * the only part of its text a span carries.
 */
const operationOf = (sql: string): string => /^(?:\s*\/\*[^]*?\*\/)*\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? 'SQL';

/**
 * The database with a CLIENT span per statement, child of the request's span: the statement's kind and
 * the engine, never its text or parameters (which carry the names partners search for).
 */
export function tracedDb(db: Db): Db {
  const system = db.kind === 'postgres' ? 'postgresql' : 'pglite';
  const traced = (target: Queryable): Queryable => ({
    query: (sql, params) => {
      const operation = operationOf(sql);
      return clientSpan(`${operation} ${system}`, { 'db.system.name': system, 'db.operation.name': operation }, () =>
        target.query(sql, params),
      );
    },
    exec: (sql) => clientSpan(`script ${system}`, { 'db.system.name': system }, () => target.exec(sql)),
  });
  return {
    ...db,
    ...traced(db),
    kind: db.kind,
    transaction: (fn) => db.transaction((tx) => fn(traced(tx))),
    listen: (channel, onNotify) => db.listen(channel, onNotify),
    close: () => db.close(),
  };
}
