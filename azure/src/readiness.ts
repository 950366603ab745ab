/**
 * Readiness decisions: given an integration (from the server) and what ARM said about its identity, resource and
 * role assignments, is the identity able to do its job? Pure: no SDK, no vscode; unit-tested on its own.
 */
import type { AzureIntegration } from '../../shared/src/protocol';
import { assignmentCoversTarget } from '../../shared/src/armScope';
import type { AssignmentView, FederationDifference, FederationView, ReadinessView } from './model';

/** Either a value or why it could not be had. */
export type Lookup<T> = { value: T; note?: string } | { error: string };

export interface ReadinessFacts {
  /** Principal (object) id of the identity's client id; `undefined` value = not found. */
  principal?: Lookup<string | undefined>;
  /** ARM id of the resource the integration points at; `undefined` value = not found. */
  resourceId?: Lookup<string | undefined>;
  /** Assignments ARM returned for `atScope() and assignedTo(principal)` at the target scope. */
  assignments?: Lookup<AssignmentView[]>;
  /** `properties` of the resource itself (vault permission model, registry mode, local auth); read when it matters. */
  properties?: Lookup<ResourceProperties | undefined>;
  tenantId?: string;
  /** Microsoft Graph was asked about app registrations (no `az ad sp show` advice then). */
  graphAsked?: boolean;
  /** What Azure DevOps said (Azure DevOps integrations). */
  devOps?: DevOpsFacts;
}

/** What the Azure DevOps organization says about an identity. */
export interface DevOpsFacts {
  /** Whether its service principals and groups could be read. */
  organization: Lookup<undefined>;
  /** The identity's service principal in the organization; undefined value = not a member. */
  member?: Lookup<{ descriptor: string; displayName: string } | undefined>;
  /** The groups it is in, directly or through other groups (`[project]\group`). */
  groups?: Lookup<string[]>;
  /** Descriptor of the project group it needs (for the fix command). */
  groupDescriptor?: string;
  /** Its Entra object id, where ARM knew it. */
  principalId?: string;
}

/** The parts of a resource's ARM `properties` the decisions read (REST shapes of the public specs). */
export interface ResourceProperties {
  /** Microsoft.KeyVault/vaults */
  enableRbacAuthorization?: boolean;
  accessPolicies?: { tenantId?: string; objectId?: string; permissions?: { keys?: string[] } }[];
  /** Microsoft.ContainerRegistry/registries: `LegacyRegistryPermissions` | `AbacRepositoryPermissions`. */
  roleAssignmentMode?: string;
  /** Microsoft.Storage/storageAccounts (absent = allowed). */
  allowSharedKeyAccess?: boolean | null;
  /** Microsoft.EventHub/namespaces */
  disableLocalAuth?: boolean;
}

/** Resource group and name of an ARM id. */
function rgAndName(id: string): { group: string; name: string } {
  const parts = id.split('/');
  const at = parts.findIndex((p) => p.toLowerCase() === 'resourcegroups');
  return { group: at >= 0 ? (parts[at + 1] ?? '') : '', name: parts[parts.length - 1] ?? '' };
}

