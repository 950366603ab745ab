/** Grouping "My access" assignments by scope, with level labels from the catalog's scope formats (no vscode). */
import type { ScopeFormatInfo } from '../../../shared/src/protocol';
import { scopePatternToRegExp } from '../../../shared/src/armScope';
import type { AssignmentView } from '../../../azure/src/model';
import type { AzureNode } from './azureNodes';

/** Level label and name of a scope, from the server's scope formats (`Resource group`, `rg-fleet-prod`). */
export function describeScope(scope: string, formats: readonly ScopeFormatInfo[]): { level: string; name: string } {
  const trimmed = scope.trim().replace(/\/+$/, '') || '/';
  for (const f of formats) {
    if (scopePatternToRegExp(f.pattern).test(trimmed)) {
      return { level: f.label, name: trimmed === '/' ? '/' : (trimmed.split('/').pop() as string) };
    }
  }
  const type = /\/providers\/([^/]+\/[^/]+)\/[^/]+(?:\/[^/]+\/[^/]+)*$/.exec(trimmed)?.[1];
  return { level: type ? `Resource (${type})` : 'Scope', name: trimmed.split('/').pop() ?? trimmed };
}

/** Groups assignments by scope, broadest first (root, management groups, subscription, groups, resources). */
export function scopeNodes(
  tenantId: string,
  assignments: AssignmentView[],
  formats: readonly ScopeFormatInfo[],
  subscription?: { subscriptionId: string; displayName: string },
): AzureNode[] {
  const byScope = new Map<string, AssignmentView[]>();
  for (const a of assignments) {
    const key = a.scope.toLowerCase();
    byScope.set(key, [...(byScope.get(key) ?? []), a]);
  }
  const rank = (scope: string) => (scope.startsWith('/providers/') ? 0 : 1) * 1000 + scope.split('/').length;
  return [...byScope.values()]
    .sort((a, b) => rank(a[0]!.scope) - rank(b[0]!.scope) || a[0]!.scope.localeCompare(b[0]!.scope))
    .map((list) => {
      const described = describeScope(list[0]!.scope, formats);
      const level = described.level;
      // The subscription's own scope reads better with its name than with its GUID.
      const scope = list[0]!.scope.toLowerCase();
      const name =
        subscription && scope === `/subscriptions/${subscription.subscriptionId}`.toLowerCase()
          ? subscription.displayName
          : scope === `/providers/microsoft.management/managementgroups/${tenantId}`.toLowerCase()
            ? 'Tenant Root Group' // the root management group is named after the tenant id
            : described.name;
      return { type: 'scope', tenantId, scope: list[0]!.scope, level, name, assignments: list };
    });
}
