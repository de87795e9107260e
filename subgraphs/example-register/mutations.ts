import { grantArgs, type KitContext, writeMutation } from '../kit/index.ts';
import type { ExampleRegisterContext } from './context.ts';
import { amendArgs, registerArgs } from './example-record-inputs.ts';
import { ExampleRecordWriter } from './example-record-writer.ts';

type Context = ExampleRegisterContext & KitContext;

/** The example-register mutations: arguments validated whole before any SQL, then one write each. */
export const Mutation = {
  registerExampleRecord: writeMutation(registerArgs, ({ input }, tx, ctx: Context) =>
    new ExampleRecordWriter(tx, ctx.caller).register(input),
  ),
  amendExampleRecord: writeMutation(amendArgs, ({ id, expectedVersion, input }, tx, ctx: Context) =>
    new ExampleRecordWriter(tx, ctx.caller).amend(id, expectedVersion, input),
  ),
  grantExampleRecordRelease: writeMutation(grantArgs, ({ id, agency, forSeconds }, tx, ctx: Context) =>
    new ExampleRecordWriter(tx, ctx.caller).grant(id, agency, forSeconds),
  ),
};
