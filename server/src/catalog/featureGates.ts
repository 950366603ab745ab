/**
 * The feature gates each Flux controller accepts, per Flux release (generated/crds.ts, from each controller's
 * internal/features at its release tag and fluxcd/pkg's gates; sources in scripts/crd-data/feature-gates.json).
 * A controller given a gate it does not know exits at start-up ("feature-gate 'X' not supported").
 */
import { FEATURE_GATE_RELEASES } from './generated/crds';
import { compareVersions, parseFluxVersion, type VersionRange } from './versions';

const minorOf = (release: string) => parseFluxVersion(release) ?? release;
const GATE_MINORS = FEATURE_GATE_RELEASES.map((r) => minorOf(r.release));

/** The gates one controller knows in one release, and whether that release stands in for an unknown version. */
export interface ControllerGateTable {
  readonly controller: string;
  /** The release the table is from, e.g. '2.9.4'. */
  readonly release: string;
  readonly gates: readonly string[];
  /** Where the names were read (repo@tag:path). */
  readonly source: string;
  /** True when the repository's Flux version is unknown (or newer than the tables) and the newest table is used. */
  readonly assumed: boolean;
}

/**
 * The gate table of `controller` for a Flux version: that minor's table; the newest one (`assumed`) when the
 * version is unknown or newer than every table. Undefined for versions older than the tables, and for a controller
 * the release has no table for (it does not check gate names, or the facts are not recorded).
 */
export function controllerGateTable(
  controller: string,
  fluxVersion: string | undefined,
): ControllerGateTable | undefined {
  const minor = fluxVersion === undefined ? undefined : parseFluxVersion(fluxVersion);
  const newest = FEATURE_GATE_RELEASES.length - 1;
  let at: number;
  if (minor === undefined || compareVersions(minor, GATE_MINORS[newest] ?? minor) > 0) at = newest;
  else at = GATE_MINORS.indexOf(minor);
  const release = FEATURE_GATE_RELEASES[at];
  const entry = release?.controllers.find((c) => c.controller === controller);
  if (!release || !entry) return undefined;
  const assumed = minor === undefined || minor !== GATE_MINORS[at];
  return { controller, release: release.release, gates: entry.gates, source: entry.source, assumed };
}

/** The Flux minors in which `controller` knows `gate`, as a range ('since'/'until' open at the table ends). */
export function featureGateVersions(controller: string, gate: string): VersionRange | undefined {
  const has = FEATURE_GATE_RELEASES.map((r) =>
    r.controllers.some((c) => c.controller === controller && c.gates.includes(gate)),
  );
  const first = has.indexOf(true);
  if (first < 0) return undefined;
  const last = has.lastIndexOf(true);
  return {
    ...(first > 0 ? { since: GATE_MINORS[first] } : {}),
    ...(last < has.length - 1 ? { until: GATE_MINORS[last + 1] } : {}),
  };
}
