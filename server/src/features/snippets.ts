import {
  ANNOTATION_CLIENT_ID,
  ANNOTATION_TENANT_ID,
  ASO_RESOURCES,
  AZURE_CLOUDS,
  AZURE_SERVICES,
  BUCKET_AZURE_KEY_SETS,
  FLUX_NAMESPACE,
  LATEST_FLUX_VERSION,
  OLDEST_FLUX_VERSION,
  PATCH_ACTIONS,
  PROVIDER_SECRET_KEYS,
  ROLES,
  SCOPE_FORMATS,
  SOPS_AZURE_KV_COMBINATIONS,
  SOPS_AZURE_KV_KEY,
  WORKLOAD_IDENTITY_AUDIENCE,
  aksControllerPatches,
  appCertificatePatch,
  controllersForAction,
  gatePatch,
  kindByName,
  nonAksControllerPatch,
  preferredApiVersion,
  roleDefinitionId,
  serviceAccountSubject,
  type AsoKind,
  type ControllerName,
  type PatchActionId,
  type PatchEntry,
} from '../catalog';
import { patchEntryToYaml } from '../document/emit';

/**
 * The snippets of `snippets/flux-azure.code-snippets`, built from the catalog so that no field name, API version,
 * annotation, role GUID or host is written twice. `scripts/gen-contributions.mjs` (run by `scripts/build.mjs`) regenerates the file from this module; a unit
 * test checks the committed file equals the output.
 *
 * Bodies use VS Code snippet syntax: `${1:default}` tab stops, `${1|a,b|}` choices, `$1` mirrors.
 */

export interface Snippet {
  readonly prefix: string;
  readonly description: string;
  readonly body: readonly string[];
}

/** Every snippet prefix starts with this stem, so typing it lists them all. */
export const SNIPPET_PREFIX = 'flux-azure-';

/** Escapes literal text for a snippet body. */
function lit(text: string): string {
  return text.replace(/[$}\\]/g, '\\$&');
}

/** Numbered tab stops for one snippet, in the order they are created. */
class Stops {
  private n = 0;
  private readonly named = new Map<string, number>();

  /** `${n:default}`; the same `name` again gives the mirror `$n`. */
  stop(name: string, placeholder = name): string {
    const seen = this.named.get(name);
    if (seen !== undefined) return `$${seen}`;
    const n = ++this.n;
    this.named.set(name, n);
    return `\${${n}:${lit(placeholder)}}`;
  }

  /** `${n|a,b|}`; a single option is written literally. */
  choice(name: string, options: readonly string[]): string {
    const unique = [...new Set(options)];
    if (unique.length === 1) return lit(unique[0]!);
    const seen = this.named.get(name);
    if (seen !== undefined) return `$${seen}`;
    const n = ++this.n;
    this.named.set(name, n);
    return `\${${n}|${unique.map((o) => o.replace(/[,|\\]/g, '\\$&').replace(/\$/g, '\\$')).join(',')}|}`;
  }

  /** The final cursor position. */
  end(): string {
    return '$0';
  }
}

function apiVersion(s: Stops, kind: string): string {
  const def = kindByName(kind);
  if (!def) throw new Error(`snippet for unknown kind ${kind}`);
  return s.choice('apiVersion', [
    preferredApiVersion(def, LATEST_FLUX_VERSION),
    preferredApiVersion(def, OLDEST_FLUX_VERSION),
  ]);
}

function metadata(s: Stops, name: string, namespace: string = FLUX_NAMESPACE): string[] {
  return ['metadata:', `  name: ${s.stop('name', name)}`, `  namespace: ${s.stop('namespace', namespace)}`];
}

const acrSuffixes = AZURE_CLOUDS.flatMap((c) => c.acrSuffixes);
const blobSuffixes = AZURE_CLOUDS.map((c) => c.blobSuffix);
const authorityHosts = AZURE_CLOUDS.map((c) => c.authorityHost);

/** An ACR host: the registry name (a tab stop) and the cloud's suffix. */
const acrHost = (s: Stops) => `${s.stop('registry')}${s.choice('acrSuffix', acrSuffixes)}`;

