import type { CompletionItem } from 'vscode-languageserver';
import {
  AZURE_CLOUDS,
  BUCKET_AZURE_KEY_SETS,
  BUCKET_AZURE_SECRET_KEYS,
  fluxAzureDocs,
  SEND_CHAIN_QUOTING_RULES,
  SOPS_AZURE_KV_COMBINATIONS,
  SOPS_AZURE_KV_FIELDS,
  SOPS_AZURE_KV_KEY,
  SOPS_SECRET_KEYS,
  type KeySetDef,
  type SecretKeyDef,
} from '../../catalog';
import type { CompletionCursor } from '../completionCursor';
import type { FeatureContext } from '../context';
import { link } from '../markdown';
import { knownTenants } from './references';
import { keyItems, templateItems, valueItems, type KeyChoice, type TemplateChoice, type ValueChoice } from './items';

/**
 * Secret keys Flux reads for Azure: a Bucket's credential keys in `stringData`/`data`, the `sops.azure-kv` entry, and
 * inside its block scalar the fields of the nested credentials document.
 */
export function secretCompletions(c: CompletionCursor, ctx: FeatureContext): CompletionItem[] | undefined {
  if (c.subject.type !== 'secret') return undefined;
  const [section, entry] = c.path;
  if (section === 'stringData' && entry === SOPS_AZURE_KV_KEY) {
    if (c.path.length !== 2) return undefined;
    return c.inValue ? credentialValueItems(c, ctx, 'sopsAzureKv') : sopsKeyItems(c);
  }
  if ((section !== 'stringData' && section !== 'data') || c.path.length !== 1) return undefined;
  if (c.inValue)
    return section === 'stringData' && isBucketSecret(c) ? credentialValueItems(c, ctx, 'bucketSecret') : undefined;
  return topKeyItems(c, section);
}

const BUCKET_KEYS = new Set<string>(BUCKET_AZURE_SECRET_KEYS.map((k) => k.key));

/** A Secret a Bucket reads: it already has a Bucket credential key, or a Bucket in the same file references it. */
function isBucketSecret(c: CompletionCursor): boolean {
  if ([...c.siblings().keys()].some((k) => BUCKET_KEYS.has(k))) return true;
  const name = c.doc.name;
  return (
    name !== undefined &&
    c.file.docs.some(
      (d) =>
        d !== c.doc &&
        d.kind === 'Bucket' &&
        d.group.endsWith('.fluxcd.io') &&
        d.text(['spec', 'secretRef', 'name']) === name &&
        d.text(['spec', 'provider']) === 'azure',
    )
  );
}

function keyDoc(k: SecretKeyDef, where: string): string {
  return [
    `**\`${k.key}\`** — ${where}`,
    '',
    k.description,
    k.sensitive ? '\n🔒 A credential: encrypt it (SOPS) before committing.' : '',
  ]
    .filter((l) => l !== '')
    .join('\n');
}

function topKeyItems(c: CompletionCursor, section: 'stringData' | 'data'): CompletionItem[] {
  const present = c.siblings();
  const out: CompletionItem[] = [];
  const bucket = isBucketSecret(c);
  // A decryption Secret holds SOPS keys only: do not offer `sops.azure-kv` next to an application's own keys.
  const onlySops = [...present.keys()].every(
    (k) => k === c.prefix || SOPS_SECRET_KEYS.some((s) => (s.match === 'exact' ? k === s.key : k.endsWith(s.key))),
  );
  if (!present.has(SOPS_AZURE_KV_KEY) && !bucket && onlySops) {
    out.push(
      ...keyItems(c, [
        {
          key: SOPS_AZURE_KV_KEY,
          tail: section === 'stringData' ? ' |\n  $0' : ' $0',
          suggestValue: section === 'stringData',
          detail: 'Key Vault credentials for SOPS decryption',
          documentation: `Fixed key kustomize-controller reads for Azure Key Vault; the value is a YAML/JSON document with \`tenantId\`, \`clientId\` and a secret, certificate or nothing (managed identity).\n\n${link('Flux: Key Vault', fluxAzureDocs('keyVault'))}`,
        },
      ]),
    );
  }
  if (bucket) {
    const where = 'Bucket (`provider: azure`) credential key';
    const choices: KeyChoice[] = BUCKET_AZURE_SECRET_KEYS.filter((k) => !present.has(k.key)).map((k) => ({
      key: k.key,
      tail: section === 'stringData' ? valueTail(k, 'bucketSecret') : ' $0',
      suggestValue: k.key === 'authorityHost' || k.key === 'tenantId',
      detail: k.sensitive ? 'credential' : k.valueType,
      documentation: keyDoc(k, where),
    }));
    out.push(...keyItems(c, choices));
    if (section === 'stringData' && ![...present.keys()].some((k) => BUCKET_KEYS.has(k)))
      out.push(
        ...templateItems(
          c,
          BUCKET_AZURE_KEY_SETS.map((s) => keySetTemplate(s, 'Bucket credentials')),
        ),
      );
  }
  return out;
}

