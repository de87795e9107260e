import type { ExecutionResult } from 'graphql';
import type { Caller } from '../../lib/authz/principal.ts';
import { codedError } from '../../lib/errors/coded-error.ts';
import type { SubscriptionEngine, SubscriptionRequest } from '../../gateway/subscriptions/transports/index.ts';

/** One subscription the stand-in engine was asked for, and how far its stream got. */
export interface StandInCall {
  caller: Caller;
  request: SubscriptionRequest;
  sent: number;
  /** True once the transport returned (or the stream ended): nobody is fed any more. */
  returned: boolean;
}

/**
 * A subscription engine for testing the transports alone, steered by the operation's name:
 * `Ticks` yields an event (with `extensions.eventId`) every 20 ms, `Quiet` never yields, `Flood` yields
 * 64 KiB events as fast as it is read, `Refused` is refused before streaming, `Missed` yields one event
 * and then throws a coded EVENTS_MISSED. The real engine lives in gateway/subscriptions/.
 */
export function standInEngine(): SubscriptionEngine & { calls: StandInCall[] } {
  const calls: StandInCall[] = [];
  return {
    calls,
    async subscribe(caller, request) {
      const call: StandInCall = { caller, request, sent: 0, returned: false };
      calls.push(call);
      if (request.operationName === 'Refused')
        return { errors: [codedError('Unknown filter: colour', 'BAD_USER_INPUT', { field: 'filter.colour' })] };
      return stream(call, request.operationName ?? 'Ticks');
    },
  };
}

async function* stream(call: StandInCall, kind: string): AsyncGenerator<ExecutionResult> {
  const start = Number(call.request.lastEventId ?? 0);
  try {
    for (let n = start + 1; ; n++) {
      if (kind === 'Quiet') await new Promise(() => undefined);
      if (kind === 'Ticks') await new Promise((resolve) => setTimeout(resolve, 20));
      if (kind === 'Missed' && n > start + 1) throw codedError('Events beyond the retention window were lost', 'EVENTS_MISSED');
      call.sent++;
      const padding = kind === 'Flood' ? 'x'.repeat(65_536) : undefined;
      yield { data: { ticks: { n, padding } }, extensions: { eventId: String(n) } };
    }
  } finally {
    call.returned = true;
  }
}
