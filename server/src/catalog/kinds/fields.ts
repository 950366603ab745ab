/**
 * The shape of a catalog kind (fields, API versions, workload identity uses) and the builders for the fields and
 * versions that several Flux kinds share, so that each kind file states only what is its own.
 */
import type { ControllerName } from '../controllers';
import type { AzureServiceId } from '../services';
import { CRD_RELEASES } from '../generated/crds';
import { parseFluxVersion, type VersionRange } from '../versions';

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
// API versions and enums, from the CRD tables (generated/crds.ts, one entry per Flux release)

/** The Flux minors of the CRD tables, oldest first (e.g. '2.6'). */
const CRD_MINORS = CRD_RELEASES.map((r) => parseFluxVersion(r.release) ?? r.release);

/**
 * The range of Flux minors for which `holds(release index)` is true, assuming it holds on one contiguous run: open
 * below when it holds in the oldest release, open above when it holds in the newest. Undefined when it never holds.
 */
function tableRange(holds: (i: number) => boolean): VersionRange | undefined {
  const idx = CRD_MINORS.map((_, i) => i).filter(holds);
  if (idx.length === 0) return undefined;
  const first = idx[0] as number;
  const last = idx[idx.length - 1] as number;
  return {
    ...(first > 0 ? { since: CRD_MINORS[first] } : {}),
    ...(last < CRD_MINORS.length - 1 ? { until: CRD_MINORS[last + 1] } : {}),
  };
}

const crdOf = (i: number, group: string, kind: string) =>
  CRD_RELEASES[i]?.kinds.find((k) => k.group === group && k.kind === kind);

/**
 * The API versions the kind's CRD serves, per Flux release: served and deprecated ranges from the tables; the storage
 * versions are preferred. The newest storage version comes first, then the others from the most recently served.
 */
export function crdApiVersions(group: string, kind: string): ApiVersionDef[] {
  const names = [...new Set(CRD_MINORS.flatMap((_, i) => crdOf(i, group, kind)?.served.map((s) => s.version) ?? []))];
  const entry = (i: number, version: string) => crdOf(i, group, kind)?.served.find((s) => s.version === version);
  const lastServed = (version: string) => Math.max(...CRD_MINORS.map((_, i) => (entry(i, version) ? i : -1)));
  const storageLast = (version: string) => Math.max(...CRD_MINORS.map((_, i) => (entry(i, version)?.storage ? i : -1)));
  names.sort((a, b) => storageLast(b) - storageLast(a) || lastServed(b) - lastServed(a) || b.localeCompare(a));
  return names.map((version) => {
    const served = tableRange((i) => entry(i, version) !== undefined) ?? {};
    const deprecated = tableRange((i) => entry(i, version)?.deprecated !== undefined);
    return {
      version,
      served,
      ...(deprecated ? { deprecated } : {}),
      ...(storageLast(version) >= 0 ? { preferred: true } : {}),
    };
  });
}

/**
 * The kind with what the newest CRD enforces on each field it describes (pattern, maxLength, required), so that no
 * constraint is retyped in the kind files. Defaults stay as written: the catalog's are often the controller's
 * effective default, which the CRD does not state.
 */
export function withCrdConstraints<K extends KindShape>(def: K): K {
  const newest = crdOf(CRD_MINORS.length - 1, def.group, def.kind);
  if (!newest) return def;
  const fields = def.fields.map((f): FieldDef => {
    const c = newest.fields.find((x) => x.path === f.path.join('.'));
    if (!c) return f;
    return {
      ...f,
      ...(c.pattern !== undefined ? { pattern: c.pattern } : {}),
      ...(c.maxLength !== undefined ? { maxLength: c.maxLength } : {}),
      ...(c.required ? { required: true } : {}),
    };
  });
  return { ...def, fields };
}

/** What the catalog says about an enum value; the CRD tables say in which Flux versions it exists. */
export type EnumValueText = Omit<EnumValueDef, 'value'>;

/**
 * The enum of a field, values from the CRD tables (described values first, in their order); `versions` from the
 * releases whose CRD has the value. A described value no release has keeps its own `versions` (e.g. one on a
 * controller's main branch, not released yet); without one it is dropped.
 */
export function crdEnum(
  group: string,
  kind: string,
  path: readonly string[],
  described: Readonly<Record<string, EnumValueText>>,
): EnumValueDef[] {
  const dotted = path.join('.');
  const enumAt = (i: number) => crdOf(i, group, kind)?.fields.find((f) => f.path === dotted)?.enum ?? [];
  const inTables = [...new Set(CRD_MINORS.flatMap((_, i) => enumAt(i)))];
  const values = [...new Set([...Object.keys(described), ...inTables])];
  return values.flatMap((value): EnumValueDef[] => {
    const text = described[value];
    if (!inTables.includes(value)) return text?.versions ? [{ value, ...text }] : [];
    const versions = tableRange((i) => enumAt(i).includes(value));
    const { versions: _unused, ...rest } = text ?? { description: 'See the Flux API reference.' };
    return [{ value, ...rest, ...(versions && (versions.since || versions.until) ? { versions } : {}) }];
  });
}

// ---------------------------------------------------------------------------------------------
// Fields

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
  return field(['spec', 'interval'], 'duration', `How often ${what}.`, { required });
}

export function timeout(what: string, def?: string): FieldDef {
  const limit = field(['spec', 'timeout'], 'duration', `Time limit for ${what}.`);
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

const CLOUD_PROVIDERS: Readonly<Record<string, EnumValueText>> = {
  generic: { description: 'No cloud login; credentials come only from `secretRef` / ServiceAccount pull secrets.' },
  aws: { description: 'Amazon ECR / AWS login.' },
  azure: {
    description: 'Microsoft Entra ID login (workload identity, controller identity or kubelet identity) for ACR.',
    azure: true,
  },
  gcp: { description: 'Google Artifact Registry / GCP login.' },
};

/** `spec.provider` of the registry kinds (OCIRepository, HelmRepository, ImageRepository). */
export function registryProvider(group: string, kind: string, description: string): FieldDef {
  return azureField(['spec', 'provider'], 'string', description, {
    enum: crdEnum(group, kind, ['spec', 'provider'], CLOUD_PROVIDERS),
    default: 'generic',
  });
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
