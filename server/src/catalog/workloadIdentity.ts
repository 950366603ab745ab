/**
 * Workload identity vocabulary: ServiceAccount annotations, pod labels, environment variables,
 * the projected token volume, the feature gate, and the federated-credential subject format.
 */
import { AZURE_CLOUDS } from './clouds';
import type { VersionRange } from './versions';
import { lookup, type Keyed } from './table';

/** Audience of the projected ServiceAccount token and of every federated identity credential. */
export const WORKLOAD_IDENTITY_AUDIENCE = 'api://AzureADTokenExchange';

// ---------------------------------------------------------------------------------------------
// Annotations and labels

export type AnnotationPlacement =
  'serviceAccountAnnotation' | 'podTemplateLabel' | 'podAnnotation' | 'serviceAccountOrPodAnnotation';
export type AnnotationValueType = 'guid' | 'stringTrue' | 'seconds' | 'containerList' | 'integer' | 'armId' | 'string';

/** Shape of a `WORKLOAD_IDENTITY_ANNOTATIONS` entry before its `key` is narrowed to `WorkloadIdentityAnnotationKey`. */
export interface AnnotationShape {
  readonly key: string;
  readonly placement: AnnotationPlacement;
  /** Path where it belongs inside the owning object. */
  readonly path: readonly string[];
  readonly valueType: AnnotationValueType;
  readonly description: string;
  /** Who reads it. */
  readonly requiredBy: string;
  /** True when Flux object-level workload identity fails without it. */
  readonly requiredForFluxObjectLevel: boolean;
  /** 'proposed' = discussed upstream but not implemented. */
  readonly status: 'active' | 'proposed';
}

export const ANNOTATION_CLIENT_ID = 'azure.workload.identity/client-id';
export const ANNOTATION_TENANT_ID = 'azure.workload.identity/tenant-id';
export const LABEL_USE = 'azure.workload.identity/use';

const WORKLOAD_IDENTITY_ANNOTATIONS_LITERAL = [
  {
    key: ANNOTATION_CLIENT_ID,
    placement: 'serviceAccountAnnotation',
    path: ['metadata', 'annotations'],
    valueType: 'guid',
    description: 'Client ID of the user-assigned managed identity the ServiceAccount impersonates.',
    requiredBy: 'AKS workload identity webhook and Flux object-level workload identity (also on non-AKS clusters).',
    requiredForFluxObjectLevel: true,
    status: 'active',
  },
  {
    key: ANNOTATION_TENANT_ID,
    placement: 'serviceAccountAnnotation',
    path: ['metadata', 'annotations'],
    valueType: 'guid',
    description:
      'Entra tenant ID of the managed identity. Optional for the AKS webhook (defaults to the cluster tenant) but **required by Flux object-level workload identity**.',
    requiredBy: 'Flux object-level workload identity ("azure tenant ID is not set in the service account annotation").',
    requiredForFluxObjectLevel: true,
    status: 'active',
  },
  {
    key: LABEL_USE,
    placement: 'podTemplateLabel',
    path: ['spec', 'template', 'metadata', 'labels'],
    valueType: 'stringTrue',
    description:
      'Tells the AKS mutating webhook to inject workload identity env vars and the token volume into the pod. Must be on the **pod template** and be the string `"true"`; on the ServiceAccount or Deployment metadata it does nothing.',
    requiredBy: 'AKS workload identity webhook (controller-level identity on AKS).',
    requiredForFluxObjectLevel: false,
    status: 'active',
  },
  {
    key: 'azure.workload.identity/service-account-token-expiration',
    placement: 'serviceAccountOrPodAnnotation',
    path: ['metadata', 'annotations'],
    valueType: 'seconds',
    description: 'Lifetime of the projected token in seconds (3600–86400, default 3600).',
    requiredBy: 'AKS webhook (optional).',
    requiredForFluxObjectLevel: false,
    status: 'active',
  },
  {
    key: 'azure.workload.identity/skip-containers',
    placement: 'podAnnotation',
    path: ['spec', 'template', 'metadata', 'annotations'],
    valueType: 'containerList',
    description: 'Semicolon-separated containers the webhook should not inject into.',
    requiredBy: 'AKS webhook (optional).',
    requiredForFluxObjectLevel: false,
    status: 'active',
  },
  {
    key: 'azure.workload.identity/inject-proxy-sidecar',
    placement: 'podAnnotation',
    path: ['spec', 'template', 'metadata', 'annotations'],
    valueType: 'stringTrue',
    description: 'Legacy: inject the token-exchange proxy sidecar.',
    requiredBy: 'AKS webhook (legacy, optional).',
    requiredForFluxObjectLevel: false,
    status: 'active',
  },
  {
    key: 'azure.workload.identity/proxy-sidecar-port',
    placement: 'podAnnotation',
    path: ['spec', 'template', 'metadata', 'annotations'],
    valueType: 'integer',
    description: 'Legacy: port of the proxy sidecar.',
    requiredBy: 'AKS webhook (legacy, optional).',
    requiredForFluxObjectLevel: false,
    status: 'active',
  },
  {
    key: 'aks.auth.fluxcd.io/federated-credential-id',
    placement: 'serviceAccountAnnotation',
    path: ['metadata', 'annotations'],
    valueType: 'armId',
    description:
      'Proposed in fluxcd/flux2#5359 to stabilise object-level workload identity on AKS; **not implemented** by Flux.',
    requiredBy: 'Nothing yet.',
    requiredForFluxObjectLevel: false,
    status: 'proposed',
  },
] as const satisfies readonly AnnotationShape[];

