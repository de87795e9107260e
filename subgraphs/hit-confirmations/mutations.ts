import { conflict, notFound } from '../../lib/errors/index.ts';
import { type KitContext, parseInput, type Queryable, type WriteOutcome, writeMutation } from '../kit/index.ts';
import type { HitConfirmationRequestRow } from './hit-confirmation-request-repository.ts';
import type { HitConfirmationsContext } from './context.ts';
import { answerArgs, requestArgs, withdrawArgs } from './hit-confirmation-inputs.ts';
import { HitConfirmationWriter } from './hit-confirmation-writer.ts';
import { hitRecordKindOf, hitRecordKindOfType } from './hit-records.ts';

type Context = HitConfirmationsContext & KitContext;

/** The hit-confirmations mutations: arguments validated whole before any SQL (or call to an owner), then one write each. */
export const Mutation = {
  /**
   * Asks the record's owner, on the caller's behalf, whether the caller sees the record (in full or as a
   * reference) and whose it is, before the write's transaction opens; if it does not answer, nothing is written.
   */
  requestHitConfirmation: async (_: unknown, args: unknown, ctx: Context) => {
    const { input, idempotencyKey } = parseInput(requestArgs, args);
    const action = 'requestHitConfirmation';
    // A retry of a request already made answers with its first result, whatever the owner says now.
    const replay = await ctx.writes.replayed({ action, idempotencyKey, input });
    if (replay) return replay.result;
    const kind = hitRecordKindOf(input.recordId);
    const record = (await ctx.recordOwners.ownership(kind, [input.recordId], ctx.identityFor, 'ask to confirm hits on them')).get(
      input.recordId,
    );
    if (!record) throw notFound(`No ${kind.label} ${input.recordId}`);
    return ctx.writes.run({
      action,
      idempotencyKey,
      input,
      apply: (tx) => new HitConfirmationWriter(tx, ctx.caller).request(input, kind, record, ctx.settings),
    });
  },
  /**
   * The owner's answer; a confirmation with `releaseForSeconds` first has the record's owner subgraph grant
   * the requesting agency the record in full (checked answerable first, so a refused answer grants nothing).
   */
  answerHitConfirmation: async (_: unknown, args: unknown, ctx: Context) => {
    const { input, expectedVersion, idempotencyKey } = parseInput(answerArgs, args);
    const spec = {
      action: 'answerHitConfirmation',
      idempotencyKey,
      input: { input, expectedVersion },
      afterCommit: async (outcome: WriteOutcome<HitConfirmationRequestRow>) => ctx.metrics.answered(outcome.result),
    };
    const apply = (tx: Queryable) => new HitConfirmationWriter(tx, ctx.caller).answer(input, expectedVersion);
    if (input.releaseForSeconds == null) return ctx.writes.run({ ...spec, apply });
    const replay = await ctx.writes.replayed(spec);
    if (replay) return replay.result;
    const request = await new HitConfirmationWriter(ctx.db, ctx.caller).checkAnswerable(input.requestId, expectedVersion);
    const kind = hitRecordKindOfType(request.record_type);
    if (!kind) throw conflict(`${request.record_type} records no longer take part in hit confirmation: nothing can be released`);
    const order = {
      kind,
      recordId: request.record_id,
      agency: request.requesting_agency,
      seconds: input.releaseForSeconds,
      idempotencyKey: `hit-release.${request.id}.${expectedVersion}`,
    };
    await ctx.ownerRelease.grant(order, ctx.identityFor);
    return ctx.writes.run({ ...spec, apply });
  },
  withdrawHitConfirmation: writeMutation(withdrawArgs, ({ requestId, expectedVersion }, tx, ctx: Context) =>
    new HitConfirmationWriter(tx, ctx.caller).withdraw(requestId, expectedVersion),
  ),
};
