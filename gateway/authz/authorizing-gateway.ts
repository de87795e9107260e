import type { ApolloGateway } from '@apollo/gateway';
import { type GraphQLError, type GraphQLSchema, parse } from 'graphql';
import { FieldRules } from '../../lib/authz/field-rules.ts';
import type { PolicyRegistry } from '../../lib/authz/policies.ts';
import { type Caller, type Purpose, PURPOSES } from '../../lib/authz/principal.ts';
import { PURPOSE_HEADER, PURPOSE_REFERENCE_HEADER } from '../auth/caller-from-request.ts';
import { forbidden, unauthorizedField } from '../../lib/errors/index.ts';
import { applyDenials } from './apply-denials.ts';
import { AuthorizationCache } from './authorization-cache.ts';
import { type AuthorizedOperation, authorizeOperation } from './authorize-operation.ts';
import { coerceVariables } from './coerce-variables.ts';

type LoadResult = Awaited<ReturnType<ApolloGateway['load']>>;
type Executor = LoadResult['executor'];
type RequestContext = Parameters<Executor>[0];
type ExecutionResult = Awaited<ReturnType<Executor>>;

/** Options for {@link AuthorizingGateway}. */
export interface AuthorizingGatewayOptions {
  policies: PolicyRegistry;
  /** Refuse the whole operation when any field is unauthorized, instead of nulling those fields. */
  rejectUnauthorized: boolean;
  /** Reads the caller from the per-request context. */
  callerOf: (context: Record<string, unknown>) => Caller;
}

/**
 * Wraps @apollo/gateway so field rules are enforced before query planning: the operation handed to the
 * planner no longer has the fields the caller may not read, so no subgraph is asked for them. The
 * schema and rules follow every supergraph (re)load.
 */
export class AuthorizingGateway {
  private schema: GraphQLSchema | undefined;
  private rules: FieldRules | undefined;
  private readonly cache: AuthorizationCache;

  constructor(
    private readonly inner: ApolloGateway,
    private readonly options: AuthorizingGatewayOptions,
  ) {
    this.cache = new AuthorizationCache(options.policies);
    inner.onSchemaLoadOrUpdate(({ apiSchema, coreSupergraphSdl }) => {
      this.schema = apiSchema;
      this.rules = new FieldRules(parse(coreSupergraphSdl));
      this.cache.clear();
    });
  }

  onSchemaLoadOrUpdate(...args: Parameters<ApolloGateway['onSchemaLoadOrUpdate']>) {
    return this.inner.onSchemaLoadOrUpdate(...args);
  }

  stop() {
    return this.inner.stop();
  }

  async load(...args: Parameters<ApolloGateway['load']>): Promise<LoadResult> {
    const loaded = await this.inner.load(...args);
    return { ...loaded, executor: (request) => this.execute(loaded.executor, request) };
  }

  private async execute(executor: Executor, request: RequestContext): Promise<ExecutionResult> {
    if (!request.operation) return executor(request);
    const variables = coerceVariables(request.context, request.schema, request.operation, request.request.variables);
    // The same errors @apollo/gateway gives for them, before anything reads the variables.
    if (variables.errors) return { errors: variables.errors } as ExecutionResult;
    const schema = this.schema!;
    const caller = this.options.callerOf(request.context as Record<string, unknown>);
    const cached = this.authorize(request, caller, variables.coerced);
    const { authorized } = cached;
    if (authorized.denials.length === 0 && !authorized.nullData) return executor(request);
    const needPurpose = caller.purpose === null ? this.purposeBound(request, caller, variables.coerced, authorized) : [];
    if (needPurpose.length > 0) return { errors: [purposeRequired(needPurpose)] } as unknown as ExecutionResult;
    if (this.options.rejectUnauthorized) {
      const coordinates = [...new Set([authorized.nullData, ...authorized.denials.map((d) => d.coordinate)].filter(Boolean))];
      return { errors: [unauthorizedField(`Operation refused: unauthorized ${coordinates.join(', ')}`)] } as unknown as ExecutionResult;
    }
    if (authorized.nullData)
      return {
        data: null,
        errors: [unauthorizedField(`Unauthorized field or type: ${authorized.nullData}`)],
      } as unknown as ExecutionResult;

    const result: ExecutionResult = authorized.empty
      ? { data: {} }
      : await executor({
          ...request,
          document: authorized.document,
          operation: authorized.operation,
          source: cached.source,
          queryHash: cached.queryHash,
        });
    const data = (result.data ?? null) as Parameters<typeof applyDenials>[0];
    const denied = applyDenials(data, authorized, schema);
    const { errors: upstream = [], ...rest } = result;
    const errors = [...upstream, ...denied];
    // A response without errors has no `errors` key, never an empty list (GraphQL spec, "Response Format").
    return (errors.length > 0 ? { ...rest, errors } : rest) as ExecutionResult;
  }

  private authorize(request: RequestContext, caller: Caller, variables: Record<string, unknown>) {
    const key = this.cache.key(request, caller, variables);
    return (
      this.cache.get(key) ??
      this.cache.remember(
        key,
        authorizeOperation(request.document, request.operationName, {
          schema: this.schema!,
          rules: this.rules!,
          policies: this.options.policies,
          caller,
          variables,
        }),
      )
    );
  }

  /** The refused coordinates that a declared purpose would have allowed: the personal fields asked for. */
  private purposeBound(
    request: RequestContext,
    caller: Caller,
    variables: Record<string, unknown>,
    authorized: AuthorizedOperation,
  ): string[] {
    const withPurpose = this.authorize(request, { ...caller, purpose: PROBE_PURPOSE }, variables).authorized;
    const stillRefused = new Set([withPurpose.nullData, ...withPurpose.denials.map((denial) => denial.coordinate)]);
    return [...new Set([authorized.nullData, ...authorized.denials.map((denial) => denial.coordinate)])].filter(
      (coordinate): coordinate is string => coordinate !== null && !stillRefused.has(coordinate),
    );
  }
}

/** Any declared purpose: personal fields need one, whichever it is. */
const PROBE_PURPOSE: Purpose = { code: 'OPERATIONS', reference: null };

/** The refusal of an operation asking for personal fields without a declared purpose. */
export function purposeRequired(coordinates: string[]): GraphQLError {
  return forbidden(
    `Operation refused: personal data needs a declared purpose. Send the ${PURPOSE_HEADER} header (one of ${PURPOSES.join(', ')}) ` +
      `and a ${PURPOSE_REFERENCE_HEADER} such as a case number. Fields that need it: ${coordinates.join(', ')}`,
    { reason: 'PURPOSE_REQUIRED', fields: coordinates },
  );
}
