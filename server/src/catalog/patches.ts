/**
 * flux-system `kustomization.yaml` patches that give controllers an Azure identity, enable the
 * object-level gate or lock tenants down: JSON6902 paths, patch kinds, which controller needs
 * which patch, and pure builders that return the `patches` entries as plain objects (the caller
 * serialises the `patch` body to YAML).
 */
import { CONTROLLERS, LOCKDOWN_FLAGS, type ControllerName, type LockdownFlag } from './controllers';
import { AZURE_CLOUDS, type AzureCloudId } from './clouds';
import { KINDS, type WorkloadIdentityUseDef } from './kinds';
import { CONTROLLER_CERT_SECRET_KEYS } from './secrets';
import { inRange, type VersionRange } from './versions';
import {
  ANNOTATION_CLIENT_ID,
  ANNOTATION_TENANT_ID,
  ENV_AUTHORITY_HOST,
  ENV_CLIENT_CERTIFICATE_PASSWORD,
  ENV_CLIENT_CERTIFICATE_PATH,
  ENV_CLIENT_ID,
  ENV_CLIENT_SEND_CERTIFICATE_CHAIN,
  ENV_FEDERATED_TOKEN_FILE,
  ENV_TENANT_ID,
  LABEL_USE,
  OBJECT_LEVEL_WI_GATE_ARG,
  federatedTokenFile,
  projectedTokenVolume,
  projectedTokenVolumeMount,
} from './workloadIdentity';
import { KUSTOMIZE_CONFIG_GROUP } from './apiGroups';
import type { Keyed } from './table';

/** apiVersion/kind of the flux-system kustomize file. */
export const KUSTOMIZE_CONFIG_API_VERSION = `${KUSTOMIZE_CONFIG_GROUP}/v1beta1`;
export const KUSTOMIZE_CONFIG_KIND = 'Kustomization';
/** The file names kustomize reads as a directory's kustomization, in the order it tries them. */
export const KUSTOMIZATION_FILE_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

/** True when `basename` (a file name without directory) is one kustomize reads as a kustomization. */
export function isKustomizationFileName(basename: string): boolean {
  return (KUSTOMIZATION_FILE_NAMES as readonly string[]).includes(basename);
}
/**
 * Whether a `patchesStrategicMerge` entry names a file (one line, no `key: value`), rather than holding the patch
 * inline as a YAML string.
 */
export function isPatchFileEntry(text: string): boolean {
  return !text.includes('\n') && !/:\s/.test(text);
}
/** Resources a bootstrap flux-system kustomization.yaml lists. */
export const FLUX_BOOTSTRAP_RESOURCES = ['gotk-components.yaml', 'gotk-sync.yaml'] as const;

/** JSON6902 append paths the docs use on Flux controller Deployments (container 0 = manager). */
export const JSON6902_PATHS = {
  args: '/spec/template/spec/containers/0/args/-',
  env: '/spec/template/spec/containers/0/env/-',
  volumeMounts: '/spec/template/spec/containers/0/volumeMounts/-',
  volumes: '/spec/template/spec/volumes/-',
} as const;
export type Json6902PathId = keyof typeof JSON6902_PATHS;

/** Target kind each JSON6902 path requires. */
export const JSON6902_PATH_TARGET_KIND = 'Deployment' as const;

/** Where the controller-level app certificate Secret is mounted. */
export const APP_CERT_MOUNT = {
  volumeName: 'app-cert',
  mountPath: '/var/run/app-cert/cert-and-key',
  subPath: CONTROLLER_CERT_SECRET_KEYS.certAndKey,
} as const;

/** Placeholder name kustomize ignores in strategic-merge bodies when a target is given (docs use it). */
const PATCH_BODY_PLACEHOLDER_NAME = 'controller';

/** Shape of a `PATCH_KINDS` entry before its `id` is narrowed to `PatchKindId`. */
export interface PatchKindShape {
  readonly id: string;
  readonly title: string;
  readonly form: 'json6902' | 'strategicMerge';
  readonly targetKind: 'Deployment' | 'ServiceAccount';
  readonly description: string;
  readonly versions?: VersionRange;
  /** Cluster flavour the patch is for. */
  readonly cluster: 'any' | 'aks' | 'nonAks';
}

