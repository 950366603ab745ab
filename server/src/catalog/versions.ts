/**
 * Flux release versions and version-range helpers.
 *
 * Every version-dependent fact in the catalog carries a {@link VersionRange}; features decide
 * applicability with {@link inRange} against the repository's detected Flux version.
 */

/** Flux minor releases the catalog describes, oldest first. */
export const FLUX_VERSIONS = ['2.6', '2.7', '2.8', '2.9'] as const;
export type FluxVersion = (typeof FLUX_VERSIONS)[number];

/** The oldest Flux minor the catalog has facts for. */
export const OLDEST_FLUX_VERSION: FluxVersion = '2.6';
/** The newest Flux minor the catalog has facts for; the default when no version is detected. */
export const LATEST_FLUX_VERSION: FluxVersion = '2.9';

/**
 * Half-open range of Flux minor versions ('major.minor' strings).
 * `since` is inclusive, `until` exclusive; a missing bound is open.
 */
export interface VersionRange {
  readonly since?: string;
  readonly until?: string;
}

/**
 * Extracts 'major.minor' from a version text such as 'v2.7.1', '2.7', ' v2.8.0-rc.1 '.
 * Returns undefined when the text is not a version.
 */
export function parseFluxVersion(text: string): string | undefined {
  const m = /^\s*v?(\d+)\.(\d+)(?:\.\d+)?(?:[-+][0-9A-Za-z.-]*)?\s*$/.exec(text);
  if (!m) return undefined;
  return `${Number(m[1])}.${Number(m[2])}`;
}

/** Numeric comparison of dotted versions ('2.10' > '2.9'); a leading 'v' is ignored. Returns <0, 0, >0. */
export function compareVersions(a: string, b: string): number {
  const pa = a.trim().replace(/^v/, '').split(/[.-]/);
  const pb = b.trim().replace(/^v/, '').split(/[.-]/);
  const n = Math.max(pa.length, pb.length);
  for (let i = 0; i < n; i++) {
    const x = Number.parseInt(pa[i] ?? '0', 10);
    const y = Number.parseInt(pb[i] ?? '0', 10);
    const xv = Number.isNaN(x) ? 0 : x;
    const yv = Number.isNaN(y) ? 0 : y;
    if (xv !== yv) return xv - yv;
  }
  return 0;
}

/** True when `version` lies in `range` (no range = always). Patch levels are ignored ('2.7.3' is in 2.7). */
export function inRange(version: string, range?: VersionRange): boolean {
  if (!range) return true;
  const v = parseFluxVersion(version) ?? version;
  if (range.since !== undefined && compareVersions(v, range.since) < 0) return false;
  if (range.until !== undefined && compareVersions(v, range.until) >= 0) return false;
  return true;
}

/** Human text for a range, e.g. 'Flux 2.7+', 'Flux before 2.8', 'Flux 2.6 to 2.7'. */
export function describeRange(range?: VersionRange): string {
  if (!range || (range.since === undefined && range.until === undefined)) return 'all Flux versions';
  if (range.since !== undefined && range.until === undefined) return `Flux ${range.since}+`;
  if (range.since === undefined && range.until !== undefined) return `Flux before ${range.until}`;
  return `Flux ${range.since} up to (not including) ${range.until}`;
}