/** An Azure DevOps repository URL with its organization, project and repository as tab stops. */
const azureDevOpsUrl = (s: Stops) =>
  `https://dev.azure.com/${s.stop('organization')}/${s.stop('project')}/_git/${s.stop('repository')}`;

/** The spec of a Kustomization applying a path of a source, up to `decryption.provider: sops`. */
const sopsKustomizationSpec = (s: Stops) => [
  `  interval: ${s.stop('interval', '10m')}`,
  `  path: ${s.stop('path', './apps')}`,
  '  prune: true',
  '  sourceRef:',
  `    kind: ${s.choice('sourceKind', ['GitRepository', 'OCIRepository', 'Bucket'])}`,
  `    name: ${s.stop('source', 'flux-system')}`,
  '  decryption:',
  '    provider: sops',
];

/** A Flux source/object manifest with `provider: azure`. */
function fluxObject(kind: string, name: string, spec: (s: Stops) => string[]): (s: Stops) => string[] {
  return (s) => [`apiVersion: ${apiVersion(s, kind)}`, `kind: ${kind}`, ...metadata(s, name), 'spec:', ...spec(s)];
}

interface SnippetDef {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly body: (s: Stops) => string[];
}

const FLUX_OBJECTS: SnippetDef[] = [
  {
    id: 'ocirepository',
    title: 'OCIRepository from ACR',
    description:
      'OCIRepository pulling from Azure Container Registry with provider azure (controller or kubelet identity).',
    body: fluxObject('OCIRepository', 'app', (s) => [
      `  interval: ${s.stop('interval', '5m')}`,
      `  url: oci://${acrHost(s)}/${s.stop('repository', 'manifests/app')}`,
      '  ref:',
      `    tag: ${s.stop('tag', 'latest')}`,
      '  provider: azure',
      s.end(),
    ]),
  },
  {
    id: 'helmrepository-oci',
    title: 'HelmRepository (OCI) from ACR',
    description:
      'OCI HelmRepository on Azure Container Registry with provider azure (controller-level only: no serviceAccountName).',
    body: fluxObject('HelmRepository', 'charts', (s) => [
      `  interval: ${s.stop('interval', '10m')}`,
      '  type: oci',
      `  url: oci://${acrHost(s)}/${s.stop('repository', 'helm')}`,
      '  provider: azure',
      s.end(),
    ]),
  },
  {
    id: 'gitrepository-ado',
    title: 'GitRepository from Azure DevOps',
    description: 'GitRepository cloning an Azure DevOps repository over HTTPS with provider azure (Entra ID).',
    body: fluxObject('GitRepository', 'fleet', (s) => [
      `  interval: ${s.stop('interval', '1m')}`,
      `  url: ${azureDevOpsUrl(s)}`,
      '  ref:',
      `    branch: ${s.stop('branch', 'main')}`,
      '  provider: azure',
      s.end(),
    ]),
  },
  {
    id: 'bucket',
    title: 'Bucket on Azure Blob Storage',
    description: 'Bucket reading a Blob Storage container with provider azure.',
    body: fluxObject('Bucket', 'artifacts', (s) => [
      `  interval: ${s.stop('interval', '5m')}`,
      '  provider: azure',
      `  bucketName: ${s.stop('container')}`,
      `  endpoint: https://${s.stop('account', 'storageaccount')}${s.choice('blobSuffix', blobSuffixes)}`,
      s.end(),
    ]),
  },
  {
    id: 'imagerepository',
    title: 'ImageRepository on ACR',
    description: 'ImageRepository scanning tags in Azure Container Registry with provider azure.',
    body: fluxObject('ImageRepository', 'app', (s) => [
      `  image: ${acrHost(s)}/${s.stop('repository', 'app')}`,
      `  interval: ${s.stop('interval', '5m')}`,
      '  provider: azure',
      s.end(),
    ]),
  },
  {
    id: 'imagepolicy',
    title: 'ImagePolicy',
    description:
      'ImagePolicy selecting the latest tag of an ImageRepository (ACR auth comes from the ImageRepository).',
    body: fluxObject('ImagePolicy', 'app', (s) => [
      '  imageRepositoryRef:',
      `    name: ${s.stop('imageRepository', 'app')}`,
      '  policy:',
      '    semver:',
      `      range: '${s.stop('range', '>=1.0.0')}'`,
      s.end(),
    ]),
  },
  {
    id: 'imageupdateautomation',
    title: 'ImageUpdateAutomation pushing to Azure DevOps',
    description:
      'ImageUpdateAutomation committing to the Azure DevOps GitRepository it references (auth from that GitRepository).',
    body: fluxObject('ImageUpdateAutomation', 'fleet', (s) => [
      `  interval: ${s.stop('interval', '30m')}`,
      '  sourceRef:',
      '    kind: GitRepository',
      `    name: ${s.stop('gitRepository', 'fleet')}`,
      '  git:',
      '    checkout:',
      '      ref:',
      `        branch: ${s.stop('branch', 'main')}`,
      '    commit:',
      '      author:',
      `        name: ${s.stop('author', 'fluxcdbot')}`,
      `        email: ${s.stop('email', 'fluxcdbot@users.noreply.github.com')}`,
      '    push:',
      `      branch: ${s.stop('branch', 'main')}`,
      '  update:',
      `    path: ${s.stop('path', './apps')}`,
      '    strategy: Setters',
      s.end(),
    ]),
  },
  {
    id: 'kustomization-sops-workload-identity',
    title: 'Kustomization decrypting SOPS with Key Vault (workload identity)',
    description:
      'Kustomization that decrypts SOPS secrets with Azure Key Vault as the managed identity of a ServiceAccount (object level, needs the ObjectLevelWorkloadIdentity gate on kustomize-controller).',
    body: fluxObject('Kustomization', 'apps', (s) => [
      ...sopsKustomizationSpec(s),
      `    serviceAccountName: ${s.stop('serviceAccount', 'sops-keyvault')}`,
      s.end(),
    ]),
  },
  {
    id: 'kustomization-sops-secret',
    title: 'Kustomization decrypting SOPS with Key Vault (Secret)',
    description: `Kustomization that decrypts SOPS secrets with Azure Key Vault using the credentials in a Secret with key \`${SOPS_AZURE_KV_KEY}\`.`,
    body: fluxObject('Kustomization', 'apps', (s) => [
      ...sopsKustomizationSpec(s),
      '    secretRef:',
      `      name: ${s.stop('secret', 'sops-azure')}`,
      s.end(),
    ]),
  },
  {
    id: 'provider-azuredevops',
    title: 'Provider azuredevops (workload identity)',
    description:
      'Notification Provider writing Azure DevOps commit statuses as the managed identity of a ServiceAccount (Flux 2.7+, needs the gate on notification-controller).',
    body: fluxObject('Provider', 'azuredevops', (s) => [
      '  type: azuredevops',
      `  address: ${azureDevOpsUrl(s)}`,
      `  serviceAccountName: ${s.stop('serviceAccount', 'flux-notifications')}`,
      s.end(),
    ]),
  },
  {
    id: 'provider-azuredevops-pat',
    title: 'Provider azuredevops (PAT)',
    description:
      'Notification Provider writing Azure DevOps commit statuses with a personal access token (Secret key `token`).',
    body: fluxObject('Provider', 'azuredevops', (s) => [
      '  type: azuredevops',
      `  address: ${azureDevOpsUrl(s)}`,
      '  secretRef:',
      `    name: ${s.stop('secret', 'azuredevops-token')}`,
      s.end(),
    ]),
  },
  {
    id: 'provider-azureeventhub',
    title: 'Provider azureeventhub (workload identity)',
    description:
      'Notification Provider sending to Event Hubs as the managed identity of a ServiceAccount: `address` is the event hub name, `channel` the namespace.',
    body: fluxObject('Provider', 'eventhub', (s) => [
      '  type: azureeventhub',
      `  address: ${s.stop('eventHub', 'flux-events')}`,
      `  channel: ${s.stop('eventHubsNamespace', 'flux-namespace')}`,
      `  serviceAccountName: ${s.stop('serviceAccount', 'flux-notifications')}`,
      s.end(),
    ]),
  },
  {
    id: 'provider-azureeventhub-sas',
    title: 'Provider azureeventhub (SAS connection string)',
    description:
      'Notification Provider sending to Event Hubs with a SAS connection string in the Secret key `address` (no serviceAccountName, no token).',
    body: (s) => [
      ...fluxObject('Provider', 'eventhub', () => [
        '  type: azureeventhub',
        '  secretRef:',
        `    name: ${s.stop('secret', 'eventhub-sas')}`,
      ])(s),
      '---',
      'apiVersion: v1',
      'kind: Secret',
      'metadata:',
      `  name: ${s.stop('secret', 'eventhub-sas')}`,
      `  namespace: ${s.stop('namespace', FLUX_NAMESPACE)}`,
      'type: Opaque',
      'stringData:',
      `  ${PROVIDER_SECRET_KEYS.find((k) => k.key === 'address')!.key}: ${lit('Endpoint=sb://')}${s.stop('eventHubsNamespace', 'flux-namespace')}${s.choice(
        'eventHubsSuffix',
        AZURE_CLOUDS.map((c) => c.eventHubsSuffix),
      )}${lit('/;SharedAccessKeyName=')}${s.stop('keyName', 'RootManageSharedAccessKey')};SharedAccessKey=${s.stop('key', '<shared access key>')};EntityPath=${s.stop('eventHub', 'flux-events')}`,
      s.end(),
    ],
  },
];