/** A static credential (account key, SAS connection string) against the resource's local-auth switch. */
function decideLocalAuth(
  integration: AzureIntegration,
  facts: ReadinessFacts,
  base: Partial<ReadinessView>,
): ReadinessView {
  const need = integration.need as Extract<AzureIntegration['need'], { kind: 'localAuth' }>;
  const unknown = (summary: string): ReadinessView => ({ key: integration.key, ...base, state: 'unknown', summary });
  if (!integration.resource) return unknown('The Azure resource is not known from the manifests.');
  const what = `${integration.resource.armType} '${integration.resource.name}'`;
  const resource = facts.resourceId;
  if (!resource) return unknown(`${what} was not looked up.`);
  if ('error' in resource) return unknown(`Cannot look up ${what}: ${resource.error}`);
  if (!resource.value)
    return unknown(
      `${what} was not found in the subscriptions you can read${resource.note ? ` (${resource.note})` : ''}.`,
    );
  const targetScope = resource.value;
  const props = facts.properties;
  if (!props) return unknown(`The settings of ${what} were not read.`);
  if ('error' in props) return { ...unknown(`Cannot read the settings of ${what}: ${props.error}`), targetScope };
  const { group, name } = rgAndName(targetScope);
  if (need.check === 'storageSharedKey') {
    if (props.value?.allowSharedKeyAccess === false)
      return {
        key: integration.key,
        ...base,
        state: 'missing',
        summary: `Storage account ${name} disallows shared-key access (allowSharedKeyAccess: false): the account key in Secret ${need.secret.replace(/^\//, '')} is refused. Use workload identity (provider azure with a ServiceAccount), or allow shared keys.`,
        targetScope,
        mode: 'Shared-key access disabled',
        fixCommand: `az storage account update --name ${name} --resource-group ${group} --allow-shared-key-access true`,
      };
    return {
      key: integration.key,
      ...base,
      state: 'ok',
      summary: `Storage account ${name} allows shared-key access (the Bucket uses an account key)`,
      targetScope,
      mode: 'Shared-key access allowed',
    };
  }
  if (props.value?.disableLocalAuth === true)
    return {
      key: integration.key,
      ...base,
      state: 'missing',
      summary: `Event Hubs namespace ${name} has local (SAS) authentication disabled (disableLocalAuth: true): the connection string in Secret ${need.secret.replace(/^\//, '')} is refused. Use workload identity (serviceAccountName), or enable local auth.`,
      targetScope,
      mode: 'Local authentication disabled',
      fixCommand: `az eventhubs namespace update --name ${name} --resource-group ${group} --disable-local-auth false`,
    };
  return {
    key: integration.key,
    ...base,
    state: 'ok',
    summary: `Event Hubs namespace ${name} accepts SAS connection strings (local authentication enabled)`,
    targetScope,
    mode: 'Local authentication enabled',
  };
}