export type WorkloadIdentityAnnotationKey = (typeof WORKLOAD_IDENTITY_ANNOTATIONS_LITERAL)[number]['key'];

export type AnnotationDef = Keyed<AnnotationShape, 'key', WorkloadIdentityAnnotationKey>;

export const WORKLOAD_IDENTITY_ANNOTATIONS: readonly AnnotationDef[] = WORKLOAD_IDENTITY_ANNOTATIONS_LITERAL;

export const annotationDef = lookup(WORKLOAD_IDENTITY_ANNOTATIONS, 'key');

/** Annotations Flux object-level workload identity requires on the referenced ServiceAccount. */
export const REQUIRED_SERVICE_ACCOUNT_ANNOTATIONS = [ANNOTATION_CLIENT_ID, ANNOTATION_TENANT_ID] as const;

// ---------------------------------------------------------------------------------------------
// Environment variables

export type EnvValueType = 'guid' | 'url' | 'path' | 'boolString' | 'secret';

/** Shape of a `AZURE_ENV_VARS` entry before its `name` is narrowed to `AzureEnvVarName`. */
export interface EnvVarShape {
  readonly name: string;
  readonly valueType: EnvValueType;
  readonly description: string;
  /** Typical or allowed values. */
  readonly examples: readonly string[];
  /** Set by the AKS webhook when the pod carries the `use` label. */
  readonly injectedByAksWebhook: boolean;
  readonly notes?: string;
  readonly versions?: VersionRange;
}

export const ENV_TENANT_ID = 'AZURE_TENANT_ID';
export const ENV_CLIENT_ID = 'AZURE_CLIENT_ID';
export const ENV_AUTHORITY_HOST = 'AZURE_AUTHORITY_HOST';
export const ENV_FEDERATED_TOKEN_FILE = 'AZURE_FEDERATED_TOKEN_FILE';
export const ENV_CLIENT_CERTIFICATE_PATH = 'AZURE_CLIENT_CERTIFICATE_PATH';
export const ENV_CLIENT_CERTIFICATE_PASSWORD = 'AZURE_CLIENT_CERTIFICATE_PASSWORD';
export const ENV_CLIENT_SEND_CERTIFICATE_CHAIN = 'AZURE_CLIENT_SEND_CERTIFICATE_CHAIN';
const ENV_ENVIRONMENT_FILEPATH = 'AZURE_ENVIRONMENT_FILEPATH';
export const ENV_CLIENT_SECRET = 'AZURE_CLIENT_SECRET';

