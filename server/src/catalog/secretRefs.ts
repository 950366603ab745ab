/**
 * What the Secret named by a Flux object's `secretRef` must contain, per kind and field (for completion of Secret
 * names and for hovers), and conditions under which a field applies at all (for completion of missing keys).
 */
import { PROVIDER_TYPES_WITH_SERVICE_ACCOUNT, type FluxKind } from './kinds';
import {
  BUCKET_AZURE_KEY_SETS,
  DOCKERCONFIGJSON_SECRET_TYPE,
  PROVIDER_SECRET_KEYS,
  SOPS_SECRET_KEYS,
  type KeySetDef,
} from './secrets';

/** Another field of the object must hold one of these values (unset counts as `unset`). */
export interface FieldCondition {
  readonly path: readonly string[];
  readonly values: readonly string[];
  /** Whether the condition holds when the field is absent. */
  readonly whenUnset: boolean;
}

/** How to tell whether a Secret suits a `secretRef`. */
export interface SecretRefDef {
  readonly kind: FluxKind;
  /** Path of the `secretRef` object (its `name` is completed). */
  readonly path: readonly string[];
  /** Only when this holds (e.g. Bucket `provider: azure`). */
  readonly when?: FieldCondition;
  /** Secret `type` required. */
  readonly type?: string;
  /** At least one complete key set. */
  readonly keySets?: readonly KeySetDef[];
  /** At least one of these keys (`suffix` entries match a key ending with them). */
  readonly anyKey?: readonly { readonly key: string; readonly match: 'exact' | 'suffix' }[];
  /** Markdown: what the Secret holds. */
  readonly description: string;
}

const exact = (keys: readonly string[]) => keys.map((key) => ({ key, match: 'exact' as const }));

const SECRET_REFS: readonly SecretRefDef[] = [
  {
    kind: 'OCIRepository',
    path: ['spec', 'secretRef'],
    type: DOCKERCONFIGJSON_SECRET_TYPE,
    description: 'Registry credentials (`kubernetes.io/dockerconfigjson`).',
  },
  {
    kind: 'ImageRepository',
    path: ['spec', 'secretRef'],
    type: DOCKERCONFIGJSON_SECRET_TYPE,
    description: 'Registry credentials (`kubernetes.io/dockerconfigjson`).',
  },
  {
    kind: 'Bucket',
    path: ['spec', 'secretRef'],
    when: { path: ['spec', 'provider'], values: ['azure'], whenUnset: false },
    keySets: BUCKET_AZURE_KEY_SETS,
    description:
      'Azure credentials: one complete key set (service principal, certificate, managed identity, shared key or SAS).',
  },
  {
    kind: 'Kustomization',
    path: ['spec', 'decryption', 'secretRef'],
    anyKey: SOPS_SECRET_KEYS,
    description: 'SOPS decryption keys; for Key Vault the key `sops.azure-kv`.',
  },
  {
    kind: 'Provider',
    path: ['spec', 'secretRef'],
    anyKey: exact(PROVIDER_SECRET_KEYS.map((k) => k.key)),
    description: 'Notifier credentials (`address`, `token`, `username`/`password`, `headers`).',
  },
];

/** The requirement for a `secretRef` of a kind, given a reader of the object's other fields. */
export function secretRefFor(
  kind: string,
  path: readonly string[],
  read: (path: readonly string[]) => string | undefined,
): SecretRefDef | undefined {
  return SECRET_REFS.find(
    (r) =>
      r.kind === kind &&
      r.path.length === path.length &&
      r.path.every((s, i) => s === path[i]) &&
      (!r.when || conditionHolds(r.when, read)),
  );
}

/** Whether a Secret with these keys and type satisfies a requirement. */
export function secretSuits(ref: SecretRefDef, secret: { keys: readonly string[]; type: string | undefined }): boolean {
  if (ref.type !== undefined && secret.type !== ref.type) return false;
  if (ref.keySets && !ref.keySets.some((s) => s.required.every((k) => secret.keys.includes(k)))) return false;
  if (
    ref.anyKey &&
    !ref.anyKey.some((a) => secret.keys.some((k) => (a.match === 'exact' ? k === a.key : k.endsWith(a.key))))
  )
    return false;
  return true;
}

function conditionHolds(condition: FieldCondition, read: (path: readonly string[]) => string | undefined) {
  const value = read(condition.path);
  return value === undefined || value === '' ? condition.whenUnset : condition.values.includes(value);
}

/**
 * Fields that apply only in some configurations of their object, beyond API versions: offering them elsewhere
 * produces objects the CRD rejects or settings the controller ignores.
 */
export interface FieldApplicabilityDef {
  readonly kind: FluxKind;
  readonly path: readonly string[];
  /** All must hold. */
  readonly when?: readonly FieldCondition[];
  /** The field cannot be set together with these (CRD rule). */
  readonly conflictsWith?: readonly (readonly string[])[];
  readonly reason: string;
}

const FIELD_APPLICABILITY: readonly FieldApplicabilityDef[] = [
  {
    kind: 'Bucket',
    path: ['spec', 'serviceAccountName'],
    when: [{ path: ['spec', 'provider'], values: ['aws', 'azure', 'gcp'], whenUnset: false }],
    conflictsWith: [['spec', 'secretRef']],
    reason: 'Rejected by the CRD with the `generic` provider (also when unset) and together with `secretRef`.',
  },
  {
    kind: 'Bucket',
    path: ['spec', 'secretRef'],
    conflictsWith: [['spec', 'serviceAccountName']],
    reason: 'Cannot be combined with `serviceAccountName` (CRD rule).',
  },
  {
    kind: 'GitRepository',
    path: ['spec', 'serviceAccountName'],
    when: [{ path: ['spec', 'provider'], values: ['azure', 'aws'], whenUnset: false }],
    reason: "The CRD only accepts it with `provider: azure` (Flux 2.9: 'azure' or 'aws').",
  },
  {
    kind: 'Provider',
    path: ['spec', 'serviceAccountName'],
    when: [{ path: ['spec', 'type'], values: PROVIDER_TYPES_WITH_SERVICE_ACCOUNT, whenUnset: true }],
    reason: 'Only `azureeventhub`, `azuredevops` and `googlepubsub` use a ServiceAccount.',
  },
  {
    kind: 'Provider',
    path: ['spec', 'channel'],
    when: [{ path: ['spec', 'type'], values: ['azureeventhub'], whenUnset: true }],
    reason: 'For Azure, only `azureeventhub` reads `channel` (the Event Hubs namespace); `msteams` has none.',
  },
  {
    kind: 'HelmRepository',
    path: ['spec', 'provider'],
    when: [{ path: ['spec', 'type'], values: ['oci'], whenUnset: false }],
    reason: 'Ignored unless `type: oci`.',
  },
];

/** Whether a field applies given the object's other fields (true when the catalog has no condition for it). */
export function fieldApplies(
  kind: string,
  path: readonly string[],
  read: (path: readonly string[]) => string | undefined,
  present: (path: readonly string[]) => boolean,
): boolean {
  const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((s, i) => s === b[i]);
  return FIELD_APPLICABILITY.filter((f) => f.kind === kind && same(f.path, path)).every(
    (f) => (f.when ?? []).every((c) => conditionHolds(c, read)) && !(f.conflictsWith ?? []).some((p) => present(p)),
  );
}
