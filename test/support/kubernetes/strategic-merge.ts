/**
 * The part of Kubernetes' strategic merge patch that Liaison's overlays use: maps merge key by key, a
 * `null` deletes its key, and the lists below merge item by item on their merge key (as the API's
 * `patchMergeKey` says) instead of being replaced. Any other list is replaced whole, as in kustomize.
 */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  imagePullSecrets: 'name',
  topologySpreadConstraints: 'topologyKey',
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isMap = (value: unknown): value is Record<string, Json> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Container ports merge on containerPort, Service ports on port: the same field name, two merge keys. */
function mergeKeyOf(field: string, items: Json[]): string | undefined {
  if (field === 'ports') return items.some((item) => isMap(item) && 'containerPort' in item) ? 'containerPort' : 'port';
  return MERGE_KEYS[field];
}

function mergeList(field: string, target: Json[], patch: Json[]): Json[] {
  const key = mergeKeyOf(field, [...target, ...patch]);
  if (!key) return patch;
  const merged = [...target];
  for (const item of patch) {
    const index = merged.findIndex((existing) => isMap(existing) && isMap(item) && existing[key] === item[key]);
    if (isMap(item) && item.$patch === 'delete') {
      if (index >= 0) merged.splice(index, 1);
    } else if (index >= 0) merged[index] = strategicMerge(merged[index]!, item, field) as Json;
    else merged.push(item);
  }
  return merged;
}

/** `target` with `patch` applied; `field` is the name `target` sits under, which picks a list's merge key. */
export function strategicMerge(target: Json | undefined, patch: Json, field = ''): Json | undefined {
  if (patch === null) return undefined;
  if (Array.isArray(target) && Array.isArray(patch)) return mergeList(field, target, patch);
  if (!isMap(target) || !isMap(patch)) return patch;
  if (patch.$patch === 'replace') return Object.fromEntries(Object.entries(patch).filter(([key]) => key !== '$patch'));
  const merged: Record<string, Json> = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    const next = strategicMerge(target[key], value, key);
    if (next === undefined) delete merged[key];
    else merged[key] = next;
  }
  return merged;
}

export type { Json };