const PATCH_KINDS_LITERAL = [
  {
    id: 'objectLevelGate',
    title: 'Enable object-level workload identity',
    form: 'json6902',
    targetKind: 'Deployment',
    description:
      'Appends `--feature-gates=ObjectLevelWorkloadIdentity=true` to the controller args so objects may name their own ServiceAccount.',
    versions: { since: '2.6' },
    cluster: 'any',
  },
  {
    id: 'aksServiceAccount',
    title: 'AKS controller identity: ServiceAccount annotations',
    form: 'strategicMerge',
    targetKind: 'ServiceAccount',
    description: 'Annotates the controller ServiceAccount with the managed identity client and tenant IDs.',
    cluster: 'aks',
  },
  {
    id: 'aksPodLabel',
    title: 'AKS controller identity: pod label',
    form: 'strategicMerge',
    targetKind: 'Deployment',
    description:
      'Labels the controller pod template with `azure.workload.identity/use: "true"` so the AKS webhook injects the token. Restart the controller if applied after bootstrap.',
    cluster: 'aks',
  },
  {
    id: 'nonAksWorkloadIdentity',
    title: 'Non-AKS controller identity',
    form: 'json6902',
    targetKind: 'Deployment',
    description:
      'Adds `AZURE_TENANT_ID`, `AZURE_CLIENT_ID`, `AZURE_AUTHORITY_HOST`, `AZURE_FEDERATED_TOKEN_FILE` and a projected token volume with audience `api://AzureADTokenExchange`.',
    cluster: 'nonAks',
  },
  {
    id: 'appCertificate',
    title: 'Controller-level application certificate',
    form: 'json6902',
    targetKind: 'Deployment',
    description:
      'Mounts the certificate Secret (key `cert-and-key`) and sets `AZURE_TENANT_ID`, `AZURE_CLIENT_ID`, `AZURE_CLIENT_CERTIFICATE_PATH`; optionally the password and send-chain variables. Not for ACR.',
    cluster: 'any',
  },
  {
    id: 'lockdown',
    title: 'Default ServiceAccounts (multi-tenancy lockdown)',
    form: 'json6902',
    targetKind: 'Deployment',
    description:
      'Appends `--default-service-account` and related flags. The controller refuses to start unless the ObjectLevelWorkloadIdentity gate is enabled too.',
    versions: { since: '2.7' },
    cluster: 'any',
  },
] as const satisfies readonly PatchKindShape[];
export type PatchKindId = (typeof PATCH_KINDS_LITERAL)[number]['id'];

export type PatchKindDef = Keyed<PatchKindShape, 'id', PatchKindId>;

export const PATCH_KINDS: readonly PatchKindDef[] = PATCH_KINDS_LITERAL;

/** §4.7: which controllers to patch (identity and/or gate) for each Azure use. */
export const CONTROLLER_PATCH_MATRIX = [
  {
    use: 'ACR / Azure DevOps clone / Blob sources',
    kinds: ['OCIRepository', 'HelmRepository', 'HelmChart', 'GitRepository', 'Bucket'],
    controllers: ['source-controller'],
  },
  { use: 'ACR tag scanning', kinds: ['ImageRepository', 'ImagePolicy'], controllers: ['image-reflector-controller'] },
  {
    use: 'Azure DevOps push',
    kinds: ['ImageUpdateAutomation'],
    controllers: ['image-automation-controller', 'source-controller'],
  },
  {
    use: 'Key Vault SOPS, remote AKS (Kustomization)',
    kinds: ['Kustomization'],
    controllers: ['kustomize-controller'],
  },
  { use: 'Remote AKS (HelmRelease)', kinds: ['HelmRelease'], controllers: ['helm-controller'] },
  { use: 'Azure DevOps commit status, Event Hubs', kinds: ['Provider'], controllers: ['notification-controller'] },
] as const satisfies readonly { use: string; kinds: readonly string[]; controllers: readonly ControllerName[] }[];

/** Controllers that need an Azure identity for objects of these kinds (controller-level mode). */
export function controllersNeedingIdentity(kinds: Iterable<string>): ControllerName[] {
  const wanted = new Set<string>();
  for (const kind of kinds) {
    for (const row of CONTROLLER_PATCH_MATRIX) {
      if ((row.kinds as readonly string[]).includes(kind)) row.controllers.forEach((c) => wanted.add(c));
    }
  }
  return inCatalogOrder(wanted);
}

/**
 * Controllers that need the ObjectLevelWorkloadIdentity gate for objects of these kinds that use
 * object-level workload identity. Pass a Flux version to drop uses that do not exist yet.
 */
export function controllersNeedingGate(kinds: Iterable<string>, fluxVersion?: string): ControllerName[] {
  const wanted = new Set<string>();
  for (const kind of kinds) {
    const def = KINDS.find((k) => k.kind === kind);
    if (!def) continue;
    for (const use of def.workloadIdentity as readonly WorkloadIdentityUseDef[]) {
      if (fluxVersion !== undefined && !inRange(fluxVersion, use.versions)) continue;
      use.gateControllers.forEach((c) => wanted.add(c));
    }
  }
  return inCatalogOrder(wanted);
}