const AZURE_ENV_VARS_LITERAL = [
  {
    name: ENV_TENANT_ID,
    valueType: 'guid',
    description: 'Entra tenant of the identity.',
    examples: ['<tenant GUID>'],
    injectedByAksWebhook: true,
  },
  {
    name: ENV_CLIENT_ID,
    valueType: 'guid',
    description: 'Client (application) ID of the managed identity or app registration — not its principal (object) ID.',
    examples: ['<client GUID>'],
    injectedByAksWebhook: true,
  },
  {
    name: ENV_AUTHORITY_HOST,
    valueType: 'url',
    description:
      'Entra login endpoint of the cloud. Flux also derives the Event Hubs suffix and the ARM cloud for AKS from it.',
    examples: AZURE_CLOUDS.map((c) => c.authorityHost),
    injectedByAksWebhook: true,
    notes: 'Use one of the three cloud hosts with the trailing slash; a private cloud may use its own host.',
  },
  {
    name: ENV_FEDERATED_TOKEN_FILE,
    valueType: 'path',
    description:
      'File holding the projected ServiceAccount token; must equal the volume `mountPath` + `/` + projected `path`.',
    examples: ['/var/run/service-account/azure-token'],
    injectedByAksWebhook: true,
  },
  {
    name: ENV_CLIENT_CERTIFICATE_PATH,
    valueType: 'path',
    description: 'PEM or PKCS#12 file with the certificate **and** private key of the app registration.',
    examples: ['/var/run/app-cert/cert-and-key'],
    injectedByAksWebhook: false,
  },
  {
    name: ENV_CLIENT_CERTIFICATE_PASSWORD,
    valueType: 'secret',
    description:
      'Password of an encrypted private key; take it from the Secret with `valueFrom.secretKeyRef` (key `key-password`).',
    examples: [],
    injectedByAksWebhook: false,
  },
  {
    name: ENV_CLIENT_SEND_CERTIFICATE_CHAIN,
    valueType: 'boolString',
    description:
      'Send the certificate chain (x5c) for subject-name/issuer auth. True iff `"1"` or `"true"` (any case). Env values are strings: **quote it**.',
    examples: ['"true"'],
    injectedByAksWebhook: false,
  },
  {
    name: ENV_ENVIRONMENT_FILEPATH,
    valueType: 'path',
    description:
      'Private clouds: JSON file with `resourceManagerEndpoint` and `tokenAudience` (both together) and `containerRegistryDNSSuffix`.',
    examples: ['/etc/azure/environment.json'],
    injectedByAksWebhook: false,
  },
  {
    name: ENV_CLIENT_SECRET,
    valueType: 'secret',
    description:
      'Client secret for the environment credential. Works but is not recommended by Flux: prefer workload identity or a certificate.',
    examples: [],
    injectedByAksWebhook: false,
  },
] as const satisfies readonly EnvVarShape[];

export type AzureEnvVarName = (typeof AZURE_ENV_VARS_LITERAL)[number]['name'];

export type EnvVarDef = Keyed<EnvVarShape, 'name', AzureEnvVarName>;

export const AZURE_ENV_VARS: readonly EnvVarDef[] = AZURE_ENV_VARS_LITERAL;

export const envVarDef = lookup(AZURE_ENV_VARS, 'name');

// ---------------------------------------------------------------------------------------------
// Projected token (non-AKS controller level) and AKS webhook injection

export const PROJECTED_TOKEN = {
  volumeName: 'azure-token',
  mountPath: '/var/run/service-account',
  path: 'azure-token',
  expirationSeconds: 3600,
  /** Kubernetes refuses shorter projected token lifetimes. */
  minExpirationSeconds: 600,
  audience: WORKLOAD_IDENTITY_AUDIENCE,
} as const;

