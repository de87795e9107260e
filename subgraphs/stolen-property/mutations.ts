import type { KitContext } from '../kit/subgraph-server.ts';
import { parseInput } from '../kit/write/input-schemas.ts';
import type { StolenPropertyContext } from './context.ts';
import { amendArgs, recoverArgs, reportArgs } from './property-inputs.ts';
import { PropertyWriter } from './property-writer.ts';

type Context = StolenPropertyContext & KitContext;

/** The stolen-property mutations: arguments validated whole before any SQL, then one write each. */
export const Mutation = {
  reportPropertyStolen: (_: unknown, args: unknown, ctx: Context) => {
    const { input, idempotencyKey } = parseInput(reportArgs, args);
    return ctx.writes.run({ action: 'reportPropertyStolen', idempotencyKey, input, apply: (tx) => new PropertyWriter(tx, ctx.caller).report(input) });
  },
  amendPropertyItem: (_: unknown, args: unknown, ctx: Context) => {
    const { id, expectedVersion, input, idempotencyKey } = parseInput(amendArgs, args);
    return ctx.writes.run({
      action: 'amendPropertyItem',
      idempotencyKey,
      input: { id, expectedVersion, input },
      apply: (tx) => new PropertyWriter(tx, ctx.caller).amend(id, expectedVersion, input),
    });
  },
  markPropertyRecovered: (_: unknown, args: unknown, ctx: Context) => {
    const { id, expectedVersion, recoveredOn, note, idempotencyKey } = parseInput(recoverArgs, args);
    return ctx.writes.run({
      action: 'markPropertyRecovered',
      idempotencyKey,
      input: { id, expectedVersion, recoveredOn, note },
      apply: (tx) => new PropertyWriter(tx, ctx.caller).recover(id, expectedVersion, recoveredOn, note ?? null),
    });
  },
};
