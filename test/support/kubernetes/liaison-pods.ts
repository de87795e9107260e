import { loadGatewayConfig } from '../../../gateway/config.ts';
import { parseEnv } from '../../../lib/config/env.ts';
import { readSupergraphConfig } from '../../../lib/config/supergraph-config.ts';
import { loadSubgraphUrls, subgraphConfigSchema } from '../../../subgraphs/kit/server/subgraph-config.ts';
import { allowsFlow, type PodView } from './network-flows.ts';
import { environmentOf, podLabelsOf, podSpecOf } from './pod-spec.ts';
import type { Manifest, Rendered } from './render-kustomization.ts';

/** A Deployment's pods as NetworkPolicies see them, in the namespace the manifests put them in. */
export function podView(deployment: Manifest): PodView {
  const namespace = deployment.metadata.namespace ?? 'default';
  return {
    labels: podLabelsOf(deployment),
    namespaceLabels: { 'kubernetes.io/metadata.name': namespace },
    ports: podSpecOf(deployment).containers[0]!.ports,
  };
}

/** Every connection between Liaison's own pods that the NetworkPolicies allow, as `from → to:port-name`. */
export function allowedFlows(rendered: Rendered): string[] {
  const pods = rendered.objects
    .filter((object) => object.kind === 'Deployment')
    .map((deployment) => ({ name: deployment.metadata.name, view: podView(deployment) }));
  return pods
    .flatMap((from) => pods.flatMap((to) => to.view.ports.map((port) => ({ from, to, port }))))
    .filter(({ from, to, port }) => allowsFlow(rendered.objects, from.view, to.view, port.containerPort))
    .map(({ from, to, port }) => `${from.name} → ${to.name}:${port.name}`)
    .sort();
}

/** What a service's own configuration parser makes of its container's environment at start-up. */
export interface StartUpConfig {
  env: Record<string, string>;
  production: boolean;
  /** The port that serves /health and /ready: the gateway's operational port, a subgraph's only one. */
  probePort: number;
  /** SHUTDOWN_TIMEOUT_MS as parsed. */
  drainMs: number;
}

/** Parses the container's environment as the service would, so a value it refuses fails here, naming the variable. */
export function startUpConfig(rendered: Rendered, deployment: Manifest, secrets: Manifest[]): StartUpConfig {
  const env = environmentOf(podSpecOf(deployment).containers[0]!, rendered.objects, secrets);
  if (deployment.metadata.name === 'gateway') {
    const config = loadGatewayConfig(env);
    return { env, production: config.production, probePort: config.operations.port, drainMs: config.shutdownTimeoutMs };
  }
  const subgraphs = readSupergraphConfig();
  const entry = subgraphs.find((subgraph) => subgraph.name === deployment.metadata.name);
  if (!entry) throw new Error(`${deployment.metadata.name} is not in schema/supergraph.yaml`);
  const config = parseEnv(subgraphConfigSchema(entry.port), env);
  loadSubgraphUrls(subgraphs, env);
  return { env, production: config.NODE_ENV === 'production', probePort: config.PORT, drainMs: config.SHUTDOWN_TIMEOUT_MS };
}
