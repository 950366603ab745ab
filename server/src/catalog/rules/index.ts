/**
 * Metadata of every diagnostic the language server can report: stable code, default severity,
 * title, Markdown explanation, applicable Flux versions, fact-sheet rule numbers and docs link.
 * The checks themselves live in features/rules; they look their metadata up here by code.
 * The rules are grouped by area, one file each; `RULES` joins them in that order.
 */
import { keysOf, lookup, type Keyed } from '../table';
import { AZURE_RULES } from './azureRules';
import { IDENTITY_RULES } from './identityRules';
import { OBJECT_RULES } from './objectRules';
import { PATCH_RULES } from './patchRules';
import { RENDER_RULES } from './renderRules';
import type { RuleShape } from './shape';
import { VERSION_RULES } from './versionRules';

export { RULE_CODE_PREFIX, type RuleCategory, type RuleSeverity, type RuleShape } from './shape';

// Each area's list is checked against RuleShape where it is written.
const RULES_LITERAL = [
  ...OBJECT_RULES,
  ...IDENTITY_RULES,
  ...PATCH_RULES,
  ...AZURE_RULES,
  ...VERSION_RULES,
  ...RENDER_RULES,
] as const;

export type RuleCode = (typeof RULES_LITERAL)[number]['code'];

export type RuleDef = Keyed<RuleShape, 'code', RuleCode>;

export const RULES: readonly RuleDef[] = RULES_LITERAL;
const ruleCodes = keysOf(RULES, 'code');
export const isRuleCode = ruleCodes.is;
/** Rule metadata by code. */
export const ruleByCode = lookup(RULES, 'code');
