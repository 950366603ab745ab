/**
 * Flux kinds that touch Azure: API groups and versions, reconciling controller, Azure service,
 * and per-field documentation (hover text, enum values, defaults, version ranges).
 */
import type { ControllerName } from './controllers';
import { FLUX_API_DOCS, fluxAzureDocs } from './docs';
import type { AzureServiceId } from './services';
import { inRange, type VersionRange } from './versions';

export interface EnumValueDef {
  readonly value: string;
  readonly description: string;
  readonly versions?: VersionRange;
  /** True for the value(s) that select an Azure integration. */
  readonly azure?: boolean;
  readonly deprecated?: string;
}

export type FieldType = 'string' | 'boolean' | 'integer' | 'duration' | 'object' | 'array';

export interface FieldDef {
  /** Path from the document root, e.g. ['spec', 'decryption', 'serviceAccountName']. */
  readonly path: readonly string[];
  readonly type: FieldType;
  /** Markdown for hovers: what the field means for this kind. */
  readonly description: string;
  readonly required?: boolean;
  readonly enum?: readonly EnumValueDef[];
  /** CRD default (or the controller's effective default, see description). */
  readonly default?: string | number | boolean;
  readonly versions?: VersionRange;
  /** True when the field matters for the Azure integration. */
  readonly azure: boolean;
  readonly maxLength?: number;
  /** RegExp source the CRD enforces. */
  readonly pattern?: string;
  readonly deprecated?: string;
}

export interface ApiVersionDef {
  /** Version part of apiVersion, e.g. 'v1'. */
  readonly version: string;
  /** Flux versions in which the CRD serves it. */
  readonly served: VersionRange;
  /** Flux versions in which it is served but deprecated. */
  readonly deprecated?: VersionRange;
  /** The preferred (storage) version. */
  readonly preferred?: boolean;
}

/** One way an object of this kind uses object-level workload identity. */
export interface WorkloadIdentityUseDef {
  readonly id: string;
  /** Field naming the ServiceAccount (for `via`, the field holding the reference). */
  readonly serviceAccountField: readonly string[];
  /** Where the ServiceAccount name actually lives when not on the object itself. */
  readonly via?: 'kubeConfigConfigMap' | 'gitRepositoryRef';
  /** Another field must hold one of these values for the ServiceAccount to mean Azure workload identity. */
  readonly requires?: { readonly path: readonly string[]; readonly values: readonly string[] };
  readonly versions: VersionRange;
  /** Controllers whose Deployment needs the ObjectLevelWorkloadIdentity gate. */
  readonly gateControllers: readonly ControllerName[];
  readonly service: AzureServiceId;
  readonly description: string;
}

/** Shape of a `KINDS` entry before its `kind` is narrowed to `FluxKind`. */
export interface KindShape {
  readonly kind: string;
  readonly group: string;
  readonly apiVersions: readonly ApiVersionDef[];
  readonly controller: ControllerName;
  readonly services: readonly AzureServiceId[];
  readonly summary: string;
  /** Markdown: when an object of this kind talks to Azure. */
  readonly azureWhen: string;
  readonly fields: readonly FieldDef[];
  readonly workloadIdentity: readonly WorkloadIdentityUseDef[];
  /** Markdown: how controller-level authentication is selected for this kind. */
  readonly controllerLevel: string;
  readonly docs: { readonly azure: string; readonly api: string };
}

// ---------------------------------------------------------------------------------------------
// Shared enum values and field builders

const CLOUD_PROVIDERS: readonly EnumValueDef[] = [
  {
    value: 'generic',
    description: 'No cloud login; credentials come only from `secretRef` / ServiceAccount pull secrets.',
  },
  { value: 'aws', description: 'Amazon ECR / AWS login.' },
  {
    value: 'azure',
    description: 'Microsoft Entra ID login (workload identity, controller identity or kubelet identity) for ACR.',
    azure: true,
  },
  { value: 'gcp', description: 'Google Artifact Registry / GCP login.' },
];

const DURATION = '^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$';
const TIMEOUT = '^([0-9]+(\\.[0-9]+)?(ms|s|m))+$';

function interval(what: string, required = true): FieldDef {
  return {
    path: ['spec', 'interval'],
    type: 'duration',
    description: `How often ${what}.`,
    required,
    pattern: DURATION,
    azure: false,
  };
}

function timeout(what: string, def: string): FieldDef {
  return {
    path: ['spec', 'timeout'],
    type: 'duration',
    description: `Time limit for ${what}.`,
    default: def,
    pattern: TIMEOUT,
    azure: false,
  };
}

function localRef(
  base: readonly string[],
  description: string,
  azure: boolean,
  extra: Partial<FieldDef> = {},
): FieldDef[] {
  return [
    { path: base, type: 'object', description, azure, ...extra },
    {
      path: [...base, 'name'],
      type: 'string',
      description: `Name of the object referenced by \`${base[base.length - 1]}\` (same namespace).`,
      required: true,
      azure,
    },
  ];
}

function suspend(): FieldDef {
  return {
    path: ['spec', 'suspend'],
    type: 'boolean',
    description: 'Stop reconciling this object until set back to `false`.',
    default: false,
    azure: false,
  };
}

/**
 * Object-level workload identity through `spec.serviceAccountName`, used when `spec.provider: azure` (or, for a
 * notification Provider, when `spec.type` is the given Azure type). One controller needs the gate.
 */
function serviceAccountIdentity(use: {
  readonly id: string;
  readonly when?: { readonly type: string };
  readonly since: string;
  readonly controller: ControllerName;
  readonly service: AzureServiceId;
  readonly description: string;
}): WorkloadIdentityUseDef {
  return {
    id: use.id,
    serviceAccountField: ['spec', 'serviceAccountName'],
    requires: use.when
      ? { path: ['spec', 'type'], values: [use.when.type] }
      : { path: ['spec', 'provider'], values: ['azure'] },
    versions: { since: use.since },
    gateControllers: [use.controller],
    service: use.service,
    description: use.description,
  };
}