function inCatalogOrder(names: Set<string>): ControllerName[] {
  return CONTROLLERS.map((c) => c.name).filter((n) => names.has(n));
}

// ---------------------------------------------------------------------------------------------
// Target names

/** Kustomize `target.name` regex for a set of controllers: `name` or `(a|b)`. */
export function targetNameFor(controllers: readonly ControllerName[]): string {
  const unique = [...new Set(controllers)];
  return unique.length === 1 ? (unique[0] as string) : `(${unique.join('|')})`;
}

/**
 * Controllers a kustomize `target.name` regex selects (kustomize anchors the regex).
 * Returns undefined when the regex does not compile.
 */
export function controllersMatchedBy(targetName: string): ControllerName[] | undefined {
  let re: RegExp;
  try {
    re = new RegExp(`^(?:${targetName})$`);
  } catch {
    return undefined;
  }
  return CONTROLLERS.map((c) => c.name).filter((n) => re.test(n));
}

// ---------------------------------------------------------------------------------------------
// Patch entry shapes and builders

export interface PatchTarget {
  readonly kind: 'Deployment' | 'ServiceAccount';
  readonly name: string;
}

export interface JsonPatchOperation {
  readonly op: 'add';
  readonly path: string;
  readonly value: unknown;
}

export interface Json6902PatchEntry {
  readonly patchKind: PatchKindId;
  readonly form: 'json6902';
  readonly target: PatchTarget;
  readonly patch: readonly JsonPatchOperation[];
}

export interface StrategicMergePatchEntry {
  readonly patchKind: PatchKindId;
  readonly form: 'strategicMerge';
  readonly target: PatchTarget;
  readonly patch: Readonly<Record<string, unknown>>;
}

/** One element of a kustomize `patches:` list; `patch` is serialised to a YAML block by the caller. */
export type PatchEntry = Json6902PatchEntry | StrategicMergePatchEntry;

function envOp(name: string, value: string): JsonPatchOperation {
  return { op: 'add', path: JSON6902_PATHS.env, value: { name, value } };
}

/** Gate patch (append the feature-gates arg). */
export function gatePatch(controllers: readonly ControllerName[]): Json6902PatchEntry {
  return {
    patchKind: 'objectLevelGate',
    form: 'json6902',
    target: { kind: 'Deployment', name: targetNameFor(controllers) },
    patch: [{ op: 'add', path: JSON6902_PATHS.args, value: OBJECT_LEVEL_WI_GATE_ARG }],
  };
}

export interface IdentityInput {
  readonly controllers: readonly ControllerName[];
  readonly clientId: string;
  readonly tenantId: string;
}

/** AKS controller-level identity: ServiceAccount annotations + pod template label (two entries). */
export function aksControllerPatches(input: IdentityInput): [StrategicMergePatchEntry, StrategicMergePatchEntry] {
  const name = targetNameFor(input.controllers);
  return [
    {
      patchKind: 'aksServiceAccount',
      form: 'strategicMerge',
      target: { kind: 'ServiceAccount', name },
      patch: {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: {
          name: PATCH_BODY_PLACEHOLDER_NAME,
          annotations: { [ANNOTATION_CLIENT_ID]: input.clientId, [ANNOTATION_TENANT_ID]: input.tenantId },
        },
      },
    },
    {
      patchKind: 'aksPodLabel',
      form: 'strategicMerge',
      target: { kind: 'Deployment', name },
      patch: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: PATCH_BODY_PLACEHOLDER_NAME },
        spec: { template: { metadata: { labels: { [LABEL_USE]: 'true' } } } },
      },
    },
  ];
}

export interface NonAksInput extends IdentityInput {
  /** Cloud whose authority host to use (default public); ignored when `authorityHost` is given. */
  readonly cloud?: AzureCloudId;
  readonly authorityHost?: string;
}

/** Non-AKS controller-level workload identity (env vars + projected token). */
export function nonAksControllerPatch(input: NonAksInput): Json6902PatchEntry {
  const host =
    input.authorityHost ??
    (AZURE_CLOUDS.find((c) => c.id === (input.cloud ?? 'public')) ?? AZURE_CLOUDS[0]).authorityHost;
  return {
    patchKind: 'nonAksWorkloadIdentity',
    form: 'json6902',
    target: { kind: 'Deployment', name: targetNameFor(input.controllers) },
    patch: [
      envOp(ENV_TENANT_ID, input.tenantId),
      envOp(ENV_CLIENT_ID, input.clientId),
      envOp(ENV_AUTHORITY_HOST, host),
      envOp(ENV_FEDERATED_TOKEN_FILE, federatedTokenFile()),
      { op: 'add', path: JSON6902_PATHS.volumes, value: projectedTokenVolume() },
      { op: 'add', path: JSON6902_PATHS.volumeMounts, value: projectedTokenVolumeMount() },
    ],
  };
}