/** `AZURE_FEDERATED_TOKEN_FILE` for a mount path and projected path. */
export function federatedTokenFile(
  mountPath: string = PROJECTED_TOKEN.mountPath,
  path: string = PROJECTED_TOKEN.path,
): string {
  return `${mountPath.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/** Pod volume with the projected ServiceAccount token. */
export function projectedTokenVolume(): {
  name: string;
  projected: { sources: { serviceAccountToken: { audience: string; expirationSeconds: number; path: string } }[] };
} {
  return {
    name: PROJECTED_TOKEN.volumeName,
    projected: {
      sources: [
        {
          serviceAccountToken: {
            audience: PROJECTED_TOKEN.audience,
            expirationSeconds: PROJECTED_TOKEN.expirationSeconds,
            path: PROJECTED_TOKEN.path,
          },
        },
      ],
    },
  };
}

/** Mount of the projected token volume in container 0. */
export function projectedTokenVolumeMount(): { name: string; mountPath: string; readOnly: boolean } {
  return { name: PROJECTED_TOKEN.volumeName, mountPath: PROJECTED_TOKEN.mountPath, readOnly: true };
}

/** What the AKS webhook injects into pods labelled with `azure.workload.identity/use: "true"`. */
export const AKS_WEBHOOK_INJECTION = {
  env: [ENV_CLIENT_ID, ENV_TENANT_ID, ENV_FEDERATED_TOKEN_FILE, ENV_AUTHORITY_HOST],
  volumeName: 'azure-identity-token',
  tokenFile: '/var/run/secrets/azure/tokens/azure-identity-token',
} as const;

// ---------------------------------------------------------------------------------------------
// Feature gate

export const OBJECT_LEVEL_WI_GATE = 'ObjectLevelWorkloadIdentity';
export const FEATURE_GATES_FLAG = '--feature-gates';
/** The exact argument the docs append to container 0 args. */
export const OBJECT_LEVEL_WI_GATE_ARG = `${FEATURE_GATES_FLAG}=${OBJECT_LEVEL_WI_GATE}=true`;
/** Versions in which the gate exists at all (a controller exits on an unknown gate name). */
export const OBJECT_LEVEL_WI_GATE_VERSIONS: VersionRange = { since: '2.6' };

/**
 * Parses a `--feature-gates=A=true,B=false` argument into name → enabled. Returns undefined when
 * the argument is not a feature-gates flag. Values other than true/false map to undefined entries
 * in `invalid`.
 */
export function parseFeatureGatesArg(arg: string): { gates: Map<string, boolean>; invalid: string[] } | undefined {
  const prefix = `${FEATURE_GATES_FLAG}=`;
  const text = arg.trim();
  if (!text.startsWith(prefix)) return undefined;
  const gates = new Map<string, boolean>();
  const invalid: string[] = [];
  for (const part of text.slice(prefix.length).split(',')) {
    const p = part.trim();
    if (p === '') continue;
    const eq = p.indexOf('=');
    const name = eq < 0 ? p : p.slice(0, eq);
    const value = eq < 0 ? '' : p.slice(eq + 1).toLowerCase();
    if (value === 'true' || value === 'false') gates.set(name, value === 'true');
    else invalid.push(p);
  }
  return { gates, invalid };
}

/** True when `name` differs from the gate name only by case (a typo the controller rejects). */
export function isMiscasedGateName(name: string): boolean {
  return name !== OBJECT_LEVEL_WI_GATE && name.toLowerCase() === OBJECT_LEVEL_WI_GATE.toLowerCase();
}

// ---------------------------------------------------------------------------------------------
// Federated identity credential subject

export const SERVICE_ACCOUNT_SUBJECT_PREFIX = 'system:serviceaccount:';
/** Subject format, groups = namespace, name. Case-sensitive in Entra. */
const SERVICE_ACCOUNT_SUBJECT_REGEX =
  /^system:serviceaccount:([a-z0-9]([-a-z0-9]*[a-z0-9])?):([a-z0-9]([-.a-z0-9]*[a-z0-9])?)$/;

/** `system:serviceaccount:<namespace>:<name>`. */
export function serviceAccountSubject(namespace: string, name: string): string {
  return `${SERVICE_ACCOUNT_SUBJECT_PREFIX}${namespace}:${name}`;
}

/** Namespace and name of a subject, or undefined when malformed. */
export function parseServiceAccountSubject(subject: string): { namespace: string; name: string } | undefined {
  const m = SERVICE_ACCOUNT_SUBJECT_REGEX.exec(subject);
  return m ? { namespace: m[1] as string, name: m[3] as string } : undefined;
}
