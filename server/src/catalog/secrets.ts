/**
 * Secret shapes the Azure integrations read: Bucket credentials, the SOPS `sops.azure-kv` document,
 * controller-level certificate Secrets, Provider secrets, and the send-chain quoting rules.
 */
import { ZERO_GUID } from './identifiers';
import { ENV_CLIENT_SECRET, ENV_CLIENT_SEND_CERTIFICATE_CHAIN } from './workloadIdentity';

export interface SecretKeyDef {
  readonly key: string;
  readonly description: string;
  /** 'boolString' = a string read as a boolean ("1"/"true"); 'pem' = certificate and/or key text. */
  readonly valueType: 'string' | 'guid' | 'url' | 'pem' | 'boolString' | 'bool' | 'secret';
  /** True for keys whose value is a credential that should not sit in Git unencrypted. */
  readonly sensitive: boolean;
}

export interface KeySetDef {
  readonly id: string;
  readonly label: string;
  readonly required: readonly string[];
  readonly optional: readonly string[];
}

/** A Secret key; a credential (a secret or PEM value) is sensitive, anything else is not. */
function secretKey<const K extends string>(
  key: K,
  valueType: SecretKeyDef['valueType'],
  description: string,
): SecretKeyDef & { readonly key: K } {
  return { key, description, valueType, sensitive: valueType === 'secret' || valueType === 'pem' };
}

// The Entra keys that Bucket Secrets and `sops.azure-kv` documents both read, with the same meaning.
const TENANT_ID = secretKey('tenantId', 'guid', 'Entra tenant ID.');
const CLIENT_SECRET = secretKey('clientSecret', 'secret', 'App registration client secret.');
const CLIENT_CERTIFICATE_PASSWORD = secretKey(
  'clientCertificatePassword',
  'secret',
  'Password of an encrypted private key.',
);

// ---------------------------------------------------------------------------------------------
// Bucket (provider: azure) secretRef

export const BUCKET_AZURE_SECRET_KEYS = [
  TENANT_ID,
  secretKey('clientId', 'guid', 'Client ID of the app registration or managed identity.'),
  CLIENT_SECRET,
  secretKey('clientCertificate', 'pem', 'PEM with the app certificate **and** its private key.'),
  CLIENT_CERTIFICATE_PASSWORD,
  secretKey(
    'clientCertificateSendChain',
    'boolString',
    'Send the x5c chain. Read as a **string**: true iff `"1"` or `"true"` — quote it in `stringData`.',
  ),
  secretKey('authorityHost', 'url', 'Entra login host for sovereign clouds (optional with any Entra method).'),
  secretKey('accountKey', 'secret', 'Storage account shared key.'),
  secretKey(
    'sasKey',
    'secret',
    'SAS token (leading `?` optional); merged into the endpoint query, winning on conflicts.',
  ),
] as const satisfies readonly SecretKeyDef[];

// Entra credential sets that Bucket Secrets and `sops.azure-kv` documents share (the same key names and meaning;
// the Secret formats differ in how values are written, see the key tables).
const SERVICE_PRINCIPAL_SECRET = {
  id: 'clientSecret',
  label: 'Service principal with client secret',
  required: ['tenantId', 'clientId', 'clientSecret'],
  optional: ['authorityHost'],
} as const satisfies KeySetDef;
const SERVICE_PRINCIPAL_CERTIFICATE = {
  id: 'clientCertificate',
  label: 'Service principal with certificate',
  required: ['tenantId', 'clientId', 'clientCertificate'],
  optional: ['clientCertificatePassword', 'clientCertificateSendChain', 'authorityHost'],
} as const satisfies KeySetDef;
const MANAGED_IDENTITY_BY_CLIENT_ID = {
  id: 'managedIdentity',
  label: 'Managed identity by client ID',
  required: ['clientId'],
  optional: ['authorityHost'],
} as const satisfies KeySetDef;

/** Bucket credential sets that are not an Entra identity (no role assignment involved). */
const BUCKET_STATIC_KEY_SETS = [
  { id: 'sharedKey', label: 'Storage account shared key', required: ['accountKey'], optional: [] },
  { id: 'sas', label: 'Shared access signature', required: ['sasKey'], optional: [] },
] as const satisfies readonly KeySetDef[];

