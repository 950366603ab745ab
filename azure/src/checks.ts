/**
 * Flux readiness: for each integration the server found, resolve the identity's client id to a principal id
 * (user-assigned identities of the tenant's subscriptions), find the resource's ARM id (resources listed by type),
 * and read the principal's assignments at the resource (`atScope() and assignedTo(...)`, which includes groups and
 * management-group inheritance). The decision itself is `decideReadiness`.
 */
import type { AzureIntegration, WorkspaceClusterInfo } from '../../shared/src/protocol';
import { scopeForSdk, subscriptionOf } from '../../shared/src/armScope';
import { toView, type Directory, type LoadContext, type TenantRef } from './access';
import { describeError, isAbort } from './errors';
import { mapLimit } from './limit';
import type { AssignmentView, FederationView, ReadinessModel, ReadinessView } from './model';
import {
  decideFederation,
  decideReadiness,
  targetScopeOf,
  type ClusterFacts,
  type CredentialView,
  type FederationFacts,
  type Lookup,
  type ReadinessFacts,
  type ResourceProperties,
} from './readiness';

/** api-version of the generic resources list (Microsoft.Resources). */
const RESOURCES_API_VERSION = '2021-04-01';

/**
 * api-versions of the single-resource GETs (stable versions of the public REST API specs) by resource type, lower
 * case. Each answers the property the checks read: `enableRbacAuthorization` / `accessPolicies` (vaults),
 * `roleAssignmentMode` (registries), `allowSharedKeyAccess` (storage), `disableLocalAuth` (Event Hubs),
 * `oidcIssuerProfile` / `securityProfile.workloadIdentity` (AKS).
 */
const RESOURCE_API_VERSIONS: Readonly<Record<string, string>> = {
  'microsoft.keyvault/vaults': '2024-11-01',
  'microsoft.containerregistry/registries': '2025-11-01',
  'microsoft.storage/storageaccounts': '2024-01-01',
  'microsoft.eventhub/namespaces': '2024-01-01',
  'microsoft.containerservice/managedclusters': '2024-10-01',
};
const AKS_TYPE = 'Microsoft.ContainerService/managedClusters';

function needsArm(i: AzureIntegration): boolean {
  if (i.unknown || !i.resource) return false;
  if (i.need.kind === 'localAuth') return true;
  return i.need.kind === 'azureRole' && !!i.identity?.clientId;
}

/** Whether the resource's own settings decide part of the answer (vault model, registry mode, local auth). */
function needsProperties(i: AzureIntegration): boolean {
  if (i.need.kind === 'localAuth') return true;
  return i.need.kind === 'azureRole' && (!!i.need.abacRoles || !!i.need.accessPolicyKeys);
}

export async function checkReadiness(
  ctx: LoadContext,
  directory: Directory,
  integrations: readonly AzureIntegration[],
  signal: AbortSignal,
  clusters: readonly ClusterMapping[] = [],
  audience = 'api://AzureADTokenExchange',
): Promise<ReadinessModel> {
  const before = ctx.requests;
  const results = new Map<string, ReadinessView>();
  const pending = integrations.filter(needsArm);
  for (const i of integrations) if (!needsArm(i)) results.set(i.key, decideReadiness(i, {}));

  // Group by the identity's tenant (the annotation / env var); without one, every tenant is searched.
  const groups = new Map<string, AzureIntegration[]>();
  for (const i of pending) {
    const tenant = i.identity?.tenantId?.toLowerCase() ?? '*';
    groups.set(tenant, [...(groups.get(tenant) ?? []), i]);
  }
  const cache: RunCache = {
    identities: new Map(),
    resources: new Map(),
    properties: new Map(),
    credentials: new Map(),
    clusters: new Map(),
  };
  for (const [tenant, list] of groups) {
    const tenants =
      tenant === '*' ? directory.tenants : directory.tenants.filter((t) => t.tenantId.toLowerCase() === tenant);
    if (tenants.length === 0) {
      for (const i of list)
        results.set(
          i.key,
          decideReadiness(i, {
            principal: { error: `tenant ${tenant} is not among the tenants your account can read` },
          }),
        );
      continue;
    }
    for (const view of await checkInTenants(ctx, cache, tenants, list, signal)) results.set(view.key, view);
  }
  const federation = await checkFederation(ctx, cache, directory, integrations, clusters, audience, signal);
  return {
    results: integrations.map((i) => results.get(i.key)!).filter(Boolean),
    federation,
    requests: ctx.requests - before,
  };
}

