import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Document, isMap, isScalar, parseAllDocuments, parseDocument, visit, type YAMLMap, type YAMLSeq } from 'yaml';
import { ROOT, type SubgraphEntry } from '../../lib/config/supergraph-config.ts';

const BASE = resolve(ROOT, 'deploy/kubernetes/base');
const PRODUCTION = resolve(ROOT, 'deploy/kubernetes/overlays/production');
/** The base's copy of schema/supergraph.graphql, which its ConfigMap generator reads (kustomize reads nothing above it). */

/** A new subgraph as the manifests need it: its name, its port, and who asks it about records. */
export interface KubernetesRegistration {
  name: string;
  port: number;
  /** Subgraphs that `asks` it (hit-confirmations, for an owner of records hits can be on). */
  askedBy?: readonly string[];
}

type Rename = (node: Parameters<typeof visit>[0]) => void;

/**
 * Renames a YAML node in place, comments included: every spelling of `from`'s name (folder, variable
 * prefix, database) and its port (a number, a whole string, or inside a URL) becomes `to`'s.
 */
function renamer(from: SubgraphEntry, to: KubernetesRegistration): Rename {
  const pairs: [string, string][] = [
    [from.name, to.name],
    [from.envPrefix, to.name.toUpperCase().replaceAll('-', '_')],
    [from.name.replaceAll('-', '_'), to.name.replaceAll('-', '_')],
    [`:${from.port}/`, `:${to.port}/`],
  ];
  const rename = (text: string) => pairs.reduce((result, [old, next]) => result.replaceAll(old, next), text);
  return (node) =>
    visit(node, (_key, child) => {
      if (typeof child !== 'object' || child === null) return;
      const withComments = child as { comment?: string | null; commentBefore?: string | null };
      if (withComments.comment) withComments.comment = rename(withComments.comment);
      if (withComments.commentBefore) withComments.commentBefore = rename(withComments.commentBefore);
      if (!isScalar(child)) return;
      if (child.value === from.port) child.value = to.port;
      else if (child.value === String(from.port)) child.value = String(to.port);
      else if (typeof child.value === 'string') child.value = rename(child.value);
    });
}

/**
 * What only an owner whose records another subgraph snapshots needs (its notification relay's key): the
 * copy is of such an owner, the new subgraph is none until schema/supergraph.yaml says so.
 */
const OWNER_KEY_VARIABLE = 'NOTIFICATION_IDENTITY_KEY_FILE';
const OWNER_KEY = 'notification-key.json';

const kindAndName = (doc: Document) => `${doc.get('kind')}/${doc.getIn(['metadata', 'name'])}`;
/** Documents as Prettier writes them (`['a', 'b']`); each one after the first keeps its own `---`. */
const serialize = (docs: Document[]) => docs.map((doc) => doc.toString({ flowCollectionPadding: false })).join('');
const readDocuments = (path: string) => parseAllDocuments(readFileSync(path, 'utf8')) as Document[];

/**
 * The new subgraph's file, copied from `from`'s (a shipped subgraph's, so it never drifts from them):
 * renamed, without `from`'s snapshot links (its link policy and its peers' URLs), since a new subgraph
 * has none until schema/supergraph.yaml gives it some.
 */
function subgraphManifests(from: SubgraphEntry, rename: Rename, peers: readonly SubgraphEntry[]): string {
  const docs = readDocuments(resolve(BASE, 'subgraphs', `${from.name}.yaml`));
  const kept = docs.filter((doc) => kindAndName(doc) !== `NetworkPolicy/${from.name}-snapshot-links`);
  const deployment = kept.find((doc) => doc.get('kind') === 'Deployment')!;
  const env = deployment.getIn(['spec', 'template', 'spec', 'containers', 0, 'env']) as YAMLSeq<YAMLMap>;
  const linkUrls = new Set(peers.map((peer) => `${peer.envPrefix}_URL`));
  env.items = env.items.filter((item) => !linkUrls.has(String(item.get('name'))) && item.get('name') !== OWNER_KEY_VARIABLE);
  const sources = deployment.getIn(['spec', 'template', 'spec', 'volumes', 0, 'projected', 'sources']) as YAMLSeq<YAMLMap>;
  for (const source of sources.items) {
    const items = source.getIn(['secret', 'items']) as YAMLSeq<YAMLMap> | undefined;
    if (items) items.items = items.items.filter((item) => item.get('key') !== OWNER_KEY);
  }
  kept.forEach(rename);
  return serialize(kept);
}

/** Inserts renamed copies of the items of `seq` named `copied`, after the last item named in `after`. */
function insertRenamed(seq: YAMLSeq, copied: string[], after: string[], rename: Rename): void {
  const nameOf = (item: unknown) => (isMap(item) ? String(item.get('name')) : '');
  const copies = seq.items.filter((item) => copied.includes(nameOf(item))).map((item) => (item as YAMLMap).clone() as YAMLMap);
  copies.forEach(rename);
  seq.items.splice(seq.items.findLastIndex((item) => after.includes(nameOf(item))) + 1, 0, ...copies);
}

function edit(path: string, change: (doc: Document) => void): void {
  const doc = parseDocument(readFileSync(path, 'utf8'));
  change(doc);
  writeFileSync(path, doc.toString({ flowCollectionPadding: false }));
}

