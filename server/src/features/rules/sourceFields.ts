import {
  ACR_HOST_REGEX,
  ADO_GIT_URL_REGEX,
  celComparedValues,
  crdCelRules,
  FLUX_API_GROUPS,
  findPlaceholders,
  hostOf,
  isTemplated,
  looksLikeAzureDevOps,
} from '../../catalog';
import { isFluxDoc, removePair, replaceScalar } from './helpers';
import { addProvider } from './providerAzureMissing';
import { pairAt } from '../../document/nodes';
import type { Finding, Rule } from './rule';

/** Rule 7: `provider: azure` for an OCI source whose host is not an ACR login server. */
export const acrHost: Rule = {
  name: 'acr-host',
  applies: (doc) => isFluxDoc(doc, 'OCIRepository', 'HelmRepository', 'ImageRepository'),
  check: ({ doc }) => {
    if (doc.text(['spec', 'provider']) !== 'azure') return [];
    if (doc.kind === 'HelmRepository' && doc.text(['spec', 'type']) !== 'oci') return [];
    const urlPath = doc.kind === 'ImageRepository' ? ['spec', 'image'] : ['spec', 'url'];
    const url = doc.scalar(urlPath);
    if (!url || findPlaceholders(url.text).length > 0 || url.text.includes('${') || isTemplated(url.text)) return [];
    const host = hostOf(url.text.replace(/^oci:\/\//, ''));
    if (!host || ACR_HOST_REGEX.test(host)) return [];
    return [
      {
        code: 'flux-azure/acr-host-mismatch',
        span: url,
        message:
          `provider: azure only logs in to Azure Container Registry, but '${host}' is not an ACR login server (*.azurecr.io, .azurecr.us, .azurecr.cn, .azurecr.de). ` +
          `source-controller fails with "invalid Azure registry". Use the registry's <name>.azurecr.io host, or set provider: generic with a secretRef for other registries.`,
      },
    ];
  },
};

/** The https://dev.azure.com form of an SSH or legacy visualstudio.com repository URL, if it is one. */
export function adoHttpsUrl(url: string): string | undefined {
  const legacy = /^https:\/\/([^.]+)\.visualstudio\.com\/(?:DefaultCollection\/)?([^/]+)\/_git\/([^/?#]+)$/.exec(url);
  const ssh = /^(?:ssh:\/\/)?git@ssh\.dev\.azure\.com(?::v3|\/v3)\/([^/]+)\/([^/]+)\/([^/?#]+)$/.exec(url);
  const withUser = /^https:\/\/[^@/]+@dev\.azure\.com\/([^/]+)\/([^/]+)\/_git\/([^/?#]+)$/.exec(url);
  const parts = legacy ?? ssh ?? withUser;
  return parts ? `https://dev.azure.com/${parts[1]}/${parts[2]}/_git/${parts[3]}` : undefined;
}

/** Rule 8: GitRepository `provider: azure` needs an HTTPS dev.azure.com URL. */
export const adoGitUrl: Rule = {
  name: 'ado-url',
  applies: (doc) => isFluxDoc(doc, 'GitRepository'),
  check: ({ doc }) => {
    if (doc.text(['spec', 'provider']) !== 'azure') return [];
    const url = doc.scalar(['spec', 'url']);
    if (
      !url ||
      ADO_GIT_URL_REGEX.test(url.text) ||
      findPlaceholders(url.text).length > 0 ||
      url.text.includes('${') ||
      isTemplated(url.text)
    )
      return [];
    const fixes = [];
    const legacy = /^https:\/\/([^.]+)\.visualstudio\.com\/(?:DefaultCollection\/)?([^/]+)\/_git\/([^/?#]+)$/.exec(
      url.text,
    );
    const ssh = /^(?:ssh:\/\/)?git@ssh\.dev\.azure\.com(?::v3|\/v3)\/([^/]+)\/([^/]+)\/([^/?#]+)$/.exec(url.text);
    const parts = legacy ?? ssh;
    if (parts) {
      const fixed = `https://dev.azure.com/${parts[1]}/${parts[2]}/_git/${parts[3]}`;
      fixes.push({ title: `Use ${fixed}`, edits: replaceScalar(doc, url, fixed), preferred: true });
    }
    return [
      {
        code: 'flux-azure/ado-url-format',
        span: url,
        message:
          `With provider: azure, source-controller authenticates to Azure DevOps over HTTPS only, with a URL of the form https://dev.azure.com/{org}/{project}/_git/{repo}. ` +
          `'${url.text}' ${looksLikeAzureDevOps(url.text) ? 'is an SSH or legacy visualstudio.com address, which the Entra token cannot be used for' : 'is not an Azure DevOps repository'}.`,
        fixes,
      },
    ];
  },
};

/** Rule 3: GitRepository `serviceAccountName` needs provider azure (or aws from Flux 2.9): the CRD rejects it otherwise. */
export const gitServiceAccountProvider: Rule = {
  name: 'git-sa-provider',
  applies: (doc) => isFluxDoc(doc, 'GitRepository'),
  check: ({ doc, fluxVersion }) => {
    const sa = doc.scalar(['spec', 'serviceAccountName']);
    if (!sa) return [];
    const provider = doc.text(['spec', 'provider']) ?? 'generic';
    // The CRD's own rule of that release (none in 2.6, where the field did not exist yet); unknown version: the newest.
    const cel = crdCelRules(FLUX_API_GROUPS.source, 'GitRepository', fluxVersion)?.find(
      (r) => r.rule.includes('has(self.serviceAccountName)') && r.rule.includes('self.provider'),
    );
    if (!cel) return [];
    const allowed = celComparedValues(cel.rule, 'provider');
    if (allowed.length === 0 || allowed.includes(provider)) return [];
    const providerNode = doc.scalar(['spec', 'provider']);
    return [
      {
        code: 'flux-azure/git-sa-requires-azure-provider',
        span: sa,
        message: `The GitRepository CRD rejects serviceAccountName unless provider is ${allowed.map((a) => `'${a}'`).join(' or ')} (here: '${provider}'). The object will not be created.`,
        fixes:
          providerNode && provider !== 'azure'
            ? [{ title: 'Set provider: azure', edits: replaceScalar(doc, providerNode, 'azure') }]
            : [],
      },
    ];
  },
};

/** Rule 4: Bucket serviceAccountName with secretRef, or with a non-cloud provider: rejected by the CRD. */
export const bucketServiceAccount: Rule = {
  name: 'bucket-sa',
  applies: (doc) => isFluxDoc(doc, 'Bucket'),
  check: ({ doc, fluxVersion }) => {
    const sa = doc.scalar(['spec', 'serviceAccountName']);
    if (!sa) return [];
    const findings: Finding[] = [];
    const provider = doc.text(['spec', 'provider']) ?? 'generic';
    // Both checks are CEL rules of the CRD from Flux 2.7; before, the CRD accepted the object.
    const cel = crdCelRules(FLUX_API_GROUPS.source, 'Bucket', fluxVersion) ?? [];
    const hasRule = (...parts: string[]) => cel.some((r) => parts.every((p) => r.rule.includes(p)));
    if (provider === 'generic' && hasRule("self.provider != 'generic'", 'has(self.serviceAccountName)')) {
      findings.push({
        code: 'flux-azure/bucket-sa-generic-provider',
        span: sa,
        message: `The Bucket CRD rejects serviceAccountName with the 'generic' provider. Set provider: azure to use the ServiceAccount's workload identity for Azure Blob Storage.`,
        fixes: addProvider(doc),
      });
    }
    if (doc.get(['spec', 'secretRef']) && hasRule('has(self.secretRef)', 'has(self.serviceAccountName)')) {
      findings.push({
        code: 'flux-azure/bucket-sa-with-secretref',
        span: sa,
        message: `A Bucket cannot set both secretRef and serviceAccountName: the CRD rejects the object. Keep serviceAccountName for workload identity, or secretRef for static credentials.`,
      });
    }
    return findings;
  },
};

/** Rule 11: HelmRepository `provider` only applies to OCI repositories. */
export const helmProviderIgnored: Rule = {
  name: 'helm-provider-ignored',
  applies: (doc) => isFluxDoc(doc, 'HelmRepository'),
  check: ({ doc }) => {
    const provider = doc.scalar(['spec', 'provider']);
    if (!provider || provider.text !== 'azure' || doc.text(['spec', 'type']) === 'oci') return [];
    return [
      {
        code: 'flux-azure/helmrepository-provider-ignored',
        span: provider,
        message: `provider: azure is ignored unless type: oci. For charts in ACR set type: oci and an oci://<name>.azurecr.io URL; HTTP Helm repositories get no Azure login.`,
      },
    ];
  },
};

/** Rule 6: a secretRef silently wins over provider azure for OCI sources. */
export const secretRefOverridesProvider: Rule = {
  name: 'secretref-overrides-provider',
  applies: (doc) => isFluxDoc(doc, 'OCIRepository', 'ImageRepository', 'HelmRepository'),
  check: ({ doc }) => {
    const provider = doc.scalar(['spec', 'provider']);
    const secretRef = pairAt(doc.root, ['spec', 'secretRef']);
    if (!provider || provider.text !== 'azure' || !secretRef) return [];
    return [
      {
        code: 'flux-azure/secretref-overrides-provider',
        span: provider,
        message: `When secretRef yields registry credentials, the Azure login is skipped: provider: azure has no effect here. Remove secretRef to authenticate with Entra ID.`,
        fixes: [{ title: 'Remove secretRef (authenticate with Entra ID)', edits: removePair(doc, secretRef) }],
      },
    ];
  },
};