/** A cluster directory and the AKS cluster it is (from `.flux-azure.yaml` or the setting). */
export interface ClusterMapping extends WorkspaceClusterInfo {
  /** `.flux-azure.yaml` or `setting`. */
  from?: string;
}

function unsearched(failures: readonly string[]): string {
  const names = [...new Set(failures)];
  return `could not search ${names.length === 1 ? 'subscription' : 'subscriptions'} ${names.join(', ')}`;
}

/** What one readiness run read per subscription, shared by the tenant groups of that run. */
interface RunCache {
  identities: Map<string, Promise<Map<string, IdentityRecord>>>;
  resources: Map<string, Promise<Map<string, string>>>;
  /** Resource id (lower case) -> its `properties`. */
  properties: Map<string, Promise<ResourceProperties | undefined>>;
  /** Identity id (lower case) -> its federated credentials. */
  credentials: Map<string, Promise<CredentialView[]>>;
  /** Subscription -> its AKS clusters (for finding a cluster automatically). */
  clusters: Map<string, Promise<ClusterFacts[]>>;
}

/** A user-assigned identity as listed. */
interface IdentityRecord {
  principalId: string;
  id: string;
  name: string;
  tenantId: string;
}

type Sub = TenantRef['subscriptions'][number];

/** A failure that means "this subscription is not in the token's tenant" (a delegated one): not an error here. */
function wrongTenant(err: unknown): boolean {
  return describeError(err).kind === 'wrongTenant';
}

function identitiesOf(
  ctx: LoadContext,
  cache: RunCache,
  s: Sub,
  signal: AbortSignal,
): Promise<Map<string, IdentityRecord>> {
  let found = cache.identities.get(s.subscriptionId);
  if (!found) {
    found = ctx.limiter.run(async () => {
      const out = new Map<string, IdentityRecord>();
      const pages = ctx.clients(s.tenantId).identities(s.subscriptionId).userAssignedIdentities.listBySubscription({
        abortSignal: signal,
      });
      for await (const identity of pages)
        if (identity.clientId && identity.principalId && identity.id)
          out.set(identity.clientId.toLowerCase(), {
            principalId: identity.principalId,
            id: identity.id,
            name: identity.name ?? identity.id.split('/').pop() ?? '',
            tenantId: s.tenantId,
          });
      return out;
    });
    cache.identities.set(s.subscriptionId, found);
  }
  return found;
}

function resourcesOf(
  ctx: LoadContext,
  cache: RunCache,
  s: Sub,
  type: string,
  signal: AbortSignal,
): Promise<Map<string, string>> {
  const key = `${s.subscriptionId}|${type.toLowerCase()}`;
  let found = cache.resources.get(key);
  if (!found) {
    const filter = encodeURIComponent(`resourceType eq '${type}'`);
    found = ctx.limiter
      .run(() =>
        ctx
          .clients(s.tenantId)
          .listAll<{ id?: string; name?: string }>(
            `/subscriptions/${s.subscriptionId}/resources?$filter=${filter}&api-version=${RESOURCES_API_VERSION}`,
            signal,
          ),
      )
      .then((list) => new Map(list.filter((r) => r.id && r.name).map((r) => [r.name!.toLowerCase(), r.id!])));
    cache.resources.set(key, found);
  }
  return found;
}

/**
 * Runs `read` on every item at once (the shared limiter bounds the ARM calls) and returns the subscriptions that
 * could not be searched. A subscription of another tenant (a delegated one) is skipped, not a failure.
 */
async function searchSubscriptions<T extends { s: Sub }>(
  items: readonly T[],
  read: (item: T) => Promise<void>,
  signal: AbortSignal,
): Promise<string[]> {
  const failures: string[] = [];
  await mapLimit(
    items,
    items.length || 1,
    async (item) => {
      try {
        await read(item);
      } catch (err) {
        if (isAbort(err)) throw err;
        if (!wrongTenant(err)) failures.push(`${item.s.displayName} (${describeError(err).kind})`);
      }
    },
    signal,
  );
  return failures;
}

/** The answer of a lookup that found nothing: with a note when some subscriptions could not be searched. */
function notFound(failures: readonly string[]): Lookup<undefined> {
  return failures.length > 0 ? { value: undefined, note: unsearched(failures) } : { value: undefined };
}

