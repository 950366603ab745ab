/**
 * The shape of a catalog kind (fields, API versions, workload identity uses) and the builders for the fields and
 * versions that several Flux kinds share, so that each kind file states only what is its own.
 */
import type { ControllerName } from '../controllers';
import type { AzureServiceId } from '../services';
import type { VersionRange } from '../versions';

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

/** A resource type the catalog describes (a Flux kind, an ASO resource): its group, versions and fields. */
export interface ResourceTypeShape<Version, Field> {
  readonly kind: string;
  readonly group: string;
  readonly apiVersions: readonly Version[];
  readonly fields: readonly Field[];
}

/** Shape of a `KINDS` entry before its `kind` is narrowed to `FluxKind`. */
export interface KindShape extends ResourceTypeShape<ApiVersionDef, FieldDef> {
  readonly controller: ControllerName;
  readonly services: readonly AzureServiceId[];
  readonly summary: string;
  /** Markdown: when an object of this kind talks to Azure. */
  readonly azureWhen: string;
  readonly workloadIdentity: readonly WorkloadIdentityUseDef[];
  /** Markdown: how controller-level authentication is selected for this kind. */
  readonly controllerLevel: string;
  readonly docs: { readonly azure: string; readonly api: string };
}

// ---------------------------------------------------------------------------------------------
// API versions

/** The preferred version, served in every described Flux version. */
export function preferred(version: string, served: VersionRange = {}): ApiVersionDef {
  return { version, served, preferred: true };
}

/** An older version, deprecated for as long as it is served (until `until`). */
export function servedUntil(version: string, until: string): ApiVersionDef {
  return { version, served: { until }, deprecated: { until } };
}

/** v1 plus the betas served until 2.8 and 2.7: sources, Flux's Kustomization (and, as v2, HelmRelease). */
export function stableWithBetas(stable: string, beta2: string, beta1: string): ApiVersionDef[] {
  return [preferred(stable), servedUntil(beta2, '2.8'), servedUntil(beta1, '2.7')];
}

// ---------------------------------------------------------------------------------------------
// Fields

export const DURATION = '^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$';
const TIMEOUT = '^([0-9]+(\\.[0-9]+)?(ms|s|m))+$';

/** A field that does not matter for Azure unless `extra` says so. */
export function field(
  path: readonly string[],
  type: FieldType,
  description: string,
  extra: Partial<FieldDef> = {},
): FieldDef {
  return { path, type, description, azure: false, ...extra };
}

/** A field that matters for the Azure integration. */
export function azureField(
  path: readonly string[],
  type: FieldType,
  description: string,
  extra: Partial<FieldDef> = {},
): FieldDef {
  return field(path, type, description, { azure: true, ...extra });
}

export function interval(what: string, required = true): FieldDef {
  return field(['spec', 'interval'], 'duration', `How often ${what}.`, { required, pattern: DURATION });
}

export function timeout(what: string, def?: string): FieldDef {
  const limit = field(['spec', 'timeout'], 'duration', `Time limit for ${what}.`, { pattern: TIMEOUT });
  return def === undefined ? limit : { ...limit, default: def };
}

export function suspend(): FieldDef {
  return field(['spec', 'suspend'], 'boolean', 'Stop reconciling this object until set back to `false`.', {
    default: false,
  });
}

/** How an object is reconciled: `spec.interval`, `spec.timeout` (with its default, if any), `spec.suspend`. */
export function reconciliation(every: string, timeLimit: string, def?: string, required = true): FieldDef[] {
  return [interval(every, required), timeout(timeLimit, def), suspend()];
}

/** A `LocalObjectReference` field and its required `name`. */
export function localRef(
  base: readonly string[],
  description: string,
  azure: boolean,
  extra: Partial<FieldDef> = {},
): FieldDef[] {
  const name = `Name of the object referenced by \`${base[base.length - 1]}\` (same namespace).`;
  return [
    field(base, 'object', description, { azure, ...extra }),
    field([...base, 'name'], 'string', name, { required: true, azure }),
  ];
}

