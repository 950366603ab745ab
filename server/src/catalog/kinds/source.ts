/** source.toolkit.fluxcd.io: the sources source-controller fetches from ACR, Azure DevOps and Blob Storage. */
import { FLUX_API_GROUPS } from '../apiGroups';
import { FLUX_API_DOCS, fluxAzureDocs } from '../docs';
import { azureField, certSecretRef, crdApiVersions, crdEnum, field, insecure, proxySecretRef } from './fields';
import { reconciliation, registryConnection, registryProvider, secretRef, serviceAccountIdentity } from './fields';
import { serviceAccountName, type KindShape } from './fields';

const SOURCE = { controller: 'source-controller' } as const;
const GROUP = FLUX_API_GROUPS.source;

export const SOURCE_KINDS = [
  {
    kind: 'OCIRepository',
    group: GROUP,
    apiVersions: crdApiVersions(GROUP, 'OCIRepository'),
    controller: 'source-controller',
    services: ['acr'],
    summary: 'Pulls an OCI artifact (manifests, Helm chart) from a registry into the cluster.',
    azureWhen: '`spec.provider: azure` and an ACR `spec.url` (`oci://<name>.azurecr.io/...`).',
    fields: [
      azureField(
        ['spec', 'url'],
        'string',
        'Artifact address `oci://<host>/<repository>`. With `provider: azure` the host must be an ACR login server (`*.azurecr.io`, `.us`, `.cn`, `.de`), or Flux fails with "invalid Azure registry".',
        { required: true },
      ),
      registryProvider(
        GROUP,
        'OCIRepository',
        'Which cloud login source-controller performs for the registry. `azure` exchanges an Entra ID token for an ACR token. **Ignored when `secretRef` (or pull secrets of the ServiceAccount) yields credentials.**',
      ),
      serviceAccountName(
        'With `provider: azure`: the ServiceAccount (same namespace) whose `azure.workload.identity/client-id` and `tenant-id` annotations name the managed identity to use (object-level workload identity, needs the `ObjectLevelWorkloadIdentity` gate on source-controller). With `provider: generic`: its `imagePullSecrets` are used as registry credentials.',
      ),
      ...secretRef(
        'Secret of type `kubernetes.io/dockerconfigjson` with registry credentials. **Takes precedence over `provider: azure`**: if it yields credentials the Azure login is skipped.',
        true,
      ),
      ...registryConnection(),
      ...reconciliation('the registry is checked for a new artifact', 'registry operations', '60s'),
    ],
    workloadIdentity: [
      serviceAccountIdentity('ociRepository', { ...SOURCE, service: 'acr', since: '2.6' }, 'Pull from ACR'),
    ],
    controllerLevel:
      'Set `spec.provider: azure` and leave `spec.serviceAccountName` unset; source-controller uses its own identity (or the AKS kubelet identity).',
    docs: { azure: fluxAzureDocs('acr'), api: FLUX_API_DOCS.OCIRepository },
  },
  {
    kind: 'HelmRepository',
    group: GROUP,
    apiVersions: crdApiVersions(GROUP, 'HelmRepository'),
    controller: 'source-controller',
    services: ['acr'],
    summary: 'Index of Helm charts; with `type: oci` a registry of OCI Helm charts.',
    azureWhen:
      '`spec.type: oci` and `spec.provider: azure` with an ACR URL. Has **no** `serviceAccountName`, so only controller-level (or kubelet) identity works.',
    fields: [
      azureField(
        ['spec', 'url'],
        'string',
        'Repository address; must start with `oci://` when `type: oci`. For Azure: `oci://<name>.azurecr.io/<path>`.',
        { required: true },
      ),
      azureField(['spec', 'type'], 'string', 'Repository flavour. `provider` is only honoured for `oci`.', {
        enum: crdEnum(GROUP, 'HelmRepository', ['spec', 'type'], {
          default: { description: 'Classic HTTP(S) Helm repository with an `index.yaml`.' },
          oci: { description: 'OCI registry holding Helm charts (e.g. ACR).', azure: true },
        }),
        default: 'default',
      }),
      registryProvider(
        GROUP,
        'HelmRepository',
        'Cloud login for OCI registries. **Ignored unless `type: oci`.** HelmRepository has no per-object identity: `azure` always uses the controller-level identity. For per-tenant ACR identities use an OCIRepository and HelmRelease `chartRef`.',
      ),
      ...secretRef(
        'Secret with registry/repository credentials; wins over `provider` when it yields credentials.',
        true,
      ),
      ...certSecretRef('Secret with TLS material (`tls.crt`, `tls.key`, `ca.crt`).'),
      insecure('OCI registries'),
      ...reconciliation('the repository index is refreshed', 'index download / registry operations', '60s', false),
    ],
    workloadIdentity: [],
    controllerLevel: 'Set `spec.type: oci` and `spec.provider: azure`; source-controller uses its own identity.',
    docs: { azure: fluxAzureDocs('acr'), api: FLUX_API_DOCS.HelmRepository },
  },
  {
    kind: 'GitRepository',
    group: GROUP,
    apiVersions: crdApiVersions(GROUP, 'GitRepository'),
    controller: 'source-controller',
    services: ['azureDevOps'],
    summary: 'Clones a Git repository and publishes a revision as an artifact.',
    azureWhen: '`spec.provider: azure` with an Azure DevOps URL `https://dev.azure.com/{org}/{project}/_git/{repo}`.',
    fields: [
      azureField(
        ['spec', 'url'],
        'string',
        'Repository URL. With `provider: azure` it must be `https://dev.azure.com/{org}/{project}/_git/{repo}` (HTTPS; SSH and `*.visualstudio.com` are not supported for Entra ID auth).',
        { required: true },
      ),
      azureField(
        ['spec', 'provider'],
        'string',
        'How source-controller authenticates to the Git host. `azure` requests an Entra ID token for Azure DevOps and sends it as a bearer token. Unset behaves as `generic` (no CRD default).',
        {
          enum: crdEnum(GROUP, 'GitRepository', ['spec', 'provider'], {
            generic: { description: 'Credentials from `secretRef` (basic auth, token or SSH key), or anonymous.' },
            azure: {
              description:
                'Entra ID token for Azure DevOps (controller identity, or the ServiceAccount in `serviceAccountName` since Flux 2.7).',
              azure: true,
            },
            github: { description: 'GitHub App; requires `secretRef` with the App keys.' },
            aws: { description: 'AWS CodeCommit with IAM credentials.' },
          }),
        },
      ),
      serviceAccountName(
        'ServiceAccount (same namespace) whose workload-identity annotations name the managed identity used for Azure DevOps. The CRD only accepts it with `provider: azure` (Flux 2.9: `azure` or `aws`). Needs the `ObjectLevelWorkloadIdentity` gate on source-controller.',
        { versions: { since: '2.7' } },
      ),
      ...secretRef(
        'Secret with Git credentials (`username`/`password`, `bearerToken`, SSH `identity`, or GitHub App keys).',
        false,
      ),
      ...proxySecretRef(),
      field(['spec', 'ref'], 'object', 'Branch, tag, semver range, name or commit to check out.'),
      ...reconciliation('the remote is fetched', 'Git operations', '60s'),
    ],
    workloadIdentity: [
      serviceAccountIdentity(
        'gitRepository',
        { ...SOURCE, service: 'azureDevOps', since: '2.7' },
        'Clone from Azure DevOps',
      ),
    ],
    controllerLevel: 'Set `spec.provider: azure` and leave `spec.serviceAccountName` unset (works since Flux 2.4).',
    docs: { azure: fluxAzureDocs('ado'), api: FLUX_API_DOCS.GitRepository },
  },
  {
    kind: 'Bucket',
    group: GROUP,
    apiVersions: crdApiVersions(GROUP, 'Bucket'),
    controller: 'source-controller',
    services: ['blobStorage'],
    summary: 'Downloads objects from an S3-compatible bucket, GCS or an Azure Blob container.',
    azureWhen:
      '`spec.provider: azure`, `spec.endpoint` = storage account blob endpoint, `spec.bucketName` = container.',
    fields: [
      azureField(
        ['spec', 'provider'],
        'string',
        'Storage API to talk to. `azure` uses the Azure Blob SDK with Entra ID (or shared key / SAS from `secretRef`).',
        {
          enum: crdEnum(GROUP, 'Bucket', ['spec', 'provider'], {
            generic: { description: 'S3-compatible API with static keys (Minio, etc.).' },
            aws: { description: 'Amazon S3 with IAM.' },
            gcp: { description: 'Google Cloud Storage.' },
            azure: { description: 'Azure Blob Storage.', azure: true },
          }),
          default: 'generic',
        },
      ),
      azureField(['spec', 'bucketName'], 'string', 'For Azure: the **blob container** name.', { required: true }),
      azureField(
        ['spec', 'endpoint'],
        'string',
        'For Azure: the account endpoint `https://<account>.blob.core.windows.net` (US Gov `.usgovcloudapi.net`, China `.chinacloudapi.cn`). The account name is read from the first DNS label.',
        { required: true },
      ),
      serviceAccountName(
        'ServiceAccount (same namespace) whose workload-identity annotations name the managed identity for Blob access. Rejected by the CRD with `provider: generic` (also when unset) and together with `secretRef`. Needs the `ObjectLevelWorkloadIdentity` gate on source-controller.',
        { versions: { since: '2.7' } },
      ),
      ...secretRef(
        'Secret with Azure credentials: `tenantId`+`clientId`+`clientSecret`, `tenantId`+`clientId`+`clientCertificate`, `clientId` (managed identity), `accountKey` or `sasKey`; optional `authorityHost`. Cannot be combined with `serviceAccountName`.',
        true,
      ),
      field(
        ['spec', 'prefix'],
        'string',
        'Only download objects whose key starts with this prefix (fixed for Azure in source-controller 1.8.2).',
      ),
      field(
        ['spec', 'sts'],
        'object',
        'Security Token Service settings; only for `aws` and `generic` providers (CRD rule).',
      ),
      ...certSecretRef('TLS material; documented for the `generic` provider only.'),
      ...proxySecretRef(),
      insecure('endpoints'),
      ...reconciliation('the bucket is checked for changes', 'download operations', '60s'),
    ],
    workloadIdentity: [
      serviceAccountIdentity('bucket', { ...SOURCE, service: 'blobStorage', since: '2.7' }, 'Read the container'),
    ],
    controllerLevel:
      'Set `spec.provider: azure`, no `secretRef`, no `serviceAccountName`: the chain is environment credential → workload identity → managed identity; with none the container is read anonymously.',
    docs: { azure: fluxAzureDocs('blob'), api: FLUX_API_DOCS.Bucket },
  },
] as const satisfies readonly KindShape[];