/** 1. client id -> user-assigned identity (principal id, ARM id), from the identities of every subscription. */
async function identityLookup(
  ctx: LoadContext,
  cache: RunCache,
  tenants: readonly TenantRef[],
  signal: AbortSignal,
): Promise<(clientId: string) => Lookup<IdentityRecord | undefined>> {
  const subs = tenants.flatMap((t) => t.subscriptions);
  const principals = new Map<string, IdentityRecord>();
  const failures = await searchSubscriptions(
    subs.map((s) => ({ s })),
    async ({ s }) => {
      for (const [clientId, record] of await identitiesOf(ctx, cache, s, signal)) principals.set(clientId, record);
    },
    signal,
  );
  return (clientId) => {
    const found = principals.get(clientId.toLowerCase());
    if (found) return { value: found };
    if (subs.length === 0)
      return { error: tenants.find((t) => t.error)?.error?.message ?? 'no subscriptions to search' };
    return notFound(failures);
  };
}

/** 2. The resources, listed per (subscription, type) and matched by name. */
async function resourceLookup(
  ctx: LoadContext,
  cache: RunCache,
  subs: readonly Sub[],
  integrations: readonly AzureIntegration[],
  signal: AbortSignal,
): Promise<(i: AzureIntegration) => Lookup<string | undefined>> {
  const types = [...new Set(integrations.map((i) => i.resource!.armType))];
  const resourceIds = new Map<string, string>(); // `${type}/${name}` lower -> id
  const failures = await searchSubscriptions(
    subs.flatMap((s) => types.map((type) => ({ s, type }))),
    async ({ s, type }) => {
      for (const [name, id] of await resourcesOf(ctx, cache, s, type, signal))
        resourceIds.set(`${type}/${name}`.toLowerCase(), id);
    },
    signal,
  );
  return (i) => {
    const id = resourceIds.get(`${i.resource!.armType}/${i.resource!.name}`.toLowerCase());
    return id ? { value: id } : notFound(failures);
  };
}

/** A principal's assignments to read at a target scope, keyed `scope|principal` (lower-case scope). */
interface AssignmentCheck {
  scope: string;
  principalId: string;
  tenantId: string;
}

function checkKey(scope: string, principalId: string): string {
  return `${scope.toLowerCase()}|${principalId}`;
}

/** 3. Assignments of each principal at each target scope, once per pair. */
async function readAssignments(
  ctx: LoadContext,
  checks: ReadonlyMap<string, AssignmentCheck>,
  signal: AbortSignal,
): Promise<Map<string, Lookup<AssignmentView[]>>> {
  const assignments = new Map<string, Lookup<AssignmentView[]>>();
  await mapLimit(
    [...checks],
    checks.size || 1,
    async ([key, c]) => {
      try {
        const subscriptionId = subscriptionOf(c.scope) ?? '';
        const raw = await ctx.limiter.run(async () => {
          const out = [];
          const pages = ctx
            .clients(c.tenantId)
            .authorization(subscriptionId)
            .roleAssignments.listForScope(scopeForSdk(c.scope), {
              filter: `atScope() and assignedTo('${c.principalId}')`,
              abortSignal: signal,
            });
          for await (const a of pages) out.push(a);
          return out;
        });
        const views = await Promise.all(raw.map((a) => toView(ctx, a, c.principalId, subscriptionId, c.tenantId)));
        assignments.set(key, { value: views });
      } catch (err) {
        if (isAbort(err)) throw err;
        assignments.set(key, { error: describeError(err).message });
      }
    },
    signal,
  );
  return assignments;
}

