import { grantArgs, type KitContext, writeMutation } from '../kit/index.ts';
import type { WantedPersonsContext } from './context.ts';
import { amendArgs, cancelArgs, issueArgs, locateArgs } from './wanted-person-inputs.ts';
import { WantedPersonWriter } from './wanted-person-writer.ts';

type Context = WantedPersonsContext & KitContext;

/** The wanted-persons mutations: arguments validated whole before any SQL, then one write each. */
export const Mutation = {
  issueWantedNotice: writeMutation(issueArgs, ({ input }, tx, ctx: Context) => new WantedPersonWriter(tx, ctx.caller).issue(input)),
  amendWantedNotice: writeMutation(amendArgs, ({ id, expectedVersion, input }, tx, ctx: Context) =>
    new WantedPersonWriter(tx, ctx.caller).amend(id, expectedVersion, input),
  ),
  cancelWantedNotice: writeMutation(cancelArgs, ({ id, expectedVersion, reason }, tx, ctx: Context) =>
    new WantedPersonWriter(tx, ctx.caller).close(id, expectedVersion, 'CANCELLED', reason, null),
  ),
  grantWantedPersonRelease: writeMutation(grantArgs, ({ id, agency, forSeconds }, tx, ctx: Context) =>
    new WantedPersonWriter(tx, ctx.caller).grant(id, agency, forSeconds),
  ),
  markPersonLocated: writeMutation(locateArgs, ({ id, expectedVersion, locatedOn, place }, tx, ctx: Context) =>
    new WantedPersonWriter(tx, ctx.caller).close(id, expectedVersion, 'LOCATED', place ?? null, locatedOn),
  ),
};
