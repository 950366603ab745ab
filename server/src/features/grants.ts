/**
 * The text that grants a missing role: an `az role assignment create` command and an Azure Service Operator
 * RoleAssignment manifest (answers `fluxAzure/grantText`).
 */
import {
  ASO_RESOURCES,
  ROLE_DEFINITION_ID_PATTERN,
  SUBSCRIPTION_ROLE_DEFINITION_ID_PATTERN,
  roleByGuid,
} from '../catalog';
import type { GrantTextParams, GrantTextResult } from '../../../shared/src/protocol';
import { subscriptionOf } from '../../../shared/src/armScope';

/** Kubernetes object name (RFC 1123 label, at most 63 characters). */
function objectName(text: string): string {
  const name = text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  return (name || 'role-assignment').slice(0, 63).replace(/-$/, '');
}

export function grantText(params: GrantTextParams): GrantTextResult {
  const guid = params.roleGuid.toLowerCase();
  const scope = params.scope.trim();
  const role = roleByGuid(guid);
  const subscription = subscriptionOf(scope);
  const roleId = (subscription ? SUBSCRIPTION_ROLE_DEFINITION_ID_PATTERN : ROLE_DEFINITION_ID_PATTERN)
    .replace('{subscriptionId}', subscription ?? '')
    .replace('{roleGuid}', guid);
  const aso = ASO_RESOURCES.find((r) => r.kind === 'RoleAssignment')!;
  const version = aso.apiVersions.find((v) => v.current)?.version ?? aso.apiVersions[0].version;
  const roleComment = role ? ` # ${role.name}` : '';
  const lines = [
    `apiVersion: ${aso.group}/${version}`,
    `kind: ${aso.kind}`,
    'metadata:',
    `  name: ${objectName(params.name)}`,
    ...(params.namespace ? [`  namespace: ${params.namespace}`] : []),
    'spec:',
    '  owner:',
    `    armId: ${scope}`,
    `  principalId: ${params.principalId}`,
    '  principalType: ServicePrincipal',
    '  roleDefinitionReference:',
    `    armId: ${roleId}${roleComment}`,
  ];
  const azCli = [
    'az role assignment create',
    `--assignee-object-id ${params.principalId}`,
    '--assignee-principal-type ServicePrincipal',
    `--role ${guid}`,
    `--scope "${scope}"`,
  ].join(' ');
  return { azCli, aso: `${lines.join('\n')}\n` };
}