/** Registry connection settings shared by OCIRepository and ImageRepository: TLS, proxy, plain HTTP. */
function registryConnection(): FieldDef[] {
  return [
    ...localRef(
      ['spec', 'certSecretRef'],
      'Secret with TLS material (`tls.crt`, `tls.key`, `ca.crt`) for the registry connection.',
      false,
    ),
    ...localRef(['spec', 'proxySecretRef'], 'Secret with proxy `address` (and optional `username`/`password`).', false),
    {
      path: ['spec', 'insecure'],
      type: 'boolean',
      description: 'Allow plain-HTTP registries.',
      default: false,
      azure: false,
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Provider `.spec.type` enum (notification-controller, v1beta3)

const PROVIDER_TYPES: readonly EnumValueDef[] = [
  { value: 'slack', description: 'Slack incoming webhook or bot token.' },
  { value: 'discord', description: 'Discord webhook.' },
  {
    value: 'msteams',
    description: 'Microsoft Teams Workflows webhook (no Entra ID; `channel` unsupported).',
    azure: true,
  },
  { value: 'rocket', description: 'Rocket.Chat webhook.' },
  { value: 'generic', description: 'Plain HTTP POST of the event JSON.' },
  { value: 'generic-hmac', description: 'HTTP POST signed with an HMAC from the Secret `token`.' },
  { value: 'github', description: 'GitHub commit status.' },
  { value: 'gitlab', description: 'GitLab commit status.' },
  { value: 'gitea', description: 'Gitea commit status.' },
  { value: 'giteapullrequestcomment', description: 'Comment on a Gitea pull request.', versions: { since: '2.8' } },
  { value: 'bitbucketserver', description: 'Bitbucket Server / Data Center commit status.' },
  { value: 'bitbucket', description: 'Bitbucket Cloud commit status.' },
  {
    value: 'azuredevops',
    description:
      'Azure DevOps commit status. Auth: Secret `token` (PAT) or Entra ID (controller level; object level via `serviceAccountName` since Flux 2.7).',
    azure: true,
  },
  { value: 'googlechat', description: 'Google Chat webhook.' },
  { value: 'googlepubsub', description: 'Google Cloud Pub/Sub topic.' },
  { value: 'webex', description: 'Webex room message.' },
  { value: 'sentry', description: 'Sentry event.' },
  {
    value: 'azureeventhub',
    description:
      'Azure Event Hubs. Auth: SAS connection string in Secret `address`, or Entra ID (`address` = hub name, `channel` = namespace; object level via `serviceAccountName` since Flux 2.6).',
    azure: true,
  },
  { value: 'telegram', description: 'Telegram bot message.' },
  { value: 'lark', description: 'Lark webhook.' },
  { value: 'matrix', description: 'Matrix room message.' },
  { value: 'opsgenie', description: 'Opsgenie alert.' },
  { value: 'alertmanager', description: 'Prometheus Alertmanager.' },
  { value: 'grafana', description: 'Grafana annotation.' },
  { value: 'githubdispatch', description: 'GitHub repository_dispatch event.' },
  { value: 'githubpullrequestcomment', description: 'Comment on a GitHub pull request.', versions: { since: '2.8' } },
  { value: 'gitlabmergerequestcomment', description: 'Comment on a GitLab merge request.', versions: { since: '2.8' } },
  { value: 'pagerduty', description: 'PagerDuty event.' },
  { value: 'datadog', description: 'Datadog event.' },
  { value: 'nats', description: 'NATS subject.' },
  { value: 'zulip', description: 'Zulip stream message.', versions: { since: '2.7' } },
  { value: 'otel', description: 'OpenTelemetry traces.', versions: { since: '2.7' } },
  {
    value: 'zoom',
    description: 'Zoom chat webhook (on notification-controller main after Flux 2.9; not in a 2.9 release).',
    versions: { since: '2.10' },
  },
  {
    value: 'incident.io',
    description: 'incident.io alert (on notification-controller main after Flux 2.9; not in a 2.9 release).',
    versions: { since: '2.10' },
  },
];

/** Provider types whose `serviceAccountName` means something (workload identity). */
export const PROVIDER_TYPES_WITH_SERVICE_ACCOUNT = ['azureeventhub', 'azuredevops', 'googlepubsub'] as const;
/** Provider types that may use `commitStatusExpr` (CRD CEL rule). */
export const PROVIDER_TYPES_WITH_COMMIT_STATUS_EXPR = [
  'github',
  'gitlab',
  'gitea',
  'bitbucketserver',
  'bitbucket',
  'azuredevops',
] as const;

// ---------------------------------------------------------------------------------------------
// Kinds

const SOURCE_GROUP = 'source.toolkit.fluxcd.io';
const IMAGE_GROUP = 'image.toolkit.fluxcd.io';

/** v1 plus the beta versions source-controller served in 2.6/2.7. */
const SOURCE_VERSIONS_WITH_V1BETA1: readonly ApiVersionDef[] = [
  { version: 'v1', served: {}, preferred: true },
  { version: 'v1beta2', served: { until: '2.8' }, deprecated: { until: '2.8' } },
  { version: 'v1beta1', served: { until: '2.7' }, deprecated: { until: '2.7' } },
];

const IMAGE_VERSIONS: readonly ApiVersionDef[] = [
  { version: 'v1', served: { since: '2.7' }, preferred: true },
  { version: 'v1beta2', served: { until: '2.9' }, deprecated: { since: '2.7', until: '2.9' } },
  { version: 'v1beta1', served: { until: '2.7' }, deprecated: { until: '2.7' } },
];

const KINDS_LITERAL = [
  {
    kind: 'OCIRepository',
    group: SOURCE_GROUP,
    apiVersions: [
      { version: 'v1', served: {}, preferred: true },
      { version: 'v1beta2', served: { until: '2.8' }, deprecated: { until: '2.8' } },
    ],
    controller: 'source-controller',
    services: ['acr'],
    summary: 'Pulls an OCI artifact (manifests, Helm chart) from a registry into the cluster.',
    azureWhen: '`spec.provider: azure` and an ACR `spec.url` (`oci://<name>.azurecr.io/...`).',
    fields: [
      {
        path: ['spec', 'url'],
        type: 'string',
        description:
          'Artifact address `oci://<host>/<repository>`. With `provider: azure` the host must be an ACR login server (`*.azurecr.io`, `.us`, `.cn`, `.de`), or Flux fails with "invalid Azure registry".',
        required: true,
        pattern: '^oci://.*$',
        azure: true,
      },
      {
        path: ['spec', 'provider'],
        type: 'string',
        description:
          'Which cloud login source-controller performs for the registry. `azure` exchanges an Entra ID token for an ACR token. **Ignored when `secretRef` (or pull secrets of the ServiceAccount) yields credentials.**',
        enum: CLOUD_PROVIDERS,
        default: 'generic',
        azure: true,
      },
      {
        path: ['spec', 'serviceAccountName'],
        type: 'string',
        description:
          'With `provider: azure`: the ServiceAccount (same namespace) whose `azure.workload.identity/client-id` and `tenant-id` annotations name the managed identity to use (object-level workload identity, needs the `ObjectLevelWorkloadIdentity` gate on source-controller). With `provider: generic`: its `imagePullSecrets` are used as registry credentials.',
        azure: true,
      },
      ...localRef(
        ['spec', 'secretRef'],
        'Secret of type `kubernetes.io/dockerconfigjson` with registry credentials. **Takes precedence over `provider: azure`**: if it yields credentials the Azure login is skipped.',
        true,
      ),
      ...registryConnection(),
      interval('the registry is checked for a new artifact'),
      timeout('registry operations', '60s'),
      suspend(),
    ],
    workloadIdentity: [
      serviceAccountIdentity({
        id: 'ociRepository',
        since: '2.6',
        controller: 'source-controller',
        service: 'acr',
        description: 'Pull from ACR as the managed identity of the ServiceAccount.',
      }),
    ],
    controllerLevel:
      'Set `spec.provider: azure` and leave `spec.serviceAccountName` unset; source-controller uses its own identity (or the AKS kubelet identity).',
    docs: { azure: fluxAzureDocs('acr'), api: FLUX_API_DOCS.OCIRepository },
  },
  {
    kind: 'HelmRepository',
    group: SOURCE_GROUP,
    apiVersions: SOURCE_VERSIONS_WITH_V1BETA1,
    controller: 'source-controller',
    services: ['acr'],
    summary: 'Index of Helm charts; with `type: oci` a registry of OCI Helm charts.',
    azureWhen:
      '`spec.type: oci` and `spec.provider: azure` with an ACR URL. Has **no** `serviceAccountName`, so only controller-level (or kubelet) identity works.',
    fields: [
      {
        path: ['spec', 'url'],
        type: 'string',
        description:
          'Repository address; must start with `oci://` when `type: oci`. For Azure: `oci://<name>.azurecr.io/<path>`.',
        required: true,
        azure: true,
      },
      {
        path: ['spec', 'type'],
        type: 'string',
        description: 'Repository flavour. `provider` is only honoured for `oci`.',
        enum: [
          { value: 'default', description: 'Classic HTTP(S) Helm repository with an `index.yaml`.' },
          { value: 'oci', description: 'OCI registry holding Helm charts (e.g. ACR).', azure: true },
        ],
        default: 'default',
        azure: true,
      },
      {
        path: ['spec', 'provider'],
        type: 'string',
        description:
          'Cloud login for OCI registries. **Ignored unless `type: oci`.** HelmRepository has no per-object identity: `azure` always uses the controller-level identity. For per-tenant ACR identities use an OCIRepository and HelmRelease `chartRef`.',
        enum: CLOUD_PROVIDERS,
        default: 'generic',
        azure: true,
      },
      ...localRef(
        ['spec', 'secretRef'],
        'Secret with registry/repository credentials; wins over `provider` when it yields credentials.',
        true,
      ),
      ...localRef(['spec', 'certSecretRef'], 'Secret with TLS material (`tls.crt`, `tls.key`, `ca.crt`).', false),
      {
        path: ['spec', 'insecure'],
        type: 'boolean',
        description: 'Allow plain-HTTP OCI registries.',
        default: false,
        azure: false,
      },
      interval('the repository index is refreshed', false),
      timeout('index download / registry operations', '60s'),
      suspend(),
    ],
    workloadIdentity: [],
    controllerLevel: 'Set `spec.type: oci` and `spec.provider: azure`; source-controller uses its own identity.',
    docs: { azure: fluxAzureDocs('acr'), api: FLUX_API_DOCS.HelmRepository },
  },
  {
    kind: 'GitRepository',
    group: SOURCE_GROUP,
    apiVersions: SOURCE_VERSIONS_WITH_V1BETA1,
    controller: 'source-controller',
    services: ['azureDevOps'],
    summary: 'Clones a Git repository and publishes a revision as an artifact.',
    azureWhen: '`spec.provider: azure` with an Azure DevOps URL `https://dev.azure.com/{org}/{project}/_git/{repo}`.',
    fields: [
      {
        path: ['spec', 'url'],
        type: 'string',
        description:
          'Repository URL. With `provider: azure` it must be `https://dev.azure.com/{org}/{project}/_git/{repo}` (HTTPS; SSH and `*.visualstudio.com` are not supported for Entra ID auth).',
        required: true,
        pattern: '^(http|https|ssh)://.*$',
        azure: true,
      },
      {
        path: ['spec', 'provider'],
        type: 'string',
        description:
          'How source-controller authenticates to the Git host. `azure` requests an Entra ID token for Azure DevOps and sends it as a bearer token. Unset behaves as `generic` (no CRD default).',
        enum: [
          {
            value: 'generic',
            description: 'Credentials from `secretRef` (basic auth, token or SSH key), or anonymous.',
          },
          {
            value: 'azure',
            description:
              'Entra ID token for Azure DevOps (controller identity, or the ServiceAccount in `serviceAccountName` since Flux 2.7).',
            azure: true,
          },
          { value: 'github', description: 'GitHub App; requires `secretRef` with the App keys.' },
          { value: 'aws', description: 'AWS CodeCommit with IAM credentials.', versions: { since: '2.9' } },
        ],
        azure: true,
      },
      {
        path: ['spec', 'serviceAccountName'],
        type: 'string',
        description:
          'ServiceAccount (same namespace) whose workload-identity annotations name the managed identity used for Azure DevOps. The CRD only accepts it with `provider: azure` (Flux 2.9: `azure` or `aws`). Needs the `ObjectLevelWorkloadIdentity` gate on source-controller.',
        versions: { since: '2.7' },
        azure: true,
      },
      ...localRef(
        ['spec', 'secretRef'],
        'Secret with Git credentials (`username`/`password`, `bearerToken`, SSH `identity`, or GitHub App keys).',
        false,
      ),
      ...localRef(
        ['spec', 'proxySecretRef'],
        'Secret with proxy `address` (and optional `username`/`password`).',
        false,
      ),
      {
        path: ['spec', 'ref'],
        type: 'object',
        description: 'Branch, tag, semver range, name or commit to check out.',
        azure: false,
      },
      interval('the remote is fetched'),
      timeout('Git operations', '60s'),
      suspend(),
    ],
    workloadIdentity: [
      serviceAccountIdentity({
        id: 'gitRepository',
        since: '2.7',
        controller: 'source-controller',
        service: 'azureDevOps',
        description: 'Clone from Azure DevOps as the managed identity of the ServiceAccount.',
      }),
    ],
    controllerLevel: 'Set `spec.provider: azure` and leave `spec.serviceAccountName` unset (works since Flux 2.4).',
    docs: { azure: fluxAzureDocs('ado'), api: FLUX_API_DOCS.GitRepository },
  },
  {
    kind: 'Bucket',
    group: SOURCE_GROUP,
    apiVersions: SOURCE_VERSIONS_WITH_V1BETA1,
    controller: 'source-controller',
    services: ['blobStorage'],
    summary: 'Downloads objects from an S3-compatible bucket, GCS or an Azure Blob container.',
    azureWhen:
      '`spec.provider: azure`, `spec.endpoint` = storage account blob endpoint, `spec.bucketName` = container.',
    fields: [
      {
        path: ['spec', 'provider'],
        type: 'string',
        description:
          'Storage API to talk to. `azure` uses the Azure Blob SDK with Entra ID (or shared key / SAS from `secretRef`).',
        enum: [
          { value: 'generic', description: 'S3-compatible API with static keys (Minio, etc.).' },
          { value: 'aws', description: 'Amazon S3 with IAM.' },
          { value: 'gcp', description: 'Google Cloud Storage.' },
          { value: 'azure', description: 'Azure Blob Storage.', azure: true },
        ],
        default: 'generic',
        azure: true,
      },
      {
        path: ['spec', 'bucketName'],
        type: 'string',
        description: 'For Azure: the **blob container** name.',
        required: true,
        azure: true,
      },
      {
        path: ['spec', 'endpoint'],
        type: 'string',
        description:
          'For Azure: the account endpoint `https://<account>.blob.core.windows.net` (US Gov `.usgovcloudapi.net`, China `.chinacloudapi.cn`). The account name is read from the first DNS label.',
        required: true,
        azure: true,
      },
      {
        path: ['spec', 'serviceAccountName'],
        type: 'string',
        description:
          'ServiceAccount (same namespace) whose workload-identity annotations name the managed identity for Blob access. Rejected by the CRD with `provider: generic` (also when unset) and together with `secretRef`. Needs the `ObjectLevelWorkloadIdentity` gate on source-controller.',
        versions: { since: '2.7' },
        azure: true,
      },
      ...localRef(
        ['spec', 'secretRef'],
        'Secret with Azure credentials: `tenantId`+`clientId`+`clientSecret`, `tenantId`+`clientId`+`clientCertificate`, `clientId` (managed identity), `accountKey` or `sasKey`; optional `authorityHost`. Cannot be combined with `serviceAccountName`.',
        true,
      ),
      {
        path: ['spec', 'prefix'],
        type: 'string',
        description:
          'Only download objects whose key starts with this prefix (fixed for Azure in source-controller 1.8.2).',
        azure: false,
      },
      {
        path: ['spec', 'sts'],
        type: 'object',
        description: 'Security Token Service settings; only for `aws` and `generic` providers (CRD rule).',
        azure: false,
      },
      ...localRef(['spec', 'certSecretRef'], 'TLS material; documented for the `generic` provider only.', false),
      ...localRef(
        ['spec', 'proxySecretRef'],
        'Secret with proxy `address` (and optional `username`/`password`).',
        false,
      ),
      {
        path: ['spec', 'insecure'],
        type: 'boolean',
        description: 'Allow plain-HTTP endpoints.',
        default: false,
        azure: false,
      },
      interval('the bucket is checked for changes'),
      timeout('download operations', '60s'),
      suspend(),
    ],
    workloadIdentity: [
      serviceAccountIdentity({
        id: 'bucket',
        since: '2.7',
        controller: 'source-controller',
        service: 'blobStorage',
        description: 'Read the container as the managed identity of the ServiceAccount.',
      }),
    ],
    controllerLevel:
      'Set `spec.provider: azure`, no `secretRef`, no `serviceAccountName`: the chain is environment credential → workload identity → managed identity; with none the container is read anonymously.',
    docs: { azure: fluxAzureDocs('blob'), api: FLUX_API_DOCS.Bucket },
  },
  {
    kind: 'ImageRepository',
    group: IMAGE_GROUP,
    apiVersions: IMAGE_VERSIONS,
    controller: 'image-reflector-controller',
    services: ['acr'],
    summary: 'Scans an image repository for tags.',
    azureWhen: '`spec.provider: azure` and an ACR `spec.image`.',
    fields: [
      {
        path: ['spec', 'image'],
        type: 'string',
        description:
          'Image repository without tag, e.g. `myregistry.azurecr.io/app`. With `provider: azure` the host must be an ACR login server.',
        required: true,
        azure: true,
      },
      {
        path: ['spec', 'provider'],
        type: 'string',
        description:
          'Cloud login for the registry. Since Flux 2.7 this is the only way to get ACR login (the `--azure-autologin-for-acr` flag was removed). Ignored when `secretRef` yields credentials.',
        enum: CLOUD_PROVIDERS,
        default: 'generic',
        azure: true,
      },
      {
        path: ['spec', 'serviceAccountName'],
        type: 'string',
        description:
          'With `provider: azure`: ServiceAccount whose workload-identity annotations name the managed identity (needs the `ObjectLevelWorkloadIdentity` gate on image-reflector-controller). With `generic`: its `imagePullSecrets` are the credentials.',
        maxLength: 253,
        azure: true,
      },
      ...localRef(
        ['spec', 'secretRef'],
        'Secret of type `kubernetes.io/dockerconfigjson`. Wins over `provider: azure` when it yields credentials.',
        true,
      ),
      ...registryConnection(),
      {
        path: ['spec', 'exclusionList'],
        type: 'array',
        description: 'Regular expressions of tags to ignore (at most 25).',
        azure: false,
      },
      interval('the registry is scanned'),
      {
        path: ['spec', 'timeout'],
        type: 'duration',
        description: 'Time limit for a registry scan.',
        pattern: TIMEOUT,
        azure: false,
      },
      suspend(),
    ],
    workloadIdentity: [
      serviceAccountIdentity({
        id: 'imageRepository',
        since: '2.6',
        controller: 'image-reflector-controller',
        service: 'acr',
        description: 'List ACR tags as the managed identity of the ServiceAccount.',
      }),
    ],
    controllerLevel: 'Set `spec.provider: azure` and leave `spec.serviceAccountName` unset.',
    docs: { azure: fluxAzureDocs('acr'), api: FLUX_API_DOCS.ImageRepository },
  },
  {
    kind: 'ImagePolicy',
    group: IMAGE_GROUP,
    apiVersions: IMAGE_VERSIONS,
    controller: 'image-reflector-controller',
    services: ['acr'],
    summary: 'Picks the latest image tag of an ImageRepository by a policy (semver, alphabetical, numerical).',
    azureWhen: 'Indirectly: digest lookups reuse the authentication of the referenced ImageRepository.',
    fields: [
      ...localRef(
        ['spec', 'imageRepositoryRef'],
        'The ImageRepository whose tags are evaluated (may name another namespace if allowed).',
        true,
      ),
      {
        path: ['spec', 'digestReflectionPolicy'],
        type: 'string',
        description:
          'Whether the selected tag is resolved to a digest in `.status.latestRef.digest` (uses the ImageRepository credentials).',
        enum: [
          { value: 'Never', description: 'Do not look up digests.' },
          { value: 'IfNotPresent', description: 'Look up the digest once per selected tag.' },
          { value: 'Always', description: 'Re-resolve the digest every `interval` (requires `interval`).' },
        ],
        default: 'Never',
        azure: false,
      },
      {
        path: ['spec', 'interval'],
        type: 'duration',
        description: 'Digest refresh period. Only accepted, and then required, when `digestReflectionPolicy: Always`.',
        pattern: DURATION,
        azure: false,
      },
      {
        path: ['spec', 'policy'],
        type: 'object',
        description: 'Tag ordering rule: `semver`, `alphabetical` or `numerical`.',
        required: true,
        azure: false,
      },
      {
        path: ['spec', 'filterTags'],
        type: 'object',
        description: 'Regex filter/extract applied to tags before the policy.',
        azure: false,
      },
    ],
    workloadIdentity: [],
    controllerLevel: 'Inherits from the referenced ImageRepository.',
    docs: { azure: fluxAzureDocs('acr'), api: FLUX_API_DOCS.ImagePolicy },
  },
  {
    kind: 'ImageUpdateAutomation',
    group: IMAGE_GROUP,
    apiVersions: IMAGE_VERSIONS,
    controller: 'image-automation-controller',
    services: ['azureDevOps'],
    summary: 'Rewrites image references in a Git repository and pushes the commit.',
    azureWhen:
      'When the referenced GitRepository uses `provider: azure`; authentication comes from that GitRepository.',
    fields: [
      {
        path: ['spec', 'sourceRef'],
        type: 'object',
        description:
          'The GitRepository to update; its `provider` and `serviceAccountName` decide how pushes to Azure DevOps authenticate.',
        required: true,
        azure: true,
      },
      {
        path: ['spec', 'sourceRef', 'kind'],
        type: 'string',
        description: 'Must be `GitRepository`.',
        enum: [{ value: 'GitRepository', description: 'The only supported source.' }],
        required: true,
        azure: false,
      },
      {
        path: ['spec', 'sourceRef', 'name'],
        type: 'string',
        description: 'Name of the GitRepository.',
        required: true,
        azure: true,
      },
      {
        path: ['spec', 'sourceRef', 'namespace'],
        type: 'string',
        description: "Namespace of the GitRepository (defaults to this object's).",
        azure: false,
      },
      { path: ['spec', 'git'], type: 'object', description: 'Checkout, commit and push settings.', azure: false },
      {
        path: ['spec', 'git', 'checkout'],
        type: 'object',
        description: 'Branch to check out (defaults to the GitRepository ref).',
        azure: false,
      },
      {
        path: ['spec', 'git', 'commit'],
        type: 'object',
        description: 'Author, signing key and message template.',
        required: true,
        azure: false,
      },
      {
        path: ['spec', 'git', 'push'],
        type: 'object',
        description:
          'Branch / refspec to push to. Azure DevOps needs the identity in the project **Contributors** group.',
        azure: true,
      },
      { path: ['spec', 'update'], type: 'object', description: 'Where and how to apply updates.', azure: false },
      {
        path: ['spec', 'update', 'path'],
        type: 'string',
        description: 'Directory to scan for image policy markers.',
        azure: false,
      },
      {
        path: ['spec', 'update', 'strategy'],
        type: 'string',
        description: 'Update strategy (optional since Flux 2.7).',
        enum: [{ value: 'Setters', description: 'Replace values marked with `# {"$imagepolicy": ...}` comments.' }],
        default: 'Setters',
        azure: false,
      },
      interval('the automation runs'),
      suspend(),
    ],
    workloadIdentity: [
      {
        id: 'imageUpdateAutomation',
        serviceAccountField: ['spec', 'sourceRef'],
        via: 'gitRepositoryRef',
        requires: { path: ['spec', 'provider'], values: ['azure'] },
        versions: { since: '2.7' },
        gateControllers: ['image-automation-controller', 'source-controller'],
        service: 'azureDevOps',
        description:
          "Push to Azure DevOps as the managed identity named by the GitRepository's `serviceAccountName`; image-automation-controller needs the gate too.",
      },
    ],
    controllerLevel:
      'The referenced GitRepository sets `provider: azure` without `serviceAccountName`; image-automation-controller needs its own identity patch.',
    docs: { azure: fluxAzureDocs('ado'), api: FLUX_API_DOCS.ImageUpdateAutomation },
  },
  {
    kind: 'Kustomization',
    group: 'kustomize.toolkit.fluxcd.io',
    apiVersions: [
      { version: 'v1', served: {}, preferred: true },
      { version: 'v1beta2', served: { until: '2.8' }, deprecated: { until: '2.8' } },
      { version: 'v1beta1', served: { until: '2.7' }, deprecated: { until: '2.7' } },
    ],
    controller: 'kustomize-controller',
    services: ['keyVault', 'aks'],
    summary:
      'Builds a kustomize overlay from a source and applies it, optionally decrypting SOPS secrets and targeting a remote cluster.',
    azureWhen:
      'SOPS decryption with Key Vault keys (`spec.decryption`), or a remote AKS cluster via `spec.kubeConfig.configMapRef` (Flux 2.7+).',
    fields: [
      {
        path: ['spec', 'sourceRef'],
        type: 'object',
        description: 'Source artifact to build (GitRepository, OCIRepository, Bucket, ...).',
        required: true,
        azure: false,
      },
      { path: ['spec', 'path'], type: 'string', description: 'Directory inside the artifact to build.', azure: false },
      interval('the Kustomization is reconciled'),
      {
        path: ['spec', 'prune'],
        type: 'boolean',
        description: 'Delete objects removed from the source.',
        required: true,
        azure: false,
      },
      {
        path: ['spec', 'serviceAccountName'],
        type: 'string',
        description:
          '**Kubernetes impersonation** for applying manifests, not Azure authentication. For Key Vault SOPS workload identity use `spec.decryption.serviceAccountName`.',
        azure: false,
      },
      {
        path: ['spec', 'decryption'],
        type: 'object',
        description: 'SOPS decryption of Secrets during apply.',
        azure: true,
      },
      {
        path: ['spec', 'decryption', 'provider'],
        type: 'string',
        description:
          "Decryption engine; only `sops`. The key type (Key Vault, age, PGP, ...) comes from the encrypted file's metadata.",
        enum: [{ value: 'sops', description: 'Mozilla SOPS.' }],
        required: true,
        azure: false,
      },
      {
        path: ['spec', 'decryption', 'serviceAccountName'],
        type: 'string',
        description:
          'ServiceAccount (same namespace) whose workload-identity annotations name the managed identity used for Key Vault `decrypt`. Needs the `ObjectLevelWorkloadIdentity` gate on kustomize-controller. Static credentials in `decryption.secretRef` take priority.',
        versions: { since: '2.6' },
        azure: true,
      },
      ...localRef(
        ['spec', 'decryption', 'secretRef'],
        'Secret with decryption keys; for Key Vault the key `sops.azure-kv` holds a nested YAML/JSON credentials document.',
        true,
      ),
      {
        path: ['spec', 'kubeConfig'],
        type: 'object',
        description: 'Apply to a remote cluster. Exactly one of `configMapRef` / `secretRef`.',
        azure: true,
      },
      ...localRef(
        ['spec', 'kubeConfig', 'configMapRef'],
        'ConfigMap describing a remote cluster reached with Entra ID: `provider: azure`, `cluster` (AKS ARM id), optional `address`, `ca.crt`, `audiences`, `serviceAccountName`.',
        true,
        { versions: { since: '2.7' } },
      ),
      ...localRef(
        ['spec', 'kubeConfig', 'secretRef'],
        'Secret holding a static kubeconfig (e.g. the AKS cluster-admin kubeconfig when Entra ID integration is off).',
        false,
      ),
      {
        path: ['spec', 'kubeConfig', 'secretRef', 'key'],
        type: 'string',
        description: 'Key in the Secret holding the kubeconfig (defaults to `value` / `value.yaml`).',
        azure: false,
      },
      {
        path: ['spec', 'targetNamespace'],
        type: 'string',
        description: 'Namespace to set on all applied objects.',
        azure: false,
      },
      suspend(),
    ],
    workloadIdentity: [
      {
        id: 'sopsKeyVault',
        serviceAccountField: ['spec', 'decryption', 'serviceAccountName'],
        versions: { since: '2.6' },
        gateControllers: ['kustomize-controller'],
        service: 'keyVault',
        description: 'Decrypt SOPS data keys in Key Vault as the managed identity of the ServiceAccount.',
      },
      {
        id: 'kustomizationRemoteAks',
        serviceAccountField: ['spec', 'kubeConfig', 'configMapRef', 'name'],
        via: 'kubeConfigConfigMap',
        versions: { since: '2.7' },
        gateControllers: ['kustomize-controller'],
        service: 'aks',
        description: "Reach a remote AKS cluster as the managed identity of the ConfigMap's `serviceAccountName`.",
      },
    ],
    controllerLevel:
      'SOPS: leave `spec.decryption.serviceAccountName` unset (there is no provider field). Remote AKS: ConfigMap `provider: azure` without `serviceAccountName`.',
    docs: { azure: fluxAzureDocs('keyVault'), api: FLUX_API_DOCS.Kustomization },
  },
  {
    kind: 'HelmRelease',
    group: 'helm.toolkit.fluxcd.io',
    apiVersions: [
      { version: 'v2', served: {}, preferred: true },
      { version: 'v2beta2', served: { until: '2.8' }, deprecated: { until: '2.8' } },
      { version: 'v2beta1', served: { until: '2.7' }, deprecated: { until: '2.7' } },
    ],
    controller: 'helm-controller',
    services: ['aks'],
    summary: 'Installs and upgrades a Helm chart.',
    azureWhen:
      'Remote AKS cluster via `spec.kubeConfig.configMapRef` (Flux 2.7+). ACR charts are fetched by source-controller (`chartRef` to an OCIRepository).',
    fields: [
      {
        path: ['spec', 'chartRef'],
        type: 'object',
        description:
          'Reference to an OCIRepository or HelmChart holding the chart. Prefer an OCIRepository for ACR charts: it supports per-object workload identity, HelmRepository does not.',
        azure: true,
      },
      {
        path: ['spec', 'chart'],
        type: 'object',
        description: 'Inline HelmChart template (chart name, version, sourceRef).',
        azure: false,
      },
      {
        path: ['spec', 'serviceAccountName'],
        type: 'string',
        description: '**Kubernetes impersonation** for Helm actions, not Azure authentication.',
        azure: false,
      },
      {
        path: ['spec', 'kubeConfig'],
        type: 'object',
        description: 'Install into a remote cluster. Exactly one of `configMapRef` / `secretRef`.',
        azure: true,
      },
      ...localRef(
        ['spec', 'kubeConfig', 'configMapRef'],
        'ConfigMap describing a remote cluster reached with Entra ID: `provider: azure`, `cluster` (AKS ARM id), optional `address`, `ca.crt`, `audiences`, `serviceAccountName`.',
        true,
        { versions: { since: '2.7' } },
      ),
      ...localRef(['spec', 'kubeConfig', 'secretRef'], 'Secret holding a static kubeconfig.', false),
      interval('the release is reconciled'),
      suspend(),
    ],
    workloadIdentity: [
      {
        id: 'helmReleaseRemoteAks',
        serviceAccountField: ['spec', 'kubeConfig', 'configMapRef', 'name'],
        via: 'kubeConfigConfigMap',
        versions: { since: '2.7' },
        gateControllers: ['helm-controller'],
        service: 'aks',
        description: "Reach a remote AKS cluster as the managed identity of the ConfigMap's `serviceAccountName`.",
      },
    ],
    controllerLevel:
      'Remote AKS: ConfigMap `provider: azure` without `serviceAccountName`; helm-controller gets the identity patch.',
    docs: { azure: fluxAzureDocs('aks'), api: FLUX_API_DOCS.HelmRelease },
  },
  {
    kind: 'Provider',
    group: 'notification.toolkit.fluxcd.io',
    apiVersions: [
      { version: 'v1beta3', served: {}, preferred: true },
      { version: 'v1beta2', served: { until: '2.9' }, deprecated: { until: '2.9' } },
      { version: 'v1beta1', served: { until: '2.7' }, deprecated: { until: '2.7' } },
    ],
    controller: 'notification-controller',
    services: ['azureDevOps', 'eventHubs', 'teams'],
    summary: 'Destination for Flux alerts (chat, commit status, event stream).',
    azureWhen:
      '`spec.type` is `azuredevops` (commit status), `azureeventhub` (Event Hubs) or `msteams` (Teams webhook, no Entra ID).',
    fields: [
      {
        path: ['spec', 'type'],
        type: 'string',
        description: 'Which notifier to use.',
        enum: PROVIDER_TYPES,
        required: true,
        azure: true,
      },
      {
        path: ['spec', 'address'],
        type: 'string',
        description:
          'Meaning depends on `type`. `azuredevops`: `https://dev.azure.com/{org}/{project}/_git/{repo}`. `azureeventhub` with Entra ID: the **event hub name**. `msteams`: webhook URL (or put it in the Secret key `address`).',
        maxLength: 2048,
        azure: true,
      },
      {
        path: ['spec', 'channel'],
        type: 'string',
        description:
          '`azureeventhub` with Entra ID: the **Event Hubs namespace** (short name gets the cloud suffix from `AZURE_AUTHORITY_HOST`, or a full `*.servicebus.*` host). Not used by `msteams`.',
        maxLength: 2048,
        azure: true,
      },
      {
        path: ['spec', 'username'],
        type: 'string',
        description: 'Display name for chat providers.',
        maxLength: 2048,
        azure: false,
      },
      {
        path: ['spec', 'serviceAccountName'],
        type: 'string',
        description:
          'ServiceAccount whose workload-identity annotations name the managed identity. Meaningful for `azureeventhub` (Flux 2.6+), `azuredevops` (2.7+) and `googlepubsub`; an error if the Secret also holds static credentials. Needs the `ObjectLevelWorkloadIdentity` gate on notification-controller.',
        versions: { since: '2.6' },
        azure: true,
      },
      ...localRef(
        ['spec', 'secretRef'],
        'Secret with `address`, `token`, `username`, `password` or `headers`. `azuredevops`: `token` = PAT. `azureeventhub`: `address` = SAS connection string (or deprecated JWT `token`).',
        true,
      ),
      ...localRef(
        ['spec', 'proxySecretRef'],
        'Secret with proxy `address` (and optional `username`/`password`).',
        false,
        { versions: { since: '2.7' } },
      ),
      {
        path: ['spec', 'proxy'],
        type: 'string',
        description: 'Proxy URL.',
        deprecated: 'Use `proxySecretRef`.',
        azure: false,
      },
      ...localRef(['spec', 'certSecretRef'], 'Secret with `ca.crt` (and optionally `tls.crt`/`tls.key`).', false),
      timeout('sending an alert', '15s'),
      suspend(),
      {
        path: ['spec', 'commitStatusExpr'],
        type: 'string',
        description: 'CEL expression producing the commit-status key; only for git providers including `azuredevops`.',
        azure: false,
      },
      {
        path: ['spec', 'interval'],
        type: 'duration',
        description: 'Unused in v1beta3.',
        deprecated: 'Not used by v1beta3.',
        azure: false,
      },
    ],
    workloadIdentity: [
      serviceAccountIdentity({
        id: 'providerEventHub',
        when: { type: 'azureeventhub' },
        since: '2.6',
        controller: 'notification-controller',
        service: 'eventHubs',
        description: 'Send to Event Hubs as the managed identity of the ServiceAccount.',
      }),
      serviceAccountIdentity({
        id: 'providerAzureDevOps',
        when: { type: 'azuredevops' },
        since: '2.7',
        controller: 'notification-controller',
        service: 'azureDevOps',
        description: 'Write Azure DevOps commit statuses as the managed identity of the ServiceAccount.',
      }),
    ],
    controllerLevel:
      'No `secretRef` credentials and no `serviceAccountName`: notification-controller uses its own identity.',
    docs: { azure: fluxAzureDocs('eventHubs'), api: FLUX_API_DOCS.Provider },
  },
] as const satisfies readonly KindShape[];

export type FluxKind = (typeof KINDS_LITERAL)[number]['kind'];

export interface KindDef extends Omit<KindShape, 'kind'> {
  readonly kind: FluxKind;
}

export const KINDS: readonly KindDef[] = KINDS_LITERAL;
export const FLUX_KINDS: readonly FluxKind[] = KINDS.map((k) => k.kind);

export function isFluxKind(kind: string): kind is FluxKind {
  return (FLUX_KINDS as readonly string[]).includes(kind);
}

/** Definition for a kind name (group not checked). */
export function kindByName(kind: string): KindDef | undefined {
  return KINDS.find((k) => k.kind === kind);
}

export interface KindLookup {
  readonly def: KindDef;
  readonly group: string;
  /** Version part of the apiVersion, e.g. 'v1beta2'. */
  readonly version: string;
  /** The catalog entry for that version, when known. */
  readonly versionDef?: ApiVersionDef;
  /** False when the version is not in the catalog (typo, or newer than the catalog). */
  readonly knownVersion: boolean;
}

/**
 * Resolves `apiVersion` + `kind` to a catalog kind. Returns undefined for unknown group/kind
 * (e.g. kustomize.config.k8s.io Kustomization); returns the kind with `knownVersion: false`
 * when only the version is unknown.
 */
export function kindDef(apiVersion: string, kind: string): KindLookup | undefined {
  const slash = apiVersion.indexOf('/');
  if (slash < 0) return undefined;
  const group = apiVersion.slice(0, slash).trim();
  const version = apiVersion.slice(slash + 1).trim();
  const def = KINDS.find((k) => k.kind === kind && k.group === group);
  if (!def) return undefined;
  const versionDef = (def.apiVersions as readonly ApiVersionDef[]).find((v) => v.version === version);
  return versionDef
    ? { def, group, version, versionDef, knownVersion: true }
    : { def, group, version, knownVersion: false };
}

/** Field definition by exact path (kind name or definition). */
export function fieldDef(kind: string | KindDef, path: readonly string[]): FieldDef | undefined {
  const def = typeof kind === 'string' ? kindByName(kind) : kind;
  if (!def) return undefined;
  return def.fields.find((f) => f.path.length === path.length && f.path.every((seg, i) => seg === path[i]));
}

/** Direct child fields of `path` (for completion of keys). */
export function childFields(kind: string | KindDef, path: readonly string[]): FieldDef[] {
  const def = typeof kind === 'string' ? kindByName(kind) : kind;
  if (!def) return [];
  return def.fields.filter((f) => f.path.length === path.length + 1 && path.every((seg, i) => f.path[i] === seg));
}

/** Enum values of a field that exist in `version` (all when no version). */
export function enumValuesFor(field: FieldDef, version?: string): EnumValueDef[] {
  return (field.enum ?? []).filter((e) => version === undefined || inRange(version, e.versions));
}

/** `group/version` strings of a kind served in `version` (preferred first). */
export function servedApiVersions(def: KindDef, version: string): string[] {
  return def.apiVersions.filter((v) => inRange(version, v.served)).map((v) => `${def.group}/${v.version}`);
}

/** The preferred `group/version` of a kind in a Flux version. */
export function preferredApiVersion(def: KindDef, version?: string): string {
  const v = def.apiVersions.find((a) => a.preferred && (version === undefined || inRange(version, a.served)));
  const fallback = version === undefined ? def.apiVersions[0] : def.apiVersions.find((a) => inRange(version, a.served));
  return `${def.group}/${(v ?? fallback ?? def.apiVersions[0])?.version ?? ''}`;
}

/** Kinds (with their workload identity uses) whose object-level WI needs a gate on `controller`. */
export function workloadIdentityUsesFor(controller: ControllerName): { kind: FluxKind; use: WorkloadIdentityUseDef }[] {
  const out: { kind: FluxKind; use: WorkloadIdentityUseDef }[] = [];
  for (const k of KINDS) {
    for (const use of k.workloadIdentity as readonly WorkloadIdentityUseDef[]) {
      if (use.gateControllers.includes(controller)) out.push({ kind: k.kind, use });
    }
  }
  return out;
}