/** The first lines of an Opaque Secret named `name` (a tab stop), up to `stringData:`. */
const opaqueSecret = (s: Stops, name: string) => [
  'apiVersion: v1',
  'kind: Secret',
  ...metadata(s, name),
  'type: Opaque',
  'stringData:',
];

/** The keys of an app registration certificate credential, each line starting with `indent`. */
const certificateKeys = (s: Stops, indent: string) => [
  `${indent}tenantId: ${s.stop('tenantId', 'TENANT_ID')}`,
  `${indent}clientId: ${s.stop('clientId', 'CLIENT_ID')}`,
  `${indent}clientCertificate: |`,
  `${indent}  ${s.stop('certificate', '<certificate and private key>')}`,
];

const SECRETS: SnippetDef[] = [
  {
    id: 'serviceaccount',
    title: 'ServiceAccount for workload identity',
    description: `ServiceAccount annotated with the managed identity's client and tenant IDs (\`${ANNOTATION_CLIENT_ID}\`, \`${ANNOTATION_TENANT_ID}\`), both required by Flux object-level workload identity.`,
    body: (s) => [
      'apiVersion: v1',
      'kind: ServiceAccount',
      ...metadata(s, 'flux-azure'),
      '  annotations:',
      `    ${ANNOTATION_CLIENT_ID}: ${s.stop('clientId', 'CLIENT_ID')}`,
      `    ${ANNOTATION_TENANT_ID}: ${s.stop('tenantId', 'TENANT_ID')}`,
      s.end(),
    ],
  },
  {
    id: 'secret-bucket-certificate',
    title: 'Secret for a Bucket (app certificate)',
    description: `Secret for a Bucket with provider azure authenticating with an app registration certificate (keys ${BUCKET_AZURE_KEY_SETS.find((k) => k.id === 'clientCertificate')!.required.join(', ')}). \`clientCertificateSendChain\` is read as a string: it must be quoted.`,
    body: (s) => [
      ...opaqueSecret(s, 'bucket-azure'),
      ...certificateKeys(s, '  '),
      `  clientCertificateSendChain: "${s.choice('sendChain', ['true', 'false'])}"`,
      s.end(),
    ],
  },
  {
    id: 'secret-sops-azure-kv',
    title: `Secret ${SOPS_AZURE_KV_KEY} for SOPS (app certificate)`,
    description: `Secret with the \`${SOPS_AZURE_KV_KEY}\` document kustomize-controller reads for Key Vault (${SOPS_AZURE_KV_COMBINATIONS.find((k) => k.id === 'clientCertificate')!.label.toLowerCase()}). Inside it \`clientCertificateSendChain\` is a boolean: it must not be quoted.`,
    body: (s) => [
      ...opaqueSecret(s, 'sops-azure'),
      `  ${SOPS_AZURE_KV_KEY}: |`,
      ...certificateKeys(s, '    '),
      `    clientCertificateSendChain: ${s.choice('sendChain', ['true', 'false'])}`,
      s.end(),
    ],
  },
];

