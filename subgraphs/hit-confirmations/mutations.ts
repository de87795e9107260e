import { notFound } from '../../lib/errors/index.ts';
import { type KitContext, parseInput, writeMutation } from '../kit/index.ts';
import type { HitConfirmationsContext } from './context.ts';
import { answerArgs, requestArgs, withdrawArgs } from './hit-confirmation-inputs.ts';
import { HitConfirmationWriter } from './hit-confirmation-writer.ts';
import { hitRecordKindOf } from './hit-records.ts';

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
  answerHitConfirmation: writeMutation(answerArgs, ({ input, expectedVersion }, tx, ctx: Context) =>
    new HitConfirmationWriter(tx, ctx.caller).answer(input, expectedVersion),
  ),
  withdrawHitConfirmation: writeMutation(withdrawArgs, ({ requestId, expectedVersion }, tx, ctx: Context) =>
    new HitConfirmationWriter(tx, ctx.caller).withdraw(requestId, expectedVersion),
  ),
};
