import { federatedTokenFile, WORKLOAD_IDENTITY_AUDIENCE, type ControllerName } from '../catalog';
import type { ManifestDoc } from '../document/manifest';
import { isScalar, items, nodeAt, textAt } from '../document/nodes';
import { readControllerPatches, type ControllerPatch } from '../workspace/controllerPatches';

/**
 * `AZURE_FEDERATED_TOKEN_FILE` values that match a projected ServiceAccount token (audience
 * `api://AzureADTokenExchange`) mounted by the patches of these controllers: mountPath + `/` + projected path.
 */
export function tokenFilesOf(
  doc: ManifestDoc,
  patchesPath: readonly string[],
  controllers: readonly ControllerName[],
): string[] {
  const patches = readControllerPatches(doc, patchesPath).filter(
    (p) => controllers.length === 0 || p.controllers.some((c) => controllers.includes(c)),
  );
  return tokenFilesIn(patches);
}

export function tokenFilesIn(patches: readonly ControllerPatch[]): string[] {
  const tokenPaths = new Map<string, string>();
  for (const volume of patches.flatMap((p) => p.volumes)) {
    const name = textAt(volume, ['name']);
    for (const source of items(nodeAt(volume, ['projected', 'sources']))) {
      const path = textAt(source, ['serviceAccountToken', 'path']);
      const audience = textAt(source, ['serviceAccountToken', 'audience']);
      if (name && path && (audience === undefined || audience === WORKLOAD_IDENTITY_AUDIENCE))
        tokenPaths.set(name, path);
    }
  }
  const files: string[] = [];
  for (const mount of patches.flatMap((p) => p.volumeMounts)) {
    const name = textAt(mount, ['name']);
    const mountPath = nodeAt(mount, ['mountPath']);
    const path = name ? tokenPaths.get(name) : undefined;
    if (path && isScalar(mountPath)) files.push(federatedTokenFile(mountPath.text, path));
  }
  return [...new Set(files)];
}