/** Accepted Bucket credential sets; a Secret is valid when at least one set is complete. */
export const BUCKET_AZURE_KEY_SETS = [
  SERVICE_PRINCIPAL_SECRET,
  SERVICE_PRINCIPAL_CERTIFICATE,
  MANAGED_IDENTITY_BY_CLIENT_ID,
  ...BUCKET_STATIC_KEY_SETS,
] as const satisfies readonly KeySetDef[];

/** Complete key sets found among `keys` (empty = Flux reports "invalid '<name>' secret data"). */
export function matchBucketKeySets(keys: Iterable<string>): KeySetDef[] {
  const present = new Set(keys);
  return BUCKET_AZURE_KEY_SETS.filter((s) => s.required.every((k) => present.has(k)));
}

// ---------------------------------------------------------------------------------------------
// Kustomization SOPS: `sops.azure-kv`

/** Fixed Secret key holding the Key Vault credentials document. */
export const SOPS_AZURE_KV_KEY = 'sops.azure-kv';

export const SOPS_AZURE_KV_FIELDS = [
  TENANT_ID,
  secretKey('clientId', 'guid', 'Client ID (alone = managed identity).'),
  CLIENT_SECRET,
  secretKey('clientCertificate', 'pem', 'PEM with certificate and private key.'),
  CLIENT_CERTIFICATE_PASSWORD,
  secretKey(
    'clientCertificateSendChain',
    'bool',
    'Send the x5c chain. A Go **bool**: write an unquoted `true`; a quoted `"true"` fails to parse.',
  ),
  secretKey('authorityHost', 'url', 'Entra login host for sovereign clouds.'),
  secretKey('appId', 'guid', '`az ad sp create-for-rbac` output: client ID.'),
  secretKey('tenant', 'guid', '`az ad sp create-for-rbac` output: tenant ID.'),
  secretKey('password', 'secret', '`az ad sp create-for-rbac` output: client secret.'),
] as const satisfies readonly SecretKeyDef[];

/** Accepted `sops.azure-kv` combinations, in the order kustomize-controller tries them. */
export const SOPS_AZURE_KV_COMBINATIONS = [
  SERVICE_PRINCIPAL_SECRET,
  SERVICE_PRINCIPAL_CERTIFICATE,
  {
    id: 'azCliOutput',
    label: '`az ad sp create-for-rbac` output',
    required: ['appId', 'tenant', 'password'],
    optional: ['authorityHost'],
  },
  MANAGED_IDENTITY_BY_CLIENT_ID,
] as const satisfies readonly KeySetDef[];

/** The combination kustomize-controller would pick for these fields, or undefined (decryption error). */
export function resolveSopsAzureKv(keys: Iterable<string>): KeySetDef | undefined {
  const present = new Set(keys);
  return SOPS_AZURE_KV_COMBINATIONS.find((c) => c.required.every((k) => present.has(k)));
}

/** Other fixed keys kustomize-controller reads from a decryption Secret (`suffix` = any name ending with it). */
export const SOPS_SECRET_KEYS = [
  { key: SOPS_AZURE_KV_KEY, match: 'exact', description: 'Azure Key Vault credentials document.' },
  { key: '.agekey', match: 'suffix', description: 'age private key(s).' },
  { key: '.asc', match: 'suffix', description: 'Armored PGP private key.' },
  { key: 'sops.vault-token', match: 'exact', description: 'HashiCorp Vault token.' },
  { key: 'sops.aws-kms', match: 'exact', description: 'AWS KMS credentials.' },
  { key: 'sops.gcp-kms', match: 'exact', description: 'GCP KMS credentials JSON.' },
] as const;

/**
 * Priority of Key Vault credentials for SOPS: static credentials in the Secret, then the
 * decryption ServiceAccount, then the controller identity.
 */
export const SOPS_CREDENTIAL_PRIORITY = ['decryptionSecret', 'decryptionServiceAccount', 'controllerIdentity'] as const;

// ---------------------------------------------------------------------------------------------
// Controller-level application certificate Secret (flux-system)

export const CONTROLLER_CERT_SECRET_KEYS = {
  /** Must match the volumeMount `subPath`. */
  certAndKey: 'cert-and-key',
  /** Must match `AZURE_CLIENT_CERTIFICATE_PASSWORD.valueFrom.secretKeyRef.key`. */
  keyPassword: 'key-password',
} as const;