/** Key permissions of a principal's access policies on a vault (lower case; `all` stands for every one). */
function policyKeys(props: ResourceProperties, principalId: string): Set<string> {
  const out = new Set<string>();
  for (const p of props.accessPolicies ?? [])
    if ((p.objectId ?? '').toLowerCase() === principalId.toLowerCase())
      for (const k of p.permissions?.keys ?? []) out.add(k.toLowerCase());
  return out;
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

/** Membership of the identity's service principal in the organization and the project group its integration needs. */
function decideDevOps(
  integration: AzureIntegration,
  facts: DevOpsFacts,
  base: Pick<ReadinessView, 'key' | 'tenantId'>,
): ReadinessView {
  const need = integration.need as Extract<AzureIntegration['need'], { kind: 'adoGroup' }>;
  const org = need.organization ?? '';
  const project = need.project ?? '';
  const who = `${integration.identity?.label ?? 'The identity'} (client id ${integration.identity?.clientId ?? '?'})`;
  const principal = facts.principalId ? { principalId: facts.principalId } : {};
  const unknown = (summary: string): ReadinessView => ({ ...base, state: 'unknown', summary, ...principal });
  const groupName = `[${project}]\\${need.group}`;
  if ('error' in facts.organization)
    return unknown(
      `Cannot read Azure DevOps organization ${org}: ${facts.organization.error}. The identity must be a member of it and of the '${need.group}' group of project ${project}.`,
    );
  const member = facts.member;
  if (!member || 'error' in member)
    return unknown(`Cannot read the members of Azure DevOps organization ${org}${member ? `: ${member.error}` : ''}.`);
  if (!member.value)
    return {
      ...base,
      state: 'missing',
      summary: `${who} is not a member of Azure DevOps organization ${org}: add its service principal to the organization (Organization settings → Users), then to ${groupName}.`,
      ...principal,
    };
  const groups = facts.groups;
  if (!groups || 'error' in groups)
    return unknown(
      `Cannot read the groups of ${member.value.displayName} in ${org}${groups ? `: ${groups.error}` : ''}.`,
    );
  const inProject = groups.value.filter((g) => g.toLowerCase().startsWith(`[${project.toLowerCase()}]\\`));
  const granting = [need.group, ...(need.alsoGranting ?? [])].map((g) => `[${project}]\\${g}`.toLowerCase());
  const held = inProject.find((g) => granting.includes(g.toLowerCase()));
  if (held)
    return {
      ...base,
      state: 'ok',
      summary: `${member.value.displayName} is a member of ${held} in organization ${org}${held.toLowerCase() === groupName.toLowerCase() ? '' : ` (which has what ${need.group} has)`}`,
      ...principal,
    };
  return {
    ...base,
    state: 'missing',
    summary: `${member.value.displayName} is not in ${groupName} of organization ${org}${inProject.length ? ` (member of ${inProject.join(', ')})` : ' (in no group of the project)'}.`,
    ...principal,
    ...(facts.groupDescriptor
      ? {
          fixCommand: `az devops security group membership add --group-id ${facts.groupDescriptor} --member-id ${member.value.descriptor} --org https://dev.azure.com/${org}`,
        }
      : {}),
  };
}

export function decideReadiness(integration: AzureIntegration, facts: ReadinessFacts): ReadinessView {
  const view = decide(integration, facts);
  // How the principal was found, when not as a managed identity (an app registration's service principal).
  const p = facts.principal;
  return view.principalId && p && 'value' in p && p.value && p.note ? { ...view, principalFrom: p.note } : view;
}

function decide(integration: AzureIntegration, facts: ReadinessFacts): ReadinessView {
  const base = { key: integration.key, ...(facts.tenantId ? { tenantId: facts.tenantId } : {}) };
  const unknown = (summary: string, extra: Partial<ReadinessView> = {}): ReadinessView => ({
    ...base,
    state: 'unknown',
    summary,
    ...extra,
  });
  const ado = adoAdvice(integration);
  if (integration.unknown) return { ...unknown(integration.unknown), notChecked: true };
  if (ado && facts.devOps) return decideDevOps(integration, facts.devOps, base);
  if (ado) return { ...unknown(ado), notChecked: true };
  if (integration.need.kind === 'localAuth') return decideLocalAuth(integration, facts, base);
  if (integration.need.kind !== 'azureRole') return unknown('Nothing to check.');
  if (!integration.identity?.clientId) return unknown('The identity is not known from the manifests.');
  if (!integration.resource) return unknown('The Azure resource is not known from the manifests.');
  const clientId = integration.identity.clientId;

  const principal = facts.principal;
  if (!principal) return unknown('The identity was not looked up.');
  if ('error' in principal) return unknown(`Cannot resolve client id ${clientId}: ${principal.error}`);
  if (!principal.value)
    return unknown(
      `Client id ${clientId} is ${facts.graphAsked ? 'neither' : 'not'} a user-assigned managed identity in the subscriptions you can read` +
        `${principal.note ? ` (${principal.note})` : ''}` +
        (facts.graphAsked
          ? ` nor an app registration's service principal in the tenant's directory (Microsoft Graph).`
          : `. For an app registration, find its principal id with: az ad sp show --id ${clientId} --query id -o tsv`),
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
  const need = integration.need;
  const props = facts.properties && 'value' in facts.properties ? facts.properties.value : undefined;
  const propsNote =
    facts.properties && 'error' in facts.properties
      ? ` (could not read the resource's permission model: ${facts.properties.error})`
      : '';

  // A vault on access policies ignores role assignments: its access policies decide.
  if (need.accessPolicyKeys && props?.enableRbacAuthorization === false) {
    const held = policyKeys(props, principalId);
    const missing = need.accessPolicyKeys.required.filter((k) => !held.has(k) && !held.has('all'));
    const { name } = rgAndName(resource.value);
    const mode = 'Access policies (not Azure RBAC)';
    if (missing.length === 0)
      return {
        ...base,
        state: 'ok',
        summary: `Access policy grants key ${need.accessPolicyKeys.required.join(', ')} (vault ${name} uses access policies, not Azure RBAC)`,
        principalId,
        targetScope,
        mode,
      };
    const roles = assignments0(facts);
    const ignored = roles.length ? ` (${[...new Set(roles.map((a) => a.roleName))].join(', ')} do nothing there)` : '';
    return {
      ...base,
      state: 'missing',
      summary: `Vault ${name} uses access policies, not Azure RBAC${ignored}: no access policy grants the identity key ${missing.join(', ')}${held.size ? ` (it has ${[...held].join(', ')})` : ''}`,
      principalId,
      targetScope,
      mode,
      fixCommand: `az keyvault set-policy --name ${name} --object-id ${principalId} --key-permissions ${need.accessPolicyKeys.grant.join(' ')}`,
    };
  }
  const abac = !!need.abacRoles && props?.roleAssignmentMode === 'AbacRepositoryPermissions';

  const assignments = facts.assignments;
  if (!assignments) return unknown('Role assignments were not read.', { principalId, targetScope });
  if ('error' in assignments)
    return unknown(`Cannot read role assignments on ${targetScope}: ${assignments.error}`, {
      principalId,
      targetScope,
    });

  const roles = abac ? need.abacRoles! : need.roles;
  const mode = abac
    ? 'ABAC repository permissions'
    : need.abacRoles && props?.roleAssignmentMode
      ? 'RBAC registry permissions'
      : need.accessPolicyKeys && props?.enableRbacAuthorization
        ? 'Azure RBAC'
        : undefined;
  const modeField = mode ? { mode } : {};
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
    const condition = `${best.condition ? ' (with a condition that may narrow it)' : ''}${propsNote}`;
    return {
      ...base,
      state: 'ok',
      summary: `${best.roleName} ${via}${condition}`,
      principalId,
      targetScope,
      covering: best,
      ...(insufficient.length ? { insufficient } : {}),
      ...modeField,
    };
  }
  const role = roles[0]!;
  const held = insufficient.length
    ? ` (holds ${[...new Set(insufficient.map((a) => a.roleName))].join(', ')}, which ${abac ? 'registries in ABAC repository-permissions mode ignore' : 'do not grant it'})`
    : '';
  return {
    ...base,
    state: 'missing',
    summary: `${abac ? 'Registry uses ABAC repository permissions: ' : ''}Missing ${role.name} on ${integration.resource.display}${held}${propsNote}`,
    principalId,
    targetScope,
    ...(insufficient.length ? { insufficient } : {}),
    ...modeField,
    grant: { scope: targetScope, roleGuid: role.guid, roleName: role.name, principalId },
  };
}

function assignments0(facts: ReadinessFacts): AssignmentView[] {
  return facts.assignments && 'value' in facts.assignments ? facts.assignments.value : [];
}

/** A federated identity credential as ARM lists it (`properties` flattened). */
export interface CredentialView {
  name: string;
  issuer: string;
  subject: string;
  audiences: string[];
}

/** The AKS cluster the token comes from, as ARM describes it. */
export interface ClusterFacts {
  id: string;
  name: string;
  /** `oidcIssuerProfile.issuerURL` */
  issuerUrl?: string;
  /** `oidcIssuerProfile.enabled` */
  oidcEnabled?: boolean;
  /** `securityProfile.workloadIdentity.enabled` */
  workloadIdentity?: boolean;
  /** Where the mapping came from (`.flux-azure.yaml`, the setting, or found automatically). */
  from: string;
}

export interface FederationFacts {
  key: string;
  cluster: string;
  clientId: string;
  identityLabel: string;
  subject: string;
  /** Namespace of the ServiceAccount (for the ASO manifest). */
  namespace: string;
  serviceAccountName: string;
  audience: string;
  viaWebhook: boolean;
  identity: Lookup<{ id: string; name: string; tenantId: string } | undefined>;
  /** The identity is an app registration (Microsoft Graph), not a user-assigned managed identity. */
  application?: { appId: string };
  /** Microsoft Graph was asked about app registrations. */
  graphAsked?: boolean;
  credentials?: Lookup<CredentialView[]>;
  /** The cluster (configured or found), `undefined` value = not known. */
  aks?: Lookup<ClusterFacts | undefined>;
}

/** Differences between a credential and what the token carries, with case-only differences marked. */
function differencesOf(
  c: CredentialView,
  issuer: string | undefined,
  subject: string,
  audience: string,
): FederationDifference[] {
  const out: FederationDifference[] = [];
  const diff = (part: FederationDifference['part'], expected: string, actual: string) =>
    out.push({
      part,
      credential: c.name,
      expected,
      actual,
      ...(expected.toLowerCase() === actual.toLowerCase() ? { caseOnly: true } : {}),
    });
  if (issuer !== undefined && c.issuer !== issuer) diff('issuer', issuer, c.issuer);
  if (c.subject !== subject) diff('subject', subject, c.subject);
  if (!c.audiences.includes(audience)) diff('audience', audience, c.audiences.join(', ') || '(none)');
  return out;
}

function describeDifference(d: FederationDifference): string {
  const caseNote = d.caseOnly ? ' — only upper/lower case differs, and Entra compares case-sensitively' : '';
  return `${d.part} differs: credential '${d.credential}' has '${d.actual}', the token carries '${d.expected}'${caseNote}`;
}

/**
 * Short name of a cluster label for credential names (`clusters/production` -> `production`, `(no cluster)` ->
 * `no-cluster`): letters, digits, `-` and `_`, as credential names allow.
 */
function clusterShort(label: string): string {
  return (label.split('/').pop() ?? '').replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'cluster';
}

/**
 * Does the identity trust the ServiceAccount's token from the cluster? Exact comparison of issuer, subject and
 * audience (Entra matches case-sensitively). Pure.
 */
export function decideFederation(f: FederationFacts): FederationView {
  const base = {
    key: f.key,
    cluster: f.cluster,
    clientId: f.clientId,
    identityLabel: f.identityLabel,
    subject: f.subject,
  };
  const unknown = (summary: string, extra: Partial<FederationView> = {}): FederationView => ({
    ...base,
    state: 'unknown',
    summary,
    ...extra,
  });
  if ('error' in f.identity) return unknown(`Cannot resolve client id ${f.clientId}: ${f.identity.error}`);
  if (!f.identity.value)
    return unknown(
      `Client id ${f.clientId} is ${f.graphAsked ? 'neither' : 'not'} a user-assigned managed identity in the subscriptions you can read${f.identity.note ? ` (${f.identity.note})` : ''}${f.graphAsked ? " nor an app registration in the tenant's directory (Microsoft Graph)." : '; federated credentials of app registrations are not checked (no Microsoft Graph endpoint).'}`,
    );
  const identity = f.identity.value;
  const who = { identityId: identity.id, identityName: identity.name, tenantId: identity.tenantId };
  if (!f.credentials) return unknown('Federated credentials were not read.', who);
  if ('error' in f.credentials)
    return unknown(`Cannot read the federated credentials of ${identity.name}: ${f.credentials.error}`, who);
  const credentials = f.credentials.value;

  let aks: ClusterFacts | undefined;
  if (f.aks && 'error' in f.aks) return unknown(`Cannot read the AKS cluster of ${f.cluster}: ${f.aks.error}`, who);
  if (f.aks && 'value' in f.aks) aks = f.aks.value;
  const issuer = aks?.issuerUrl;
  // Every verdict from here on names the identity, the AKS cluster and its issuer when known.
  const row = (
    state: FederationView['state'],
    summary: string,
    extra: Partial<FederationView> = {},
  ): FederationView => ({
    ...base,
    ...who,
    ...(aks ? { aksClusterId: aks.id, clusterFrom: aks.from } : {}),
    ...(issuer ? { issuer } : {}),
    state,
    summary,
    ...extra,
  });
  const { group, name: clusterName } = aks ? rgAndName(aks.id) : { group: '', name: '' };
  if (aks && (aks.oidcEnabled === false || !aks.issuerUrl))
    return row(
      'missing',
      `AKS cluster ${aks.name} has no OIDC issuer (oidcIssuerProfile.enabled is ${aks.oidcEnabled === false ? 'false' : 'not set'}): Entra cannot verify its ServiceAccount tokens.`,
      {
        fixCommand: `az aks update --resource-group ${group} --name ${clusterName} --enable-oidc-issuer --enable-workload-identity`,
      },
    );
  if (aks && aks.workloadIdentity === false && f.viaWebhook)
    return row(
      'missing',
      `AKS cluster ${aks.name} has workload identity disabled (securityProfile.workloadIdentity.enabled is false): the webhook does not inject ${f.identityLabel}'s client id and token.`,
      { fixCommand: `az aks update --resource-group ${group} --name ${clusterName} --enable-workload-identity` },
    );
  const credentialName = `${f.serviceAccountName}-${clusterShort(f.cluster)}`;
  // A managed identity's credential: the server writes the az command and the ASO manifest; an app registration's:
  // `az ad app federated-credential create` (ASO has no resource for it).
  const fix = !issuer
    ? {}
    : f.application
      ? {
          fixCommand: `az ad app federated-credential create --id ${f.application.appId} --parameters '${JSON.stringify({ name: credentialName, issuer, subject: f.subject, audiences: [f.audience] })}'`,
        }
      : {
          fix: { identityId: identity.id, name: credentialName, issuer, subject: f.subject, namespace: f.namespace },
        };
  const from = aks?.from.startsWith('found automatically') ? ', found automatically' : '';
  const why = f.aks && 'value' in f.aks && f.aks.note ? ` (${f.aks.note})` : '';
  const ranked = credentials
    .map((c) => ({ c, d: differencesOf(c, issuer, f.subject, f.audience) }))
    .sort(
      (a, b) =>
        a.d.length - b.d.length ||
        Number(a.d.some((x) => x.part === 'subject' && !x.caseOnly)) -
          Number(b.d.some((x) => x.part === 'subject' && !x.caseOnly)),
    );
  const exact = ranked.find((r) => r.d.length === 0);
  if (exact && issuer)
    return row(
      'ok',
      `Federated credential '${exact.c.name}' matches (issuer of AKS cluster ${aks!.name}${from}; subject; audience)`,
      { credential: exact.c.name },
    );
  if (exact)
    return unknown(
      `Federated credential '${exact.c.name}' names the subject and audience, but the OIDC issuer of ${f.cluster} is not known${why}: set aksClusterId for it in .flux-azure.yaml (or the setting fluxAzure.azure.aksClusters, or flux-azure-check --aks-cluster).`,
      { ...who, credential: exact.c.name },
    );
  if (credentials.length === 0)
    return row(
      'missing',
      `Identity ${identity.name} has no federated identity credentials: nothing trusts ${f.subject}${issuer ? '' : ` (the issuer of ${f.cluster} is not known either)`}`,
      fix,
    );
  const best = ranked[0]!;
  // A credential that differs in only one part is the one meant; otherwise none names this token.
  const differences = best.d.length === 1 ? best.d : ranked.flatMap((r) => r.d.filter((x) => x.caseOnly)).slice(0, 1);
  const summary =
    differences.length > 0
      ? `${differences.map(describeDifference).join('; ')}`
      : `No federated credential of ${identity.name} names ${f.subject}${issuer ? ` with issuer ${issuer}` : ''} (${credentials.map((c) => `'${c.name}'`).join(', ')} do not)`;
  return row('missing', issuer ? summary : `${summary} (the issuer of ${f.cluster} is not known${why})`, {
    differences: differences.length ? differences : best.d,
    ...fix,
  });
}
