import {
  BUCKET_AZURE_SECRET_KEYS,
  CONTROLLER_CERT_SECRET_KEYS,
  EVENT_HUBS_CONNECTION_STRING_REGEX,
  fluxAzureDocs,
  matchBucketKeySets,
  resolveSopsAzureKv,
  SEND_CHAIN_QUOTING_RULES,
  SOPS_AZURE_KV_FIELDS,
  SOPS_AZURE_KV_KEY,
  type SecretKeyDef,
} from '../../catalog';
import { entries } from '../../document/nodes';
import { keysOf, type HoverAnswer, type HoverSite } from '../hoverSite';
import { link } from '../markdown';

const HIDDEN = '_Value not shown._';

/**
 * Hover on the keys Flux reads from a Secret for Azure: a Bucket's credential keys, `sops.azure-kv` and the fields of
 * its nested document, the controller certificate keys, an Event Hubs connection string. Values are never shown: on
 * a value the hover explains the key.
 */
export function secretHover(site: HoverSite): HoverAnswer | undefined {
  if (site.subject?.type !== 'secret') return undefined;
  const path = keysOf(site.loc.path);
  if (site.nested?.kind === 'sopsAzureKv') {
    if (path.length !== 1) return undefined;
    const def = SOPS_AZURE_KV_FIELDS.find((f) => f.key === path[0]);
    if (!def) return undefined;
    return { markdown: keyMarkdown(def, `field of \`${SOPS_AZURE_KV_KEY}\``, 'sopsAzureKv', !site.loc.onKey) };
  }
  const [section, key] = site.outer.path;
  if ((section !== 'stringData' && section !== 'data') || site.outer.path.length !== 2 || typeof key !== 'string')
    return undefined;
  const present = entries(site.doc.get([section])).map((p) => p.key.text);
  if (key === SOPS_AZURE_KV_KEY) return { markdown: sopsMarkdown(site, section) };
  const bucket = BUCKET_AZURE_SECRET_KEYS.find((k) => k.key === key);
  if (bucket) {
    const sets = matchBucketKeySets(present);
    const setLine = sets.length
      ? `This Secret holds: ${sets.map((s) => s.label).join('; ')}.`
      : '⚠ The keys of this Secret form no complete credential set yet.';
    return {
      markdown: [
        keyMarkdown(bucket, 'Bucket (`provider: azure`) credential key', 'bucketSecret', !site.loc.onKey),
        '',
        setLine,
      ].join('\n'),
    };
  }
  if (key === CONTROLLER_CERT_SECRET_KEYS.certAndKey || key === CONTROLLER_CERT_SECRET_KEYS.keyPassword) {
    const what =
      key === CONTROLLER_CERT_SECRET_KEYS.certAndKey
        ? 'PEM certificate **and** private key of the app registration; the controller mounts it with `subPath: cert-and-key`.'
        : 'Password of the encrypted private key, read by `AZURE_CLIENT_CERTIFICATE_PASSWORD` (`secretKeyRef.key: key-password`).';
    return {
      markdown: [
        `**\`${key}\`** — controller-level app certificate Secret`,
        '',
        what,
        ...(site.loc.onKey ? [] : ['', HIDDEN]),
        '',
        link('Flux: app certificates', fluxAzureDocs('appCertificates')),
      ].join('\n'),
    };
  }
  if (
    key === 'address' &&
    site.outer.scalar &&
    EVENT_HUBS_CONNECTION_STRING_REGEX.test(site.doc.text([section, key]) ?? '')
  )
    return {
      markdown: [
        '**`address`** — Event Hubs SAS connection string (Provider `azureeventhub`)',
        '',
        'With a connection string holding `SharedAccessKey`, the Provider must not set `serviceAccountName` and the Secret must not hold `token`.',
        ...(site.loc.onKey ? [] : ['', HIDDEN]),
        '',
        link('Flux: Event Hubs', fluxAzureDocs('eventHubs')),
      ].join('\n'),
    };
  return undefined;
}

function keyMarkdown(
  def: SecretKeyDef,
  where: string,
  context: 'bucketSecret' | 'sopsAzureKv',
  onValue: boolean,
): string {
  const lines = [`**\`${def.key}\`** — ${where}`, '', def.description];
  const quoting = SEND_CHAIN_QUOTING_RULES.find((r) => r.context === context && r.key === def.key);
  if (quoting) lines.push('', `Write \`${quoting.correct}\`, not \`${quoting.wrong}\`: ${quoting.why}`);
  if (def.sensitive) lines.push('', '🔒 A credential: keep it encrypted (SOPS) in Git.');
  if (onValue && def.valueType !== 'bool' && def.valueType !== 'boolString') lines.push('', HIDDEN);
  lines.push(
    '',
    link(
      context === 'sopsAzureKv' ? 'Flux: Key Vault' : 'Flux: Blob Storage',
      fluxAzureDocs(context === 'sopsAzureKv' ? 'keyVault' : 'blob'),
    ),
  );
  return lines.join('\n');
}

function sopsMarkdown(site: HoverSite, section: string): string {
  const lines = [
    `**\`${SOPS_AZURE_KV_KEY}\`** — Azure Key Vault credentials for SOPS decryption`,
    '',
    "kustomize-controller reads this fixed key from the Kustomization's `spec.decryption.secretRef` Secret: a YAML/JSON document with the identity to call Key Vault `decrypt` with (role **Key Vault Crypto User**).",
  ];
  const scalar = site.doc.scalar([section, SOPS_AZURE_KV_KEY]);
  const nested = section === 'stringData' && scalar ? site.doc.nestedYaml(scalar) : undefined;
  if (nested) {
    const resolved = resolveSopsAzureKv(entries(nested.root).map((p) => p.key.text));
    lines.push(
      '',
      resolved
        ? `kustomize-controller will use: **${resolved.label}**.`
        : '⚠ No accepted credential combination: decryption fails.',
    );
  }
  if (!site.loc.onKey) lines.push('', HIDDEN);
  lines.push('', link('Flux: Key Vault', fluxAzureDocs('keyVault')));
  return lines.join('\n');
}
