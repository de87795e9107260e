import { parseArgs } from 'node:util';
import { z } from 'zod';
import { SUBJECT } from '../lib/authz/principal.ts';
import { AGENCY_CODE, JURISDICTION_CODE } from '../lib/domain/index.ts';
import { isScopeWord, knownScopes, SCOPES } from '../lib/authz/scopes.ts';
import { parseEnv, startOrExit } from '../lib/config/env.ts';
import { signDevToken } from '../lib/identity/dev-token.ts';
import { readSupergraphConfig } from '../lib/config/supergraph-config.ts';

// `npm run token -- --sub ID --agency ORI --scopes a,b --jurisdictions X,Y [--ttl 1h]`
const SUBGRAPHS = readSupergraphConfig().map((subgraph) => subgraph.name);
const KNOWN = knownScopes(SUBGRAPHS);
const USAGE = `Usage: npm run token -- --sub ID --agency ORI --scopes a,b --jurisdictions X,Y [--ttl 1h]
Prints a development token the locally started gateway accepts.
Scopes:
${Object.entries(SCOPES)
  .map(([scope, meaning]) => `  ${scope.padEnd(18)} ${meaning}`)
  .join('\n')}
  <subgraph>:read, <subgraph>:write  an onboarded subgraph's own records (${SUBGRAPHS.join(', ')})`;

/** Comma-separated, spaces around items ignored; an empty item ("a,,b") is kept, so it is refused below. */
const list = (value: string) => (value.trim() === '' ? [] : value.split(',').map((item) => item.trim()));
const argsSchema = z.object({
  sub: z.string({ error: '--sub is required' }).regex(SUBJECT, '--sub must be 1 to 200 letters, digits or . _ ~ : @ + | / = - (no spaces)'),
  agency: z.string().regex(AGENCY_CODE, '--agency must be a 9-character agency code such as FRPN00001'),
  scopes: z
    .string()
    .transform(list)
    .superRefine((scopes, ctx) => {
      for (const scope of scopes) {
        if (!isScopeWord(scope))
          ctx.addIssue({
            code: 'custom',
            message: `--scopes: ${JSON.stringify(scope)} is not a scope: each is one word of letters, digits and . _ : / -, separated by commas`,
          });
        else if (!KNOWN.includes(scope))
          ctx.addIssue({ code: 'custom', message: `--scopes: ${scope} is not a known scope (see the list below)` });
      }
    }),
  jurisdictions: z
    .string()
    .transform((value) => list(value).map((code) => code.toUpperCase()))
    .refine((codes) => codes.every((code) => JURISDICTION_CODE.test(code)), '--jurisdictions must be ISO 3166 codes such as FR or FR-IDF'),
  ttl: z
    .string()
    .default('1h')
    .transform((value) => {
      const match = /^(\d+)([smhd])$/.exec(value);
      return match ? Number(match[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[match[2] as 's' | 'm' | 'h' | 'd'] : NaN;
    })
    .refine((seconds) => seconds > 0 && seconds <= 86400, '--ttl must be like 90s, 15m, 1h or 1d, at most 1d'),
});

await startOrExit(async () => {
  const { NODE_ENV } = parseEnv(z.object({ NODE_ENV: z.string().default('development') }));
  if (NODE_ENV === 'production') throw new Error('npm run token signs with development keys and is refused in production');
  const { values } = parseArgs({
    options: {
      sub: { type: 'string' },
      agency: { type: 'string' },
      scopes: { type: 'string', default: '' },
      jurisdictions: { type: 'string', default: '' },
      ttl: { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) {
    process.stderr.write(`${parsed.error.issues.map((issue) => issue.message).join('\n')}\n\n${USAGE}\n`);
    process.exit(2);
  }
  const { sub, agency, scopes, jurisdictions, ttl } = parsed.data;
  process.stdout.write(`${await signDevToken({ subject: sub, agency, scopes, jurisdictions, ttlSeconds: ttl })}\n`);
});