function sopsKeyItems(c: CompletionCursor): CompletionItem[] {
  const present = c.siblings();
  const where = `field of \`${SOPS_AZURE_KV_KEY}\``;
  const choices: KeyChoice[] = SOPS_AZURE_KV_FIELDS.filter((k) => !present.has(k.key)).map((k) => ({
    key: k.key,
    tail: valueTail(k, 'sopsAzureKv'),
    suggestValue: k.key === 'authorityHost' || k.key === 'tenantId',
    detail: k.sensitive ? 'credential' : k.valueType,
    documentation: keyDoc(k, where),
  }));
  const out = keyItems(c, choices);
  if (present.size === 0 || (present.size === 1 && c.prefix !== '' && present.has(c.prefix)))
    out.push(
      ...templateItems(
        c,
        SOPS_AZURE_KV_COMBINATIONS.map((s) => keySetTemplate(s, SOPS_AZURE_KV_KEY)),
      ),
    );
  return out;
}

type QuotingContext = 'bucketSecret' | 'sopsAzureKv';

/** The send-chain boolean is a quoted string in a Secret but an unquoted bool inside `sops.azure-kv`. */
function sendChainValue(context: QuotingContext): string {
  const rule = SEND_CHAIN_QUOTING_RULES.find((r) => r.context === context);
  return rule ? rule.correct.slice(rule.correct.indexOf(':') + 1).trim() : 'true';
}

function valueTail(k: SecretKeyDef, context: QuotingContext): string {
  if (k.key === 'clientSecret' || k.key === 'password') return ' $0';
  if (k.valueType === 'pem') return ' |\n  ${1:-----BEGIN CERTIFICATE-----}';
  if (k.valueType === 'boolString' || k.valueType === 'bool') return ` ${sendChainValue(context)}`;
  return ' $0';
}

function keySetTemplate(set: KeySetDef, what: string): TemplateChoice {
  const defs = [...BUCKET_AZURE_SECRET_KEYS, ...SOPS_AZURE_KV_FIELDS] as readonly SecretKeyDef[];
  let stop = 0;
  const lines = set.required.map((key) => {
    const def = defs.find((d) => d.key === key);
    if (def?.valueType === 'pem') return `${key}: |\n  \${${++stop}:-----BEGIN CERTIFICATE-----}`;
    return `${key}: \${${++stop}}`;
  });
  return {
    label: `${what}: ${set.label}`,
    snippet: lines.join('\n'),
    detail: set.required.join(' + '),
    documentation: `Keys: ${set.required.map((k) => `\`${k}\``).join(', ')}${set.optional.length ? `; optional ${set.optional.map((k) => `\`${k}\``).join(', ')}` : ''}.`,
    filterText: set.required[0],
  };
}

/** Values: the send-chain boolean in the form this context needs, authority hosts, tenants used elsewhere. */
function credentialValueItems(c: CompletionCursor, ctx: FeatureContext, context: QuotingContext): CompletionItem[] {
  const key = c.key ?? '';
  if (key === 'clientCertificateSendChain') {
    const rule = SEND_CHAIN_QUOTING_RULES.find((r) => r.context === context);
    const text = sendChainValue(context);
    return valueItems(c, [
      {
        value: 'true',
        yaml: text,
        label: text,
        detail: context === 'sopsAzureKv' ? 'a YAML boolean, unquoted' : 'a string, quoted',
        documentation: rule?.why,
      },
    ]);
  }
  if (key === 'authorityHost')
    return valueItems(
      c,
      AZURE_CLOUDS.map((cloud) => ({ value: cloud.authorityHost, detail: cloud.name })),
    );
  if (key === 'tenantId' || key === 'tenant')
    return valueItems(
      c,
      knownTenants(ctx).map((t): ValueChoice => ({ value: t, detail: 'tenant used by ServiceAccounts here' })),
    );
  return [];
}
