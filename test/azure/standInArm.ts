/**
 * The stand-in's Azure Resource Manager: the REST shapes of the public API specs for the calls the extension makes
 * (tenants, subscriptions, role assignments with `$filter` `assignedTo` / `atScope` / `principalId eq`, role
 * definitions, user-assigned identities, resources by type), paged with `nextLink`, answered from `world.ts`; with
 * ARM's refusals: 401 without a valid token, 401 InvalidAuthenticationTokenTenant (with `WWW-Authenticate`) for a
 * scope of another tenant, 403 on a forbidden subscription, 404, 400 for an unsupported filter.
 */
import { clusterJson, identityId, providerList, resourceGraph } from './standInGraph';
import type { Claims, Exchange } from './standInServer';
import {
  AKS_CLUSTERS,
  ASSIGNMENTS,
  CREDENTIALS,
  RESOURCE_PROPERTIES,
  GROUPS,
  IDENTITIES,
  RESOURCES,
  ROLE_DEFINITIONS,
  SUBSCRIPTIONS,
  TENANTS,
  principalOf,
  type Assignment,
} from './world';

/** ARM token audience of the stand-in's "private cloud". */
export const STAND_IN_AUDIENCE = 'https://management.contoso-private.test/';

const PAGE_SIZE = 3;

type Subscription = (typeof SUBSCRIPTIONS)[number];

/** Whether `principal` is `target` or a member of it, through nested groups. */
function isOrMemberOf(principal: string, target: string, seen = new Set<string>()): boolean {
  if (principal === target) return true;
  if (seen.has(target)) return false;
  seen.add(target);
  return (GROUPS[target] ?? []).some((member) => isOrMemberOf(principal, member, seen));
}

const lower = (s: string) => s.toLowerCase().replace(/\/+$/, '');

/** Scopes at and above `scope`: itself, its parent paths, its subscription's management groups, the root. */
function ancestry(scope: string): string[] {
  const s = lower(scope);
  const out = [s];
  const parts = s.split('/');
  for (let i = parts.length - 1; i > 1; i--) out.push(parts.slice(0, i).join('/'));
  const sub = /^\/subscriptions\/([^/]+)/.exec(s)?.[1];
  const record = SUBSCRIPTIONS.find((x) => x.id === sub);
  const mgName = /^\/providers\/microsoft\.management\/managementgroups\/([^/]+)$/.exec(s)?.[1];
  const mgs = record
    ? record.managementGroups
    : mgName
      ? SUBSCRIPTIONS.flatMap((x) => {
          const i = x.managementGroups.indexOf(mgName);
          return i >= 0 ? x.managementGroups.slice(i + 1) : [];
        })
      : [];
  for (const mg of mgs) out.push(`/providers/microsoft.management/managementgroups/${mg.toLowerCase()}`);
  out.push('');
  return out.filter(
    (x, i) =>
      out.indexOf(x) === i &&
      !(
        x === '/providers' ||
        x === '/providers/microsoft.management' ||
        x === '/providers/microsoft.management/managementgroups'
      ),
  );
}

function tenantOfScope(scope: string): string | undefined {
  const sub = /^\/subscriptions\/([^/]+)/i.exec(scope)?.[1];
  if (sub) return SUBSCRIPTIONS.find((s) => s.id === sub.toLowerCase())?.tenantId;
  const mg = /managementGroups\/([^/]+)/i.exec(scope)?.[1];
  if (mg)
    return (
      TENANTS.find((t) => t.tenantId === mg)?.tenantId ??
      SUBSCRIPTIONS.find((s) => s.managementGroups.includes(mg))?.tenantId
    );
  return undefined;
}

type Filter = { atScope: boolean; assignedTo?: string; principalId?: string };

function parseFilter(text: string | null): Filter | 'unsupported' {
  if (!text) return { atScope: false };
  const t = text.trim();
  let m = /^atScope\(\)\s+and\s+assignedTo\('([^']+)'\)$/i.exec(t);
  if (m) return { atScope: true, assignedTo: m[1]!.toLowerCase() };
  m = /^assignedTo\('([^']+)'\)$/i.exec(t);
  if (m) return { atScope: false, assignedTo: m[1]!.toLowerCase() };
  m = /^principalId\s+eq\s+'([^']+)'$/i.exec(t);
  if (m) return { atScope: false, principalId: m[1]!.toLowerCase() };
  if (/^atScope\(\)$/i.test(t)) return { atScope: true };
  return 'unsupported';
}

