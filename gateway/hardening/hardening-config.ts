import { z } from 'zod';
import { AGENCY_CODE } from '../../lib/domain/index.ts';

/** Partner tiers, cheapest first; each has its own estimated-cost budget per operation. */
export const TIERS = ['basic', 'standard', 'premium'] as const;
export type Tier = (typeof TIERS)[number];

const positiveInt = (max: number) => z.coerce.number().int().min(1).max(max);
/** Requests per second: fractions allowed, e.g. 0.5 is one request every two seconds. */
const rate = z.coerce.number().min(0.001).max(1_000_000);
const list = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  );

/** `ORI=tier,ORI=tier`: which agencies are not on the default tier. */
const tierAssignments = list.pipe(
  z.array(
    z
      .string()
      .regex(
        new RegExp(`^${AGENCY_CODE.source.slice(1, -1)}=(${TIERS.join('|')})$`),
        `must be AGENCY=TIER pairs, TIER one of ${TIERS.join(', ')}, e.g. FRPN00001=premium`,
      )
      .transform((pair) => pair.split('=') as [string, Tier]),
  ),
);

/** `tier:cost,...`: overrides of the default cost budgets. */
const costLimits = list.pipe(
  z.array(
    z
      .string()
      .regex(new RegExp(`^(${TIERS.join('|')}):\\d{1,9}$`), `must be TIER:COST pairs, TIER one of ${TIERS.join(', ')}, e.g. premium:50000`)
      .transform((pair) => pair.split(':') as [Tier, string]),
  ),
);

/** Environment variables of the gateway's protections, merged into the gateway's schema. */
export const hardeningEnv = {
  /** Deepest selection nesting accepted (introspection excluded). */
  QUERY_MAX_DEPTH: positiveInt(100).default(12),
  /** Most aliases in one operation: partners batch lookups with aliases, so this is their batch size. */
  QUERY_MAX_ALIASES: positiveInt(1000).default(100),
  /** Most lexical tokens in one document; parsing stops past it. */
  QUERY_MAX_TOKENS: positiveInt(1_000_000).default(2000),
  /** Most directives in one operation. */
  QUERY_MAX_DIRECTIVES: positiveInt(1000).default(50),
  /** Estimated-cost budgets per tier that differ from the defaults, e.g. `premium:50000`. */
  COST_LIMITS: costLimits,
  /** Tier of agencies not listed in PARTNER_TIERS. */
  DEFAULT_PARTNER_TIER: z.enum(TIERS).default('standard'),
  /** Agencies on a tier other than the default: `ORI=tier,...`. */
  PARTNER_TIERS: tierAssignments,
  /** Keep "Did you mean …?" in error messages; defaults to on outside production, off in production. */
  FIELD_SUGGESTIONS_ENABLED: z.enum(['true', 'false']).optional(),
  /** Requests a partner subject may make per second, sustained. */
  RATE_LIMIT_SUBJECT_PER_SECOND: rate.default(50),
  /** Requests a partner subject may make at once after being idle. */
  RATE_LIMIT_SUBJECT_BURST: positiveInt(1_000_000).default(100),
  /** Requests all subjects of one agency may make per second together. */
  RATE_LIMIT_AGENCY_PER_SECOND: rate.default(200),
  RATE_LIMIT_AGENCY_BURST: positiveInt(1_000_000).default(400),
  /** Requests per second from one address without a token. */
  RATE_LIMIT_ANONYMOUS_PER_SECOND: rate.default(20),
  RATE_LIMIT_ANONYMOUS_BURST: positiveInt(1_000_000).default(40),
  /** How long a request waits for Redis's rate-limit answer before it is let through. */
  RATE_LIMIT_REDIS_TIMEOUT_MS: positiveInt(10_000).default(200),
  /** Rate limiting on or off; defaults to on in production, off elsewhere (tests, benchmarks, local runs). */
  RATE_LIMIT_ENABLED: z.enum(['true', 'false']).optional(),
  /** Agencies (9-character codes, or `*` for every caller) that may run registered operations only. */
  SAFELIST_AGENCIES: list.pipe(
    z.array(z.string().refine((code) => code === '*' || AGENCY_CODE.test(code), 'must list 9-character agency codes or *')),
  ),
  /** Token subjects that may run registered operations only. */
  SAFELIST_SUBJECTS: list,
  /** Trusted-document manifest (JSON) loaded at start-up: operations every replica accepts by hash. */
  TRUSTED_DOCUMENTS_FILE: z.string().min(1).optional(),
};

type HardeningEnv = z.output<z.ZodObject<typeof hardeningEnv>>;

/** Default estimated-cost budget per operation, per tier. */
export const DEFAULT_COST_LIMITS: Record<Tier, number> = { basic: 5_000, standard: 50_000, premium: 250_000 };

/** One token bucket: a sustained rate and the burst it refills to. */
export interface BucketRule {
  perSecond: number;
  burst: number;
}

/** The gateway's protections, typed. */
export interface HardeningConfig {
  limits: { maxDepth: number; maxAliases: number; maxTokens: number; maxDirectives: number };
  costLimits: Record<Tier, number>;
  defaultTier: Tier;
  /** Tier per agency code, for agencies not on the default tier. */
  tiers: Record<string, Tier>;
  fieldSuggestions: boolean;
  rateLimit: { subject: BucketRule; agency: BucketRule; anonymous: BucketRule } | undefined;
  /** Command timeout of the protections' Redis connection (RATE_LIMIT_REDIS_TIMEOUT_MS). */
  redisTimeoutMs: number;
  safelist: { agencies: string[]; subjects: string[] };
  trustedDocumentsFile: string | undefined;
}

/** The typed protections from the parsed environment. */
export function hardeningConfig(env: HardeningEnv, production: boolean): HardeningConfig {
  return {
    limits: {
      maxDepth: env.QUERY_MAX_DEPTH,
      maxAliases: env.QUERY_MAX_ALIASES,
      maxTokens: env.QUERY_MAX_TOKENS,
      maxDirectives: env.QUERY_MAX_DIRECTIVES,
    },
    costLimits: { ...DEFAULT_COST_LIMITS, ...Object.fromEntries(env.COST_LIMITS.map(([tier, cost]) => [tier, Number(cost)])) },
    defaultTier: env.DEFAULT_PARTNER_TIER,
    tiers: Object.fromEntries(env.PARTNER_TIERS),
    fieldSuggestions: env.FIELD_SUGGESTIONS_ENABLED === undefined ? !production : env.FIELD_SUGGESTIONS_ENABLED === 'true',
    rateLimit:
      (env.RATE_LIMIT_ENABLED ?? (production ? 'true' : 'false')) === 'false'
        ? undefined
        : {
            subject: { perSecond: env.RATE_LIMIT_SUBJECT_PER_SECOND, burst: env.RATE_LIMIT_SUBJECT_BURST },
            agency: { perSecond: env.RATE_LIMIT_AGENCY_PER_SECOND, burst: env.RATE_LIMIT_AGENCY_BURST },
            anonymous: { perSecond: env.RATE_LIMIT_ANONYMOUS_PER_SECOND, burst: env.RATE_LIMIT_ANONYMOUS_BURST },
          },
    redisTimeoutMs: env.RATE_LIMIT_REDIS_TIMEOUT_MS,
    safelist: { agencies: env.SAFELIST_AGENCIES, subjects: env.SAFELIST_SUBJECTS },
    trustedDocumentsFile: env.TRUSTED_DOCUMENTS_FILE,
  };
}
