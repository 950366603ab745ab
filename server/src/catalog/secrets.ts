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

// ---------------------------------------------------------------------------------------------
// Bucket (provider: azure) secretRef

export const BUCKET_AZURE_SECRET_KEYS = [
  { key: 'tenantId', description: 'Entra tenant ID.', valueType: 'guid', sensitive: false },
  {
    key: 'clientId',
    description: 'Client ID of the app registration or managed identity.',
    valueType: 'guid',
    sensitive: false,
  },
  { key: 'clientSecret', description: 'App registration client secret.', valueType: 'secret', sensitive: true },
  {
    key: 'clientCertificate',
    description: 'PEM with the app certificate **and** its private key.',
    valueType: 'pem',
    sensitive: true,
  },
  {
    key: 'clientCertificatePassword',
    description: 'Password of an encrypted private key.',
    valueType: 'secret',
    sensitive: true,
  },
  {
    key: 'clientCertificateSendChain',
    description: 'Send the x5c chain. Read as a **string**: true iff `"1"` or `"true"` — quote it in `stringData`.',
    valueType: 'boolString',
    sensitive: false,
  },
  {
    key: 'authorityHost',
    description: 'Entra login host for sovereign clouds (optional with any Entra method).',
    valueType: 'url',
    sensitive: false,
  },
  { key: 'accountKey', description: 'Storage account shared key.', valueType: 'secret', sensitive: true },
  {
    key: 'sasKey',
    description: 'SAS token (leading `?` optional); merged into the endpoint query, winning on conflicts.',
    valueType: 'secret',
    sensitive: true,
  },
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

/** Accepted Bucket credential sets; a Secret is valid when at least one set is complete. */
export const BUCKET_AZURE_KEY_SETS = [
  SERVICE_PRINCIPAL_SECRET,
  SERVICE_PRINCIPAL_CERTIFICATE,
  MANAGED_IDENTITY_BY_CLIENT_ID,
  { id: 'sharedKey', label: 'Storage account shared key', required: ['accountKey'], optional: [] },
  { id: 'sas', label: 'Shared access signature', required: ['sasKey'], optional: [] },
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
  { key: 'tenantId', description: 'Entra tenant ID.', valueType: 'guid', sensitive: false },
  { key: 'clientId', description: 'Client ID (alone = managed identity).', valueType: 'guid', sensitive: false },
  { key: 'clientSecret', description: 'App registration client secret.', valueType: 'secret', sensitive: true },
  { key: 'clientCertificate', description: 'PEM with certificate and private key.', valueType: 'pem', sensitive: true },
  {
    key: 'clientCertificatePassword',
    description: 'Password of an encrypted private key.',
    valueType: 'secret',
    sensitive: true,
  },
  {
    key: 'clientCertificateSendChain',
    description: 'Send the x5c chain. A Go **bool**: write an unquoted `true`; a quoted `"true"` fails to parse.',
    valueType: 'bool',
    sensitive: false,
  },
  { key: 'authorityHost', description: 'Entra login host for sovereign clouds.', valueType: 'url', sensitive: false },
  { key: 'appId', description: '`az ad sp create-for-rbac` output: client ID.', valueType: 'guid', sensitive: false },
  { key: 'tenant', description: '`az ad sp create-for-rbac` output: tenant ID.', valueType: 'guid', sensitive: false },
  {
    key: 'password',
    description: '`az ad sp create-for-rbac` output: client secret.',
    valueType: 'secret',
    sensitive: true,
  },
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
  {
    key: 'address',
    description: 'Overrides `spec.address`. `azureeventhub`: SAS connection string; `msteams`: webhook URL.',
    valueType: 'secret',
    sensitive: true,
  },
  {
    key: 'token',
    description: '`azuredevops`: PAT with commit-status rights. `azureeventhub`: JWT (deprecated since Flux 2.7).',
    valueType: 'secret',
    sensitive: true,
  },
  { key: 'username', description: 'Basic-auth user.', valueType: 'string', sensitive: false },
  { key: 'password', description: 'Basic-auth password.', valueType: 'secret', sensitive: true },
  { key: 'headers', description: 'Extra HTTP headers (YAML map).', valueType: 'string', sensitive: false },
  { key: 'proxy', description: 'Proxy URL (deprecated; use `proxySecretRef`).', valueType: 'url', sensitive: false },
] as const satisfies readonly SecretKeyDef[];

/** Keys that count as "static credentials" conflicting with Provider `serviceAccountName`. */
export const PROVIDER_STATIC_CREDENTIAL_KEYS = ['token', 'address'] as const;

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
