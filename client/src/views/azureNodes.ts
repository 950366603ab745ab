/**
 * Node models of the two Azure views and how each becomes a TreeItem. Nodes are plain data; the providers in
 * azureTree.ts decide which exist, this file only how they look.
 */
import * as vscode from 'vscode';
import { Commands, type AzureIntegration, type ManifestLocation } from '../../../shared/src/protocol';
import type {
  AccountInfo,
  AssignmentView,
  FederationView,
  LoadError,
  SubscriptionAccess,
  TenantAccess,
} from '../../../azure/src/model';
import type { ReadinessRow } from '../../../azure/src/findings';

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
  | { type: 'cluster'; label: string; rows: ReadinessRow[]; federation: FederationView[] }
  | { type: 'integration'; row: ReadinessRow; cluster: string }
  | { type: 'federation'; view: FederationView }
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

const STATE_MARK: Record<string, string> = { ok: '✓', missing: '✗', unknown: '?' };
/** What the marks mean, in words: for screen readers and beside the mark in tooltips. */
const STATE_WORD: Record<string, string> = { ok: 'in place', missing: 'missing', unknown: 'unknown' };

/** A state as the tooltips show it: the mark and its word (the mark alone would carry the meaning by shape only). */
function stateText(state: string): string {
  const word = STATE_WORD[state]!;
  return `${STATE_MARK[state]} ${word[0]!.toUpperCase()}${word.slice(1)}`;
}

/** A line as a screen reader should say it: the symbols the descriptions use, in words. */
function spoken(text: string): string {
  return text
    .replace(/\s*≠\s*/g, ' differs from ')
    .replace(/\s*→\s*/g, ' to ')
    .replace(/\s+·\s+/g, ', ')
    .replace(/\s+—\s+/g, ': ')
    .replace(/…/g, '');
}

function icon(id: string, color?: string): vscode.ThemeIcon {
  return new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
}

function openCommand(location: ManifestLocation): vscode.Command {
  return { command: Commands.azureOpenManifest, title: 'Open manifest', arguments: [location] };
}

const { None, Collapsed, Expanded } = vscode.TreeItemCollapsibleState;

/** What a node's TreeItem shows; `treeItem` builds the item from it. */
interface ItemLook {
  label: string;
  state: vscode.TreeItemCollapsibleState;
  id?: string;
  description?: string;
  tooltip?: string | vscode.MarkdownString;
  icon?: vscode.ThemeIcon;
  command?: vscode.Command;
  contextValue?: string;
  /** What a screen reader says (default: the label and the description). */
  spoken?: string;
}

type NodeOf<T extends AzureNode['type']> = Extract<AzureNode, { type: T }>;

/** The TreeItem of a node. `id`s are stable so expansion survives a refresh. */
export function toTreeItem(node: AzureNode, hasChildren: boolean): vscode.TreeItem {
  return treeItem(lookOf(node, hasChildren ? Collapsed : None));
}

function treeItem(look: ItemLook): vscode.TreeItem {
  const item = new vscode.TreeItem(look.label, look.state);
  item.id = look.id;
  item.description = look.description;
  item.tooltip = look.tooltip;
  item.iconPath = look.icon;
  item.command = look.command;
  item.contextValue = look.contextValue;
  item.accessibilityInformation = {
    label: spoken(look.spoken ?? [look.label, look.description].filter(Boolean).join(', ')),
  };
  return item;
}

