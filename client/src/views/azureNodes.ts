/**
 * Node models of the two Azure views and how each becomes a TreeItem. Nodes are plain data; the providers in
 * azureTree.ts decide which exist, this file only how they look.
 */
import * as vscode from 'vscode';
import { Commands, type AzureIntegration, type ManifestLocation } from '../../../shared/src/protocol';
import type {
  AccountInfo,
  AssignmentView,
  LoadError,
  ReadinessView,
  SubscriptionAccess,
  TenantAccess,
} from '../azure/model';

export type AzureNode =
  | {
      type: 'message';
      label: string;
      description?: string;
      tooltip?: string;
      icon?: string;
      command?: vscode.Command;
      kind?: 'signIn' | 'retry' | 'error' | 'info';
    }
  | { type: 'account'; account: AccountInfo; tenants: TenantAccess[] }
  | { type: 'tenant'; tenant: TenantAccess }
  | { type: 'subscription'; tenant: TenantAccess; subscription: SubscriptionAccess }
  | { type: 'scope'; tenantId: string; scope: string; level: string; name: string; assignments: AssignmentView[] }
  | { type: 'assignment'; tenantId: string; assignment: AssignmentView }
  | { type: 'cluster'; label: string; rows: ReadinessRow[] }
  | { type: 'integration'; row: ReadinessRow; cluster: string }
  | {
      type: 'detail';
      label: string;
      description?: string;
      tooltip?: string;
      copy?: string;
      location?: ManifestLocation;
      icon?: string;
    };

/** An integration with its readiness (undefined while not checked, e.g. signed out). */
export interface ReadinessRow {
  integration: AzureIntegration;
  result: ReadinessView | undefined;
}

export function messageNode(
  label: string,
  kind: 'signIn' | 'retry' | 'error' | 'info',
  extra: { description?: string; tooltip?: string; command?: vscode.Command } = {},
): AzureNode {
  const icon = { signIn: 'sign-in', retry: 'refresh', error: 'error', info: 'info' }[kind];
  return { type: 'message', label, kind, icon, ...extra };
}

/**
 * Items for a load error: the reason, and a way out (sign in — to a tenant when given —, or retry; both when ARM
 * refused a token, which a new one may fix).
 */
export function errorNodes(error: LoadError, tenantId?: string): AzureNode[] {
  const nodes: AzureNode[] = [];
  if (error.kind === 'signedOut')
    nodes.push(
      messageNode(tenantId ? 'Sign in to this tenant…' : 'Sign in to Azure…', 'signIn', {
        description: error.message,
        tooltip: error.message,
        command: {
          command: Commands.azureSignIn,
          title: 'Sign in to Azure',
          ...(tenantId ? { arguments: [tenantId] } : {}),
        },
      }),
    );
  else nodes.push(messageNode(error.message, 'error', { tooltip: error.message }));
  if (error.retryable)
    nodes.push(messageNode('Retry', 'retry', { command: { command: Commands.azureRefresh, title: 'Retry' } }));
  return nodes;
}

const STATE_ICON: Record<string, [string, string]> = {
  ok: ['pass', 'testing.iconPassed'],
  missing: ['error', 'testing.iconFailed'],
  unknown: ['question', 'list.warningForeground'],
};

export const STATE_MARK: Record<string, string> = { ok: '✓', missing: '✗', unknown: '?' };

function icon(id: string, color?: string): vscode.ThemeIcon {
  return new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
}

function openCommand(location: ManifestLocation): vscode.Command {
  return { command: Commands.azureOpenManifest, title: 'Open manifest', arguments: [location] };
}