function assignmentJson(a: Assignment) {
  const sub = /^\/subscriptions\/([^/]+)/i.exec(a.scope)?.[1];
  const roleDefinitionId = sub
    ? `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/${a.role}`
    : `/providers/Microsoft.Authorization/roleDefinitions/${a.role}`;
  return {
    id: `${a.scope === '/' ? '' : a.scope}/providers/Microsoft.Authorization/roleAssignments/${a.name}`,
    name: a.name,
    type: 'Microsoft.Authorization/roleAssignments',
    properties: {
      scope: a.scope,
      roleDefinitionId,
      principalId: a.principalId,
      principalType: a.principalType,
      ...(a.condition ? { condition: a.condition, conditionVersion: '2.0' } : {}),
      createdOn: '2025-10-01T08:00:00Z',
      updatedOn: '2025-10-01T08:00:00Z',
    },
  };
}

/** A 200 with one page of `items` (`$skiptoken`); `nextLink` keeps the other query parameters. */
function page(ex: Exchange, items: unknown[]): number {
  const skip = Number(ex.url.searchParams.get('$skiptoken') ?? 0);
  const out: { value: unknown[]; nextLink?: string } = { value: items.slice(skip, skip + PAGE_SIZE) };
  if (skip + PAGE_SIZE < items.length) {
    const next = new URL(ex.url.toString());
    next.searchParams.set('$skiptoken', String(skip + PAGE_SIZE));
    out.nextLink = `${ex.base}${next.pathname}${next.search}`;
  }
  return ex.json(200, out);
}

/** The request's token claims, or ARM's refusal (the status sent) without a usable token or api-version. */
export function authenticateArm(ex: Exchange, arrivedAt: number): Claims | number {
  const claims = ex.claims();
  if (!claims)
    return ex.armError(401, 'AuthenticationFailed', 'Authentication failed. The Authorization header is missing.');
  if (lower(claims.aud) !== lower(STAND_IN_AUDIENCE))
    return ex.armError(401, 'InvalidAuthenticationToken', `The access token has an invalid audience '${claims.aud}'.`);
  if (claims.exp * 1000 < arrivedAt)
    return ex.armError(401, 'ExpiredAuthenticationToken', 'The access token expiry has passed.');
  if (!ex.url.searchParams.get('api-version'))
    return ex.armError(
      400,
      'MissingApiVersionParameter',
      'The api-version query parameter (?api-version=) is required for all requests.',
    );
  return claims;
}

function tenantJson(t: (typeof TENANTS)[number], homeTenant: string) {
  return {
    id: `/tenants/${t.tenantId}`,
    ...t,
    tenantCategory: t.tenantId === homeTenant ? 'Home' : 'ProjectedBy',
    tenantType: 'AAD',
  };
}

function subscriptionJson(s: Subscription) {
  return {
    id: `/subscriptions/${s.id}`,
    subscriptionId: s.id,
    displayName: s.name,
    state: 'Enabled',
    ...(s.hideTenant ? {} : { tenantId: s.tenantId }),
    subscriptionPolicies: {
      locationPlacementId: 'Public_2014-09-01',
      quotaId: 'EnterpriseAgreement_2014-09-01',
      spendingLimit: 'Off',
    },
    authorizationSource: 'RoleBased',
  };
}

