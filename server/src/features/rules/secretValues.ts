import {
  BUCKET_AZURE_SECRET_KEYS,
  matchBucketKeySets,
  resolveSopsAzureKv,
  SOPS_AZURE_KV_KEY,
  SOPS_AZURE_KV_FIELDS,
  BUCKET_AZURE_KEY_SETS,
} from '../../catalog';
import { entries, isMap, isScalar, nodeAt, type ScalarNode } from '../../document/nodes';
import type { ManifestDoc } from '../../document/manifest';
import { isFluxDoc, namespaceOf, quoted, replaceScalar } from './helpers';
import type { Finding, Rule } from './rule';

const SEND_CHAIN = 'clientCertificateSendChain';

function isSecret(doc: ManifestDoc): boolean {
  return doc.kind === 'Secret' && doc.group === '';
}

/**
 * Rule 18 (two of the three quoting rules; the env var one is in the patch rules): the same boolean is a quoted
 * string in a Bucket Secret (Secret values are strings) but an unquoted YAML boolean inside `sops.azure-kv`
 * (Flux unmarshals it into a Go bool).
 */
export const sendChainQuoting: Rule = {
  name: 'send-chain-quoting',
  applies: isSecret,
  check: ({ doc }) => {
    const findings: Finding[] = [];
    const direct = doc.scalar(['stringData', SEND_CHAIN]);
    if (direct && direct.style === 'plain' && typeof direct.value !== 'string') {
      findings.push({
        code: 'flux-azure/send-chain-quoting',
        span: direct,
        message: `Secret values must be strings: the API server rejects an unquoted ${direct.text} here. Write ${SEND_CHAIN}: "true" (source-controller reads "1" or "true").`,
        fixes: [
          {
            title: `Quote the value: "${direct.text}"`,
            edits: replaceScalar(doc, direct, quoted(direct.text)),
            preferred: true,
          },
        ],
      });
    }
    for (const nested of sopsDocs(doc)) {
      const inner = nodeAt(nested.root, [SEND_CHAIN]);
      if (isScalar(inner) && inner.style !== 'plain' && nested.exact) {
        findings.push({
          code: 'flux-azure/send-chain-quoting',
          span: inner,
          message: `Inside ${SOPS_AZURE_KV_KEY}, ${SEND_CHAIN} is read as a Go bool: the quoted "${inner.text}" fails to unmarshal and decryption stops. Write it unquoted: ${SEND_CHAIN}: ${inner.text.toLowerCase() === 'true' ? 'true' : 'false'}.`,
          fixes: [
            {
              title: `Unquote: ${inner.text}`,
              edits: replaceScalar(doc, inner, inner.text.toLowerCase() === 'true' ? 'true' : 'false'),
              preferred: true,
            },
          ],
        });
      }
    }
    return findings;
  },
};

function sopsDocs(doc: ManifestDoc) {
  const out = [];
  const str = doc.scalar(['stringData', SOPS_AZURE_KV_KEY]);
  if (str) {
    const n = doc.nestedYaml(str);
    if (n) out.push(n);
  }
  const data = doc.scalar(['data', SOPS_AZURE_KV_KEY]);
  if (data && !data.text.startsWith('ENC[')) {
    const n = doc.nestedYaml(data, 'base64');
    if (n) out.push(n);
  }
  return out;
}

/** Rule 20: the `sops.azure-kv` value must parse and hold one accepted credential combination. */
export const sopsAzureKv: Rule = {
  name: 'sops-azure-kv',
  applies: isSecret,
  check: ({ doc }) => {
    const host = doc.scalar(['stringData', SOPS_AZURE_KV_KEY]) ?? doc.scalar(['data', SOPS_AZURE_KV_KEY]);
    if (!host || host.text.startsWith('ENC[')) return [];
    const findings: Finding[] = [];
    for (const nested of sopsDocs(doc)) {
      if (!isMap(nested.root)) {
        findings.push({
          code: 'flux-azure/sops-azure-kv-invalid',
          span: host,
          message: `${SOPS_AZURE_KV_KEY} must hold a YAML or JSON object with the Azure credentials; kustomize-controller cannot read this value and decryption fails.`,
        });
        continue;
      }
      const keys = entries(nested.root).map((p) => p.key.text);
      const known = new Set<string>(SOPS_AZURE_KV_FIELDS.map((f) => f.key));
      for (const p of entries(nested.root)) {
        if (!known.has(p.key.text) && p.key.text !== 'displayName') {
          findings.push({
            code: 'flux-azure/sops-azure-kv-invalid',
            severity: 4,
            span: p.key,
            message: `'${p.key.text}' is not a ${SOPS_AZURE_KV_KEY} field and is ignored. Fields: ${[...known].join(', ')}.`,
          });
        }
      }
      if (!resolveSopsAzureKv(keys)) {
        findings.push({
          code: 'flux-azure/sops-azure-kv-invalid',
          span: host,
          message: `${SOPS_AZURE_KV_KEY} has no usable credential set (tenantId+clientId+clientSecret, tenantId+clientId+clientCertificate, appId+tenant+password, or clientId alone): kustomize-controller fails to decrypt.`,
        });
      }
    }
    return findings;
  },
};

/** Rule 19: the Secret a Bucket with provider azure references must hold one valid key set. */
export const bucketSecretKeys: Rule = {
  name: 'bucket-secret-keys',
  applies: (doc) => isFluxDoc(doc, 'Bucket'),
  check: ({ doc, index }) => {
    if (doc.text(['spec', 'provider']) !== 'azure') return [];
    const nameNode = doc.scalar(['spec', 'secretRef', 'name']);
    if (!nameNode) return [];
    const secret = index.secrets(nameNode.text, namespaceOf(doc, index), doc.file.uri)[0];
    if (!secret || (secret.sops && secret.keys.length === 0)) return [];
    if (matchBucketKeySets(secret.keys).length > 0) return [];
    const known = new Set<string>(BUCKET_AZURE_SECRET_KEYS.map((k) => k.key));
    return [
      {
        code: 'flux-azure/bucket-secret-keys',
        span: nameNode as ScalarNode,
        message:
          `Secret '${secret.name}' has keys ${secret.keys.map((k) => `'${k}'`).join(', ') || '(none)'}, which form no Azure credential set` +
          `${secret.keys.some((k) => !known.has(k)) ? ' (unknown keys are ignored)' : ''}. source-controller fails with "invalid '${secret.name}' secret data". ` +
          `Valid sets: ${BUCKET_AZURE_KEY_SETS.map((s) => s.required.join('+')).join('; ')}.`,
        related: [{ location: { uri: secret.uri, range: secret.range }, message: `Secret ${secret.name}` }],
      },
    ];
  },
};