/** The TreeItem of a node. `id`s are stable so expansion survives a refresh. */
export function toTreeItem(node: AzureNode, hasChildren: boolean): vscode.TreeItem {
  const collapsible = hasChildren ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None;
  switch (node.type) {
    case 'message': {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
      item.description = node.description;
      item.tooltip = node.tooltip ?? node.description;
      if (node.icon) item.iconPath = icon(node.icon, node.kind === 'error' ? 'errorForeground' : undefined);
      item.command = node.command;
      item.contextValue = `message.${node.kind ?? 'info'}`;
      return item;
    }
    case 'account': {
      const item = new vscode.TreeItem(node.account.label, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `account:${node.account.label}`;
      item.description = node.account.method;
      item.iconPath = icon('account');
      item.contextValue = 'azureAccount';
      return item;
    }
    case 'tenant': {
      const t = node.tenant;
      const item = new vscode.TreeItem(t.displayName, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `tenant:${t.tenantId}`;
      item.description = t.defaultDomain ?? t.tenantId;
      item.tooltip = new vscode.MarkdownString(
        `**${t.displayName}**\n\nTenant \`${t.tenantId}\`${t.objectId ? `\n\nYour object id here: \`${t.objectId}\`` : ''}`,
      );
      item.iconPath = icon('organization');
      item.contextValue = 'azureTenant';
      return item;
    }
    case 'subscription': {
      const s = node.subscription;
      const item = new vscode.TreeItem(s.displayName, collapsible);
      item.id = `subscription:${s.subscriptionId}`;
      item.description = s.error
        ? s.error.message
        : `${s.assignments.length} role assignment${s.assignments.length === 1 ? '' : 's'}`;
      item.tooltip = new vscode.MarkdownString(
        `**${s.displayName}**\n\nSubscription \`${s.subscriptionId}\`\n\nTenant \`${s.tenantId}\``,
      );
      item.iconPath = s.error ? icon('warning', 'list.warningForeground') : icon('key');
      item.contextValue = 'azureScope';
      return item;
    }
    case 'scope': {
      const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `scope:${node.tenantId}:${node.scope.toLowerCase()}`;
      item.description = node.level;
      item.tooltip = node.scope;
      item.iconPath = icon(
        node.level.startsWith('Management') || node.scope === '/'
          ? 'type-hierarchy'
          : node.level === 'Subscription'
            ? 'key'
            : node.level === 'Resource group'
              ? 'folder'
              : 'symbol-field',
      );
      item.contextValue = 'azureScope';
      return item;
    }
    case 'assignment': {
      const a = node.assignment;
      const item = new vscode.TreeItem(a.roleName, vscode.TreeItemCollapsibleState.None);
      item.id = `assignment:${a.id}`;
      const parts = [a.viaGroup ? `via group ${a.principalId}` : 'direct'];
      if (a.condition) parts.push('condition');
      item.description = parts.join(' · ');
      const md = new vscode.MarkdownString(
        `**${a.roleName}**\n\nScope: \`${a.scope}\`\n\nRole definition: \`${a.roleDefinitionId}\`\n\nPrincipal: \`${a.principalId}\`${a.principalType ? ` (${a.principalType})` : ''}${a.viaGroup ? ' — a group you belong to' : ''}`,
      );
      if (a.condition) md.appendMarkdown(`\n\nCondition:\n\n\`\`\`\n${a.condition}\n\`\`\``);
      item.tooltip = md;
      item.iconPath = icon(a.viaGroup ? 'organization' : 'person');
      item.contextValue = 'azureAssignment';
      return item;
    }
    case 'cluster': {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `cluster:${node.label}`;
      const count = (state: string) => node.rows.filter((r) => (r.result?.state ?? 'unknown') === state).length;
      item.description = `${count('ok')} ✓  ${count('missing')} ✗  ${count('unknown')} ?`;
      item.iconPath = icon('server-environment');
      return item;
    }
    case 'integration': {
      const { integration: i, result } = node.row;
      const state = result?.state ?? 'unknown';
      const label = `${i.object.kind} ${i.object.namespace ? `${i.object.namespace}/` : ''}${i.object.name}`;
      const item = new vscode.TreeItem(label, collapsible);
      item.id = `integration:${node.cluster}:${i.key}`;
      const target =
        i.resource?.display ??
        (i.need.kind === 'adoGroup' && i.need.organization
          ? `dev.azure.com/${i.need.organization}/${i.need.project}`
          : i.service.name);
      item.description = `${STATE_MARK[state]} ${i.service.abbreviation} ${target} — ${result?.summary ?? 'not checked'}`;
      const [iconId, color] = STATE_ICON[state]!;
      item.iconPath = icon(iconId, color);
      const md = new vscode.MarkdownString(
        `**${label}** → ${i.service.name}\n\n${STATE_MARK[state]} ${result?.summary ?? 'Not checked yet.'}` +
          (i.identity
            ? `\n\nIdentity: ${i.identity.label}${i.identity.clientId ? ` (client id \`${i.identity.clientId}\`)` : ''}`
            : '') +
          (i.need.kind === 'azureRole'
            ? `\n\nNeeds: ${i.need.roles[0]?.name} (or ${i.need.roles
                .slice(1)
                .map((r) => r.name)
                .join(', ')})`
            : `\n\nNeeds: Azure DevOps group '${i.need.group}'`),
      );
      item.tooltip = md;
      item.command = openCommand(i.object.location);
      item.contextValue = `integration.${state}${result?.principalId ? '.principal' : ''}${result?.targetScope ? '.scope' : ''}`;
      return item;
    }
    case 'detail': {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
      item.description = node.description;
      item.tooltip = node.tooltip ?? node.description;
      if (node.icon) item.iconPath = icon(node.icon);
      if (node.location) item.command = openCommand(node.location);
      item.contextValue = node.copy ? 'azureDetail.copy' : 'azureDetail';
      return item;
    }
  }
}

/** The detail rows under an integration: identity, principal, resource, need, covering grant or what to grant. */
export function integrationDetails(row: ReadinessRow): AzureNode[] {
  const { integration: i, result } = row;
  const out: AzureNode[] = [];
  if (i.identity)
    out.push({
      type: 'detail',
      label: 'Identity',
      description: `${i.identity.label}${i.identity.clientId ? ` · client id ${i.identity.clientId}` : ''}`,
      icon: 'person',
      ...(i.identity.location ? { location: i.identity.location } : {}),
      ...(i.identity.clientId ? { copy: i.identity.clientId } : {}),
    });
  if (result?.principalId)
    out.push({
      type: 'detail',
      label: 'Principal id',
      description: result.principalId,
      icon: 'symbol-key',
      copy: result.principalId,
    });
  if (i.resource)
    out.push({
      type: 'detail',
      label: 'Resource',
      description: result?.targetScope ?? `${i.resource.display} (${i.resource.armType})`,
      icon: 'cloud',
      ...(result?.targetScope ? { copy: result.targetScope } : {}),
    });
  if (i.need.kind === 'azureRole')
    out.push({
      type: 'detail',
      label: 'Needs',
      description: i.need.roles[0]?.name ?? '',
      tooltip: `Any of: ${i.need.roles.map((r) => r.name).join(', ')}`,
      icon: 'shield',
      copy: i.need.roles[0]?.guid,
    });
  else
    out.push({
      type: 'detail',
      label: 'Needs',
      description: `Azure DevOps group '${i.need.group}'${i.need.organization ? ` in ${i.need.organization}/${i.need.project}` : ''} (not Azure RBAC)`,
      icon: 'organization',
    });
  if (result?.covering)
    out.push({
      type: 'detail',
      label: 'Granted by',
      description: `${result.covering.roleName} at ${result.covering.scope}${result.covering.viaGroup ? ' (via group)' : ''}${result.covering.condition ? ' (with condition)' : ''}`,
      icon: 'pass',
      copy: result.covering.scope,
    });
  if (result?.grant)
    out.push({
      type: 'detail',
      label: 'Grant',
      description: `${result.grant.roleName} on ${result.grant.scope}`,
      tooltip: 'Right-click the integration to copy the az command or insert an ASO RoleAssignment.',
      icon: 'add',
      copy: result.grant.scope,
    });
  if (result && result.state !== 'ok')
    out.push({ type: 'detail', label: 'Why', description: result.summary, tooltip: result.summary, icon: 'info' });
  return out;
}
