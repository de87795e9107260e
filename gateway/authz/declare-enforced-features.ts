import { DEFAULT_SUPPORTED_SUPERGRAPH_FEATURES } from '@apollo/federation-internals';

/** The `for: SECURITY` specs whose directives {@link AuthorizingGateway} enforces. */
const ENFORCED_SECURITY_FEATURES = [
  'https://specs.apollo.dev/authenticated/v0.1',
  'https://specs.apollo.dev/requiresScopes/v0.1',
  'https://specs.apollo.dev/policy/v0.1',
];

/**
 * @apollo/gateway refuses a supergraph that links security features it does not itself enforce, so a
 * plain gateway never serves data its rules were meant to hide. Liaison enforces them before planning,
 * and says so here, once, before any supergraph is loaded.
 */
export function declareEnforcedSecurityFeatures(): void {
  for (const feature of ENFORCED_SECURITY_FEATURES) DEFAULT_SUPPORTED_SUPERGRAPH_FEATURES.add(feature);
}