/**
 * Adds a subgraph to deploy/kubernetes: its Deployment, Service and PodDisruptionBudget (copied from
 * the first subgraph of `existing`), its file in the base, the gateway's route to it, its Secrets in
 * the template and in the production overlay's generator. The NetworkPolicies already let the gateway,
 * and only it, reach every pod labelled a subgraph; the production patches target them by that label.
 */
export function registerKubernetes(registration: KubernetesRegistration, existing: readonly SubgraphEntry[]): void {
  const from = existing[0]!;
  const rename = renamer(from, registration);
  writeFileSync(resolve(BASE, 'subgraphs', `${registration.name}.yaml`), subgraphManifests(from, rename, existing));
  edit(resolve(BASE, 'kustomization.yaml'), (doc) => (doc.get('resources') as YAMLSeq).add(`subgraphs/${registration.name}.yaml`));

  const gatewayPath = resolve(BASE, 'gateway.yaml');
  const gateway = readDocuments(gatewayPath);
  const env = gateway.find((doc) => doc.get('kind') === 'Deployment')!.getIn(['spec', 'template', 'spec', 'containers', 0, 'env']);
  const routes = existing.map((subgraph) => `${subgraph.envPrefix}_URL`);
  insertRenamed(env as YAMLSeq, [`${from.envPrefix}_URL`], routes, rename);
  writeFileSync(gatewayPath, serialize(gateway));

  const secretNames = [`${from.name}-secrets`, `${from.name}-tls`];
  const templatePath = resolve(BASE, 'secrets.example.yaml');
  const template = readDocuments(templatePath);
  const copies = template.filter((doc) => secretNames.some((name) => kindAndName(doc) === `Secret/${name}`)).map((doc) => doc.clone());
  for (const copy of copies) copy.deleteIn(['stringData', OWNER_KEY]);
  copies.forEach(rename);
  writeFileSync(templatePath, serialize([...template, ...copies]));

  for (const asker of registration.askedBy ?? []) askedBy(asker, registration, from, rename);

  const generators = existing.flatMap((subgraph) => [`${subgraph.name}-secrets`, `${subgraph.name}-tls`]);
  edit(resolve(PRODUCTION, 'kustomization.yaml'), (doc) => {
    const generator = doc.get('secretGenerator') as YAMLSeq<YAMLMap>;
    insertRenamed(generator, secretNames, generators, rename);
    const files = generator.items.find((item) => item.get('name') === `${registration.name}-secrets`)?.get('files') as YAMLSeq | undefined;
    if (files) files.items = files.items.filter((file) => !String(isScalar(file) ? file.value : file).startsWith(`${OWNER_KEY}=`));
  });
}

const podSelector = (name: string) => ({
  podSelector: { matchLabels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'liaison' } },
});

/**
 * The one-way link of an `asks:` entry: the asker gets the new subgraph's URL and may open connections
 * to it (its egress policy's list of owners, copied from `from`'s entry), and the new subgraph lets the
 * asker in (a policy of its own; the copied file has none, since its owner's link policy was dropped).
 */
function askedBy(asker: string, registration: KubernetesRegistration, from: SubgraphEntry, rename: Rename): void {
  const path = resolve(BASE, 'subgraphs', `${asker}.yaml`);
  const docs = readDocuments(path);
  const env = docs.find((doc) => doc.get('kind') === 'Deployment')!.getIn(['spec', 'template', 'spec', 'containers', 0, 'env']);
  insertRenamed(env as YAMLSeq, [`${from.envPrefix}_URL`], [`${from.envPrefix}_URL`], rename);
  const variable = `${registration.name.toUpperCase().replaceAll('-', '_')}_URL`;
  // The copy's comment introduces the list it is now part of.
  for (const item of (env as YAMLSeq<YAMLMap>).items) if (item.get('name') === variable) item.commentBefore = null;
  for (const policy of docs.filter((doc) => doc.get('kind') === 'NetworkPolicy')) {
    const to = policy.getIn(['spec', 'egress', 0, 'to']) as YAMLSeq | undefined;
    if (to?.items.some((peer) => (peer as YAMLMap).getIn(['podSelector', 'matchLabels', 'app.kubernetes.io/name']) === from.name))
      to.add(policy.createNode(podSelector(registration.name)));
  }
  writeFileSync(path, serialize(docs));
  const own = resolve(BASE, 'subgraphs', `${registration.name}.yaml`);
  const labels = (name: string, indent: string) =>
    `${indent}app.kubernetes.io/name: ${name}\n${indent}app.kubernetes.io/part-of: liaison\n`;
  const policy = parseDocument(
    `---\n# ${asker} asks this subgraph whether a caller sees a record (asks: in schema/supergraph.yaml), one way.\n` +
      `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: ${registration.name}-asked-by-${asker}\n` +
      `  labels:\n${labels(registration.name, '    ')}spec:\n  podSelector:\n    matchLabels:\n${labels(registration.name, '      ')}` +
      `  policyTypes: ['Ingress']\n  ingress:\n    - from:\n        - podSelector:\n            matchLabels:\n` +
      `${labels(asker, '              ')}      ports:\n        - port: http\n          protocol: TCP\n`,
  );
  writeFileSync(own, serialize([...readDocuments(own), policy]));
}
