/**
 * ARM scope and resource-id formats (for completion, validation and coverage checks of role
 * assignment scopes), with helpers to parse them.
 */
import { scopeCovers, scopePatternToRegExp as sharedScopePatternToRegExp } from '../../../shared/src/armScope';
import { GUID_PATTERN } from './identifiers';
import type { Keyed } from './table';

/** Shape of a `SCOPE_FORMATS` entry before its `id` is narrowed to `ScopeLevel`. */
export interface ScopeFormatShape {
  readonly id: string;
  readonly label: string;
  /** Format with `{placeholders}`; literal segments compare case-insensitively in ARM. */
  readonly pattern: string;
  /** Parent level in the ARM hierarchy (undefined for the root-most levels). */
  readonly parent?: string;
  /** True for formats that are role-assignment scopes; false for plain resource ids (e.g. an identity). */
  readonly assignable: boolean;
}

const SCOPE_FORMATS_LITERAL = [
  { id: 'root', label: 'Tenant root', pattern: '/', assignable: true },
  {
    id: 'managementGroup',
    label: 'Management group',
    pattern: '/providers/Microsoft.Management/managementGroups/{managementGroup}',
    parent: 'root',
    assignable: true,
  },
  {
    id: 'subscription',
    label: 'Subscription',
    pattern: '/subscriptions/{subscriptionId}',
    parent: 'managementGroup',
    assignable: true,
  },
  {
    id: 'resourceGroup',
    label: 'Resource group',
    pattern: '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}',
    parent: 'subscription',
    assignable: true,
  },
  {
    id: 'containerRegistry',
    label: 'Container registry',
    pattern:
      '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}/providers/Microsoft.ContainerRegistry/registries/{registry}',
    parent: 'resourceGroup',
    assignable: true,
  },
  {
    id: 'storageAccount',
    label: 'Storage account',
    pattern:
      '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}/providers/Microsoft.Storage/storageAccounts/{storageAccount}',
    parent: 'resourceGroup',
    assignable: true,
  },
  {
    id: 'blobContainer',
    label: 'Blob container',
    pattern:
      '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}/providers/Microsoft.Storage/storageAccounts/{storageAccount}/blobServices/default/containers/{container}',
    parent: 'storageAccount',
    assignable: true,
  },
  {
    id: 'keyVault',
    label: 'Key vault',
    pattern:
      '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}/providers/Microsoft.KeyVault/vaults/{vault}',
    parent: 'resourceGroup',
    assignable: true,
  },
  {
    id: 'eventHubsNamespace',
    label: 'Event Hubs namespace',
    pattern:
      '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}/providers/Microsoft.EventHub/namespaces/{namespace}',
    parent: 'resourceGroup',
    assignable: true,
  },
  {
    id: 'eventHub',
    label: 'Event hub',
    pattern:
      '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}/providers/Microsoft.EventHub/namespaces/{namespace}/eventhubs/{eventHub}',
    parent: 'eventHubsNamespace',
    assignable: true,
  },
  {
    id: 'aksCluster',
    label: 'AKS cluster',
    pattern:
      '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}/providers/Microsoft.ContainerService/managedClusters/{cluster}',
    parent: 'resourceGroup',
    assignable: true,
  },
  {
    id: 'aksNamespace',
    label: 'AKS namespace (Azure RBAC for Kubernetes)',
    pattern:
      '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}/providers/Microsoft.ContainerService/managedClusters/{cluster}/namespaces/{k8sNamespace}',
    parent: 'aksCluster',
    assignable: true,
  },
  {
    id: 'userAssignedIdentity',
    label: 'User-assigned managed identity',
    pattern:
      '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{identity}',
    parent: 'resourceGroup',
    assignable: true,
  },
] as const satisfies readonly ScopeFormatShape[];

export type ScopeLevel = (typeof SCOPE_FORMATS_LITERAL)[number]['id'];

export type ScopeFormatDef = Keyed<ScopeFormatShape, 'id', ScopeLevel>;

export const SCOPE_FORMATS: readonly ScopeFormatDef[] = SCOPE_FORMATS_LITERAL;

/** Extra constraints for placeholders; anything else is one non-empty path segment. */
const PLACEHOLDER_PATTERNS: Readonly<Record<string, string>> = {
  subscriptionId: GUID_PATTERN,
};

/** Builds an anchored, case-insensitive RegExp from a `{placeholder}` pattern; placeholders become named groups. */
function scopePatternToRegExp(pattern: string): RegExp {
  return sharedScopePatternToRegExp(pattern, PLACEHOLDER_PATTERNS);
}

/** Scope formats with their derived RegExp. */
export const SCOPE_REGEXES: Readonly<Record<ScopeLevel, RegExp>> = Object.fromEntries(
  SCOPE_FORMATS.map((f) => [f.id, scopePatternToRegExp(f.pattern)]),
) as Record<ScopeLevel, RegExp>;

export interface ParsedScope {
  readonly level: ScopeLevel;
  readonly params: Readonly<Record<string, string>>;
}

/** Recognises an ARM scope / resource id (trailing slash tolerated); undefined when it matches no known format. */
export function parseScope(text: string): ParsedScope | undefined {
  const t = text.trim();
  const candidate = t.length > 1 ? t.replace(/\/+$/, '') : t;
  for (const f of SCOPE_FORMATS) {
    const m = SCOPE_REGEXES[f.id].exec(candidate);
    if (m) return { level: f.id, params: { ...(m.groups ?? {}) } };
  }
  return undefined;
}

/** Fills a pattern's placeholders; missing values stay as `{name}`. */
export function formatScope(level: ScopeLevel, params: Readonly<Record<string, string>>): string {
  const f = SCOPE_FORMATS.find((s) => s.id === level);
  if (!f) return '';
  return f.pattern.replace(/\{([A-Za-z][A-Za-z0-9]*)\}/g, (whole, name: string) => params[name] ?? whole);
}

/** Coverage of one scope by another (case-insensitive, `/` boundaries); shared with the client. */
export { scopeCovers };

/** Role definition id forms. */
export const ROLE_DEFINITION_ID_PATTERN = '/providers/Microsoft.Authorization/roleDefinitions/{roleGuid}';
/** Also accepted when assigning at subscription scope. */
export const SUBSCRIPTION_ROLE_DEFINITION_ID_PATTERN =
  '/subscriptions/{subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/{roleGuid}';
const ROLE_DEFINITION_ID_REGEX = new RegExp(
  `^(?:/subscriptions/(?<subscriptionId>${GUID_PATTERN}))?/providers/Microsoft\\.Authorization/roleDefinitions/(?<roleGuid>${GUID_PATTERN})$`,
  'i',
);

/** `/providers/Microsoft.Authorization/roleDefinitions/<guid>` for a role GUID. */
export function roleDefinitionId(guid: string): string {
  return `/providers/Microsoft.Authorization/roleDefinitions/${guid.toLowerCase()}`;
}

/** GUID (lower case) of a role definition id in either form, or undefined. */
export function parseRoleDefinitionId(text: string): string | undefined {
  return ROLE_DEFINITION_ID_REGEX.exec(text.trim())?.groups?.['roleGuid']?.toLowerCase();
}
