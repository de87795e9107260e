import { devAuditKey } from '../../subgraphs/kit/audit/load-audit-key.ts';
import { type DevKeyName, devKeyPair } from '../../lib/identity/dev-keys.ts';

// One of several processes told to create the same development key at the same moment. Under
// docker-compose every service is PID 1 in its own container, sharing one keys volume: this process
// says so too, so that any file named after the PID is shared with its siblings, as it is there.
Object.defineProperty(process, 'pid', { value: 1 });

/** What the parent asks: create (or read) this key now. */
export interface KeyRaceOrder {
  kind: 'identity' | 'audit';
  name: string;
}

/** What the child answers: the key it ended with (a public part or fingerprint), or its error. */
export type KeyRaceAnswer = { key: string } | { error: string };

process.on('message', (order: KeyRaceOrder) => {
  const create = async (): Promise<string> =>
    order.kind === 'identity' ? JSON.stringify((await devKeyPair(order.name as DevKeyName)).publicJwk) : devAuditKey(order.name).id;
  create().then(
    (key) => process.send!({ key } satisfies KeyRaceAnswer),
    (error: Error) => process.send!({ error: `${error.name}: ${error.message}` } satisfies KeyRaceAnswer),
  );
});
process.send!('ready');
