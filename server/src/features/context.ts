import type { ServerSettings } from '../../../shared/src/protocol';
import type { WorkspaceIndex } from '../workspace/workspaceIndex';
import type { RuleResultCache } from './ruleCache';

/** What features read besides the document: the workspace index and the user's settings. */
export interface FeatureContext {
  readonly index: WorkspaceIndex;
  readonly settings: ServerSettings;
  /** Where a rule that throws is reported (the rule's findings for that document are dropped). Default: stderr. */
  readonly onRuleError?: (rule: string, err: unknown) => void;
  /** What rules found, kept between runs (the service's); without it each run computes every rule. */
  readonly ruleResults?: RuleResultCache;
}
