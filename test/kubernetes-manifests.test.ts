import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { SUBGRAPH_NODE_OPTIONS } from '../lib/config/node-options.ts';
import { ROOT, readSupergraphConfig, SUPERGRAPH_GRAPHQL, type SubgraphEntry } from '../lib/config/supergraph-config.ts';
import { allowedFlows, podView, startUpConfig } from './support/kubernetes/liaison-pods.ts';
import { allowsEgressOutside, allowsFlow, type PodView } from './support/kubernetes/network-flows.ts';
import { fileSourceOf, mountedSecrets, podLabelsOf, podSpecOf, referencedSecrets, servedPort } from './support/kubernetes/pod-spec.ts';
import { type Manifest, type Rendered, renderKustomization } from './support/kubernetes/render-kustomization.ts';
import { schemaProblems } from './support/kubernetes/validate-model.ts';

const DEPLOY = resolve(ROOT, 'deploy/kubernetes');
const SECRETS_TEMPLATE = join(DEPLOY, 'base/secrets.example.yaml');
const subgraphs = readSupergraphConfig();
const layouts: [string, Rendered][] = [
  ['base', renderKustomization(join(DEPLOY, 'base'))],
  ['overlays/production', renderKustomization(join(DEPLOY, 'overlays/production'))],
];
const secretsTemplate = parseAllDocuments(readFileSync(SECRETS_TEMPLATE, 'utf8')).map((doc) => doc.toJS() as Manifest);
const byKind = (rendered: Rendered, kind: string) => rendered.objects.filter((object) => object.kind === kind);
const named = (rendered: Rendered, kind: string, name: string) => byKind(rendered, kind).find((object) => object.metadata.name === name);
const yamlFiles = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.yaml'))
    .map((file) => join(dir, file));

/**
 * Which pod may open a connection to which, and on which of its named ports, as schema/supergraph.yaml
 * implies: the gateway to every subgraph, along each snapshot link both ways (the keeper reads the
 * owners' records, each owner tells the keeper of ownership changes), and from a subgraph to the owners it
 * asks about records (`asks`), one way. Nothing else.
 */
function expectedFlows(entries: SubgraphEntry[]): string[] {
  const links = entries.flatMap((keeper) =>
    keeper.snapshots.flatMap((owner) => [`${keeper.name} → ${owner}:http`, `${owner} → ${keeper.name}:http`]),
  );
  const asks = entries.flatMap((asker) => asker.asks.map((owner) => `${asker.name} → ${owner}:http`));
  return [...new Set([...entries.map((entry) => `gateway → ${entry.name}:http`), ...links, ...asks])].sort();
}

const startUp = (rendered: Rendered, deployment: Manifest) => startUpConfig(rendered, deployment, secretsTemplate);

describe('deploy/kubernetes', () => {
  it('has no manifest that no kustomization reads, but the Secrets template', () => {
    const read = new Set(layouts.flatMap(([, rendered]) => [...rendered.files]));
    expect(
      yamlFiles(DEPLOY)
        .filter((file) => !read.has(file) && file !== SECRETS_TEMPLATE)
        .map((file) => relative(ROOT, file)),
    ).toEqual([]);
  });

  it('ships a Secrets template of placeholders for every Secret key a Deployment mounts', () => {
    for (const secret of secretsTemplate) {
      expect(schemaProblems(secret)).toEqual([]);
      for (const value of Object.values(secret.stringData as Record<string, string>)) expect(value).toContain('REPLACE-WITH-');
    }
    // Keys read as variables are checked where the environment is resolved (startUpConfig).
    for (const secret of byKind(layouts[0]![1], 'Deployment').flatMap(mountedSecrets)) {
      const template = secretsTemplate.find((candidate) => candidate.metadata.name === secret.name) as { stringData?: object } | undefined;
      expect(Object.keys(template?.stringData ?? {}), secret.name).toEqual(expect.arrayContaining(secret.items.map((item) => item.key)));
    }
  });
});