// ---------------------------------------------------------------------------------------------------------------
// Controller patches: built by the catalog's builders with sentinel values, which become tab stops.

const SENTINEL = (name: string) => `SNIPPETSTOP${name}END`;

function patchSnippet(
  id: string,
  actionId: PatchActionId,
  entries: (target: ControllerName, v: (name: string) => string) => PatchEntry[],
  defaults: Readonly<Record<string, string | readonly string[]>>,
): SnippetDef {
  const action = PATCH_ACTIONS.find((a) => a.id === actionId)!;
  const controllers = controllersForAction(action, undefined).map((c) => c.name);
  return {
    id,
    title: `Controller patch: ${action.title}`,
    description: `Entry for the \`patches\` list of flux-system kustomization.yaml. ${action.description}`,
    body: (s) => {
      const text = entries(SENTINEL('target') as ControllerName, SENTINEL)
        .map((e) => patchEntryToYaml(e, 0))
        .join('');
      // The target controller is the first tab stop although it is written last.
      const target = s.choice('target', controllers);
      let targetWritten = false;
      const withStops = lit(text).replace(/SNIPPETSTOP(\w+?)END/g, (_m, name: string) => {
        if (name === 'target') {
          if (targetWritten) return s.choice('target', controllers);
          targetWritten = true;
          return target;
        }
        const d = defaults[name] ?? name;
        return typeof d === 'string' ? s.stop(name, d) : s.choice(name, d);
      });
      return [...withStops.replace(/\n$/, '').split('\n'), s.end()];
    },
  };
}