function lookOf(node: AzureNode, collapsible: vscode.TreeItemCollapsibleState): ItemLook {
  switch (node.type) {
    case 'message':
      return {
        ...leafLook(node),
        icon: node.icon ? icon(node.icon, node.kind === 'error' ? 'errorForeground' : undefined) : undefined,
        command: node.command,
        contextValue: `message.${node.kind ?? 'info'}`,
        // The icon's colour says "error"; the words must too.
        ...(node.kind === 'error'
          ? { spoken: `Error: ${[node.label, node.description].filter(Boolean).join(', ')}` }
          : {}),
      };
    case 'detail':
      return {
        ...leafLook(node),
        icon: node.icon ? icon(node.icon) : undefined,
        command: node.location ? openCommand(node.location) : undefined,
        contextValue: node.copy ? 'azureDetail.copy' : 'azureDetail',
      };
    case 'account':
      return {
        label: node.account.label,
        state: Expanded,
        id: `account:${node.account.label}`,
        description: node.account.method,
        icon: icon('account'),
        contextValue: 'azureAccount',
      };
    case 'tenant':
      return tenantLook(node.tenant);
    case 'subscription':
      return subscriptionLook(node.subscription, collapsible);
    case 'scope':
      return scopeLook(node);
    case 'assignment':
      return assignmentLook(node.assignment);
    case 'cluster':
      return clusterLook(node);
    case 'integration':
      return integrationLook(node, collapsible);
    case 'federation':
      return federationLook(node.view, collapsible);
  }
}

/** Messages and details: leaves whose tooltip defaults to their description. */
function leafLook(node: { label: string; description?: string; tooltip?: string }): ItemLook {
  return { label: node.label, state: None, description: node.description, tooltip: node.tooltip ?? node.description };
}

function tenantLook(t: TenantAccess): ItemLook {
  return {
    label: t.displayName,
    state: Expanded,
    id: `tenant:${t.tenantId}`,
    description: t.defaultDomain ?? t.tenantId,
    tooltip: new vscode.MarkdownString(
      `**${t.displayName}**\n\nTenant \`${t.tenantId}\`${t.objectId ? `\n\nYour object id here: \`${t.objectId}\`` : ''}`,
    ),
    icon: icon('organization'),
    contextValue: 'azureTenant',
  };
}

function subscriptionLook(s: SubscriptionAccess, collapsible: vscode.TreeItemCollapsibleState): ItemLook {
  return {
    label: s.displayName,
    state: collapsible,
    id: `subscription:${s.subscriptionId}`,
    description: s.error
      ? s.error.message
      : `${s.assignments.length} role assignment${s.assignments.length === 1 ? '' : 's'}`,
    tooltip: new vscode.MarkdownString(
      `**${s.displayName}**\n\nSubscription \`${s.subscriptionId}\`\n\nTenant \`${s.tenantId}\``,
    ),
    icon: s.error ? icon('warning', 'list.warningForeground') : icon('key'),
    contextValue: 'azureScope',
    ...(s.error ? { spoken: `${s.displayName}, could not be read: ${s.error.message}` } : {}),
  };
}

/** Icon of a scope by its level: hierarchy above subscriptions, key, folder, resource. */
function scopeIcon(node: NodeOf<'scope'>): string {
  if (node.level.startsWith('Management') || node.scope === '/') return 'type-hierarchy';
  if (node.level === 'Subscription') return 'key';
  return node.level === 'Resource group' ? 'folder' : 'symbol-field';
}

function scopeLook(node: NodeOf<'scope'>): ItemLook {
  return {
    label: node.name,
    state: Expanded,
    id: `scope:${node.tenantId}:${node.scope.toLowerCase()}`,
    description: node.level,
    tooltip: node.scope,
    icon: icon(scopeIcon(node)),
    contextValue: 'azureScope',
  };
}

function assignmentLook(a: AssignmentView): ItemLook {
  const parts = [a.viaGroup ? `via group ${a.principalId}` : 'direct'];
  if (a.condition) parts.push('condition');
  const tooltip = new vscode.MarkdownString(
    `**${a.roleName}**\n\nScope: \`${a.scope}\`\n\nRole definition: \`${a.roleDefinitionId}\`\n\nPrincipal: \`${a.principalId}\`${a.principalType ? ` (${a.principalType})` : ''}${a.viaGroup ? ' — a group you belong to' : ''}`,
  );
  if (a.condition) tooltip.appendMarkdown(`\n\nCondition:\n\n\`\`\`\n${a.condition}\n\`\`\``);
  return {
    label: a.roleName,
    state: None,
    id: `assignment:${a.id}`,
    description: parts.join(' · '),
    tooltip,
    icon: icon(a.viaGroup ? 'organization' : 'person'),
    contextValue: 'azureAssignment',
  };
}

