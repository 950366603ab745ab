/**
 * The cloud to talk to: one of the server catalog's clouds, or a private one from the custom-cloud settings (the
 * extension's `fluxAzure.azure.customCloud.*`, the CLI's `--cloud-config` file). No SDK here: the extension's main
 * bundle uses it too.
 */
import type { AzureCloudInfo } from '../../shared/src/protocol';
import type { CustomCloudSettings } from '../../shared/src/ciReadiness';
import type { CloudEndpoints } from './model';

/** VS Code's sovereign-cloud provider serves every cloud but the public one. */
function vscodeProviderFor(cloudId: string): string {
  return cloudId === 'public' ? 'microsoft' : 'microsoft-sovereign-cloud';
}

/**
 * The endpoints of cloud `id`; `custom` takes them from `custom` (`where` names the settings in the error) and
 * reads its CA file with `readFile`.
 */
export function resolveCloud(
  id: string,
  clouds: readonly AzureCloudInfo[],
  custom: CustomCloudSettings,
  readFile: (path: string) => string,
  where: string,
): CloudEndpoints {
  if (id === 'custom') {
    const value = (key: keyof CustomCloudSettings) => (custom[key] ?? '').trim();
    const armEndpoint = value('resourceManagerEndpoint');
    const authorityHost = value('authorityHost');
    if (!armEndpoint || !authorityHost)
      throw new Error(`The custom cloud needs ${where}resourceManagerEndpoint and ${where}authorityHost.`);
    const caFile = value('certificateAuthorityFile');
    const devOps = value('azureDevOpsGraphEndpoint');
    const graph = value('graphEndpoint');
    return {
      id: 'custom',
      name: 'Custom cloud',
      armEndpoint,
      armAudience: value('tokenAudience') || armEndpoint,
      authorityHost,
      portalUrl: value('portalUrl'),
      vscodeProvider: vscodeProviderFor('custom'),
      ...(devOps ? { devOpsGraphEndpoint: devOps } : {}),
      ...(graph ? { graphEndpoint: graph } : {}),
      ...(caFile ? { caPem: readFile(caFile) } : {}),
    };
  }
  const known = clouds.find((c) => c.id === id);
  if (!known) throw new Error(`Unknown cloud '${id}' (known: ${[...clouds.map((c) => c.id), 'custom'].join(', ')}).`);
  return { ...known, vscodeProvider: vscodeProviderFor(known.id) };
}