/** Refuses a scope of another tenant than the token's, of an unknown or of a forbidden subscription. */
function refuseScope(ex: Exchange, claims: Claims, sub: Subscription | undefined): number | undefined {
  const scopeTenant = tenantOfScope(ex.path);
  if (scopeTenant && scopeTenant !== claims.tid)
    return ex.armError(
      401,
      'InvalidAuthenticationTokenTenant',
      `The access token is from the wrong issuer 'https://sts.contoso-private.test/${claims.tid}/'. It must match the tenant 'https://sts.contoso-private.test/${scopeTenant}/' associated with this subscription. Please use the authority (URL) 'https://login.contoso-private.test/${scopeTenant}' to get the token.`,
      {
        'www-authenticate': `Bearer authorization_uri="https://login.contoso-private.test/${scopeTenant}", error="invalid_token", error_description="The access token is from the wrong issuer."`,
      },
    );
  if (/^\/subscriptions\//i.test(ex.path) && !sub)
    return ex.armError(404, 'SubscriptionNotFound', `The subscription '${ex.path.split('/')[2]}' could not be found.`);
  if (sub?.forbidden)
    return ex.armError(
      403,
      'AuthorizationFailed',
      `The client '${claims.oid}' with object id '${claims.oid}' does not have authorization to perform action on scope '${ex.path}' or the scope is invalid.`,
    );
  return undefined;
}

function roleDefinition(ex: Exchange, prefix: string, id: string): number {
  const guid = id.toLowerCase();
  const name = ROLE_DEFINITIONS[guid];
  if (!name)
    return ex.armError(
      404,
      'RoleDefinitionDoesNotExist',
      `The specified role definition with ID '${guid}' does not exist.`,
    );
  return ex.json(200, {
    id: `${prefix}/providers/Microsoft.Authorization/roleDefinitions/${guid}`,
    name: guid,
    type: 'Microsoft.Authorization/roleDefinitions',
    properties: {
      roleName: name,
      type: 'BuiltInRole',
      description: name,
      assignableScopes: ['/'],
      permissions: [{ actions: [], notActions: [], dataActions: [], notDataActions: [] }],
    },
  });
}

function roleAssignments(ex: Exchange, claims: Claims, prefix: string): number {
  const scope = prefix || '/';
  const filter = parseFilter(ex.url.searchParams.get('$filter'));
  if (filter === 'unsupported') return ex.armError(400, 'UnsupportedQuery', 'The filter is not supported.');
  const tenant = tenantOfScope(scope) ?? claims.tid;
  const above = new Set(ancestry(scope));
  const s = lower(scope === '/' ? '' : scope);
  const related = ASSIGNMENTS.filter((a) => {
    if ((tenantOfScope(a.scope) ?? tenant) !== tenant) return false;
    const as = lower(a.scope === '/' ? '' : a.scope);
    if (above.has(as)) return true;
    return !filter.atScope && (as === s || as.startsWith(`${s}/`));
  });
  const matching = related.filter((a) => {
    if (filter.principalId) return lower(a.principalId) === filter.principalId;
    if (filter.assignedTo) return isOrMemberOf(filter.assignedTo, lower(a.principalId));
    return true;
  });
  return page(ex, matching.map(assignmentJson));
}

function identities(ex: Exchange, sub: Subscription): number {
  return page(
    ex,
    IDENTITIES.filter((i) => i.subscription === sub.id).map((i) => ({
      id: identityId(sub.id, i.name),
      name: i.name,
      type: 'Microsoft.ManagedIdentity/userAssignedIdentities',
      location: 'westeurope',
      tags: {},
      properties: { tenantId: sub.tenantId, principalId: principalOf(i.clientId), clientId: i.clientId },
    })),
  );
}

/** Resources of a subscription, filtered by type (and optionally name). */
function resources(ex: Exchange, sub: Subscription): number {
  const filter = ex.url.searchParams.get('$filter') ?? '';
  const type = /resourceType eq '([^']+)'/i.exec(filter)?.[1];
  const name = /name eq '([^']+)'/i.exec(filter)?.[1];
  if (filter && !type && !name)
    return ex.armError(400, 'InvalidFilterInQueryString', `Invalid $filter '${filter}' specified in the query string.`);
  const list = RESOURCES.filter((id) => lower(id).startsWith(`/subscriptions/${sub.id}/`))
    .map((id) => {
      const parts = id.split('/');
      return {
        id,
        name: parts[parts.length - 1]!,
        type: `${parts[parts.length - 3]}/${parts[parts.length - 2]}`,
        location: 'westeurope',
      };
    })
    .filter(
      (r) =>
        (!type || r.type.toLowerCase() === type.toLowerCase()) &&
        (!name || r.name.toLowerCase() === name.toLowerCase()),
    );
  return page(ex, list);
}

