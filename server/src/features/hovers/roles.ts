import { GUID_PATTERN, parseRoleDefinitionId, roleByGuid, roleByName } from '../../catalog';
import type { HoverAnswer, HoverSite } from '../hoverSite';
import { roleMarkdown } from '../markdown';

const GUID_IN_TEXT = new RegExp(GUID_PATTERN, 'g');
/** Keys whose value names a role (ASO `wellKnownName`, Terraform `role_definition_name`, `--role`, `roleName`...). */
const ROLE_KEY = /role|wellknownname/i;

/**
 * A built-in role wherever it appears: a role GUID or role definition id in any value (ASO, Terraform-like text,
 * a command line in a comment-free string), or a role name under a key that names roles. Secret values are skipped:
 * a hover never echoes what a Secret holds.
 */
export function roleHover(site: HoverSite): HoverAnswer | undefined {
  const scalar = site.loc.scalar;
  if (!scalar || site.loc.onKey || site.subject?.type === 'secret') return undefined;
  const text = scalar.text.trim();
  const key = site.loc.pair?.key.text ?? '';
  if (ROLE_KEY.test(key) || site.subject?.type === 'aso') {
    const byName = roleByName(text);
    if (byName) return { markdown: roleMarkdown(byName) };
  }
  const fromId = parseRoleDefinitionId(text);
  const byId = fromId ? roleByGuid(fromId) : undefined;
  if (byId) return { markdown: roleMarkdown(byId) };
  // A GUID inside longer text: the one under the mouse.
  const quote = scalar.style === 'single' || scalar.style === 'double' ? 1 : 0;
  for (const m of scalar.text.matchAll(GUID_IN_TEXT)) {
    const role = roleByGuid(m[0]);
    if (!role) continue;
    if (text === m[0]) return { markdown: roleMarkdown(role) };
    const start = scalar.start + quote + m.index!;
    if (scalar.style !== 'literal' && scalar.style !== 'folded' && site.at >= start && site.at <= start + m[0].length)
      return { markdown: roleMarkdown(role), span: { start, end: start + m[0].length } };
  }
  return undefined;
}
