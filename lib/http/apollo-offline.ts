import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import {
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';

/**
 * Apollo Server plugins that keep a server from reaching Apollo's services. Without them Apollo
 * Server installs its own: a landing page for `GET` with `Accept: text/html` that loads scripts
 * from Apollo's CDN and fonts from Google, and, as soon as APOLLO_KEY and APOLLO_GRAPH_REF (or
 * APOLLO_SCHEMA_REPORTING) are in the environment, usage and schema reports to Apollo Studio.
 * Installing the disabled ones is the only switch no environment variable turns back on. The explorer
 * at `/` is the gateway's own page.
 */
export function apolloOffline(): ApolloServerPlugin<BaseContext>[] {
  return [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginUsageReportingDisabled(), ApolloServerPluginSchemaReportingDisabled()];
}