/** Federated identity credentials of an identity (Microsoft.ManagedIdentity 2024-11-30 shape). */
function federatedCredentials(ex: Exchange, identityId: string, name: string): number {
  const identity = IDENTITIES.find((i) => i.name.toLowerCase() === name.toLowerCase());
  if (!identity)
    return ex.armError(
      404,
      'ResourceNotFound',
      `The Resource 'Microsoft.ManagedIdentity/userAssignedIdentities/${name}' was not found.`,
    );
  return page(
    ex,
    CREDENTIALS.filter((c) => c.identity === identity.name).map((c) => ({
      id: `${identityId}/federatedIdentityCredentials/${c.name}`,
      name: c.name,
      type: 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials',
      properties: { issuer: c.issuer, subject: c.subject, audiences: c.audiences },
    })),
  );
}

/** GET of one resource by id: its ARM envelope and `properties` (RESOURCE_PROPERTIES). */
function resourceById(ex: Exchange, path: string): number {
  const cluster = AKS_CLUSTERS.find((c) => lower(c.id) === lower(path));
  if (cluster) return ex.json(200, clusterJson(cluster));
  const id = RESOURCES.find((r) => lower(r) === lower(path));
  if (!id) {
    const parts = path.split('/');
    return ex.armError(
      404,
      'ResourceNotFound',
      `The Resource '${parts.slice(-3).join('/')}' under resource group '${parts[4]}' was not found.`,
    );
  }
  const parts = id.split('/');
  return ex.json(200, {
    id,
    name: parts[parts.length - 1],
    type: `${parts[parts.length - 3]}/${parts[parts.length - 2]}`,
    location: 'westeurope',
    properties: RESOURCE_PROPERTIES[id] ?? {},
  });
}

/** Answers an authenticated ARM request (the status sent). */
export function answerArm(ex: Exchange, claims: Claims): number | Promise<number> {
  const path = ex.path;
  if (/^\/providers\/Microsoft\.ResourceGraph\/resources$/i.test(path) && ex.req.method === 'POST')
    return resourceGraph(ex, claims);
  if (path === '/tenants')
    return page(
      ex,
      TENANTS.map((t) => tenantJson(t, claims.tid)),
    );
  if (path === '/subscriptions')
    return page(ex, SUBSCRIPTIONS.filter((s) => s.listedBy.includes(claims.tid)).map(subscriptionJson));

  // Everything else is scoped: the scope's tenant must be the token's.
  const sub = SUBSCRIPTIONS.find((s) => s.id === /^\/subscriptions\/([^/]+)/i.exec(path)?.[1]?.toLowerCase());
  const refused = refuseScope(ex, claims, sub);
  if (refused !== undefined) return refused;
  let m = /^(.*)\/providers\/Microsoft\.Authorization\/roleDefinitions\/([^/]+)$/i.exec(path);
  if (m) return roleDefinition(ex, m[1]!, m[2]!);
  // Role assignments at a scope (the subscription one is the same route).
  m = /^(.*)\/providers\/Microsoft\.Authorization\/roleAssignments$/i.exec(path);
  if (m) return roleAssignments(ex, claims, m[1]!);
  if (sub && /^\/subscriptions\/[^/]+\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities$/i.test(path))
    return identities(ex, sub);
  if (sub && /^\/subscriptions\/[^/]+\/resources$/i.test(path)) return resources(ex, sub);
  m =
    /^(\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities\/([^/]+))\/federatedIdentityCredentials$/i.exec(
      path,
    );
  if (sub && m) return federatedCredentials(ex, m[1]!, m[2]!);
  if (sub && /^\/subscriptions\/[^/]+\/providers\/Microsoft\.ContainerService\/managedClusters$/i.test(path))
    return page(ex, AKS_CLUSTERS.filter((c) => lower(c.id).startsWith(`/subscriptions/${sub.id}/`)).map(clusterJson));
  m = /^\/subscriptions\/[^/]+\/providers\/([^/]+\/[^/]+)$/i.exec(path);
  if (sub && m) return providerList(ex, sub, m[1]!, page);
  if (sub && /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/[^/]+\/[^/]+\/[^/]+$/i.test(path))
    return resourceById(ex, path);
  return ex.armError(404, 'NotFound', `No stand-in route for ${ex.req.method} ${path}.`);
}
