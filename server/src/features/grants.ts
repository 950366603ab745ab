/**
 * The text that grants a missing role: an `az role assignment create` command and an Azure Service Operator
 * RoleAssignment manifest (answers `fluxAzure/grantText`).
 */
import {
  ASO_RESOURCES,
  ROLE_DEFINITION_ID_PATTERN,
  SUBSCRIPTION_ROLE_DEFINITION_ID_PATTERN,
  WORKLOAD_IDENTITY_AUDIENCE,
  roleByGuid,
} from '../catalog';
import type { FederatedCredentialTextParams, GrantTextParams, GrantTextResult } from '../../../shared/src/protocol';
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

/**
 * The text that adds a federated identity credential to a user-assigned identity: `az identity federated-credential
 * create` and an ASO FederatedIdentityCredential owned by the identity's ARM id (answers
 * `fluxAzure/federatedCredentialText`).
 */
export function federatedCredentialText(params: FederatedCredentialTextParams): GrantTextResult {
  const id = params.identityId.trim();
  const parts = id.split('/');
  const at = (segment: string) => parts[parts.findIndex((p) => p.toLowerCase() === segment.toLowerCase()) + 1] ?? '';
  const aso = ASO_RESOURCES.find((r) => r.kind === 'FederatedIdentityCredential')!;
  const version = aso.apiVersions.find((v) => v.current)?.version ?? aso.apiVersions[0].version;
  const name = objectName(params.name);
  const lines = [
    `apiVersion: ${aso.group}/${version}`,
    `kind: ${aso.kind}`,
    'metadata:',
    `  name: ${name}`,
    ...(params.namespace ? [`  namespace: ${params.namespace}`] : []),
    'spec:',
    '  owner:',
    `    armId: ${id}`,
    `  azureName: ${name}`,
    '  audiences:',
    `    - ${WORKLOAD_IDENTITY_AUDIENCE}`,
    `  issuer: ${params.issuer}`,
    `  subject: ${params.subject}`,
  ];
  const azCli = [
    'az identity federated-credential create',
    `--name ${name}`,
    `--identity-name ${parts[parts.length - 1] ?? ''}`,
    `--resource-group ${at('resourceGroups')}`,
    `--subscription ${at('subscriptions')}`,
    `--issuer "${params.issuer}"`,
    `--subject "${params.subject}"`,
    `--audiences ${WORKLOAD_IDENTITY_AUDIENCE}`,
  ].join(' ');
  return { azCli, aso: `${lines.join('\n')}\n` };
}