export function secretRef(description: string, azure: boolean): FieldDef[] {
  return localRef(['spec', 'secretRef'], description, azure);
}

export function certSecretRef(description: string): FieldDef[] {
  return localRef(['spec', 'certSecretRef'], description, false);
}

export function proxySecretRef(extra: Partial<FieldDef> = {}): FieldDef[] {
  const description = 'Secret with proxy `address` (and optional `username`/`password`).';
  return localRef(['spec', 'proxySecretRef'], description, false, extra);
}

/** `spec.insecure`: plain HTTP to `what`. */
export function insecure(what: string): FieldDef {
  return field(['spec', 'insecure'], 'boolean', `Allow plain-HTTP ${what}.`, { default: false });
}

/** `spec.serviceAccountName`; Azure workload identity unless `extra` says otherwise. */
export function serviceAccountName(description: string, extra: Partial<FieldDef> = {}): FieldDef {
  return azureField(['spec', 'serviceAccountName'], 'string', description, extra);
}

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

/** `spec.provider` of the registry kinds (OCIRepository, HelmRepository, ImageRepository). */
export function registryProvider(description: string): FieldDef {
  return azureField(['spec', 'provider'], 'string', description, { enum: CLOUD_PROVIDERS, default: 'generic' });
}

/** Registry connection settings shared by OCIRepository and ImageRepository: TLS, proxy, plain HTTP. */
export function registryConnection(): FieldDef[] {
  return [
    ...certSecretRef('Secret with TLS material (`tls.crt`, `tls.key`, `ca.crt`) for the registry connection.'),
    ...proxySecretRef(),
    insecure('registries'),
  ];
}

/** `spec.kubeConfig` of Kustomization and HelmRelease: a remote cluster, by ConfigMap (Entra ID) or kubeconfig Secret. */
export function kubeConfig(action: string, secretRefDescription: string): FieldDef[] {
  return [
    azureField(
      ['spec', 'kubeConfig'],
      'object',
      `${action} a remote cluster. Exactly one of \`configMapRef\` / \`secretRef\`.`,
    ),
    ...localRef(
      ['spec', 'kubeConfig', 'configMapRef'],
      'ConfigMap describing a remote cluster reached with Entra ID: `provider: azure`, `cluster` (AKS ARM id), optional `address`, `ca.crt`, `audiences`, `serviceAccountName`.',
      true,
      { versions: { since: '2.7' } },
    ),
    ...localRef(['spec', 'kubeConfig', 'secretRef'], secretRefDescription, false),
  ];
}

// ---------------------------------------------------------------------------------------------
// Workload identity uses

/**
 * Object-level workload identity through `spec.serviceAccountName`, used when `spec.provider: azure` (or, for a
 * notification Provider, when `spec.type` is `providerType`). One controller needs the gate; `act` says what the
 * controller does as the ServiceAccount's managed identity.
 */
export function serviceAccountIdentity(
  id: string,
  use: { readonly controller: ControllerName; readonly service: AzureServiceId; readonly since: string },
  act: string,
  providerType?: string,
): WorkloadIdentityUseDef {
  return {
    id,
    serviceAccountField: ['spec', 'serviceAccountName'],
    requires: providerType
      ? { path: ['spec', 'type'], values: [providerType] }
      : { path: ['spec', 'provider'], values: ['azure'] },
    versions: { since: use.since },
    gateControllers: [use.controller],
    service: use.service,
    description: `${act} as the managed identity of the ServiceAccount.`,
  };
}

/** A remote AKS cluster reached as the identity the kubeConfig ConfigMap names (Kustomization, HelmRelease). */
export function remoteAksIdentity(id: string, controller: ControllerName): WorkloadIdentityUseDef {
  return {
    id,
    serviceAccountField: ['spec', 'kubeConfig', 'configMapRef', 'name'],
    via: 'kubeConfigConfigMap',
    versions: { since: '2.7' },
    gateControllers: [controller],
    service: 'aks',
    description: "Reach a remote AKS cluster as the managed identity of the ConfigMap's `serviceAccountName`.",
  };
}
