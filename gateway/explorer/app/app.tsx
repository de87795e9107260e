import { GraphiQL, type GraphiQLProps } from 'graphiql';
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
      const extra = Object.fromEntries(Object.entries(options?.headers ?? {}).map(([name, value]) => [name, String(value)]));
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