export interface AppCertificateInput extends IdentityInput {
  readonly secretName: string;
  /** Add `AZURE_CLIENT_CERTIFICATE_PASSWORD` from Secret key `key-password`. */
  readonly withKeyPassword?: boolean;
  /** Add `AZURE_CLIENT_SEND_CERTIFICATE_CHAIN: "true"`. */
  readonly sendCertificateChain?: boolean;
}

/** Controller-level application certificate. */
export function appCertificatePatch(input: AppCertificateInput): Json6902PatchEntry {
  const ops: JsonPatchOperation[] = [
    envOp(ENV_TENANT_ID, input.tenantId),
    envOp(ENV_CLIENT_ID, input.clientId),
    envOp(ENV_CLIENT_CERTIFICATE_PATH, APP_CERT_MOUNT.mountPath),
    {
      op: 'add',
      path: JSON6902_PATHS.volumes,
      value: { name: APP_CERT_MOUNT.volumeName, secret: { secretName: input.secretName } },
    },
    {
      op: 'add',
      path: JSON6902_PATHS.volumeMounts,
      value: {
        name: APP_CERT_MOUNT.volumeName,
        mountPath: APP_CERT_MOUNT.mountPath,
        subPath: APP_CERT_MOUNT.subPath,
        readOnly: true,
      },
    },
  ];
  if (input.withKeyPassword) {
    ops.push({
      op: 'add',
      path: JSON6902_PATHS.env,
      value: {
        name: ENV_CLIENT_CERTIFICATE_PASSWORD,
        valueFrom: { secretKeyRef: { name: input.secretName, key: CONTROLLER_CERT_SECRET_KEYS.keyPassword } },
      },
    });
  }
  if (input.sendCertificateChain) ops.push(envOp(ENV_CLIENT_SEND_CERTIFICATE_CHAIN, 'true'));
  return {
    patchKind: 'appCertificate',
    form: 'json6902',
    target: { kind: 'Deployment', name: targetNameFor(input.controllers) },
    patch: ops,
  };
}

export interface LockdownInput {
  readonly controllers: readonly ControllerName[];
  readonly serviceAccount?: string;
  readonly decryptionServiceAccount?: string;
  readonly kubeConfigServiceAccount?: string;
}

/**
 * Lockdown flag patches: one entry per flag, targeting only the requested controllers that accept
 * it. Remember the gate patch for the same controllers.
 */
export function lockdownPatches(input: LockdownInput): Json6902PatchEntry[] {
  const values: [LockdownFlag, string | undefined][] = [
    ['--default-service-account', input.serviceAccount],
    ['--default-decryption-service-account', input.decryptionServiceAccount],
    ['--default-kubeconfig-service-account', input.kubeConfigServiceAccount],
  ];
  const out: Json6902PatchEntry[] = [];
  for (const [flag, sa] of values) {
    if (!sa) continue;
    const accepting = input.controllers.filter((name) =>
      (CONTROLLERS.find((c) => c.name === name)?.lockdownFlags as readonly string[] | undefined)?.includes(flag),
    );
    if (accepting.length === 0) continue;
    out.push({
      patchKind: 'lockdown',
      form: 'json6902',
      target: { kind: 'Deployment', name: targetNameFor(accepting) },
      patch: [{ op: 'add', path: JSON6902_PATHS.args, value: `${flag}=${sa}` }],
    });
  }
  return out;
}

/** Controllers that accept a lockdown flag. */
export function controllersAcceptingFlag(flag: LockdownFlag): ControllerName[] {
  return CONTROLLERS.filter((c) => (c.lockdownFlags as readonly string[]).includes(flag)).map((c) => c.name);
}

/** Lockdown flag in an arg like `--default-service-account=tenant`, or undefined. */
export function parseLockdownArg(arg: string): { flag: LockdownFlag; value: string } | undefined {
  const text = arg.trim();
  for (const def of LOCKDOWN_FLAGS) {
    if (text.startsWith(`${def.flag}=`)) return { flag: def.flag, value: text.slice(def.flag.length + 1) };
  }
  return undefined;
}
