/**
 * Flux controllers: names (Deployment = ServiceAccount name in flux-system), what they reconcile,
 * and which Azure-related switches they accept.
 */
import { inRange, type VersionRange } from './versions';
import { keysOf, lookup, type Keyed } from './table';

/** Namespace Flux is installed into by bootstrap. */
export const FLUX_NAMESPACE = 'flux-system';
/**
 * The name `flux bootstrap` gives the Flux Kustomization that applies the cluster directory (and its files:
 * `gotk-components.yaml`, `gotk-sync.yaml`): its `spec.path` is the cluster's root wherever the files live.
 */
export const BOOTSTRAP_KUSTOMIZATION_NAME = 'flux-system';
/** Name of container 0 in every Flux controller Deployment (patches address it by index 0). */
export const FLUX_CONTAINER_NAME = 'manager';

/** Lockdown flags (Flux 2.7+) that set a default ServiceAccount for objects that name none. */
export const LOCKDOWN_FLAGS = [
  {
    flag: '--default-service-account',
    description:
      'ServiceAccount used for cloud access by objects that do not set `.spec.serviceAccountName` (multi-tenancy lockdown) ' +
      'on source-, notification-, image-reflector- and image-automation-controller. ' +
      'Requires the `ObjectLevelWorkloadIdentity` gate on the same controller, or the controller refuses to start. ' +
      'On kustomize- and helm-controller the same flag is the older Kubernetes impersonation default and needs no gate (see `impersonationFlags`).',
    versions: { since: '2.7' },
    fluxInstanceField: ['spec', 'cluster', 'tenantDefaultServiceAccount'],
  },
  {
    flag: '--default-decryption-service-account',
    description:
      'ServiceAccount used for SOPS KMS access by Kustomizations that do not set `.spec.decryption.serviceAccountName`. ' +
      'Requires the `ObjectLevelWorkloadIdentity` gate.',
    versions: { since: '2.7' },
    fluxInstanceField: ['spec', 'cluster', 'tenantDefaultDecryptionServiceAccount'],
  },
  {
    flag: '--default-kubeconfig-service-account',
    description:
      'ServiceAccount used for remote-cluster access when the kubeConfig ConfigMap names none. ' +
      'Requires the `ObjectLevelWorkloadIdentity` gate.',
    versions: { since: '2.7' },
    fluxInstanceField: ['spec', 'cluster', 'tenantDefaultKubeConfigServiceAccount'],
  },
] as const;
export type LockdownFlag = (typeof LOCKDOWN_FLAGS)[number]['flag'];

/** Shape of a `CONTROLLERS` entry before its `name` is narrowed to `ControllerName`. */
export interface ControllerShape {
  /** Deployment name = ServiceAccount name in flux-system. */
  readonly name: string;
  /** Abbreviation used in the fact sheet and in compact UI (src, ks, hc, nc, irc, iac, sw). */
  readonly short: string;
  readonly description: string;
  /** Flux kinds the controller reconciles. */
  readonly reconciles: readonly string[];
  /** Flux versions the controller ships in (undefined = all described versions). */
  readonly versions?: VersionRange;
  /** Whether a controller-level application certificate (env + mounted cert) makes sense for it. */
  readonly appCertificate: { readonly supported: boolean; readonly note: string };
  /** Lockdown flags the controller accepts (all 2.7+). */
  readonly lockdownFlags: readonly LockdownFlag[];
  /**
   * Flags with the same name that predate object-level workload identity and need no gate: kustomize- and
   * helm-controller's `--default-service-account` sets the Kubernetes impersonation default (multi-tenancy).
   */
  readonly impersonationFlags?: readonly string[];
  /** Versions in which the controller knows the `ObjectLevelWorkloadIdentity` gate; undefined = unknown / not applicable. */
  readonly objectLevelWorkloadIdentityGate?: VersionRange;
  /** Azure services it talks to. */
  readonly azureServices: readonly string[];
}

