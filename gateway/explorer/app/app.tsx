import { GraphiQL, type GraphiQLProps } from 'graphiql';
import { getOperationAST, parse } from 'graphql';
import { createClient } from 'graphql-ws';
import { useEffect, useMemo, useRef, useState } from 'react';
import { ExamplesPanel } from './examples-panel.tsx';
import { IdentityPanel } from './identity-panel.tsx';
import { EMPTY_SESSION, SessionContext, sessionHeaders, type DevProfile, type Session } from './session.ts';

type Fetcher = GraphiQLProps['fetcher'];
type Plugin = NonNullable<GraphiQLProps['plugins']>[number];

const icon = (text: string) => () => <span style={{ fontWeight: 700, fontSize: '0.8rem' }}>{text}</span>;
const LIAISON_PLUGIN: Plugin = { title: 'Liaison: identity and purpose', icon: icon('ID'), content: IdentityPanel };
const EXAMPLES_PLUGIN: Plugin = { title: 'Examples', icon: icon('Ex'), content: ExamplesPanel };
const PLUGINS = [LIAISON_PLUGIN, EXAMPLES_PLUGIN];

const DEFAULT_QUERY = `# Liaison explorer. Choose who you are in the ID panel on the left, load an operation from
# the Ex panel, then run it (Ctrl-Enter). The Docs panel documents every type and field.
`;

/** Whether the operation GraphiQL runs is a subscription (a document that does not parse goes over HTTP, which says why). */
function isSubscription(query: string, operationName?: string | null): boolean {
  try {
    return getOperationAST(parse(query), operationName ?? undefined)?.operation === 'subscription';
  } catch {
    return false;
  }
}

/**
 * A subscription over WebSocket (graphql-transport-ws) at the gateway's `/graphql`, with the credentials
 * in the `connection_init` payload, where the gateway reads them (`authorization`, `liaison-purpose`,
 * `liaison-purpose-reference`). One connection per subscription, so it always carries the session chosen
 * when it was started; stopping it in GraphiQL closes the connection.
 */
async function* subscribe(
  params: { query: string; operationName?: string | null; variables?: Record<string, unknown> | null },
  credentials: Record<string, string>,
): AsyncGenerator<Record<string, unknown>> {
  const url = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/graphql`;
  const client = createClient({ url, connectionParams: credentials, lazy: true, retryAttempts: 0 });
  try {
    const { query, operationName, variables } = params;
    for await (const result of client.iterate({ query, operationName: operationName ?? null, variables: variables ?? null }))
      yield result as Record<string, unknown>;
  } catch (error) {
    // A refused connection ends as a close event: say what the gateway said.
    const close = error as { code?: number; reason?: string };
    if (typeof close?.code === 'number')
      yield { errors: [{ message: `The gateway closed the WebSocket: ${close.code} ${close.reason || ''}`.trim() }] };
    else throw error;
  } finally {
    await client.dispose();
  }
}

/** GraphiQL on the gateway's `/graphql`, with the session's token and purpose on every request. */
export function App() {
  const [session, setSessionState] = useState<Session>(EMPTY_SESSION);
  const [profiles, setProfiles] = useState<DevProfile[] | null>(null);
  // The fetcher is created once (GraphiQL refetches the schema when it changes) and reads the latest session.
  const current = useRef(session);
  current.current = session;

  useEffect(() => {
    // 404 outside development: then only a pasted token is offered.
    fetch('/explorer/dev-profiles')
      .then((response) => (response.ok ? (response.json() as Promise<DevProfile[]>) : null))
      .then(setProfiles, () => setProfiles(null));
  }, []);

  const fetcher = useMemo<Fetcher>(
    () => async (params, options) => {
      // Lower-cased, so that a header typed in the Headers tab replaces the session's rather than doubling it.
      const extra = Object.fromEntries(Object.entries(options?.headers ?? {}).map(([name, value]) => [name.toLowerCase(), String(value)]));
      if (isSubscription(params.query, params.operationName)) return subscribe(params, { ...sessionHeaders(current.current), ...extra });
      const response = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...sessionHeaders(current.current), ...extra },
        body: JSON.stringify(params),
      });
      return response.json();
    },
    [],
  );

  const state = useMemo(
    () => ({ session, profiles, setSession: (update: Partial<Session>) => setSessionState((previous) => ({ ...previous, ...update })) }),
    [session, profiles],
  );
  return (
    <SessionContext.Provider value={state}>
      <GraphiQL
        fetcher={fetcher}
        plugins={PLUGINS}
        visiblePlugin={LIAISON_PLUGIN}
        defaultQuery={DEFAULT_QUERY}
        shouldPersistHeaders={false}
      >
        {/* Replaces GraphiQL's logo, which links out to GitHub. */}
        <GraphiQL.Logo>Liaison</GraphiQL.Logo>
      </GraphiQL>
    </SessionContext.Provider>
  );
}
