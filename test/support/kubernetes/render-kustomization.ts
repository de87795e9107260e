import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { type Json, strategicMerge } from './strategic-merge.ts';

/** A Kubernetes object as a manifest writes it. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

/** What a kustomization builds, and what it read to build it. */
export interface Rendered {
  objects: Manifest[];
  /** Every file read: kustomizations, resources, patches, generator sources. */
  files: Set<string>;
  /** Generated objects by name, with whether kustomize would append a content hash to the name. */
  generated: Map<string, { kind: string; hashed: boolean; sources: string[] }>;
}

interface Generator {
  name: string;
  type?: string;
  files?: string[];
  envs?: string[];
  literals?: string[];
  options?: { disableNameSuffixHash?: boolean; labels?: Record<string, string> };
}

interface Kustomization {
  resources?: string[];
  namespace?: string;
  images?: { name: string; newName?: string; newTag?: string }[];
  patches?: { path?: string; target?: { kind?: string; name?: string; labelSelector?: string } }[];
  configMapGenerator?: Generator[];
  secretGenerator?: Generator[];
}

// Fields outside this list are refused rather than skipped, so a kustomization never means more than this renders.
const KNOWN = new Set(['apiVersion', 'kind', 'resources', 'namespace', 'images', 'patches', 'configMapGenerator', 'secretGenerator']);
const CLUSTER_SCOPED = new Set(['Namespace', 'PersistentVolume', 'StorageClass', 'ClusterRole', 'ClusterRoleBinding', 'PriorityClass']);

const readYamlDocuments = (path: string) => parseAllDocuments(readFileSync(path, 'utf8')).map((doc) => doc.toJS() as Manifest);

/** A generator's ConfigMap or Secret; a source file that is not there yet (an operator's key) gives its key an empty value. */
function generate(dir: string, kind: 'ConfigMap' | 'Secret', spec: Generator, into: Rendered): Manifest {
  const data: Record<string, string> = {};
  const sources: string[] = [];
  for (const entry of spec.files ?? []) {
    const [key, file] = entry.includes('=') ? entry.split('=') : [basename(entry), entry];
    const path = resolve(dir, file!);
    sources.push(path);
    data[key!] = existsSync(path) ? readFileSync(path, 'utf8') : '';
  }
  for (const env of spec.envs ?? []) {
    const path = resolve(dir, env);
    sources.push(path);
    if (!existsSync(path)) continue;
    for (const line of readFileSync(path, 'utf8')
      .split('\n')
      .filter((text) => /^[A-Za-z_]/.test(text))) {
      data[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  for (const literal of spec.literals ?? []) data[literal.slice(0, literal.indexOf('='))] = literal.slice(literal.indexOf('=') + 1);
  for (const source of sources) if (existsSync(source)) into.files.add(source);
  into.generated.set(spec.name, { kind, hashed: !spec.options?.disableNameSuffixHash, sources });
  const metadata = { name: spec.name, ...(spec.options?.labels ? { labels: spec.options.labels } : {}) };
  return { apiVersion: 'v1', kind, metadata, ...(spec.type ? { type: spec.type } : {}), data };
}

function matchesTarget(object: Manifest, target: NonNullable<NonNullable<Kustomization['patches']>[number]['target']>): boolean {
  const labels = object.metadata.labels ?? {};
  const selector = (target.labelSelector ?? '').split(',').filter(Boolean);
  return (
    (!target.kind || object.kind === target.kind) &&
    (!target.name || new RegExp(`^${target.name}$`).test(object.metadata.name)) &&
    selector.every((term) => labels[term.split('=')[0]!] === term.split('=')[1])
  );
}

function applyPatch(dir: string, patch: NonNullable<Kustomization['patches']>[number], rendered: Rendered): void {
  if (!patch.path) throw new Error(`${dir}: only patches from files are rendered`);
  const path = resolve(dir, patch.path);
  rendered.files.add(path);
  for (const body of readYamlDocuments(path)) {
    const targets = rendered.objects.filter((object) =>
      patch.target ? matchesTarget(object, patch.target) : object.kind === body.kind && object.metadata.name === body.metadata.name,
    );
    if (targets.length === 0) throw new Error(`${path}: the patch matches no object`);
    for (const object of targets) {
      const merged = strategicMerge(object as unknown as Json, { ...body, metadata: object.metadata } as unknown as Json);
      rendered.objects[rendered.objects.indexOf(object)] = merged as unknown as Manifest;
    }
  }
}

function setImages(objects: Manifest[], images: NonNullable<Kustomization['images']>): void {
  for (const object of objects) {
    const pod = (object.spec as { template?: { spec?: { containers?: { image?: string }[] } } } | undefined)?.template?.spec;
    for (const container of pod?.containers ?? []) {
      const image = images.find((entry) => container.image?.replace(/[:@].*$/, '') === entry.name);
      if (image) container.image = `${image.newName ?? image.name}:${image.newTag ?? container.image!.split(':')[1]}`;
    }
  }
}

/** Builds the kustomization in `dir` as `kustomize build` would, for the features Liaison's kustomizations use. */
export function renderKustomization(dir: string): Rendered {
  const path = join(dir, 'kustomization.yaml');
  const kustomization = parse(readFileSync(path, 'utf8')) as Kustomization;
  const unknown = Object.keys(kustomization).filter((field) => !KNOWN.has(field));
  if (unknown.length > 0) throw new Error(`${path}: fields this renderer does not implement: ${unknown.join(', ')}`);
  const rendered: Rendered = { objects: [], files: new Set([path]), generated: new Map() };
  for (const resource of kustomization.resources ?? []) {
    const target = resolve(dir, resource);
    if (statSync(target).isDirectory()) {
      const inner = renderKustomization(target);
      rendered.objects.push(...inner.objects);
      inner.files.forEach((file) => rendered.files.add(file));
      inner.generated.forEach((value, name) => rendered.generated.set(name, value));
    } else {
      rendered.files.add(target);
      rendered.objects.push(...readYamlDocuments(target));
    }
  }
  for (const spec of kustomization.configMapGenerator ?? []) rendered.objects.push(generate(dir, 'ConfigMap', spec, rendered));
  for (const spec of kustomization.secretGenerator ?? []) rendered.objects.push(generate(dir, 'Secret', spec, rendered));
  for (const patch of kustomization.patches ?? []) applyPatch(dir, patch, rendered);
  if (kustomization.images) setImages(rendered.objects, kustomization.images);
  if (kustomization.namespace) {
    for (const object of rendered.objects) if (!CLUSTER_SCOPED.has(object.kind)) object.metadata.namespace = kustomization.namespace;
  }
  return rendered;
}
