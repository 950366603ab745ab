/**
 * The controller changes a user can ask for ("actions"), each made of one or more patch kinds
 * (see `patches.ts`): what each needs as input, which controllers it applies to in a Flux version,
 * and the FluxInstance field that replaces the patch when the Flux Operator installs Flux.
 */
import { CONTROLLERS, LOCKDOWN_FLAGS, type ControllerDef, type ControllerName, type LockdownFlag } from './controllers';
import { fluxAzureDocs } from './docs';
import type { PatchKindId } from './patches';
import { inRange, type VersionRange } from './versions';
import { lookup, type Keyed } from './table';

/** What an action asks the user for. */
export type PatchActionInput = 'controllers' | 'clientId' | 'tenantId' | 'cloud' | 'certificate' | 'lockdown';

/** Shape of a `PATCH_ACTIONS` entry before its `id` is narrowed to `PatchActionId`. */
export interface PatchActionShape {
  readonly id: string;
  /** Short title for menus ("Flux for Azure: <title>"). */
  readonly title: string;
  readonly description: string;
  /** Patch kinds the action writes (the gate comes with lockdown because the flags need it). */
  readonly patchKinds: readonly PatchKindId[];
  readonly inputs: readonly PatchActionInput[];
  readonly versions?: VersionRange;
  /** Which controllers the action can target. */
  readonly controllers: 'azureIdentity' | 'appCertificate' | 'gate' | 'lockdown';
  /** FluxInstance fields set to `true` instead of writing the gate patch (Flux Operator). */
  readonly fluxInstanceSwitches?: readonly (readonly string[])[];
  readonly docsUrl: string;
}

const PATCH_ACTIONS_LITERAL = [
  {
    id: 'aksWorkloadIdentity',
    title: 'Workload identity on AKS',
    description:
      'Annotates the controller ServiceAccounts with the managed identity client and tenant IDs and labels their pods for the AKS workload-identity webhook.',
    patchKinds: ['aksServiceAccount', 'aksPodLabel'],
    inputs: ['controllers', 'clientId', 'tenantId'],
    controllers: 'azureIdentity',
    docsUrl: fluxAzureDocs('controllerLevel'),
  },
  {
    id: 'nonAksWorkloadIdentity',
    title: 'Workload identity outside AKS',
    description:
      'Sets the Azure environment variables and mounts a projected ServiceAccount token with audience `api://AzureADTokenExchange` in the controllers.',
    patchKinds: ['nonAksWorkloadIdentity'],
    inputs: ['controllers', 'clientId', 'tenantId', 'cloud'],
    controllers: 'azureIdentity',
    docsUrl: fluxAzureDocs('controllerLevel'),
  },
  {
    id: 'appCertificate',
    title: 'Application certificate',
    description:
      'Mounts an app registration certificate Secret in the controllers and points `AZURE_CLIENT_CERTIFICATE_PATH` at it. Not for ACR (image-reflector-controller).',
    patchKinds: ['appCertificate'],
    inputs: ['controllers', 'clientId', 'tenantId', 'certificate'],
    controllers: 'appCertificate',
    docsUrl: fluxAzureDocs('appCertificates'),
  },
  {
    id: 'objectLevelWorkloadIdentity',
    title: 'Object-level workload identity (feature gate)',
    description:
      'Enables `--feature-gates=ObjectLevelWorkloadIdentity=true` so objects may authenticate with their own ServiceAccount (`serviceAccountName`).',
    patchKinds: ['objectLevelGate'],
    inputs: ['controllers'],
    versions: { since: '2.6' },
    controllers: 'gate',
    fluxInstanceSwitches: [['spec', 'cluster', 'objectLevelWorkloadIdentity']],
    docsUrl: fluxAzureDocs('objectLevel'),
  },
  {
    id: 'lockdown',
    title: 'Lockdown defaults (default ServiceAccounts)',
    description:
      'Sets `--default-service-account` and related flags so objects without a ServiceAccount use a locked-down default; adds the ObjectLevelWorkloadIdentity gate the flags require.',
    patchKinds: ['lockdown', 'objectLevelGate'],
    inputs: ['controllers', 'lockdown'],
    versions: { since: '2.7' },
    controllers: 'lockdown',
    fluxInstanceSwitches: [
      ['spec', 'cluster', 'objectLevelWorkloadIdentity'],
      ['spec', 'cluster', 'multitenantWorkloadIdentity'],
    ],
    docsUrl: fluxAzureDocs('objectLevel'),
  },
] as const satisfies readonly PatchActionShape[];

export type PatchActionId = (typeof PATCH_ACTIONS_LITERAL)[number]['id'];

export type PatchActionDef = Keyed<PatchActionShape, 'id', PatchActionId>;

export const PATCH_ACTIONS: readonly PatchActionDef[] = PATCH_ACTIONS_LITERAL;

export const patchActionById = lookup(PATCH_ACTIONS, 'id');

/** Actions that exist in a Flux version (all when the version is unknown). */
export function patchActionsFor(fluxVersion: string | undefined): PatchActionDef[] {
  return PATCH_ACTIONS.filter((a) => fluxVersion === undefined || inRange(fluxVersion, a.versions));
}

/** Controllers an action can target in a Flux version (all described versions when unknown). */
export function controllersForAction(action: PatchActionDef, fluxVersion: string | undefined): ControllerDef[] {
  const present = (c: ControllerDef) => fluxVersion === undefined || inRange(fluxVersion, c.versions);
  return CONTROLLERS.filter(present).filter((c) => {
    switch (action.controllers) {
      case 'azureIdentity':
        return c.azureServices.length > 0;
      case 'appCertificate':
        return c.appCertificate.supported;
      case 'gate':
        return (
          c.objectLevelWorkloadIdentityGate !== undefined &&
          (fluxVersion === undefined || inRange(fluxVersion, c.objectLevelWorkloadIdentityGate))
        );
      case 'lockdown':
        return c.lockdownFlags.length > 0;
    }
  });
}

/** The lockdown flags with the input key that carries each one's ServiceAccount, and the FluxInstance field. */
export const LOCKDOWN_INPUTS: readonly {
  readonly key: 'serviceAccount' | 'decryptionServiceAccount' | 'kubeConfigServiceAccount';
  readonly flag: LockdownFlag;
  readonly description: string;
  readonly fluxInstanceField: readonly string[];
  readonly controllers: readonly ControllerName[];
}[] = (
  [
    ['serviceAccount', '--default-service-account'],
    ['decryptionServiceAccount', '--default-decryption-service-account'],
    ['kubeConfigServiceAccount', '--default-kubeconfig-service-account'],
  ] as const
).map(([key, flag]) => {
  const def = LOCKDOWN_FLAGS.find((f) => f.flag === flag)!;
  return {
    key,
    flag,
    description: def.description,
    fluxInstanceField: def.fluxInstanceField,
    controllers: CONTROLLERS.filter((c) => (c.lockdownFlags as readonly string[]).includes(flag)).map((c) => c.name),
  };
});

/** Suggested name for the controller-level certificate Secret in flux-system. */
export const DEFAULT_APP_CERT_SECRET_NAME = 'app-cert';
