import { grantArgs, type KitContext, writeMutation } from '../kit/index.ts';
import type { StolenPropertyContext } from './context.ts';
import { amendArgs, recoverArgs, reportArgs } from './property-inputs.ts';
import { PropertyWriter } from './property-writer.ts';

type Context = StolenPropertyContext & KitContext;

/** The stolen-property mutations: arguments validated whole before any SQL, then one write each. */
export const Mutation = {
  reportPropertyStolen: writeMutation(reportArgs, ({ input }, tx, ctx: Context) =>
    new PropertyWriter(tx, ctx.caller, ctx.audit).report(input),
  ),
  amendPropertyItem: writeMutation(amendArgs, ({ id, expectedVersion, input }, tx, ctx: Context) =>
    new PropertyWriter(tx, ctx.caller, ctx.audit).amend(id, expectedVersion, input),
  ),
  grantPropertyItemRelease: writeMutation(grantArgs, ({ id, agency, forSeconds }, tx, ctx: Context) =>
    new PropertyWriter(tx, ctx.caller, ctx.audit).grant(id, agency, forSeconds),
  ),
  markPropertyRecovered: writeMutation(recoverArgs, ({ id, expectedVersion, recoveredOn, note }, tx, ctx: Context) =>
    new PropertyWriter(tx, ctx.caller, ctx.audit).recover(id, expectedVersion, recoveredOn, note ?? null),
  ),
};
