import {
  AZURE_SERVICES,
  findPlaceholders,
  parseRoleDefinitionId,
  parseScope,
  parseServiceAccountSubject,
  roleByGuid,
  roleById,
  roleDefinitionId,
  roleByName,
  WORKLOAD_IDENTITY_AUDIENCE,
  type AzureServiceDef,
  type RoleDef,
} from '../../catalog';
import type { ManifestDoc } from '../../document/manifest';
import { isScalar, items } from '../../document/nodes';
import { replaceScalar } from './helpers';
import type { Finding, Rule } from './rule';

const GENERIC_RESOURCE_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/[^/]+(\/[^/]+\/[^/]+)+$/i;

function isAso(doc: ManifestDoc, kind: string): boolean {
  return doc.kind === kind && doc.group.endsWith('.azure.com');
}

/** Rule 29: a federated identity credential must name the ServiceAccount exactly and use the token-exchange audience. */
export const federatedCredential: Rule = {
  name: 'fic',
  applies: (doc) => isAso(doc, 'FederatedIdentityCredential'),
  check: ({ doc, index }) => {
    const findings: Finding[] = [];
    const subject = doc.scalar(['spec', 'subject']);
    if (subject && findPlaceholders(subject.text).length === 0 && !subject.text.includes('${')) {
      const parsed = parseServiceAccountSubject(subject.text);
      if (!parsed) {
        const lower = subject.text.toLowerCase();
        findings.push({
          code: 'flux-azure/fic-subject',
          span: subject,
          message: `The subject must be exactly system:serviceaccount:<namespace>:<name> (lower case; Entra compares it case-sensitively). '${subject.text}' never matches a ServiceAccount token.`,
          fixes: parseServiceAccountSubject(lower)
            ? [{ title: `Use ${lower}`, edits: replaceScalar(doc, subject, lower), preferred: true }]
            : [],
        });
      } else if (
        index.fileCount > 0 &&
        index.allServiceAccounts().length > 0 &&
        !index.serviceAccounts(parsed.name, parsed.namespace).length
      ) {
        findings.push({
          code: 'flux-azure/fic-subject',
          span: subject,
          severity: 3,
          message: `No ServiceAccount '${parsed.name}' in namespace '${parsed.namespace}' is defined in this workspace; the credential only works for a ServiceAccount with exactly that namespace and name.`,
        });
      }
    }
    const audiences = doc.get(['spec', 'audiences']);
    for (const a of items(audiences)) {
      if (isScalar(a) && a.text !== WORKLOAD_IDENTITY_AUDIENCE) {
        findings.push({
          code: 'flux-azure/fic-audience',
          span: a,
          message: `Workload identity tokens are issued for ${WORKLOAD_IDENTITY_AUDIENCE}; with audience '${a.text}' Entra rejects every exchange.`,
          fixes: [
            {
              title: `Use ${WORKLOAD_IDENTITY_AUDIENCE}`,
              edits: replaceScalar(doc, a, WORKLOAD_IDENTITY_AUDIENCE),
              preferred: true,
            },
          ],
        });
      }
    }
    return findings;
  },
};

function serviceForScope(text: string): AzureServiceDef | undefined {
  const level = parseScope(text)?.level;
  if (!level) return undefined;
  return (AZURE_SERVICES as readonly AzureServiceDef[]).find(
    (s) =>
      s.resourceScope === level ||
      (s.grantScopes[0] === level &&
        s.grantScopes.length > 0 &&
        level !== 'resourceGroup' &&
        level !== 'subscription' &&
        level !== 'managementGroup'),
  );
}

/** Rule 30: ASO RoleAssignment scope and role ids must parse, and the role should fit the resource it is granted on. */
export const roleAssignment: Rule = {
  name: 'role-assignment',
  applies: (doc) => isAso(doc, 'RoleAssignment'),
  check: ({ doc }) => {
    const findings: Finding[] = [];
    const owner = doc.scalar(['spec', 'owner', 'armId']);
    if (owner && findPlaceholders(owner.text).length === 0 && !owner.text.includes('${') && owner.text !== '/') {
      if (!parseScope(owner.text) && !GENERIC_RESOURCE_ID.test(owner.text)) {
        findings.push({
          code: 'flux-azure/scope-format',
          span: owner,
          message: `'${owner.text}' is not an ARM scope (/subscriptions/<id>, …/resourceGroups/<rg>, …/providers/<namespace>/<type>/<name>, or /providers/Microsoft.Management/managementGroups/<name>): ASO cannot create the assignment.`,
        });
      }
    }
    const armId = doc.scalar(['spec', 'roleDefinitionReference', 'armId']);
    const wellKnown = doc.scalar(['spec', 'roleDefinitionReference', 'wellKnownName']);
    let role: RoleDef | undefined;
    if (armId && findPlaceholders(armId.text).length === 0) {
      const guid = parseRoleDefinitionId(armId.text);
      if (!guid) {
        findings.push({
          code: 'flux-azure/scope-format',
          span: armId,
          message: `A role definition id has the form /providers/Microsoft.Authorization/roleDefinitions/<GUID>; '${armId.text}' does not.`,
        });
      } else role = roleByGuid(guid);
    }
    if (wellKnown) role = roleByName(wellKnown.text);
    const roleNode = wellKnown ?? armId;
    if (role && owner && roleNode) {
      const service = serviceForScope(owner.text);
      const fits =
        service && (service.recommendedRole === role.id || service.alternativeRoles.includes(role.id as never));
      const forOther = (AZURE_SERVICES as readonly AzureServiceDef[]).find((s) => s.recommendedRole === role!.id);
      if (service && !fits && forOther && forOther.id !== service.id) {
        const right = service.recommendedRole ? roleById(service.recommendedRole) : undefined;
        const replacement = right && (roleNode === wellKnown ? right.name : roleDefinitionId(right.guid));
        findings.push({
          code: 'flux-azure/role-mismatch',
          span: roleNode,
          message: `${role.name} grants ${forOther.name} access, but the scope is a ${service.name} resource: Flux still cannot use it. Grant ${right?.name ?? 'the service role'} on this scope instead.`,
          fixes: replacement
            ? [{ title: `Grant ${right!.name}`, edits: replaceScalar(doc, roleNode, replacement), preferred: true }]
            : [],
        });
      }
    }
    return findings;
  },
};