async function checkInTenants(
  ctx: LoadContext,
  cache: RunCache,
  tenants: readonly TenantRef[],
  integrations: readonly AzureIntegration[],
  signal: AbortSignal,
): Promise<ReadinessView[]> {
  const subs = tenants.flatMap((t) => t.subscriptions);
  const withIdentity = integrations.filter((i) => i.need.kind === 'azureRole');
  const identityOf = withIdentity.length
    ? await identityLookup(ctx, cache, tenants, signal)
    : (): Lookup<IdentityRecord | undefined> => ({ value: undefined });
  const principalOf = (clientId: string): Lookup<string | undefined> => {
    const found = identityOf(clientId);
    return 'value' in found ? { value: found.value?.principalId, ...(found.note ? { note: found.note } : {}) } : found;
  };
  const resourceOf = await resourceLookup(ctx, cache, subs, integrations, signal);

  // What the manifests and the lookups decide, and the assignment reads that decide the rest.
  const checks = new Map<string, AssignmentCheck>();
  const facts = new Map<string, ReadinessFacts>();
  const propertyReads: { i: AzureIntegration; id: string; tenantId: string }[] = [];
  for (const i of integrations) {
    const resourceId = resourceOf(i);
    const principal: Lookup<string | undefined> =
      i.need.kind === 'localAuth' ? { value: undefined } : principalOf(i.identity!.clientId!);
    // The resource's own settings matter once there is something to judge: a principal, or a static credential.
    const judged = i.need.kind === 'localAuth' || ('value' in principal && !!principal.value);
    if ('value' in resourceId && resourceId.value && needsProperties(i) && judged) {
      const sub = subs.find((s) => s.subscriptionId.toLowerCase() === subscriptionOf(resourceId.value!));
      propertyReads.push({ i, id: resourceId.value, tenantId: sub?.tenantId ?? tenants[0]!.tenantId });
    }
    if (i.need.kind === 'localAuth') {
      facts.set(i.key, { resourceId });
      continue;
    }
    const f: ReadinessFacts = { principal, resourceId };
    if ('value' in principal && principal.value && 'value' in resourceId && resourceId.value) {
      const scope = targetScopeOf(i, resourceId.value);
      const sub = subs.find((s) => s.subscriptionId.toLowerCase() === subscriptionOf(scope));
      f.tenantId = sub?.tenantId ?? tenants[0]!.tenantId;
      checks.set(checkKey(scope, principal.value), { scope, principalId: principal.value, tenantId: f.tenantId });
    }
    facts.set(i.key, f);
  }
  const [assignments] = await Promise.all([
    readAssignments(ctx, checks, signal),
    mapLimit(
      propertyReads,
      propertyReads.length || 1,
      async ({ i, id, tenantId }) => {
        try {
          facts.get(i.key)!.properties = { value: await propertiesOf(ctx, cache, id, tenantId, signal) };
        } catch (err) {
          if (isAbort(err)) throw err;
          facts.get(i.key)!.properties = { error: describeError(err).message };
        }
      },
      signal,
    ),
  ]);

  return integrations.map((i) => {
    const f = facts.get(i.key)!;
    if (i.need.kind === 'localAuth') return decideReadiness(i, f);
    const principal = f.principal && 'value' in f.principal ? f.principal.value : undefined;
    const resource = f.resourceId && 'value' in f.resourceId ? f.resourceId.value : undefined;
    if (principal && resource) f.assignments = assignments.get(checkKey(targetScopeOf(i, resource), principal));
    return decideReadiness(i, f);
  });
}

/** GET a resource once per run: its `properties` (api-version by type). */
function propertiesOf(
  ctx: LoadContext,
  cache: RunCache,
  id: string,
  tenantId: string,
  signal: AbortSignal,
): Promise<ResourceProperties | undefined> {
  const key = id.toLowerCase();
  let found = cache.properties.get(key);
  if (!found) {
    const type = /\/providers\/([^/]+\/[^/]+)\/[^/]+$/.exec(id)?.[1]?.toLowerCase() ?? '';
    const version = RESOURCE_API_VERSIONS[type] ?? RESOURCES_API_VERSION;
    found = ctx.limiter
      .run(() =>
        ctx.clients(tenantId).getJson<{ properties?: ResourceProperties }>(`${id}?api-version=${version}`, signal),
      )
      .then((body) => body?.properties);
    cache.properties.set(key, found);
  }
  return found;
}

/** The ARM shape of a managed cluster, as much as the federation check reads. */
interface ManagedClusterJson {
  id?: string;
  name?: string;
  properties?: {
    oidcIssuerProfile?: { enabled?: boolean; issuerURL?: string };
    securityProfile?: { workloadIdentity?: { enabled?: boolean } };
  };
}

function clusterFacts(json: ManagedClusterJson, from: string): ClusterFacts {
  const id = json.id ?? '';
  const oidc = json.properties?.oidcIssuerProfile;
  const wi = json.properties?.securityProfile?.workloadIdentity?.enabled;
  return {
    id,
    name: json.name ?? id.split('/').pop() ?? '',
    ...(oidc?.issuerURL ? { issuerUrl: oidc.issuerURL } : {}),
    ...(oidc?.enabled !== undefined ? { oidcEnabled: oidc.enabled } : {}),
    ...(wi !== undefined ? { workloadIdentity: wi } : {}),
    from,
  };
}