// ---------------------------------------------------------------------------------------------
// Provider secrets

export const PROVIDER_SECRET_KEYS = [
  secretKey(
    'address',
    'secret',
    'Overrides `spec.address`. `azureeventhub`: SAS connection string; `msteams`: webhook URL.',
  ),
  secretKey(
    'token',
    'secret',
    '`azuredevops`: PAT with commit-status rights. `azureeventhub`: JWT (deprecated since Flux 2.7).',
  ),
  secretKey('username', 'string', 'Basic-auth user.'),
  secretKey('password', 'secret', 'Basic-auth password.'),
  secretKey('headers', 'string', 'Extra HTTP headers (YAML map).'),
  secretKey('proxy', 'url', 'Proxy URL (deprecated; use `proxySecretRef`).'),
] as const satisfies readonly SecretKeyDef[];

/** Keys that count as "static credentials" conflicting with Provider `serviceAccountName`. */
export const PROVIDER_STATIC_CREDENTIAL_KEYS = ['token', 'address'] as const;

/**
 * Keys whose presence (without a client id) means a Secret holds a static credential rather than an Entra identity:
 * a Bucket's shared key or SAS, a notification Provider's token or address.
 */
export const STATIC_CREDENTIAL_KEYS: readonly string[] = [
  ...BUCKET_STATIC_KEY_SETS.flatMap((set) => set.required),
  ...PROVIDER_STATIC_CREDENTIAL_KEYS,
];

/** Keys that name an Entra client and tenant, in the order they are read (the `az ad sp create-for-rbac` names last). */
export const CLIENT_ID_KEYS = ['clientId', 'appId'] as const;
export const TENANT_ID_KEYS = ['tenantId', 'tenant'] as const;

// ---------------------------------------------------------------------------------------------
// Registry secrets

export const DOCKERCONFIGJSON_SECRET_TYPE = 'kubernetes.io/dockerconfigjson';
/** Username ACR expects with an Entra-issued refresh token. */
export const ACR_TOKEN_USERNAME = ZERO_GUID;

// ---------------------------------------------------------------------------------------------
// The three quoting rules for the send-chain boolean

export interface QuotingRuleDef {
  readonly context: 'bucketSecret' | 'sopsAzureKv' | 'envVar';
  readonly key: string;
  /** YAML node type required. */
  readonly expected: 'string' | 'boolean';
  readonly correct: string;
  readonly wrong: string;
  readonly why: string;
}

export const SEND_CHAIN_QUOTING_RULES = [
  {
    context: 'bucketSecret',
    key: 'clientCertificateSendChain',
    expected: 'string',
    correct: 'clientCertificateSendChain: "true"',
    wrong: 'clientCertificateSendChain: true',
    why: 'Secret `stringData`/`data` values must be strings; the API server rejects a YAML boolean. source-controller reads "1" or "true".',
  },
  {
    context: 'sopsAzureKv',
    key: 'clientCertificateSendChain',
    expected: 'boolean',
    correct: 'clientCertificateSendChain: true',
    wrong: 'clientCertificateSendChain: "true"',
    why: 'The nested `sops.azure-kv` document is unmarshalled into a Go bool; a quoted string fails to parse.',
  },
  {
    context: 'envVar',
    key: ENV_CLIENT_SEND_CERTIFICATE_CHAIN,
    expected: 'string',
    correct: 'value: "true"',
    wrong: 'value: true',
    why: 'Container env values must be strings; the API server rejects a YAML boolean.',
  },
] as const satisfies readonly QuotingRuleDef[];

// ---------------------------------------------------------------------------------------------
// Plain-text credential detection (security rules)

/** PEM header of an unencrypted or encrypted private key. */
export const PEM_PRIVATE_KEY_REGEX = /-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----/;
/** A SOPS-encrypted value. */
export const SOPS_ENCRYPTED_VALUE_REGEX = /^ENC\[[A-Z0-9_]+,data:/;
/** Top-level key SOPS adds to encrypted files. */
export const SOPS_METADATA_KEY = 'sops';
/** Secret keys (any Azure shape) whose plain-text presence is a leaked client secret. */
export const CLIENT_SECRET_KEYS = ['clientSecret', 'password', 'accountKey', 'sasKey', ENV_CLIENT_SECRET] as const;
