import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from './support/stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack('pglite');
});
afterAll(() => stack?.close());

describe('/health', () => {
  it('is 200 while every subgraph answers, and 503 naming the one that stopped', async () => {
    const origin = new URL(stack.gatewayUrl).origin;
    const up = await fetch(`${origin}/health`);
    expect(up.status).toBe(200);
    expect(await up.json()).toEqual({ status: 'ok', subgraphs: { 'wanted-persons': 'up', 'stolen-property': 'up', 'case-status': 'up' } });

    await stack.subgraphs['stolen-property']!.close();
    const down = await fetch(`${origin}/health`);
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ status: 'degraded', subgraphs: { 'wanted-persons': 'up', 'stolen-property': 'down', 'case-status': 'up' } });
  });
});
