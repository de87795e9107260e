import type { Manifest } from './render-kustomization.ts';

/** A pod as NetworkPolicies see it: its labels, its namespace's labels and the ports it serves. */
export interface PodView {
  labels: Record<string, string>;
  namespaceLabels: Record<string, string>;
  ports: { name?: string; containerPort: number; protocol?: string }[];
}

interface Selector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }[];
}
interface Peer {
  podSelector?: Selector;
  namespaceSelector?: Selector;
  ipBlock?: { cidr: string };
}
interface PolicyPort {
  port?: number | string;
  endPort?: number;
  protocol?: string;
}
interface Rule {
  from?: Peer[];
  to?: Peer[];
  ports?: PolicyPort[];
}
interface PolicySpec {
  podSelector: Selector;
  policyTypes?: ('Ingress' | 'Egress')[];
  ingress?: Rule[];
  egress?: Rule[];
}

function selects(selector: Selector, labels: Record<string, string>): boolean {
  const expressions = selector.matchExpressions ?? [];
  return (
    Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value) &&
    expressions.every(({ key, operator, values = [] }) => {
      if (operator === 'Exists') return key in labels;
      if (operator === 'DoesNotExist') return !(key in labels);
      return values.includes(labels[key]!) === (operator === 'In');
    })
  );
}

/**
 * Whether `peer` names `pod`. An ipBlock is taken to cover pods as well as outside addresses (some
 * network plugins apply it to pod IPs), so it can only ever widen what this evaluation allows.
 */
function peerMatches(peer: Peer, pod: PodView, ownNamespace: Record<string, string>): boolean {
  if (peer.ipBlock) return true;
  const namespace = peer.namespaceSelector
    ? selects(peer.namespaceSelector, pod.namespaceLabels)
    : selects({ matchLabels: ownNamespace }, pod.namespaceLabels);
  return namespace && (!peer.podSelector || selects(peer.podSelector, pod.labels));
}

/** Whether `ports` admit `port`/`protocol` on `destination`, whose names resolve a named port. */
function portMatches(ports: PolicyPort[] | undefined, destination: PodView | undefined, port: number, protocol: string): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((rule) => {
    if ((rule.protocol ?? 'TCP') !== protocol) return false;
    if (rule.port === undefined) return true;
    if (typeof rule.port === 'number') return port >= rule.port && port <= (rule.endPort ?? rule.port);
    return destination?.ports.some((served) => served.name === rule.port && served.containerPort === port) ?? false;
  });
}

const specs = (policies: Manifest[]) =>
  policies.filter((policy) => policy.kind === 'NetworkPolicy').map((policy) => policy.spec as PolicySpec);
const typesOf = (spec: PolicySpec) => spec.policyTypes ?? (spec.egress ? ['Ingress', 'Egress'] : ['Ingress']);

function direction(policies: Manifest[], pod: PodView, type: 'Ingress' | 'Egress', rulesMatch: (rule: Rule) => boolean): boolean {
  const applying = specs(policies).filter((spec) => selects(spec.podSelector, pod.labels) && typesOf(spec).includes(type));
  // A pod no policy of this direction selects is open in that direction.
  if (applying.length === 0) return true;
  return applying.some((spec) => ((type === 'Ingress' ? spec.ingress : spec.egress) ?? []).some(rulesMatch));
}

/** Whether `from` may open a connection to `to` on `port`: its egress and `to`'s ingress both allow it. */
export function allowsFlow(policies: Manifest[], from: PodView, to: PodView, port: number, protocol = 'TCP'): boolean {
  const egress = direction(policies, from, 'Egress', (rule) => {
    const peers = rule.to ?? [];
    return (
      (peers.length === 0 || peers.some((peer) => peerMatches(peer, to, from.namespaceLabels))) &&
      portMatches(rule.ports, to, port, protocol)
    );
  });
  const ingress = direction(policies, to, 'Ingress', (rule) => {
    const peers = rule.from ?? [];
    return (
      (peers.length === 0 || peers.some((peer) => peerMatches(peer, from, to.namespaceLabels))) &&
      portMatches(rule.ports, to, port, protocol)
    );
  });
  return egress && ingress;
}

/** Whether `from` may connect to an address outside the cluster on `port` (a database, Redis). */
export function allowsEgressOutside(policies: Manifest[], from: PodView, port: number): boolean {
  return direction(policies, from, 'Egress', (rule) => {
    const peers = rule.to ?? [];
    return (peers.length === 0 || peers.some((peer) => peer.ipBlock !== undefined)) && portMatches(rule.ports, undefined, port, 'TCP');
  });
}
