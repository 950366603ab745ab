/**
 * Where each Flux source kind names its Azure endpoint, and how to tell that the endpoint is Azure's: an ACR login
 * server, an Azure DevOps Git URL, a Blob endpoint (flux-azure-facts §4, rule 16).
 */
import { FLUX_API_GROUPS } from './apiGroups';
import { ACR_HOST_REGEX, ADO_GIT_URL_REGEX, BLOB_ENDPOINT_REGEX } from './services';

/** The host of a URL or image reference (`oci://`, `https://`, `user@host`, `host/path:tag`), lower-cased. */
export function hostOf(url: string): string | undefined {
  const m = /^(?:[a-z][a-z0-9+.-]*:\/\/)?([^/@\s]+@)?([^/:\s]+)/i.exec(url.trim());
  return m?.[2]?.toLowerCase();
}

export interface AzureEndpointDef {
  readonly group: string;
  /** The field with the URL or image. */
  readonly path: readonly string[];
  /** The Azure host the value names, or undefined when it is not an Azure endpoint. */
  readonly azureHost: (text: string) => string | undefined;
}

const acr = (text: string) => {
  const host = hostOf(text.replace(/^oci:\/\//, ''));
  return host && ACR_HOST_REGEX.test(host) ? host : undefined;
};

export const AZURE_ENDPOINTS: Readonly<Record<string, AzureEndpointDef>> = {
  OCIRepository: { group: FLUX_API_GROUPS.source, path: ['spec', 'url'], azureHost: acr },
  ImageRepository: { group: FLUX_API_GROUPS.image, path: ['spec', 'image'], azureHost: acr },
  HelmRepository: {
    group: FLUX_API_GROUPS.source,
    path: ['spec', 'url'],
    azureHost: (t) => (t.startsWith('oci://') ? acr(t) : undefined),
  },
  GitRepository: {
    group: FLUX_API_GROUPS.source,
    path: ['spec', 'url'],
    azureHost: (t) => (ADO_GIT_URL_REGEX.test(t) ? hostOf(t) : undefined),
  },
  Bucket: {
    group: FLUX_API_GROUPS.source,
    path: ['spec', 'endpoint'],
    azureHost: (t) => {
      const url = t.startsWith('http') ? t : `https://${t}`;
      return BLOB_ENDPOINT_REGEX.test(url) ? hostOf(url) : undefined;
    },
  },
};

/**
 * The Azure host a source of `kind` logs in to — its endpoint is Azure's and it has `provider: azure` or a
 * `secretRef` — or undefined. `group`, when given, must be the kind's API group.
 */
export function azureLoginHost(
  kind: string,
  text: (path: readonly string[]) => string | undefined,
  has: (path: readonly string[]) => boolean,
  group?: string,
): string | undefined {
  const endpoint = AZURE_ENDPOINTS[kind];
  if (!endpoint || (group !== undefined && group !== endpoint.group)) return undefined;
  if (text(['spec', 'provider']) !== 'azure' && !has(['spec', 'secretRef'])) return undefined;
  const url = text(endpoint.path);
  return url ? endpoint.azureHost(url) : undefined;
}
