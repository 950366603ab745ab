/**
 * `.flux-azure.yaml` at a repository root: what a team states about each cluster directory that the repository
 * cannot show (how Flux is installed, its version, which AKS cluster it is). Read with the same YAML model as every
 * other file; a problem is reported on the config file and the entry (or key) it concerns is ignored.
 */
import {
  AKS_CLUSTER_ID_REGEX,
  INSTALL_MODE_NAMES,
  parseFluxVersion,
  REPO_CONFIG_CLUSTER_KEYS,
  REPO_CONFIG_TOP_KEYS,
  type InstallMode,
} from '../catalog';
import type { ManifestFile, Range } from '../document/manifest';
import { entries, isMap, isScalar, items, type YamlNode } from '../document/nodes';

export interface ClusterConfig {
  /** The cluster directory, relative to the repository root with `/` separators, without `./` or trailing `/`. */
  readonly path: string;
  readonly install: InstallMode | undefined;
  /** Minor version (`2.7`). */
  readonly fluxVersion: string | undefined;
  readonly aksClusterId: string | undefined;
  /** Where the entry is (for messages and go to). */
  readonly uri: string;
  readonly range: Range;
}

export interface RepoConfig {
  readonly clusters: readonly ClusterConfig[];
  /** What could not be read, on the key or entry concerned. */
  readonly problems: readonly { readonly range: Range; readonly message: string }[];
}

/** Normalises a configured cluster path (`./clusters/prod/` → `clusters/prod`; `.` → ``). */
function normalizeConfigPath(path: string): string {
  return path
    .split(/[\\/]/)
    .filter((p) => p !== '' && p !== '.')
    .join('/');
}

export function readRepoConfig(file: ManifestFile): RepoConfig {
  const clusters: ClusterConfig[] = [];
  const problems: { range: Range; message: string }[] = [];
  const doc = file.docs.find((d) => d.root !== undefined);
  const whole = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  if (!doc) return { clusters, problems };
  const at = (node: YamlNode | { start: number; end: number }) => doc.range(node);
  if (doc.chunk.parsed.hasErrors) problems.push({ range: whole, message: 'This file is not valid YAML.' });
  const root = doc.root;
  if (!isMap(root)) {
    problems.push({ range: root ? at(root) : whole, message: 'Expected a map with a `clusters:` list.' });
    return { clusters, problems };
  }
  for (const pair of root.pairs)
    if (!(REPO_CONFIG_TOP_KEYS as readonly string[]).includes(pair.key.text))
      problems.push({
        range: at(pair.key),
        message: `Unknown key '${pair.key.text}' (expected: ${REPO_CONFIG_TOP_KEYS.join(', ')}).`,
      });
  const list = root.pairs.find((p) => p.key.text === 'clusters');
  if (!list) return { clusters, problems };
  if (list.value?.type !== 'seq') {
    problems.push({ range: at(list.key), message: '`clusters` must be a list of entries with a `path`.' });
    return { clusters, problems };
  }
  const seen = new Set<string>();
  for (const item of items(list.value)) {
    if (!isMap(item)) {
      problems.push({ range: at(item), message: 'Each cluster entry is a map with `path` and `install`.' });
      continue;
    }
    const values: Partial<Record<(typeof REPO_CONFIG_CLUSTER_KEYS)[number], string>> = {};
    let bad = false;
    for (const p of entries(item)) {
      const key = p.key.text;
      if (!(REPO_CONFIG_CLUSTER_KEYS as readonly string[]).includes(key)) {
        problems.push({
          range: at(p.key),
          message: `Unknown key '${key}' (expected: ${REPO_CONFIG_CLUSTER_KEYS.join(', ')}).`,
        });
        continue;
      }
      if (!isScalar(p.value) || p.value.value === null) {
        problems.push({ range: at(p.value ?? p.key), message: `'${key}' must be a string.` });
        bad = true;
        continue;
      }
      const text = p.value.text;
      const range = at(p.value);
      if (key === 'install' && !(INSTALL_MODE_NAMES as readonly string[]).includes(text)) {
        problems.push({ range, message: `'${text}' is not an install mode (${INSTALL_MODE_NAMES.join(', ')}).` });
        continue;
      }
      if (key === 'fluxVersion' && !parseFluxVersion(text)) {
        problems.push({ range, message: `'${text}' is not a Flux version (such as 2.7 or v2.7.5).` });
        continue;
      }
      if (key === 'aksClusterId' && !AKS_CLUSTER_ID_REGEX.test(text)) {
        problems.push({
          range,
          message: `'${text}' is not an AKS cluster resource id (/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.ContainerService/managedClusters/<name>).`,
        });
        continue;
      }
      values[key as keyof typeof values] = text;
    }
    if (values.path === undefined) {
      if (!bad) problems.push({ range: at(item), message: 'This entry has no `path` (the cluster directory).' });
      continue;
    }
    const path = normalizeConfigPath(values.path);
    if (path.split('/').includes('..')) {
      problems.push({ range: at(item), message: `'${values.path}' leaves the repository.` });
      continue;
    }
    if (seen.has(path)) {
      problems.push({ range: at(item), message: `'${values.path}' is configured twice; the first entry is used.` });
      continue;
    }
    seen.add(path);
    clusters.push({
      path,
      install: values.install as InstallMode | undefined,
      fluxVersion: values.fluxVersion ? parseFluxVersion(values.fluxVersion) : undefined,
      aksClusterId: values.aksClusterId,
      uri: file.uri,
      range: at(item),
    });
  }
  return { clusters, problems };
}
