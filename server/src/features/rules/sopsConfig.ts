import {
  isSopsConfigPath,
  KEY_VAULT_KEY_URL_EXAMPLE,
  parseKeyVaultKeyUrl,
  SOPS_CONFIG_AZURE_KEY,
  SOPS_CREATION_RULES_KEY,
  SOPS_KEY_GROUPS_KEY,
  SOPS_METADATA_AZURE_KEY,
} from '../../catalog';
import type { ManifestDoc } from '../../document/manifest';
import { isMap, isScalar, items, pairOf, type MapNode, type ScalarNode } from '../../document/nodes';
import { replaceScalar } from './helpers';
import type { Finding, Fix, Rule } from './rule';

/**
 * `.sops.yaml` creation rules for Key Vault (issue 15 item 6): the rule key is `azure_keyvault`, its value key URLs
 * `https://<vault>.vault.azure.net/keys/<key>/<version>`. `azure_kv` is what sops writes into encrypted files'
 * metadata; under a creation rule sops ignores it, so the file is encrypted without the Key Vault key.
 */
export const sopsConfigKeyVault: Rule = {
  name: 'sops-config-keyvault',
  // A `.sops.yaml` has no apiVersion or kind; the file name decides (see `check`).
  applies: (doc) => !doc.kind && !doc.apiVersion,
  check: ({ doc }) => {
    if (!isSopsConfigPath(doc.file.uri)) return [];
    const findings: Finding[] = [];
    for (const rule of items(doc.get([SOPS_CREATION_RULES_KEY]))) {
      if (!isMap(rule)) continue;
      findings.push(...metadataName(doc, rule, 'rule'));
      findings.push(...ruleUrls(doc, rule));
      for (const group of items(pairOf(rule, SOPS_KEY_GROUPS_KEY)?.value)) {
        if (!isMap(group)) continue;
        findings.push(...metadataName(doc, group, 'group'));
        for (const key of items(pairOf(group, SOPS_CONFIG_AZURE_KEY)?.value)) {
          const vaultUrl = isMap(key) ? pairOf(key, 'vaultUrl')?.value : undefined;
          if (isScalar(vaultUrl) && /\/keys\//.test(vaultUrl.text))
            findings.push({
              code: 'flux-azure/sops-config-keyvault',
              span: vaultUrl,
              message: `In a key group, vaultUrl is the vault alone (https://<vault>.vault.azure.net); the key name and version go in 'key' and 'version'. sops cannot find the key at '${vaultUrl.text}/keys/…'.`,
            });
        }
      }
    }
    return findings;
  },
};

/** `azure_kv:` where `azure_keyvault:` belongs. */
function metadataName(doc: ManifestDoc, map: MapNode, where: 'rule' | 'group'): Finding[] {
  const wrong = pairOf(map, SOPS_METADATA_AZURE_KEY);
  if (!wrong) return [];
  const value = wrong.value;
  // Renaming is safe when the value already has the shape `azure_keyvault` takes there and nothing would clash.
  const shapeFits =
    where === 'rule'
      ? isScalar(value) || items(value).every(isScalar)
      : items(value).length > 0 && items(value).every((i) => isMap(i) && !!pairOf(i, 'vaultUrl'));
  const fixes: Fix[] =
    shapeFits && !pairOf(map, SOPS_CONFIG_AZURE_KEY)
      ? [
          {
            title: `Rename to ${SOPS_CONFIG_AZURE_KEY}`,
            edits: replaceScalar(doc, wrong.key, SOPS_CONFIG_AZURE_KEY),
            preferred: true,
          },
        ]
      : [];
  return [
    {
      code: 'flux-azure/sops-config-keyvault',
      span: wrong.key,
      message:
        `sops ignores '${SOPS_METADATA_AZURE_KEY}' in a ${where === 'rule' ? 'creation rule' : 'key group'}: that is the name of the Key Vault entries in an encrypted file's metadata. ` +
        `The ${where === 'rule' ? 'creation rule' : 'key group'} key is '${SOPS_CONFIG_AZURE_KEY}', so files matched here are encrypted without this Key Vault key and kustomize-controller cannot decrypt them with it.`,
      fixes,
    },
  ];
}

/** The key URLs of a creation rule's `azure_keyvault` (a comma-separated string, or a list of them). */
function ruleUrls(doc: ManifestDoc, rule: MapNode): Finding[] {
  const value = pairOf(rule, SOPS_CONFIG_AZURE_KEY)?.value;
  const scalars: ScalarNode[] = isScalar(value) ? [value] : items(value).filter(isScalar);
  const findings: Finding[] = [];
  for (const scalar of scalars) {
    if (scalar.text.includes('${') || scalar.text.trim() === '') continue;
    const parts = scalar.text.split(',');
    for (const part of parts) {
      const url = part.trim();
      const parsed = parseKeyVaultKeyUrl(url);
      const vaultHost = parsed && (parsed.knownHost || /\.(?:vault|managedhsm)\./i.test(parsed.vaultUrl));
      if (parsed && vaultHost) continue;
      const repaired = parts.length === 1 ? repair(url) : undefined;
      findings.push({
        code: 'flux-azure/sops-config-keyvault',
        span: scalar,
        message: parsed
          ? `'${parsed.vaultUrl}' is not a Key Vault host (<vault>.vault.azure.net, or the cloud's vault suffix); sops would ask that host for key '${parsed.key}'.`
          : `'${url}' is not a Key Vault key URL sops can parse: it must be ${KEY_VAULT_KEY_URL_EXAMPLE} (https, the vault host, then /keys/ and the key name; the version may be left out for the latest).`,
        fixes: repaired
          ? [{ title: `Use ${repaired}`, edits: replaceScalar(doc, scalar, repaired), preferred: true }]
          : [],
      });
    }
  }
  return findings;
}

/** A mechanical repair of a key URL (http scheme, trailing slash), when that makes it parse. */
function repair(url: string): string | undefined {
  const fixed = url.replace(/^http:\/\//i, 'https://').replace(/\/+$/, '');
  const parsed = fixed !== url ? parseKeyVaultKeyUrl(fixed) : undefined;
  return parsed?.knownHost ? fixed : undefined;
}
