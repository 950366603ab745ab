import {
  CLIENT_SECRET_KEYS,
  isPlaceholder,
  PEM_PRIVATE_KEY_REGEX,
  SOPS_AZURE_KV_KEY,
  SOPS_ENCRYPTED_VALUE_REGEX,
  SOPS_METADATA_KEY,
} from '../../catalog';
import type { ManifestDoc } from '../../document/manifest';
import { entries, isScalar, type PairNode, type ScalarNode } from '../../document/nodes';
import type { Finding, Rule } from './rule';

/** A PEM body that is an obvious stand-in (docs and examples), not key material. */
function isFakePem(text: string): boolean {
  return isPlaceholder(text) || /PLACEHOLDER|EXAMPLE|\.\.\.|REDACTED/i.test(text) || !/[A-Za-z0-9+/]{40,}/.test(text);
}

function secretValue(doc: ManifestDoc, pair: PairNode, encoded: boolean): string | undefined {
  if (!isScalar(pair.value)) return undefined;
  if (!encoded) return pair.value.text;
  const compact = pair.value.text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return undefined;
  return Buffer.from(compact, 'base64').toString('utf8');
  void doc;
}

/** Security: private keys and client secrets committed in plain text (a Secret that SOPS has not encrypted). */
export const plaintextCredentials: Rule = {
  name: 'plaintext-credentials',
  applies: (doc) => doc.kind === 'Secret' && doc.group === '',
  check: ({ doc }) => {
    if (doc.get([SOPS_METADATA_KEY]) !== undefined) return [];
    const findings: Finding[] = [];
    const check = (pair: PairNode, value: string, span: ScalarNode, key = pair.key.text, nested = false) => {
      if (SOPS_ENCRYPTED_VALUE_REGEX.test(value) || value.trim() === '') return;
      if (PEM_PRIVATE_KEY_REGEX.test(value) && !isFakePem(value)) {
        findings.push({
          code: 'flux-azure/plaintext-private-key',
          span,
          message: `'${key}' holds an unencrypted private key in a Secret that is not SOPS-encrypted: anyone who can read the repository can authenticate as this identity. Encrypt the Secret with SOPS (or use workload identity) and rotate the certificate.`,
        });
      } else if (
        (CLIENT_SECRET_KEYS as readonly string[]).includes(key) &&
        (key !== 'password' || nested) &&
        !isPlaceholder(value) &&
        !value.includes('${')
      ) {
        findings.push({
          code: 'flux-azure/plaintext-client-secret',
          span,
          message: `'${key}' is a credential committed in plain text (the Secret is not SOPS-encrypted). Encrypt it with SOPS, or switch to workload identity, and rotate it.`,
        });
      }
    };
    for (const [section, encoded] of [
      ['stringData', false],
      ['data', true],
    ] as const) {
      for (const pair of entries(doc.get([section]))) {
        const value = secretValue(doc, pair, encoded);
        if (value === undefined || !isScalar(pair.value)) continue;
        if (pair.key.text === SOPS_AZURE_KV_KEY) {
          const nested = doc.nestedYaml(pair.value, encoded ? 'base64' : undefined);
          for (const inner of entries(nested?.root)) {
            if (isScalar(inner.value))
              check(inner, inner.value.text, nested?.exact ? inner.value : pair.value, inner.key.text, true);
          }
        } else check(pair, value, pair.value);
      }
    }
    return findings;
  },
};