/** The AKS clusters of a subscription (one list per subscription and run). */
function clustersOf(ctx: LoadContext, cache: RunCache, s: Sub, signal: AbortSignal): Promise<ClusterFacts[]> {
  let found = cache.clusters.get(s.subscriptionId);
  if (!found) {
    const version = RESOURCE_API_VERSIONS[AKS_TYPE.toLowerCase()]!;
    found = ctx.limiter
      .run(() =>
        ctx
          .clients(s.tenantId)
          .listAll<ManagedClusterJson>(
            `/subscriptions/${s.subscriptionId}/providers/${AKS_TYPE}?api-version=${version}`,
            signal,
          ),
      )
      .then((list) => list.map((c) => clusterFacts(c, 'found automatically')));
    cache.clusters.set(s.subscriptionId, found);
  }
  return found;
}

/** The federated credentials of a user-assigned identity (one list per identity and run). */
function credentialsOf(
  ctx: LoadContext,
  cache: RunCache,
  identity: IdentityRecord,
  signal: AbortSignal,
): Promise<CredentialView[]> {
  const key = identity.id.toLowerCase();
  let found = cache.credentials.get(key);
  if (!found) {
    const parts = identity.id.split('/');
    const subscriptionId = subscriptionOf(identity.id) ?? '';
    const group = parts[parts.findIndex((p) => p.toLowerCase() === 'resourcegroups') + 1] ?? '';
    found = ctx.limiter.run(async () => {
      const out: CredentialView[] = [];
      const pages = ctx
        .clients(identity.tenantId)
        .identities(subscriptionId)
        .federatedIdentityCredentials.list(group, identity.name, { abortSignal: signal });
      for await (const c of pages)
        out.push({
          name: c.name ?? '',
          issuer: c.issuer ?? '',
          subject: c.subject ?? '',
          audiences: c.audiences ?? [],
        });
      return out;
    });
    cache.credentials.set(key, found);
  }
  return found;
}

/** One federation check to make: a client id, the ServiceAccount whose token it exchanges, the cluster. */
interface FederationTask {
  key: string;
  cluster: string;
  clientId: string;
  tenantId?: string;
  identityLabel: string;
  namespace: string;
  name: string;
  subject: string;
  viaWebhook: boolean;
  location?: AzureIntegration['object']['location'];
}

function federationTasks(integrations: readonly AzureIntegration[]): FederationTask[] {
  const tasks = new Map<string, FederationTask>();
  for (const i of integrations) {
    const id = i.identity;
    if (!id?.clientId || !id.serviceAccount) continue;
    for (const cluster of i.clusters.length ? i.clusters : ['(no cluster)']) {
      const key = `${cluster}|${id.clientId.toLowerCase()}|${id.serviceAccount.subject}`;
      if (tasks.has(key)) continue;
      tasks.set(key, {
        key,
        cluster,
        clientId: id.clientId,
        ...(id.tenantId ? { tenantId: id.tenantId } : {}),
        identityLabel: id.label,
        namespace: id.serviceAccount.namespace,
        name: id.serviceAccount.name,
        subject: id.serviceAccount.subject,
        viaWebhook: !!id.viaWebhook,
        ...(id.location ? { location: id.location } : {}),
      });
    }
  }
  return [...tasks.values()];
}

/**
 * Federation of every identity the manifests use with the ServiceAccount whose token it exchanges: the identity by
 * client id, its federated credentials, the cluster's OIDC issuer (configured cluster, or the only AKS cluster
 * whose issuer the credentials name).
 */
