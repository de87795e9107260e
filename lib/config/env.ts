import { z } from 'zod';

/** Raised when the environment does not satisfy a service's configuration schema. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Parses environment variables once, at start-up, into typed configuration.
 * This is the only place in the code base that reads `process.env`.
 * Every offending variable is named in the error, so a bad deployment says exactly what to fix.
 */
export function parseEnv<S extends z.ZodType>(schema: S, source: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const variable = issue.path.join('.') || '(environment)';
    const value = typeof issue.path[0] === 'string' ? source[issue.path[0]] : undefined;
    const shown = value === undefined ? '' : ` (got ${JSON.stringify(redact(String(issue.path[0]), value))})`;
    return `  ${variable}: ${issue.message}${shown}`;
  });
  throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
}

/** Keeps credentials out of start-up errors: URLs lose their password, secrets are hidden. */
function redact(variable: string, value: string): string {
  if (/SECRET|PASSWORD|TOKEN|KEY/i.test(variable)) return '***';
  try {
    const url = new URL(value);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return value;
  }
}

/**
 * Turns off the anonymous usage metrics @apollo/gateway otherwise sends to Apollo, with cloud-metadata
 * probes (AWS, GCP, Azure, Alibaba) to describe the host: a gateway between police agencies talks to
 * its subgraphs and nothing else. It reads the variable when constructed, so call this before.
 */
export function disableApolloTelemetry(): void {
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
}

/** A TCP port; 0 asks the OS for a free one. */
export const portSchema = z.coerce.number().int().min(0).max(65535);

/** A PostgreSQL connection URL. */
export const postgresUrlSchema = z
  .string()
  .refine((value) => /^postgres(ql)?:\/\//.test(value), 'must be a postgres:// or postgresql:// URL');

/** Runs a service's start-up, turning a configuration error into a one-line-per-variable message and exit code 1. */
export async function startOrExit(start: () => Promise<unknown>): Promise<void> {
  try {
    await start();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
    } else {
      process.stderr.write(`Start-up failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    }
    process.exit(1);
  }
}

/**
 * The environment a supervised child process starts with: this process's environment, minus the
 * variables the supervisor assigns per child, plus those assignments.
 */
export function childEnvironment(assigned: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [name, value] of Object.entries(assigned)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}