const CONTROLLERS_LITERAL = [
  {
    name: 'source-controller',
    short: 'src',
    description:
      'Fetches sources (Git, OCI, Helm repositories, buckets) and stores them as artifacts for the other controllers.',
    reconciles: ['GitRepository', 'OCIRepository', 'HelmRepository', 'HelmChart', 'Bucket'],
    appCertificate: {
      supported: true,
      note: 'Works for GitRepository (Azure DevOps) and Bucket (Blob Storage); ignored for ACR (OCIRepository / OCI HelmRepository), which has no certificate support.',
    },
    lockdownFlags: ['--default-service-account'],
    objectLevelWorkloadIdentityGate: { since: '2.6' },
    azureServices: ['acr', 'azureDevOps', 'blobStorage'],
  },
  {
    name: 'kustomize-controller',
    short: 'ks',
    description:
      'Builds and applies Kustomizations; decrypts SOPS secrets (Key Vault) and can apply to remote AKS clusters (2.7+).',
    reconciles: ['Kustomization'],
    appCertificate: { supported: true, note: 'Used for SOPS decryption with Key Vault and remote AKS access.' },
    lockdownFlags: ['--default-decryption-service-account', '--default-kubeconfig-service-account'],
    impersonationFlags: ['--default-service-account'],
    objectLevelWorkloadIdentityGate: { since: '2.6' },
    azureServices: ['keyVault', 'aks'],
  },
  {
    name: 'helm-controller',
    short: 'hc',
    description: 'Installs and upgrades HelmReleases; can target remote AKS clusters (2.7+).',
    reconciles: ['HelmRelease'],
    appCertificate: { supported: true, note: 'Only relevant for remote AKS access (Flux 2.7+).' },
    lockdownFlags: ['--default-kubeconfig-service-account'],
    impersonationFlags: ['--default-service-account'],
    objectLevelWorkloadIdentityGate: { since: '2.7' },
    azureServices: ['aks'],
  },
  {
    name: 'notification-controller',
    short: 'nc',
    description:
      'Dispatches alerts to Providers (Azure DevOps commit status, Event Hubs, Teams, ...) and serves webhook Receivers.',
    reconciles: ['Provider', 'Alert', 'Receiver'],
    appCertificate: {
      supported: true,
      note: 'Used for Event Hubs and Azure DevOps providers; Teams webhooks use no Entra identity.',
    },
    lockdownFlags: ['--default-service-account'],
    objectLevelWorkloadIdentityGate: { since: '2.6' },
    azureServices: ['eventHubs', 'azureDevOps', 'teams'],
  },
  {
    name: 'image-reflector-controller',
    short: 'irc',
    description:
      'Scans container registries for tags (ImageRepository) and selects the latest by policy (ImagePolicy).',
    reconciles: ['ImageRepository', 'ImagePolicy'],
    appCertificate: {
      supported: false,
      note: 'It only talks to ACR, and application certificates are not supported for ACR; use workload identity or kubelet identity.',
    },
    lockdownFlags: ['--default-service-account'],
    objectLevelWorkloadIdentityGate: { since: '2.6' },
    azureServices: ['acr'],
  },
  {
    name: 'image-automation-controller',
    short: 'iac',
    description: 'Commits and pushes image updates (ImageUpdateAutomation) to the Git repository of a GitRepository.',
    reconciles: ['ImageUpdateAutomation'],
    appCertificate: { supported: true, note: 'Used to push to Azure DevOps repositories.' },
    lockdownFlags: ['--default-service-account'],
    objectLevelWorkloadIdentityGate: { since: '2.6' },
    azureServices: ['azureDevOps'],
  },
  {
    name: 'source-watcher',
    short: 'sw',
    description:
      'Composes new artifacts from existing sources (ArtifactGenerator); shipped with Flux 2.7+. Has no Azure integration.',
    reconciles: ['ArtifactGenerator'],
    versions: { since: '2.7' },
    appCertificate: { supported: false, note: 'No Azure integration.' },
    lockdownFlags: [],
    azureServices: [],
  },
] as const satisfies readonly ControllerShape[];

export type ControllerName = (typeof CONTROLLERS_LITERAL)[number]['name'];

export type ControllerDef = Keyed<ControllerShape, 'name', ControllerName>;

export const CONTROLLERS: readonly ControllerDef[] = CONTROLLERS_LITERAL;

/** All controller names, in catalog order. */
const controllerNames = keysOf(CONTROLLERS, 'name');
export const CONTROLLER_NAMES: readonly ControllerName[] = controllerNames.keys;
export const isControllerName = controllerNames.is;
export const controllerByName = lookup(CONTROLLERS, 'name');

/** Controllers present in a Flux version (source-watcher only from 2.7). */
export function controllersInVersion(version: string): ControllerName[] {
  return CONTROLLERS.filter((c) => inRange(version, (c as ControllerDef).versions)).map((c) => c.name);
}

/** Controller flags Flux removed; a controller given one exits at start ("unknown flag"). */
export const REMOVED_CONTROLLER_FLAGS = [
  {
    flag: '--azure-autologin-for-acr',
    removedIn: '2.7',
    controllers: ['image-reflector-controller'],
    replacement: 'Set `spec.provider: azure` on each ImageRepository instead.',
  },
  {
    flag: '--aws-autologin-for-ecr',
    removedIn: '2.7',
    controllers: ['image-reflector-controller'],
    replacement: 'Set `spec.provider: aws` on each ImageRepository instead.',
  },
  {
    flag: '--gcp-autologin-for-gcr',
    removedIn: '2.7',
    controllers: ['image-reflector-controller'],
    replacement: 'Set `spec.provider: gcp` on each ImageRepository instead.',
  },
] as const;