const PATCHES: SnippetDef[] = [
  patchSnippet('patch-object-level-gate', 'objectLevelWorkloadIdentity', (t) => [gatePatch([t])], {}),
  patchSnippet(
    'patch-aks-workload-identity',
    'aksWorkloadIdentity',
    (t, v) => aksControllerPatches({ controllers: [t], clientId: v('clientId'), tenantId: v('tenantId') }),
    { clientId: 'CLIENT_ID', tenantId: 'TENANT_ID' },
  ),
  patchSnippet(
    'patch-workload-identity',
    'nonAksWorkloadIdentity',
    (t, v) => [
      nonAksControllerPatch({
        controllers: [t],
        clientId: v('clientId'),
        tenantId: v('tenantId'),
        authorityHost: v('authorityHost'),
      }),
    ],
    { clientId: 'CLIENT_ID', tenantId: 'TENANT_ID', authorityHost: authorityHosts },
  ),
  patchSnippet(
    'patch-app-certificate',
    'appCertificate',
    (t, v) => [
      appCertificatePatch({
        controllers: [t],
        clientId: v('clientId'),
        tenantId: v('tenantId'),
        secretName: v('secret'),
      }),
    ],
    { clientId: 'CLIENT_ID', tenantId: 'TENANT_ID', secret: 'app-cert' },
  ),
];

// ---------------------------------------------------------------------------------------------------------------
// Azure Service Operator

function aso(kind: AsoKind): { apiVersion: string; kind: string } {
  const def = ASO_RESOURCES.find((r) => r.kind === kind)!;
  const version = def.apiVersions.find((v) => v.current) ?? def.apiVersions[0]!;
  return { apiVersion: `${def.group}/${version.version}`, kind: def.kind };
}

/** A scope pattern with its `{placeholders}` as tab stops. */
function scopeStops(s: Stops, pattern: string): string {
  return (
    pattern
      .split(/(\{[A-Za-z0-9]+\})/)
      // Defaults keep the `{hole}` text, which the placeholder rule recognises until it is filled in.
      .map((part) => (/^\{[A-Za-z0-9]+\}$/.test(part) ? s.stop(`scope.${part}`, part) : lit(part)))
      .join('')
  );
}

/** The first lines of an Azure Service Operator resource of `kind`, named `name` (a tab stop). */
function asoHeader(s: Stops, kindName: Parameters<typeof aso>[0], name: string): string[] {
  const { apiVersion, kind } = aso(kindName);
  return [`apiVersion: ${apiVersion}`, `kind: ${kind}`, ...metadata(s, name)];
}

