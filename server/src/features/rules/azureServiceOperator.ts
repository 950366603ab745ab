import {
  AZURE_SERVICES,
  findPlaceholders,
  parseRoleDefinitionId,
  parseScope,
  parseServiceAccountSubject,
  roleByGuid,
  serviceAccountSubject,
  roleById,
  roleDefinitionId,
  roleByName,
  WORKLOAD_IDENTITY_AUDIENCE,
  type AzureServiceDef,
  type RoleDef,
} from '../../catalog';
import type { ManifestDoc } from '../../document/manifest';
import { isScalar, items, type ScalarNode } from '../../document/nodes';
import { nodeIn } from '../../render/value';
import type { WorkspaceIndex } from '../../workspace/workspaceIndex';
import { joinAnd } from './clusterScope';
import { fleetServiceAccounts, isNamed } from './fleetServiceAccounts';
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
    if (subject && findPlaceholders(subject.text).length === 0) findings.push(...subjectFindings(doc, index, subject));
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

/** What the subject names, judged against the ServiceAccounts of the rendered fleet (or of the files without one). */
function subjectFindings(doc: ManifestDoc, index: WorkspaceIndex, subject: ScalarNode): Finding[] {
  const fleet = fleetServiceAccounts(index);
  // As Flux applies the credential, when it does: postBuild may fill in `${…}`.
  const rendered = index.renderingsOf(doc.file.uri, doc.index);
  const values = rendered.length > 0 ? rendered.map((r) => nodeIn(r.object.node, ['spec', 'subject'])) : undefined;
  const texts = values
    ? values.map((v) => (v?.type === 'scalar' && typeof v.value === 'string' ? v.value : undefined))
    : [subject.text];
  // A variable left unknown (or no value at all) says nothing about the ServiceAccount.
  if (texts.some((t) => t === undefined || t.includes('${'))) return [];
  const text = [...new Set(texts)][0]!;
  const parsed = parseServiceAccountSubject(text);
  if (!parsed) {
    const lower = text.toLowerCase();
    const lowerParsed = parseServiceAccountSubject(lower);
    const match = lowerParsed && fleet?.accounts.find((a) => isNamed(a, lowerParsed.namespace, lowerParsed.name));
    return [
      {
        code: 'flux-azure/fic-subject',
        span: subject,
        message: match
          ? `'${text}' differs from ServiceAccount ${lowerParsed.namespace}/${lowerParsed.name} only in case, and Entra compares subjects case-sensitively: the token's subject is '${lower}', so this credential never matches.`
          : `The subject must be exactly system:serviceaccount:<namespace>:<name> (lower case; Entra compares it case-sensitively). '${text}' never matches a ServiceAccount token.`,
        fixes:
          lowerParsed && text === subject.text
            ? [{ title: `Use ${lower}`, edits: replaceScalar(doc, subject, lower), preferred: true }]
            : [],
      },
    ];
  }
  if (!fleet) {
    // No cluster to render: the ServiceAccounts of the files are all there is to go by.
    if (
      index.fileCount > 0 &&
      index.allServiceAccounts().length > 0 &&
      !index.serviceAccounts(parsed.name, parsed.namespace).length
    )
      return [
        {
          code: 'flux-azure/fic-subject',
          span: subject,
          severity: 3,
          message: `No ServiceAccount '${parsed.name}' in namespace '${parsed.namespace}' is defined in this workspace; the credential only works for a ServiceAccount with exactly that namespace and name.`,
        },
      ];
    return [];
  }
  if (fleet.accounts.some((a) => isNamed(a, parsed.namespace, parsed.name))) return [];
  // A chart installs ServiceAccounts the repository does not show.
  if (fleet.helmNamespaces.has(parsed.namespace)) return [];
  const renamed = fleet.accounts.find(
    (a) => a.object?.renamed?.from === parsed.name && (a.namespace === parsed.namespace || a.namespace === '*'),
  );
  const sameName = fleet.accounts.filter((a) => a.object && a.name === parsed.name);
  const related = [
    ...(renamed?.object
      ? [
          {
            location: { uri: renamed.object.renamed!.at.uri, range: renamed.object.renamed!.at.range },
            message: `${renamed.object.renamed!.by} renames ServiceAccount '${parsed.name}' to '${renamed.name}' in \`${renamed.cluster.label}\``,
          },
        ]
      : []),
    ...sameName.slice(0, 3).map((a) => ({
      location: { uri: a.object!.source.uri, range: a.object!.source.range },
      message: `ServiceAccount ${a.namespace}/${a.name} in \`${a.cluster.label}\``,
    })),
  ];
  let hint = '';
  if (renamed)
    hint = ` kustomize renames ServiceAccount '${parsed.name}' to '${renamed.name}' (${renamed.object!.renamed!.by}), and the token carries the rendered name.`;
  else if (sameName.length > 0)
    hint = ` A ServiceAccount '${parsed.name}' exists in namespace ${joinAnd([...new Set(sameName.map((a) => `'${a.namespace}'`))])}.`;
  // Where the repository may not be the whole story, an information rather than a warning.
  const doubt = !fleet.namespaces.has(parsed.namespace)
    ? `nothing the repository applies is in namespace '${parsed.namespace}': it may be managed elsewhere`
    : fleet.incomplete
      ? 'some of what the clusters apply is not in the repository'
      : undefined;
  const fixed =
    renamed && renamed.namespace !== '*' ? serviceAccountSubject(renamed.namespace, renamed.name) : undefined;
  return [
    {
      code: 'flux-azure/fic-subject-no-service-account',
      span: subject,
      ...(doubt ? { severity: 3 as const } : {}),
      message:
        `No cluster of this repository has a ServiceAccount '${parsed.name}' in namespace '${parsed.namespace}' as Flux renders it` +
        `${doubt ? ` (${doubt}, so it may exist there)` : ''}; ` +
        `Entra matches the subject exactly (case-sensitively), so this credential is never used.${hint}`,
      related,
      fixes:
        fixed && text === subject.text
          ? [{ title: `Use ${fixed}`, edits: replaceScalar(doc, subject, fixed), preferred: true }]
          : [],
    },
  ];
}

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
