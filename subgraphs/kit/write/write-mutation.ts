import type { GraphQLResolveInfo } from 'graphql';
import type { z } from 'zod';
import type { Queryable } from '../db/db.ts';
import type { KitContext } from '../server/contract.ts';
import { parseInput } from './input-schemas.ts';
import type { WriteOutcome } from './write-runner.ts';

/**
 * A mutation resolver that is one write: the arguments are validated whole by `schema` before any
 * SQL, then `apply` runs in the write's transaction. The mutation's name is the audit entry's action,
 * and every argument but `idempotencyKey` is the input a retry must repeat.
 */
export function writeMutation<A extends { idempotencyKey: string }, C extends KitContext, R>(
  schema: z.ZodType<A>,
  apply: (args: Omit<A, 'idempotencyKey'>, tx: Queryable, ctx: C) => Promise<WriteOutcome<R>>,
) {
  return (_: unknown, raw: unknown, ctx: C, info: GraphQLResolveInfo): Promise<R> => {
    const { idempotencyKey, ...input } = parseInput(schema, raw);
    return ctx.writes.run({ action: info.fieldName, idempotencyKey, input, apply: (tx) => apply(input, tx, ctx) });
  };
}
