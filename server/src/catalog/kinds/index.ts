/**
 * Flux kinds that touch Azure: API groups and versions, reconciling controller, Azure service,
 * and per-field documentation (hover text, enum values, defaults, version ranges).
 * One file per API group; this one joins them into `KINDS` and answers look-ups.
 */
import { apiGroupOf } from '../apiGroups';
import type { Keyed } from '../table';
import { inRange } from '../versions';
import { withCrdConstraints, type ApiVersionDef, type EnumValueDef, type FieldDef, type KindShape } from './fields';
import { HELM_KINDS } from './helm';
import { IMAGE_KINDS } from './image';
import { KUSTOMIZE_KINDS } from './kustomize';
import { NOTIFICATION_KINDS } from './notification';
import { SOURCE_KINDS } from './source';

export type { ApiVersionDef, EnumValueDef, FieldDef, FieldType, KindShape, WorkloadIdentityUseDef } from './fields';
export { PROVIDER_TYPES_WITH_SERVICE_ACCOUNT } from './notification';

// Each group's list is checked against KindShape where it is written.
const KINDS_LITERAL = [
  ...SOURCE_KINDS,
  ...IMAGE_KINDS,
  ...KUSTOMIZE_KINDS,
  ...HELM_KINDS,
  ...NOTIFICATION_KINDS,
] as const;

export type FluxKind = (typeof KINDS_LITERAL)[number]['kind'];
export type KindDef = Keyed<KindShape, 'kind', FluxKind>;

/** The kinds, with the constraints of the newest CRD on their fields (generated/crds.ts). */
export const KINDS: readonly KindDef[] = KINDS_LITERAL.map((k) => withCrdConstraints<KindDef>(k));

/** The kinds by name, in `KINDS` order (a look-up runs for every document on every analysis). */
const KINDS_BY_NAME = new Map<string, KindDef[]>();
for (const k of KINDS) KINDS_BY_NAME.set(k.kind, [...(KINDS_BY_NAME.get(k.kind) ?? []), k]);

/**
 * Definition for a kind name. Give the object's `apiVersion` wherever there is one: a name alone cannot tell
 * Flux's Kustomization from kustomize's (kustomize.config.k8s.io), so with `apiVersion` the group must match too.
 */
export function kindByName(kind: string, apiVersion?: string): KindDef | undefined {
  const named = KINDS_BY_NAME.get(kind);
  if (!named) return undefined;
  const group = apiVersion === undefined ? undefined : apiGroupOf(apiVersion);
  return group === undefined ? named[0] : named.find((k) => k.group === group);
}

export interface KindLookup {
  readonly def: KindDef;
  readonly group: string;
  /** Version part of the apiVersion, e.g. 'v1beta2'. */
  readonly version: string;
  /** The catalog entry for that version, when known. */
  readonly versionDef?: ApiVersionDef;
  /** False when the version is not in the catalog (typo, or newer than the catalog). */
  readonly knownVersion: boolean;
}

/**
 * Resolves `apiVersion` + `kind` to a catalog kind. Returns undefined for unknown group/kind
 * (e.g. kustomize.config.k8s.io Kustomization); returns the kind with `knownVersion: false`
 * when only the version is unknown.
 */
export function kindDef(apiVersion: string, kind: string): KindLookup | undefined {
  const slash = apiVersion.indexOf('/');
  if (slash < 0) return undefined;
  const def = kindByName(kind, apiVersion);
  if (!def) return undefined;
  const group = def.group;
  const version = apiVersion.slice(slash + 1).trim();
  const versionDef = def.apiVersions.find((v) => v.version === version);
  return versionDef
    ? { def, group, version, versionDef, knownVersion: true }
    : { def, group, version, knownVersion: false };
}

/** Field definition by exact path (kind name or definition). */
export function fieldDef(kind: string | KindDef, path: readonly string[]): FieldDef | undefined {
  const def = typeof kind === 'string' ? kindByName(kind) : kind;
  if (!def) return undefined;
  return def.fields.find((f) => f.path.length === path.length && f.path.every((seg, i) => seg === path[i]));
}

/** Direct child fields of `path` (for completion of keys). */
export function childFields(kind: string | KindDef, path: readonly string[]): FieldDef[] {
  const def = typeof kind === 'string' ? kindByName(kind) : kind;
  if (!def) return [];
  return def.fields.filter((f) => f.path.length === path.length + 1 && path.every((seg, i) => f.path[i] === seg));
}

/** Enum values of a field that exist in `version` (all when no version). */
export function enumValuesFor(field: FieldDef, version?: string): EnumValueDef[] {
  return (field.enum ?? []).filter((e) => version === undefined || inRange(version, e.versions));
}

/** `group/version` strings of a kind served in `version` (preferred first). */
export function servedApiVersions(def: KindDef, version: string): string[] {
  return def.apiVersions.filter((v) => inRange(version, v.served)).map((v) => `${def.group}/${v.version}`);
}

/** The preferred `group/version` of a kind in a Flux version. */
export function preferredApiVersion(def: KindDef, version?: string): string {
  const v = def.apiVersions.find((a) => a.preferred && (version === undefined || inRange(version, a.served)));
  const fallback = version === undefined ? def.apiVersions[0] : def.apiVersions.find((a) => inRange(version, a.served));
  return `${def.group}/${(v ?? fallback ?? def.apiVersions[0])?.version ?? ''}`;
}
