/**
 * The shape of the tables scripts/gen-crd-tables.mjs generates into `generated/crds.ts` from the Flux release
 * manifests (CRDs) and the recorded controller facts. Read them through `crds.ts`.
 */

/** What the storage version's OpenAPI schema enforces on one field the catalog describes. */
export interface CrdFieldFacts {
  /** Dotted path from the document root, e.g. 'spec.provider'. */
  readonly path: string;
  readonly type?: string;
  readonly enum?: readonly string[];
  readonly pattern?: string;
  readonly maxLength?: number;
  readonly default?: unknown;
  /** Listed in the parent's `required`. */
  readonly required?: boolean;
}

/** A CEL rule (`x-kubernetes-validations`) on the schema node at `path` ('' = the object). */
export interface CrdCelRule {
  readonly path: string;
  readonly rule: string;
  readonly message?: string;
}

export interface CrdServedVersion {
  readonly version: string;
  readonly storage?: true;
  /** The CRD marks it deprecated: its deprecation warning (or true without one). */
  readonly deprecated?: string | true;
}

export interface CrdKindFacts {
  readonly group: string;
  readonly kind: string;
  /** Where the CRD was read (release manifest in the corpus, or repo@tag:path). */
  readonly source: string;
  readonly served: readonly CrdServedVersion[];
  /** Fields of the catalog that exist in the storage version, with their constraints. */
  readonly fields: readonly CrdFieldFacts[];
  readonly rules: readonly CrdCelRule[];
}

/** One Flux release (e.g. '2.9.4') and the CRDs of the catalog's kinds in it. */
export interface CrdRelease {
  readonly release: string;
  readonly kinds: readonly CrdKindFacts[];
}

/** The feature gates one controller accepts in a release (any other name makes it exit at start-up). */
export interface ControllerGates {
  readonly controller: string;
  readonly source: string;
  readonly gates: readonly string[];
}

export interface FeatureGateRelease {
  readonly release: string;
  readonly controllers: readonly ControllerGates[];
}
