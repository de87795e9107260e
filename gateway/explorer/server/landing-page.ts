/**
 * What `/` shows when the explorer is not built: where to send queries and a first query to try, and
 * `note` (HTML) saying how to get the explorer. Self-contained (no CDN, no external fonts) so it works
 * on a closed network.
 */
export const landingPage = (graphqlPath: string, note = ''): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Liaison</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:3rem auto;padding:0 1rem;color:#1b2733}
pre{background:#f2f4f7;padding:1rem;overflow:auto}code{font-family:ui-monospace,monospace}</style></head>
<body><h1>Liaison federation gateway</h1>
<p>POST GraphQL operations as JSON to <code>${graphqlPath}</code> with <code>Authorization: Bearer &lt;token&gt;</code>.
Health: <code>/health</code>. In development, <code>npm run token -- --help</code> prints a token for the scopes you name.</p>
${note ? `<p>${note}</p>` : ''}
<pre><code>TOKEN=$(npm run -s token -- --sub me --agency FRPN00001 --scopes case:read,case:restricted,wanted:read,wanted:pii --jurisdictions FR,DE,NL,ES,IT,GB,US,PL,BE)
curl -s http://localhost:4000${graphqlPath} -H 'content-type: application/json' -H "authorization: Bearer $TOKEN" \\
  -H 'liaison-purpose: INVESTIGATION' -H 'liaison-purpose-reference: C000000001' \\
  -d '{"query":"{ case(caseNumber: \\"C000000001\\") { title status subjects { nodes { fullName cases { nodes { caseNumber } } } } } }"}'</code></pre>
</body></html>`;
