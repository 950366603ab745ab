/** The shape of a diagnostic's metadata (see `RULES`). */
import type { VersionRange } from '../versions';

export type RuleSeverity = 'error' | 'warning' | 'information' | 'hint';
export type RuleCategory =
  'object' | 'serviceAccount' | 'secret' | 'patch' | 'version' | 'azure' | 'security' | 'input';

/** Shape of a `RULES` entry before its `code` is narrowed to `RuleCode`. */
export interface RuleShape {
  /** Stable diagnostic code, `flux-azure/<kebab-case>`. */
  readonly code: string;
  readonly severity: RuleSeverity;
  readonly category: RuleCategory;
  readonly title: string;
  /** Markdown: what breaks at runtime and how to fix it. */
  readonly explanation: string;
  /** Flux versions where the rule applies (undefined = all). */
  readonly versions?: VersionRange;
  /** Rule numbers in the fact sheet §4.8 (empty for rules from other sections). */
  readonly factRules: readonly number[];
  readonly docsUrl: string;
  /** A mechanical quick fix exists. */
  readonly quickFix: boolean;
  /** False for facts only Azure knows (hover hints, tree view), never a manifest diagnostic. */
  readonly manifestCheckable: boolean;
  /** Needs other files (ServiceAccounts, Secrets, flux-system patches, FluxInstance). */
  readonly crossFile: boolean;
}

export const RULE_CODE_PREFIX = 'flux-azure/';
