import { notFound } from '../../lib/errors/index.ts';
import { type KitContext, parseInput, writeMutation } from '../kit/index.ts';
import { amendArgs, openArgs, propertyArgs, refreshArgs, statusArgs, subjectArgs } from './case-inputs.ts';
import { CaseWriter } from './case-writer.ts';
import type { CaseStatusContext } from './context.ts';
import { KIND_OF_ENTITY, type LinkedKind, PROPERTY, SUBJECT } from './linked-kinds.ts';

type Context = CaseStatusContext & KitContext;

/** One link change: the case, the version the client read, and the linked record's id. */
interface LinkArgs {
  caseNumber: string;
  expectedVersion: number;
  id: string;
  idempotencyKey: string;
}

/**
 * Links a record after asking its owner, on the caller's behalf, whether the caller may see it and
 * how it is owned. The owner is asked before the write's transaction opens, so no row lock is held
 * across the network; if it does not answer, nothing is written.
 */
async function link(kind: LinkedKind, action: string, { caseNumber, expectedVersion, id, idempotencyKey }: LinkArgs, ctx: Context) {
  const input = { caseNumber, expectedVersion, [kind.column]: id };
  // A retry of a link that already happened answers with its first result, whatever the owner says now.
  const replay = await ctx.writes.replayed({ action, idempotencyKey, input });
  if (replay) return replay.result;
  const snapshot = (await ctx.linkOwners.ownership(kind, [id], ctx.identityFor)).get(id);
  if (!snapshot) throw notFound(`No ${kind.label} ${id}`);
  return ctx.writes.run({
    action,
    idempotencyKey,
    input,
    apply: (tx) => new CaseWriter(tx, ctx.caller).link(kind, caseNumber, expectedVersion, id, snapshot),
  });
}

function unlink(kind: LinkedKind, action: string, { caseNumber, expectedVersion, id, idempotencyKey }: LinkArgs, ctx: Context) {
  return ctx.writes.run({
    action,
    idempotencyKey,
    input: { caseNumber, expectedVersion, [kind.column]: id },
    apply: (tx) => new CaseWriter(tx, ctx.caller).unlink(kind, caseNumber, expectedVersion, id),
  });
}

const subject = (args: unknown) => {
  const { personId, ...rest } = parseInput(subjectArgs, args);
  return { ...rest, id: personId };
};
const property = (args: unknown) => {
  const { propertyId, ...rest } = parseInput(propertyArgs, args);
  return { ...rest, id: propertyId };
};

/** The case-status mutations: arguments validated whole before any SQL (or call to an owner), then one write each. */
export const Mutation = {
  openCase: writeMutation(openArgs, ({ input }, tx, ctx: Context) => new CaseWriter(tx, ctx.caller).open(input)),
  changeCaseStatus: writeMutation(statusArgs, ({ caseNumber, expectedVersion, status, reason }, tx, ctx: Context) =>
    new CaseWriter(tx, ctx.caller).changeStatus(caseNumber, expectedVersion, status, reason),
  ),
  amendCase: writeMutation(amendArgs, ({ caseNumber, expectedVersion, input }, tx, ctx: Context) =>
    new CaseWriter(tx, ctx.caller).amend(caseNumber, expectedVersion, input),
  ),
  linkCaseSubject: (_: unknown, args: unknown, ctx: Context) => link(SUBJECT, 'linkCaseSubject', subject(args), ctx),
  unlinkCaseSubject: (_: unknown, args: unknown, ctx: Context) => unlink(SUBJECT, 'unlinkCaseSubject', subject(args), ctx),
  linkCaseProperty: (_: unknown, args: unknown, ctx: Context) => link(PROPERTY, 'linkCaseProperty', property(args), ctx),
  unlinkCaseProperty: (_: unknown, args: unknown, ctx: Context) => unlink(PROPERTY, 'unlinkCaseProperty', property(args), ctx),
  /** Copies the owner's current truth into the links; what the owner does not show the caller stays as it was. */
  refreshLinkSnapshots: async (_: unknown, args: unknown, ctx: Context) => {
    const { entity, ids } = parseInput(refreshArgs, args);
    const kind = KIND_OF_ENTITY[entity];
    const snapshots = await ctx.linkOwners.ownership(kind, [...new Set(ids)], ctx.identityFor);
    await ctx.linkSnapshots.refresh(kind, snapshots);
    return snapshots.size;
  },
};