const ASO: SnippetDef[] = [
  {
    id: 'aso-identity',
    title: 'ASO UserAssignedIdentity',
    description:
      'Azure Service Operator managed identity exporting its client, principal and tenant IDs to a ConfigMap (for RoleAssignment principalIdFromConfig and ServiceAccount annotations).',
    body: (s) => {
      return [
        ...asoHeader(s, 'UserAssignedIdentity', 'flux-identity'),
        'spec:',
        `  location: ${s.stop('location', 'westeurope')}`,
        '  owner:',
        `    name: ${s.stop('resourceGroup', 'rg-fleet')}`,
        '  operatorSpec:',
        '    configMaps:',
        ...['clientId', 'principalId', 'tenantId'].flatMap((key) => [
          `      ${key}:`,
          `        name: ${s.stop('configMap', 'flux-identity')}`,
          `        key: ${key}`,
        ]),
        s.end(),
      ];
    },
  },
  {
    id: 'aso-federated-credential',
    title: 'ASO FederatedIdentityCredential',
    description:
      'Azure Service Operator federated credential letting a Kubernetes ServiceAccount of a cluster (OIDC issuer) impersonate a UserAssignedIdentity.',
    body: (s) => {
      return [
        ...asoHeader(s, 'FederatedIdentityCredential', 'flux-source-controller'),
        'spec:',
        '  owner:',
        `    name: ${s.stop('identity', 'flux-identity')}`,
        '  audiences:',
        `    - ${lit(WORKLOAD_IDENTITY_AUDIENCE)}`,
        `  issuer: ${s.stop('issuer', 'https://oidc.example.com/')}`,
        `  subject: ${lit(serviceAccountSubject('\u0000ns', '\u0000sa'))
          .replace('\u0000ns', s.stop('serviceAccountNamespace', FLUX_NAMESPACE))
          .replace('\u0000sa', s.stop('serviceAccount', 'source-controller'))}`,
        s.end(),
      ];
    },
  },
  ...AZURE_SERVICES.filter((svc) => svc.recommendedRole && svc.resourceScope).map((svc): SnippetDef => {
    const role = ROLES.find((r) => r.id === svc.recommendedRole)!;
    const scope = SCOPE_FORMATS.find((f) => f.id === svc.resourceScope)!;
    return {
      id: `aso-role-${role.id.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase()}`,
      title: `ASO RoleAssignment: ${role.name}`,
      description: `Azure Service Operator RoleAssignment granting ${role.name} (${role.guid}) on a ${scope.label.toLowerCase()} for ${svc.name}. ${role.description}`,
      body: (s) => {
        return [
          ...asoHeader(s, 'RoleAssignment', `flux-${role.id.toLowerCase()}`),
          'spec:',
          '  owner:',
          `    armId: ${scopeStops(s, scope.pattern)}`,
          '  principalIdFromConfig:',
          `    name: ${s.stop('configMap', 'flux-identity')}`,
          '    key: principalId',
          '  principalType: ServicePrincipal',
          '  roleDefinitionReference:',
          `    armId: ${lit(roleDefinitionId(role.guid))} # ${lit(role.name)}`,
          s.end(),
        ];
      },
    };
  }),
];

/** All snippets, keyed by their display name, in the order the file lists them. */
export function buildSnippets(): Record<string, Snippet> {
  const out: Record<string, Snippet> = {};
  for (const def of [...FLUX_OBJECTS, ...SECRETS, ...PATCHES, ...ASO]) {
    out[`Flux for Azure: ${def.title}`] = {
      prefix: `${SNIPPET_PREFIX}${def.id}`,
      description: def.description,
      body: def.body(new Stops()),
    };
  }
  return out;
}

/** The text of `snippets/flux-azure.code-snippets` (JSON with comments: trailing commas, as the formatter writes it). */
export function snippetsFileText(): string {
  const lines = JSON.stringify(buildSnippets(), null, 2).split('\n');
  return `${lines
    .map((line, i) =>
      i + 1 < lines.length && /^\s*[\]}]/.test(lines[i + 1]!) && !/[[{,]$/.test(line) ? `${line},` : line,
    )
    .join('\n')}\n`;
}