function clusterLook(node: NodeOf<'cluster'>): ItemLook {
  const count = (state: string) =>
    node.rows.filter((r) => (r.result?.state ?? 'unknown') === state).length +
    node.federation.filter((f) => f.state === state).length;
  return {
    label: node.label,
    state: Expanded,
    id: `cluster:${node.label}`,
    description: `${count('ok')} ✓  ${count('missing')} ✗  ${count('unknown')} ?`,
    spoken: `${node.label}: ${(['ok', 'missing', 'unknown'] as const).map((s) => `${count(s)} ${STATE_WORD[s]}`).join(', ')}`,
    icon: icon('server-environment'),
  };
}

function integrationLook(node: NodeOf<'integration'>, collapsible: vscode.TreeItemCollapsibleState): ItemLook {
  const { integration: i, result } = node.row;
  const state = result?.state ?? 'unknown';
  const label = `${i.object.kind} ${i.object.namespace ? `${i.object.namespace}/` : ''}${i.object.name}`;
  const [iconId, color] = STATE_ICON[state]!;
  return {
    label,
    state: collapsible,
    id: `integration:${node.cluster}:${i.key}`,
    description: `${STATE_MARK[state]} ${i.service.abbreviation} ${integrationTarget(i)} — ${result?.summary ?? 'not checked'}`,
    spoken: `${label}, ${STATE_WORD[state]}: ${i.service.abbreviation} ${integrationTarget(i)}, ${result?.summary ?? 'not checked'}`,
    tooltip: new vscode.MarkdownString(
      `**${label}** → ${i.service.name}\n\n${stateText(state)}: ${result?.summary ?? 'Not checked yet.'}` +
        identityLine(i) +
        needLine(i),
    ),
    icon: icon(iconId, color),
    command: openCommand(i.object.location),
    contextValue: `integration.${state}${result?.principalId ? '.principal' : ''}${result?.targetScope ? '.scope' : ''}`,
  };
}

/** What the integration points at: the resource as written, the Azure DevOps project, else the service. */
function integrationTarget(i: AzureIntegration): string {
  if (i.resource) return i.resource.display;
  if (i.need.kind === 'adoGroup' && i.need.organization)
    return `dev.azure.com/${i.need.organization}/${i.need.project}`;
  return i.service.name;
}

