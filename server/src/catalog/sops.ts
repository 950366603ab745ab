/**
 * SOPS with Azure Key Vault: the names SOPS itself uses, which differ between the repository's `.sops.yaml`
 * (creation rules, read by the `sops` CLI when encrypting) and the metadata it writes into each encrypted file
 * (read by kustomize-controller when decrypting). Sources: getsops/sops `config/config.go` (creation rule and key
 * group YAML tags), `azkv/keysource.go` (`NewMasterKeyFromURL`), `stores/stores.go` (metadata names).
 */
import { AZURE_CLOUDS } from './clouds';

/** The file the `sops` CLI looks for, from the encrypted file's directory upwards. */
const SOPS_CONFIG_FILE_NAME = '.sops.yaml';
/** Top-level list of a `.sops.yaml`. */
export const SOPS_CREATION_RULES_KEY = 'creation_rules';
/** A creation rule's list of key groups (each a map of key types). */
export const SOPS_KEY_GROUPS_KEY = 'key_groups';
/**
 * Key of a creation rule (and of a key group) naming Azure Key Vault keys. In a creation rule its value is a
 * comma-separated string (or list) of key URLs; in a key group a list of `{vaultUrl, key, version}` maps.
 */
export const SOPS_CONFIG_AZURE_KEY = 'azure_keyvault';
/** Name of the Key Vault entries in an encrypted file's `sops:` metadata (not a `.sops.yaml` key). */
export const SOPS_METADATA_AZURE_KEY = 'azure_kv';

/** Whether a path (or uri) names a SOPS configuration file. */
export function isSopsConfigPath(path: string): boolean {
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return path.slice(slash + 1) === SOPS_CONFIG_FILE_NAME;
}

/** The form `sops` parses (after trimming): `https://<host>/keys/<name>` with an optional `/<version>`. */
const SOPS_KEY_URL_REGEX = /^(https:\/\/[^/]+)\/keys\/([^/]+)(\/[^/]*)?$/;

/** Example for messages and snippets. */
export const KEY_VAULT_KEY_URL_EXAMPLE = 'https://<vault>.vault.azure.net/keys/<key>/<version>';

export interface KeyVaultKeyUrl {
  readonly vaultUrl: string;
  readonly key: string;
  readonly version: string | undefined;
  /** Whether the host is a Key Vault / Managed HSM host of a known Azure cloud. */
  readonly knownHost: boolean;
}

/** A Key Vault key URL as `sops` reads it, or undefined when `sops` cannot parse it. */
export function parseKeyVaultKeyUrl(text: string): KeyVaultKeyUrl | undefined {
  const m = SOPS_KEY_URL_REGEX.exec(text.trim());
  if (!m) return undefined;
  const vaultUrl = m[1] as string;
  const host = vaultUrl.slice('https://'.length).toLowerCase();
  const knownHost = AZURE_CLOUDS.some((c) => c.keyVaultSuffixes.some((s) => host.endsWith(s)));
  const version = m[3] && m[3].length > 1 ? m[3].slice(1) : undefined;
  return { vaultUrl, key: m[2] as string, version, knownHost };
}
