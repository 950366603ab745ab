/**
 * The CEL rules (`x-kubernetes-validations`) a kind's CRD enforces in a Flux release, from the CRD tables
 * (generated/crds.ts). Rules that repeat a CRD check ask here whether that release has the check at all.
 */
import type { CrdCelRule } from './crdTypes';
import { CRD_RELEASES } from './generated/crds';
import { compareVersions, parseFluxVersion } from './versions';

const MINORS = CRD_RELEASES.map((r) => parseFluxVersion(r.release) ?? r.release);

/**
 * The CEL rules of `group`/`kind` in the release of `fluxVersion`; the newest release's when the version is unknown
 * or newer than the tables. Undefined for versions older than the tables, or a kind the release has no CRD for.
 */
export function crdCelRules(
  group: string,
  kind: string,
  fluxVersion: string | undefined,
): readonly CrdCelRule[] | undefined {
  const minor = fluxVersion === undefined ? undefined : parseFluxVersion(fluxVersion);
  const newest = MINORS.length - 1;
  const at =
    minor === undefined || compareVersions(minor, MINORS[newest] ?? minor) > 0 ? newest : MINORS.indexOf(minor);
  return CRD_RELEASES[at]?.kinds.find((k) => k.group === group && k.kind === kind)?.rules;
}

/** The values `self.<field> == '<value>'` compares with in a CEL rule, e.g. the providers a rule allows. */
export function celComparedValues(rule: string, field: string): string[] {
  const re = new RegExp(`self\\.${field} == '([^']+)'`, 'g');
  return [...rule.matchAll(re)].map((m) => m[1] as string);
}