function identityLine(i: AzureIntegration): string {
  if (!i.identity) return '';
  return `\n\nIdentity: ${i.identity.label}${i.identity.clientId ? ` (client id \`${i.identity.clientId}\`)` : ''}`;
}

function needLine(i: AzureIntegration): string {
  if (i.need.kind === 'localAuth') return `\n\nNeeds: ${localAuthNeed(i.need.check)}`;
  if (i.need.kind !== 'azureRole') return `\n\nNeeds: Azure DevOps group '${i.need.group}'`;
  const others = i.need.roles
    .slice(1)
    .map((r) => r.name)
    .join(', ');
  return `\n\nNeeds: ${i.need.roles[0]?.name} (or ${others})`;
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
      description: `${result.principalId}${result.principalFrom ? ` (${result.principalFrom})` : ''}`,
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
  else if (i.need.kind === 'localAuth')
    out.push({
      type: 'detail',
      label: 'Needs',
      description: `${localAuthNeed(i.need.check)} (Secret ${i.need.secret.replace(/^\//, '')})`,
      icon: 'shield',
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
  if (result?.mode) out.push({ type: 'detail', label: 'Permission model', description: result.mode, icon: 'settings' });
  if (result?.fixCommand)
    out.push({
      type: 'detail',
      label: 'Fix',
      description: result.fixCommand,
      tooltip: `${result.fixCommand}\n\nRight-click to copy.`,
      icon: 'terminal',
      copy: result.fixCommand,
    });
  if (result && result.state !== 'ok')
    out.push({ type: 'detail', label: 'Why', description: result.summary, tooltip: result.summary, icon: 'info' });
  return out;
}

function localAuthNeed(check: string): string {
  return check === 'storageSharedKey'
    ? 'shared-key access on the storage account (allowSharedKeyAccess)'
    : 'local (SAS) authentication on the Event Hubs namespace (disableLocalAuth: false)';
}

function federationLook(f: FederationView, collapsible: vscode.TreeItemCollapsibleState): ItemLook {
  const [iconId, color] = STATE_ICON[f.state]!;
  const label = `Federated credential for ${f.identityLabel}`;
  const tooltip = new vscode.MarkdownString(
    `**${label}**\n\n${stateText(f.state)}: ${f.summary}\n\nIdentity: ${f.identityName ?? '(not found)'} (client id \`${f.clientId}\`)` +
      `\n\nSubject: \`${f.subject}\`${f.issuer ? `\n\nIssuer: \`${f.issuer}\`` : ''}` +
      (f.clusterFrom ? `\n\nAKS cluster ${f.aksClusterId ?? ''} (${f.clusterFrom})` : ''),
  );
  return {
    label,
    state: collapsible,
    id: `federation:${f.key}`,
    description: `${STATE_MARK[f.state]} ${f.identityName ?? f.clientId} — ${f.summary}`,
    spoken: `${label}, ${STATE_WORD[f.state]}: ${f.identityName ?? f.clientId}, ${f.summary}`,
    tooltip,
    icon: icon(iconId, color),
    contextValue: `federation.${f.state}${f.fix ? '.fix' : ''}`,
  };
}

/** The detail rows under a federation check: identity, subject, issuer, credential, differences, fix. */
export function federationDetails(f: FederationView): AzureNode[] {
  const out: AzureNode[] = [
    {
      type: 'detail',
      label: 'Identity',
      description: `${f.identityName ?? '(not found)'} · client id ${f.clientId}`,
      icon: 'person',
      copy: f.identityId ?? f.clientId,
    },
    { type: 'detail', label: 'Subject', description: f.subject, icon: 'symbol-key', copy: f.subject },
  ];
  if (f.issuer)
    out.push({
      type: 'detail',
      label: 'Issuer',
      description: `${f.issuer}${f.clusterFrom ? ` (${f.clusterFrom})` : ''}`,
      tooltip: f.aksClusterId ? `AKS cluster ${f.aksClusterId}` : undefined,
      icon: 'server-environment',
      copy: f.issuer,
    });
  else if (f.aksClusterId)
    out.push({
      type: 'detail',
      label: 'AKS cluster',
      description: f.aksClusterId,
      icon: 'server-environment',
      copy: f.aksClusterId,
    });
  if (f.credential) out.push({ type: 'detail', label: 'Credential', description: f.credential, icon: 'pass' });
  for (const d of f.differences ?? [])
    out.push({
      type: 'detail',
      label: `${d.part[0]!.toUpperCase()}${d.part.slice(1)} differs${d.caseOnly ? ' (case only)' : ''}`,
      description: `credential '${d.credential}': ${d.actual} ≠ ${d.expected}`,
      tooltip: `Credential '${d.credential}' has:\n${d.actual}\n\nThe token carries:\n${d.expected}${d.caseOnly ? '\n\nOnly upper/lower case differs; Entra compares case-sensitively.' : ''}`,
      icon: 'diff',
      copy: d.expected,
    });
  if (f.fixCommand)
    out.push({ type: 'detail', label: 'Fix', description: f.fixCommand, icon: 'terminal', copy: f.fixCommand });
  if (f.fix)
    out.push({
      type: 'detail',
      label: 'Add credential',
      description: `${f.fix.name}: ${f.fix.subject} from ${f.fix.issuer}`,
      tooltip:
        "Right-click the row to copy 'az identity federated-credential create' or insert an ASO FederatedIdentityCredential.",
      icon: 'add',
    });
  if (f.state !== 'ok')
    out.push({ type: 'detail', label: 'Why', description: f.summary, tooltip: f.summary, icon: 'info' });
  return out;
}