describe.each(layouts)('deploy/kubernetes/%s', (_layout, rendered) => {
  const deployments = byKind(rendered, 'Deployment');
  const gateway = named(rendered, 'Deployment', 'gateway')!;

  it('holds objects the Kubernetes API schemas accept, each named once', () => {
    expect(rendered.objects.flatMap(schemaProblems)).toEqual([]);
    const ids = rendered.objects.map((object) => `${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`);
    expect(ids.filter((id, index) => ids.indexOf(id) !== index)).toEqual([]);
  });

  it('runs the gateway and exactly the subgraphs of schema/supergraph.yaml, each behind a Service and a PodDisruptionBudget', () => {
    expect(deployments.map((deployment) => deployment.metadata.name).sort()).toEqual(
      ['gateway', ...subgraphs.map((entry) => entry.name)].sort(),
    );
    for (const deployment of deployments) {
      const labels = podLabelsOf(deployment);
      const selects = (selector: Record<string, string>) => Object.entries(selector).every(([key, value]) => labels[key] === value);
      const service = named(rendered, 'Service', deployment.metadata.name)!.spec as {
        selector: Record<string, string>;
        ports: { port: number; targetPort: string }[];
      };
      const budget = named(rendered, 'PodDisruptionBudget', deployment.metadata.name)!.spec as {
        selector: { matchLabels: Record<string, string> };
      };
      expect(selects(service.selector) && selects(budget.selector.matchLabels), deployment.metadata.name).toBe(true);
      const container = podSpecOf(deployment).containers[0]!;
      for (const port of service.ports)
        expect(servedPort(container, port.targetPort), `${deployment.metadata.name} ${port.port}`).toBe(port.port);
    }
  });

  it('runs one image, each service on the compiled entry point of its TypeScript source', () => {
    const containers = deployments.flatMap((deployment) => podSpecOf(deployment).containers);
    expect(new Set(containers.map((container) => container.image)).size).toBe(1);
    for (const deployment of deployments) {
      const source = deployment.metadata.name === 'gateway' ? 'gateway' : `subgraphs/${deployment.metadata.name}`;
      const container = podSpecOf(deployment).containers[0]!;
      expect(container.command).toEqual(['node', `dist/${source}/index.js`]);
      // Subgraphs run with the kit's V8 option; the gateway with V8's defaults.
      const nodeOptions = container.env?.find((variable) => variable.name === 'NODE_OPTIONS')?.value;
      expect(nodeOptions, deployment.metadata.name).toBe(source === 'gateway' ? undefined : SUBGRAPH_NODE_OPTIONS);
      expect(existsSync(join(ROOT, source, 'index.ts')), `${source}/index.ts`).toBe(true);
    }
  });

  it('starts every service in production with settings its own configuration accepts, and lets it drain before SIGKILL', () => {
    for (const deployment of deployments) {
      const config = startUp(rendered, deployment);
      expect(config.production, deployment.metadata.name).toBe(true);
      const container = podSpecOf(deployment).containers[0]!;
      const preStop = JSON.stringify(container.lifecycle ?? {});
      const preStopSeconds = Number(/setTimeout\([^,]+,\s*(\d+)\)/.exec(preStop)?.[1] ?? 0) / 1000;
      expect(podSpecOf(deployment).terminationGracePeriodSeconds as number, deployment.metadata.name).toBeGreaterThan(
        preStopSeconds + config.drainMs / 1000,
      );
    }
  });

  it('probes liveness at /health and readiness at /ready on the port that serves them: the gateway’s operational port, a subgraph’s own', () => {
    for (const deployment of deployments) {
      const container = podSpecOf(deployment).containers[0]!;
      const { env, probePort } = startUp(rendered, deployment);
      const probes = container as unknown as Record<string, { httpGet: { path: string; port: string; scheme?: string } }>;
      for (const [probe, path] of [
        ['livenessProbe', '/health'],
        ['readinessProbe', '/ready'],
        ['startupProbe', '/health'],
      ] as const) {
        expect(probes[probe]?.httpGet.path, `${deployment.metadata.name} ${probe}`).toBe(path);
        expect(servedPort(container, probes[probe]!.httpGet.port), `${deployment.metadata.name} ${probe}`).toBe(probePort);
        // A subgraph with a certificate serves HTTPS only, its probes included.
        expect(probes[probe]!.httpGet.scheme ?? 'HTTP').toBe(env.TLS_CERT_FILE ? 'HTTPS' : 'HTTP');
      }
    }
  });

  it('runs as a non-root user without privileges on a read-only root, its keys from Secrets and its writes on volumes', () => {
    for (const deployment of deployments) {
      const pod = podSpecOf(deployment);
      const container = pod.containers[0]!;
      expect(pod.securityContext).toMatchObject({
        runAsNonRoot: true,
        runAsUser: expect.any(Number),
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect((pod.securityContext as { runAsUser: number }).runAsUser).toBeGreaterThan(0);
      expect(container.securityContext).toEqual({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
      });
      const { env } = startUp(rendered, deployment);
      const files = Object.entries(env).filter(([name]) => name.endsWith('_FILE') || name === 'SUPERGRAPH_PATH');
      // An owner's relay signs with a key of its own; keepers and owners verify the relays' identities.
      const owner = subgraphs.some((keeper) => keeper.snapshots.includes(deployment.metadata.name));
      const required =
        deployment.metadata.name === 'gateway'
          ? ['AUTH_JWKS_FILE', 'IDENTITY_PRIVATE_KEY_FILE']
          : [
              ...['IDENTITY_JWKS_FILE', 'AUDIT_KEY_FILE', 'CACHE_KEY_FILE', 'TLS_CERT_FILE', 'TLS_KEY_FILE', 'NOTIFICATION_JWKS_FILE'],
              ...(owner ? ['NOTIFICATION_IDENTITY_KEY_FILE'] : []),
            ];
      expect(files.map(([name]) => name)).toEqual(expect.arrayContaining(required));
      for (const [name, path] of files) {
        const source = fileSourceOf(pod, container, path);
        expect(source, `${deployment.metadata.name} ${name} ${path}`).toBeDefined();
        const writes = name === 'AUDIT_CHECKPOINT_FILE';
        expect(Boolean(source!.from), `${deployment.metadata.name} ${name} from a Secret or ConfigMap`).toBe(!writes);
        expect(Boolean(source!.mount.readOnly), `${deployment.metadata.name} ${name} read-only`).toBe(!writes);
      }
    }
  });

  it('requests and limits CPU and memory for every container', () => {
    for (const container of deployments.flatMap((deployment) => podSpecOf(deployment).containers)) {
      expect(container.resources).toMatchObject({
        requests: { cpu: expect.any(String), memory: expect.any(String) },
        limits: { cpu: expect.any(String), memory: expect.any(String) },
      });
    }
  });

  it('lets the gateway reach every subgraph, and subgraphs each other only along the snapshot links of schema/supergraph.yaml', () => {
    expect(allowedFlows(rendered)).toEqual(expectedFlows(subgraphs));
    // The comparison notices a link that schema/supergraph.yaml no longer has.
    const keeper = subgraphs.find((entry) => entry.snapshots.length > 0)!;
    const fewer = subgraphs.map((entry) => (entry === keeper ? { ...entry, snapshots: entry.snapshots.slice(1) } : entry));
    expect(allowedFlows(rendered)).not.toEqual(expectedFlows(fewer));
    for (const deployment of deployments) {
      const { env } = startUp(rendered, deployment);
      const peers = allowedFlows(rendered)
        .filter((flow) => flow.startsWith(`${deployment.metadata.name} →`))
        .map((flow) => flow.split(/ → |:/)[1]!);
      for (const peer of subgraphs.filter((entry) => peers.includes(entry.name))) {
        expect(env[`${peer.envPrefix}_URL`], `${deployment.metadata.name} routes to ${peer.name}`).toBe(
          `https://${peer.name}:${peer.port}/graphql`,
        );
      }
    }
  });

  it('lets every pod resolve names and reach Redis, only subgraphs reach PostgreSQL, and only monitoring reach the operational port', () => {
    const dns: PodView = {
      labels: { 'k8s-app': 'kube-dns' },
      namespaceLabels: { 'kubernetes.io/metadata.name': 'kube-system' },
      ports: [{ containerPort: 53 }],
    };
    const monitoring: PodView = {
      labels: { app: 'prometheus' },
      namespaceLabels: { 'kubernetes.io/metadata.name': 'monitoring' },
      ports: [],
    };
    const stranger: PodView = { labels: { app: 'other' }, namespaceLabels: { 'kubernetes.io/metadata.name': 'elsewhere' }, ports: [] };
    for (const deployment of deployments) {
      const pod = podView(deployment);
      const subgraph = deployment.metadata.name !== 'gateway';
      expect(allowsFlow(rendered.objects, pod, dns, 53, 'UDP')).toBe(true);
      expect([allowsEgressOutside(rendered.objects, pod, 6379), allowsEgressOutside(rendered.objects, pod, 5432)]).toEqual([
        true,
        subgraph,
      ]);
      expect(allowsEgressOutside(rendered.objects, pod, 443), `${deployment.metadata.name} to the Internet`).toBe(false);
      // Where /metrics is: a subgraph's one port, the gateway's operational port.
      const metrics = subgraph ? pod.ports[0]! : pod.ports.find((port) => port.name === 'ops')!;
      expect([
        allowsFlow(rendered.objects, monitoring, pod, metrics.containerPort),
        allowsFlow(rendered.objects, stranger, pod, metrics.containerPort),
      ]).toEqual([true, false]);
    }
    const partners = podView(gateway).ports.find((port) => port.name === 'http')!;
    expect(allowsFlow(rendered.objects, stranger, podView(gateway), partners.containerPort), 'partners to the gateway').toBe(true);
  });

  it('mounts schema/supergraph.graphql from a ConfigMap, as a folder updated in place, where the gateway reads it', () => {
    const { env } = startUp(rendered, gateway);
    const pod = podSpecOf(gateway);
    const source = fileSourceOf(pod, pod.containers[0]!, env.SUPERGRAPH_PATH!)!;
    expect(source.mount.subPath).toBeUndefined();
    const configMap = named(rendered, 'ConfigMap', source.from!.name) as Manifest & { data: Record<string, string> };
    expect(
      configMap.data[source.from!.key] === readFileSync(SUPERGRAPH_GRAPHQL, 'utf8'),
      'the ConfigMap is schema/supergraph.graphql',
    ).toBe(true);
    expect(rendered.generated.get(configMap.metadata.name)?.hashed).toBe(false);
  });
});

describe('deploy/kubernetes/overlays/production', () => {
  const [, rendered] = layouts[1]!;
  const deployments = byKind(rendered, 'Deployment');
  const spec = (object: Manifest) => object.spec as Record<string, any>;

  it('runs two or more replicas of every Deployment, the gateway’s as many as its CPU autoscaler decides', () => {
    const autoscalers = byKind(rendered, 'HorizontalPodAutoscaler');
    expect(autoscalers.map((hpa) => [hpa.apiVersion, spec(hpa).scaleTargetRef])).toEqual([
      ['autoscaling/v2', { apiVersion: 'apps/v1', kind: 'Deployment', name: 'gateway' }],
    ]);
    for (const deployment of deployments) {
      const hpa = autoscalers.find((candidate) => spec(candidate).scaleTargetRef.name === deployment.metadata.name);
      // With an autoscaler, a replicas field would reset its count at every `kubectl apply`.
      expect(spec(deployment).replicas, deployment.metadata.name).toEqual(hpa ? undefined : expect.any(Number));
      expect(hpa ? spec(hpa).minReplicas : spec(deployment).replicas, deployment.metadata.name).toBeGreaterThanOrEqual(2);
    }
  });

  it('reserves all the memory each container may use', () => {
    for (const container of deployments.flatMap((deployment) => podSpecOf(deployment).containers)) {
      const resources = container.resources as { requests: { memory: string }; limits: { memory: string } };
      expect(resources.requests.memory, container.name).toBe(resources.limits.memory);
    }
  });

  it('keeps audit checkpoints on a persistent volume, one file per pod, each subgraph in its own folder', () => {
    for (const deployment of deployments.filter((candidate) => candidate.metadata.name !== 'gateway')) {
      const pod = podSpecOf(deployment);
      const { env } = startUp(rendered, deployment);
      const source = fileSourceOf(pod, pod.containers[0]!, env.AUDIT_CHECKPOINT_FILE!)!;
      const claim = named(rendered, 'PersistentVolumeClaim', source.volume.persistentVolumeClaim?.claimName ?? '');
      expect(spec(claim!).accessModes, deployment.metadata.name).toEqual(['ReadWriteMany']);
      expect(source.volume.emptyDir).toBeUndefined();
      expect(source.mount.subPath).toBe(deployment.metadata.name);
      expect(pod.containers[0]!.env.find((variable) => variable.name === 'AUDIT_CHECKPOINT_FILE')!.value).toContain('$(POD_NAME)');
    }
  });

  it('generates every Secret the pods read from files that git ignores, so no key is ever committed', () => {
    const secretsFolder = join(DEPLOY, 'overlays/production/secrets');
    const ignored = readFileSync(join(secretsFolder, '.gitignore'), 'utf8').split('\n');
    expect(ignored.filter((line) => line && !line.startsWith('#'))).toEqual(['*', '!.gitignore']);
    for (const [name, generated] of rendered.generated) {
      if (generated.kind !== 'Secret') continue;
      for (const source of generated.sources) expect(relative(secretsFolder, source), name).not.toMatch(/^\.\./);
    }
    for (const deployment of deployments) {
      const secrets = [...mountedSecrets(deployment), ...referencedSecrets(deployment)];
      for (const secret of secrets) expect(rendered.generated.get(secret.name)?.kind, secret.name).toBe('Secret');
      for (const secret of mountedSecrets(deployment)) {
        const data = (named(rendered, 'Secret', secret.name) as Manifest & { data: object }).data;
        expect(Object.keys(data), secret.name).toEqual(expect.arrayContaining(secret.items.map((item) => item.key)));
      }
    }
  });

  it('runs in its own namespace, under the restricted Pod Security Standard', () => {
    const [namespace] = byKind(rendered, 'Namespace');
    expect(namespace!.metadata.labels).toMatchObject({ 'pod-security.kubernetes.io/enforce': 'restricted' });
    const namespaced = rendered.objects.filter((object) => object.kind !== 'Namespace');
    expect(new Set(namespaced.map((object) => object.metadata.namespace))).toEqual(new Set([namespace!.metadata.name]));
  });
});
