import type { KitContext } from '../kit/subgraph-server.ts';
import { parseInput } from '../kit/write/input-schemas.ts';
import type { WantedPersonsContext } from './context.ts';
import { amendArgs, cancelArgs, issueArgs, locateArgs } from './wanted-person-inputs.ts';
import { WantedPersonWriter } from './wanted-person-writer.ts';

type Context = WantedPersonsContext & KitContext;

/** The wanted-persons mutations: arguments validated whole before any SQL, then one write each. */
export const Mutation = {
  issueWantedNotice: (_: unknown, args: unknown, ctx: Context) => {
    const { input, idempotencyKey } = parseInput(issueArgs, args);
    return ctx.writes.run({ action: 'issueWantedNotice', idempotencyKey, input, apply: (tx) => new WantedPersonWriter(tx, ctx.caller).issue(input) });
  },
  amendWantedNotice: (_: unknown, args: unknown, ctx: Context) => {
    const { id, expectedVersion, input, idempotencyKey } = parseInput(amendArgs, args);
    return ctx.writes.run({
      action: 'amendWantedNotice',
      idempotencyKey,
      input: { id, expectedVersion, input },
      apply: (tx) => new WantedPersonWriter(tx, ctx.caller).amend(id, expectedVersion, input),
    });
  },
  cancelWantedNotice: (_: unknown, args: unknown, ctx: Context) => {
    const { id, expectedVersion, reason, idempotencyKey } = parseInput(cancelArgs, args);
    return ctx.writes.run({
      action: 'cancelWantedNotice',
      idempotencyKey,
      input: { id, expectedVersion, reason },
      apply: (tx) => new WantedPersonWriter(tx, ctx.caller).close(id, expectedVersion, 'CANCELLED', reason, null),
    });
  },
  markPersonLocated: (_: unknown, args: unknown, ctx: Context) => {
    const { id, expectedVersion, locatedOn, place, idempotencyKey } = parseInput(locateArgs, args);
    return ctx.writes.run({
      action: 'markPersonLocated',
      idempotencyKey,
      input: { id, expectedVersion, locatedOn, place },
      apply: (tx) => new WantedPersonWriter(tx, ctx.caller).close(id, expectedVersion, 'LOCATED', place ?? null, locatedOn),
    });
  },
};