async function checkFederation(
  ctx: LoadContext,
  cache: RunCache,
  directory: Directory,
  integrations: readonly AzureIntegration[],
  clusters: readonly ClusterMapping[],
  audience: string,
  signal: AbortSignal,
): Promise<FederationView[]> {
  const tasks = federationTasks(integrations);
  if (tasks.length === 0) return [];
  const allSubs = directory.tenants.flatMap((t) => t.subscriptions);
  const lookups = new Map<string, (clientId: string) => Lookup<IdentityRecord | undefined>>();
  const lookupFor = async (tenant: string | undefined) => {
    const key = tenant?.toLowerCase() ?? '*';
    let found = lookups.get(key);
    if (!found) {
      const tenants = tenant ? directory.tenants.filter((t) => t.tenantId.toLowerCase() === key) : directory.tenants;
      found =
        tenants.length === 0
          ? () => ({ error: `tenant ${tenant} is not among the tenants your account can read` })
          : await identityLookup(ctx, cache, tenants, signal);
      lookups.set(key, found);
    }
    return found;
  };
  const configured = new Map(clusters.filter((c) => c.aksClusterId).map((c) => [c.label, c]));
  const configuredClusters = new Map<string, Promise<Lookup<ClusterFacts | undefined>>>();
  const clusterById = (mapping: ClusterMapping): Promise<Lookup<ClusterFacts | undefined>> => {
    const id = mapping.aksClusterId!;
    let found = configuredClusters.get(id.toLowerCase());
    if (!found) {
      const sub = allSubs.find((s) => s.subscriptionId.toLowerCase() === subscriptionOf(id));
      const tenantId = sub?.tenantId ?? directory.homeTenantId ?? directory.tenants[0]?.tenantId;
      const version = RESOURCE_API_VERSIONS[AKS_TYPE.toLowerCase()]!;
      found = ctx.limiter
        .run(() => ctx.clients(tenantId).getJson<ManagedClusterJson>(`${id}?api-version=${version}`, signal))
        .then((json): Lookup<ClusterFacts | undefined> => ({
          value: json ? clusterFacts(json, mapping.from ?? '.flux-azure.yaml') : undefined,
        }))
        .catch((err: unknown): Lookup<ClusterFacts | undefined> => {
          if (isAbort(err)) throw err;
          return { error: describeError(err).message };
        });
      configuredClusters.set(id.toLowerCase(), found);
    }
    return found;
  };
  let allClusters: Promise<{ list: ClusterFacts[]; failures: string[] }> | undefined;
  const everyCluster = () =>
    (allClusters ??= (async () => {
      const list: ClusterFacts[] = [];
      const failures = await searchSubscriptions(
        allSubs.map((s) => ({ s })),
        async ({ s }) => {
          list.push(...(await clustersOf(ctx, cache, s, signal)));
        },
        signal,
      );
      return { list, failures };
    })());

  const views = await mapLimit(
    tasks,
    tasks.length,
    async (t): Promise<FederationView> => {
      const identity = (await lookupFor(t.tenantId))(t.clientId);
      const facts: FederationFacts = {
        key: t.key,
        cluster: t.cluster,
        clientId: t.clientId,
        identityLabel: t.identityLabel,
        subject: t.subject,
        namespace: t.namespace,
        serviceAccountName: t.name,
        audience,
        viaWebhook: t.viaWebhook,
        identity: 'value' in identity ? { ...identity, value: identity.value && { ...identity.value } } : identity,
      };
      const record = 'value' in identity ? identity.value : undefined;
      if (!record) return decideFederation(facts);
      try {
        facts.credentials = { value: await credentialsOf(ctx, cache, record, signal) };
      } catch (err) {
        if (isAbort(err)) throw err;
        facts.credentials = { error: describeError(err).message };
        return decideFederation(facts);
      }
      const mapping = configured.get(t.cluster);
      if (mapping) facts.aks = await clusterById(mapping);
      else {
        // No cluster configured: the one AKS cluster whose issuer the identity's credentials name, if exactly one.
        const issuers = new Set(facts.credentials.value.map((c) => c.issuer));
        const { list, failures } = await everyCluster();
        const trusted = list.filter((c) => c.issuerUrl && issuers.has(c.issuerUrl));
        if (trusted.length === 1)
          facts.aks = {
            value: {
              ...trusted[0]!,
              from: `found automatically: the only AKS cluster whose issuer the credentials of ${record.name} name`,
            },
          };
        else if (trusted.length > 1)
          facts.aks = {
            value: undefined,
            note: `the credentials of ${record.name} name the issuers of several AKS clusters (${trusted.map((c) => c.name).join(', ')})`,
          };
        else facts.aks = failures.length ? { value: undefined, note: unsearched(failures) } : { value: undefined };
      }
      return decideFederation(facts);
    },
    signal,
  );
  return views.map((v, n) => (tasks[n]!.location ? { ...v, location: tasks[n]!.location } : v));
}
