import { relative } from 'node:path';
import type { Manifest } from './render-kustomization.ts';

type Ref = { name: string; key: string };
type Item = { key: string; path: string };

/** The parts of a container these tests read. */
export interface Container {
  name: string;
  image: string;
  command: string[];
  ports: { name?: string; containerPort: number }[];
  env: { name: string; value?: string; valueFrom?: { fieldRef?: unknown; secretKeyRef?: Ref; configMapKeyRef?: Ref } }[];
  volumeMounts: { name: string; mountPath: string; subPath?: string; readOnly?: boolean }[];
  [field: string]: unknown;
}

/** The parts of a pod spec these tests read. */
export interface PodSpec {
  containers: Container[];
  volumes: {
    name: string;
    projected?: { sources: { secret?: { name: string; items: Item[] }; configMap?: { name: string; items?: Item[] } }[] };
    configMap?: { name: string };
    emptyDir?: object;
    persistentVolumeClaim?: { claimName: string };
  }[];
  [field: string]: unknown;
}

export const podSpecOf = (deployment: Manifest) => (deployment.spec as { template: { spec: PodSpec } }).template.spec;
export const podLabelsOf = (deployment: Manifest) =>
  (deployment.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels;

/** The Secrets a Deployment's pods mount (projected into their volumes), with the keys they take. */
export const mountedSecrets = (deployment: Manifest) =>
  podSpecOf(deployment).volumes.flatMap(
    (volume) => volume.projected?.sources.flatMap((source) => (source.secret ? [source.secret] : [])) ?? [],
  );

/** The Secrets a Deployment's containers read variables from. */
export const referencedSecrets = (deployment: Manifest) =>
  podSpecOf(deployment).containers.flatMap((container) => container.env.flatMap((variable) => variable.valueFrom?.secretKeyRef ?? []));

/** A container port by name or number, as a probe or a Service's targetPort gives it; undefined when not served. */
export function servedPort(container: Container, port: number | string): number | undefined {
  return container.ports.find((served) => served.name === port || served.containerPort === port)?.containerPort;
}

/**
 * The environment the container starts with, as the kubelet builds it: `$(VAR)` expanded from the
 * variables before it, ConfigMap keys from the rendered objects, Secret keys from the Secrets
 * template (their real values are the operator's). A reference to a missing key throws.
 */
export function environmentOf(container: Container, objects: Manifest[], secrets: Manifest[]): Record<string, string> {
  const env: Record<string, string> = {};
  const lookup = (kind: string, ref: Ref, from: Manifest[]) => {
    const object = from.find((candidate) => candidate.kind === kind && candidate.metadata.name === ref.name) as
      (Manifest & { data?: Record<string, string>; stringData?: Record<string, string> }) | undefined;
    const value = object?.data?.[ref.key] ?? object?.stringData?.[ref.key];
    if (value === undefined) throw new Error(`${container.name}: no ${kind} ${ref.name} with key ${ref.key}`);
    return value;
  };
  for (const variable of container.env) {
    const from = variable.valueFrom;
    if (variable.value !== undefined)
      env[variable.name] = variable.value.replace(/\$\((\w+)\)/g, (text, name: string) => env[name] ?? text);
    // The one field Liaison's pods read, metadata.name, as a Deployment names its pods.
    else if (from?.fieldRef) env[variable.name] = `${container.name}-7d4b9c5f8-x2x5z`;
    else if (from?.configMapKeyRef) env[variable.name] = lookup('ConfigMap', from.configMapKeyRef, objects);
    else if (from?.secretKeyRef) env[variable.name] = lookup('Secret', from.secretKeyRef, secrets);
  }
  return env;
}

/** Where a file at `path` comes from: the mount it lies under and the volume's source of it. */
export interface FileSource {
  mount: Container['volumeMounts'][number];
  volume: PodSpec['volumes'][number];
  /** The Secret or ConfigMap and key projected at that path, for a Secret or ConfigMap volume. */
  from?: { kind: 'Secret' | 'ConfigMap'; name: string; key: string };
}

export function fileSourceOf(pod: PodSpec, container: Container, path: string): FileSource | undefined {
  const mount = container.volumeMounts.find((candidate) => !relative(candidate.mountPath, path).startsWith('..'));
  const volume = pod.volumes.find((candidate) => candidate.name === mount?.name);
  if (!mount || !volume) return undefined;
  const inside = relative(mount.mountPath, path);
  if (volume.configMap) return { mount, volume, from: { kind: 'ConfigMap', name: volume.configMap.name, key: inside } };
  for (const source of volume.projected?.sources ?? []) {
    const [kind, ref] = source.secret ? (['Secret', source.secret] as const) : (['ConfigMap', source.configMap!] as const);
    const item = ref.items?.find((candidate) => candidate.path === inside);
    if (item) return { mount, volume, from: { kind, name: ref.name, key: item.key } };
  }
  return volume.projected ? undefined : { mount, volume };
}
