/**
 * Readiness decisions: given an integration (from the server) and what ARM said about its identity, resource and
 * role assignments, is the identity able to do its job? Pure: no SDK, no vscode; unit-tested on its own.
 */
import type { AzureIntegration } from '../../../shared/src/protocol';
import { assignmentCoversTarget } from '../../../shared/src/armScope';
import type { AssignmentView, ReadinessView } from './model';

/** Either a value or why it could not be had. */
export type Lookup<T> = { value: T; note?: string } | { error: string };

export interface ReadinessFacts {
  /** Principal (object) id of the identity's client id; `undefined` value = not found. */
  principal?: Lookup<string | undefined>;
  /** ARM id of the resource the integration points at; `undefined` value = not found. */
  resourceId?: Lookup<string | undefined>;
  /** Assignments ARM returned for `atScope() and assignedTo(principal)` at the target scope. */
  assignments?: Lookup<AssignmentView[]>;
  tenantId?: string;
}

/** The scope the identity needs: the resource's ARM id plus the integration's sub-path. */
export function targetScopeOf(integration: AzureIntegration, resourceId: string): string {
  return `${resourceId.replace(/\/+$/, '')}${integration.resource?.subPath ?? ''}`;
}

function adoAdvice(integration: AzureIntegration): string | undefined {
  if (integration.need.kind !== 'adoGroup') return undefined;
  const { group, organization, project } = integration.need;
  const where = organization && project ? ` of project ${organization}/${project}` : ' of the project';
  return `Azure DevOps is not Azure RBAC: add the identity to the organization, then to the '${group}' group${where}. Not checked here.`;
}

export function decideReadiness(integration: AzureIntegration, facts: ReadinessFacts): ReadinessView {
  const base = { key: integration.key, ...(facts.tenantId ? { tenantId: facts.tenantId } : {}) };
  const unknown = (summary: string, extra: Partial<ReadinessView> = {}): ReadinessView => ({
    ...base,
    state: 'unknown',
    summary,
    ...extra,
  });
  const ado = adoAdvice(integration);
  if (integration.unknown) return unknown(integration.unknown);
  if (ado) return unknown(ado);
  if (integration.need.kind !== 'azureRole') return unknown('Nothing to check.');
  if (!integration.identity?.clientId) return unknown('The identity is not known from the manifests.');
  if (!integration.resource) return unknown('The Azure resource is not known from the manifests.');
  const clientId = integration.identity.clientId;

  const principal = facts.principal;
  if (!principal) return unknown('The identity was not looked up.');
  if ('error' in principal) return unknown(`Cannot resolve client id ${clientId}: ${principal.error}`);
  if (!principal.value)
    return unknown(
      `Client id ${clientId} is not a user-assigned managed identity in the subscriptions you can read` +
        `${principal.note ? ` (${principal.note})` : ''}. ` +
        `For an app registration, find its principal id with: az ad sp show --id ${clientId} --query id -o tsv`,
    );
  const principalId = principal.value;

  const resource = facts.resourceId;
  const what = `${integration.resource.armType} '${integration.resource.name}'`;
  if (!resource) return unknown(`${what} was not looked up.`, { principalId });
  if ('error' in resource) return unknown(`Cannot look up ${what}: ${resource.error}`, { principalId });
  if (!resource.value)
    return unknown(
      `${what} was not found in the subscriptions you can read${resource.note ? ` (${resource.note})` : ''}.`,
      { principalId },
    );
  const targetScope = targetScopeOf(integration, resource.value);

  const assignments = facts.assignments;
  if (!assignments) return unknown('Role assignments were not read.', { principalId, targetScope });
  if ('error' in assignments)
    return unknown(`Cannot read role assignments on ${targetScope}: ${assignments.error}`, {
      principalId,
      targetScope,
    });

  const roles = integration.need.roles;
  const rank = (guid: string) => roles.findIndex((r) => r.guid === guid.toLowerCase());
  const covering = assignments.value.filter((a) => assignmentCoversTarget(a.scope, targetScope));
  const satisfying = covering
    .filter((a) => rank(a.roleGuid) >= 0)
    // Unconditional first, then the recommended role, then the narrowest scope.
    .sort(
      (a, b) =>
        Number(!!a.condition) - Number(!!b.condition) ||
        rank(a.roleGuid) - rank(b.roleGuid) ||
        b.scope.length - a.scope.length,
    );
  const insufficient = covering.filter((a) => rank(a.roleGuid) < 0);
  const best = satisfying[0];
  if (best) {
    const via =
      best.scope.toLowerCase() === targetScope.toLowerCase() ? 'on the resource' : `inherited from ${best.scope}`;
    const condition = best.condition ? ' (with a condition that may narrow it)' : '';
    return {
      ...base,
      state: 'ok',
      summary: `${best.roleName} ${via}${condition}`,
      principalId,
      targetScope,
      covering: best,
      ...(insufficient.length ? { insufficient } : {}),
    };
  }
  const role = roles[0];
  const held = insufficient.length
    ? ` (holds ${[...new Set(insufficient.map((a) => a.roleName))].join(', ')}, which do not grant it)`
    : '';
  return {
    ...base,
    state: 'missing',
    summary: `Missing ${role.name} on ${integration.resource.display}${held}`,
    principalId,
    targetScope,
    ...(insufficient.length ? { insufficient } : {}),
    grant: { scope: targetScope, roleGuid: role.guid, roleName: role.name, principalId },
  };
}
