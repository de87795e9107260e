import type { IncomingMessage } from 'node:http';
import type { ApolloGateway } from '@apollo/gateway';
import type { ApolloServerOptions, ApolloServerPlugin, HTTPGraphQLRequest } from '@apollo/server';
import type { DocumentNode, GraphQLError, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import type { Caller } from '../lib/authz/principal.ts';
import type { Route } from '../lib/http/http-shell.ts';
import type { Logger } from '../lib/observability/logger.ts';
import type { GatewayConfig } from './config.ts';
import type { GatewayContext } from './context.ts';

type ApolloOptions = ApolloServerOptions<GatewayContext>;
/** Apollo Server's `formatError`. */
export type FormatError = NonNullable<ApolloOptions['formatError']>;
/** What Apollo Server runs operations through: @apollo/gateway, or a decorator of it. */
export type GatewayInterface = Pick<ApolloGateway, 'load' | 'stop' | 'onSchemaLoadOrUpdate'>;

/** An operation as a check sees it: resolved against the served API schema, variables coerced. */
export interface ResolvedOperation {
  caller: Caller;
  schema: GraphQLSchema;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  variables: Readonly<Record<string, unknown>>;
}

/** Refuses a resolved operation with a coded error, or passes it (undefined). */
export type OperationCheck = (resolved: ResolvedOperation) => GraphQLError | undefined;

/** What a feature is built from. */
export interface FeatureHost {
  config: GatewayConfig;
  log: Logger;
  /** The undecorated gateway: its schema (re)loads. */
  gateway: ApolloGateway;
  /** The caller of a request, authenticated (for endpoints outside `/graphql`). */
  callerOf: (req: IncomingMessage) => Promise<Caller>;
}

/**
 * What one concern contributes to the gateway; every part is optional. The builder folds the list in
 * order: gateways wrapped, error formatters wrapped around the masking one, options merged, plugins
 * and admission checks run, routes served, and everything closed after Apollo stops.
 */
export interface GatewayFeature {
  /** Apollo Server plugins. */
  plugins?: ApolloServerPlugin<GatewayContext>[];
  /** Apollo Server options the feature owns. */
  apolloOptions?: Pick<ApolloOptions, 'validationRules' | 'parseOptions' | 'persistedQueries'>;
  /**
   * Checks an operation once resolved, before it runs. Subscriptions meet these when opened (the
   * feature's plugins see queries and mutations only).
   */
  checks?: OperationCheck[];
  /** Admits an authenticated request before Apollo reads it, or throws the coded error that refuses it. */
  admit?(caller: Caller, req: IncomingMessage, request: HTTPGraphQLRequest): Promise<void>;
  /** Wraps the error formatter. */
  formatError?(next: FormatError): FormatError;
  /** Wraps the gateway operations run through. */
  wrapGateway?(gateway: GatewayInterface): GatewayInterface;
  /** Endpoints by exact path. */
  routes?: Record<string, Route>;
  close?(): Promise<void>;
}

/** A concern the gateway can be built with or without: benchmarks price one by leaving it out. */
export interface FeatureFactory {
  readonly name: string;
  build(host: FeatureHost): Promise<GatewayFeature> | GatewayFeature;
}
