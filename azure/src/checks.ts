/**
 * Flux readiness: for each integration the server found, resolve the identity's client id to a principal id and
 * find the resource with its settings (both from the tenant's inventory: one Resource Graph query, or one list per
 * subscription and type, see inventory.ts), and read the principal's assignments at the resource
 * (`atScope() and assignedTo(...)`, which includes groups and management-group inheritance), once per pair. The
 * decision itself is `decideReadiness`.
 */
import type { AzureIntegration, WorkspaceClusterInfo } from '../../shared/src/protocol';
import { subscriptionOf } from '../../shared/src/armScope';
import { toView, type Directory, type LoadContext, type TenantRef } from './access';
import { checkDevOps, devOpsCheckable } from './devops';
import { describeError, isAbort } from './errors';
import { GraphDirectory } from './graph';
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
} from './readiness';
import {
  AKS_TYPE,
  clusterFacts,
  LIST_API_VERSIONS,
  loadInventory,
  mergeInventories,
  type IdentityRecord,
  type Inventory,
  type ResourceRecord,
} from './inventory';

/** api-version of a managed cluster's GET (a configured cluster no listing found). */
const AKS_API_VERSION = LIST_API_VERSIONS[AKS_TYPE.toLowerCase()]!;

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
  devOpsScope?: string,
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
    types: [...new Set(pending.filter((i) => i.resource).map((i) => i.resource!.armType))],
    inventories: new Map(),
    credentials: new Map(),
    graph: GraphDirectory.of(ctx, ctx.env.cloud, signal),
    homeTenantId: directory.homeTenantId,
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

  // Azure DevOps: membership of the organization and the project group, with a token of the same sign-in.
  const devOps = integrations.filter((i) => !i.unknown && devOpsCheckable(i));
  const endpoint = ctx.env.cloud.devOpsGraphEndpoint;
  if (devOps.length && endpoint && devOpsScope) {
    const known = await inventoryOf(ctx, cache, directory.tenants, signal);
    const facts = await checkDevOps(
      ctx,
      devOps,
      { endpoint, scope: devOpsScope },
      (i) => i.identity?.tenantId ?? directory.homeTenantId,
      (clientId) => known.identities.get(clientId)?.principalId,
      signal,
    );
    for (const i of devOps) {
      const f = facts.get(i.key);
      if (f) results.set(i.key, decideReadiness(i, { devOps: f }));
    }
  }
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

/** What one readiness run read, shared by the tenant groups of that run. */
interface RunCache {
  /** Resource types the integrations point at (besides identities and clusters, which are always listed). */
  types: string[];
  /** Tenant (lower case) -> its inventory. */
  inventories: Map<string, Promise<Inventory>>;
  /** Identity id (lower case) -> its federated credentials. */
  credentials: Map<string, Promise<CredentialView[]>>;
  /** App registrations (client ids that are no user-assigned identity), when the cloud has Microsoft Graph. */
  graph: GraphDirectory | undefined;
  /** The signed-in account's tenant: whose directory Graph is asked when the manifests name no tenant. */
  homeTenantId: string | undefined;
}

/** The inventories of `tenants` (each loaded once per run), merged. */
async function inventoryOf(
  ctx: LoadContext,
  cache: RunCache,
  tenants: readonly TenantRef[],
  signal: AbortSignal,
): Promise<Inventory> {
  const list = tenants.map((t) => {
    const key = t.tenantId.toLowerCase();
    let found = cache.inventories.get(key);
    if (!found) {
      found = loadInventory(ctx, t, cache.types, signal);
      cache.inventories.set(key, found);
    }
    return found;
  });
  return mergeInventories(await Promise.all(list));
}

/** The answer of a lookup that found nothing: with a note when some subscriptions could not be searched. */
function notFound(inv: Inventory): Lookup<undefined> {
  return inv.failures.size > 0
    ? { value: undefined, note: unsearched([...inv.failures.values()]) }
    : { value: undefined };
}

/** 1. client id -> user-assigned identity (principal id, ARM id), from the tenants' inventories. */
async function identityLookup(
  ctx: LoadContext,
  cache: RunCache,
  tenants: readonly TenantRef[],
  signal: AbortSignal,
): Promise<(clientId: string) => Lookup<IdentityRecord | undefined>> {
  const subs = tenants.flatMap((t) => t.subscriptions);
  const inv = await inventoryOf(ctx, cache, tenants, signal);
  return (clientId) => {
    const found = inv.identities.get(clientId.toLowerCase());
    if (found) return { value: found };
    if (subs.length === 0)
      return { error: tenants.find((t) => t.error)?.error?.message ?? 'no subscriptions to search' };
    return notFound(inv);
  };
}

/** 2. The resources, matched by type and name, with their settings. */
async function resourceLookup(
  ctx: LoadContext,
  cache: RunCache,
  tenants: readonly TenantRef[],
  signal: AbortSignal,
): Promise<(i: AzureIntegration) => Lookup<ResourceRecord | undefined>> {
  const inv = await inventoryOf(ctx, cache, tenants, signal);
  return (i) => {
    const found = inv.resources.get(`${i.resource!.armType}/${i.resource!.name}`.toLowerCase());
    return found ? { value: found } : notFound(inv);
  };
}

/**
 * A principal's assignments to read in a subscription, keyed `subscription|principal`: every assignment that
 * applies to it there (`assignedTo`: groups, nested groups, and those inherited from management groups and the
 * root included); the decision keeps those covering the target. One read per (subscription, principal), however
 * many resources the principal reaches in it.
 */
interface AssignmentCheck {
  subscriptionId: string;
  principalId: string;
  tenantId: string;
}

function checkKey(scope: string, principalId: string): string {
  return `${subscriptionOf(scope) ?? ''}|${principalId.toLowerCase()}`;
}

/** 3. Assignments of each principal in each subscription it needs a role in, once per pair. */
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
        const { subscriptionId } = c;
        const raw = await ctx.limiter.run(async () => {
          const out = [];
          const pages = ctx
            .clients(c.tenantId)
            .authorization(subscriptionId)
            .roleAssignments.listForSubscription({
              filter: `assignedTo('${c.principalId}')`,
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
  const identityOf = await identityLookup(ctx, cache, tenants, signal);
  // Client ids that are no user-assigned identity: app registrations, whose service principal Graph knows.
  const apps = new Map<string, Lookup<string | undefined>>();
  if (cache.graph)
    await Promise.all(
      integrations
        .filter((i) => i.need.kind === 'azureRole' && i.identity?.clientId)
        .map(async (i) => {
          const clientId = i.identity!.clientId!;
          const found = identityOf(clientId);
          if (!('value' in found) || found.value) return;
          // One read per client id and tenant (GraphDirectory keeps it for the run).
          const tenant = i.identity?.tenantId ?? cache.homeTenantId;
          const sp = await cache.graph!.servicePrincipal(clientId, tenant);
          apps.set(
            clientId.toLowerCase(),
            'error' in sp
              ? {
                  error: `it is not a user-assigned managed identity in the subscriptions you can read${found.note ? ` (${found.note})` : ''}, and ${sp.error}`,
                }
              : sp.value
                ? { value: sp.value.id, note: `service principal of app registration ${sp.value.displayName}` }
                : { value: undefined, ...(found.note ? { note: found.note } : {}) },
          );
        }),
    );
  const principalOf = (clientId: string): Lookup<string | undefined> => {
    const found = identityOf(clientId);
    const app = apps.get(clientId.toLowerCase());
    if (app && 'value' in found && !found.value) return app;
    return 'value' in found ? { value: found.value?.principalId, ...(found.note ? { note: found.note } : {}) } : found;
  };
  const resourceOf = await resourceLookup(ctx, cache, tenants, signal);

  // What the manifests and the lookups decide, and the assignment reads that decide the rest.
  const checks = new Map<string, AssignmentCheck>();
  const facts = new Map<string, ReadinessFacts>();
  for (const i of integrations) {
    const found = resourceOf(i);
    const record = 'value' in found ? found.value : undefined;
    const resourceId: Lookup<string | undefined> =
      'value' in found ? { value: record?.id, ...(found.note ? { note: found.note } : {}) } : found;
    const principal: Lookup<string | undefined> =
      i.need.kind === 'localAuth' ? { value: undefined } : principalOf(i.identity!.clientId!);
    // The resource's own settings matter once there is something to judge: a principal, or a static credential.
    const judged = i.need.kind === 'localAuth' || ('value' in principal && !!principal.value);
    const properties = record && needsProperties(i) && judged ? { value: record.properties } : undefined;
    if (i.need.kind === 'localAuth') {
      facts.set(i.key, { resourceId, ...(properties ? { properties } : {}) });
      continue;
    }
    const f: ReadinessFacts = {
      principal,
      resourceId,
      ...(properties ? { properties } : {}),
      ...(cache.graph ? { graphAsked: true } : {}),
    };
    if ('value' in principal && principal.value && record) {
      const scope = targetScopeOf(i, record.id);
      f.tenantId = record.tenantId;
      checks.set(checkKey(scope, principal.value), {
        subscriptionId: subscriptionOf(scope) ?? '',
        principalId: principal.value,
        tenantId: f.tenantId,
      });
    }
    facts.set(i.key, f);
  }
  const assignments = await readAssignments(ctx, checks, signal);

  return integrations.map((i) => {
    const f = facts.get(i.key)!;
    if (i.need.kind === 'localAuth') return decideReadiness(i, f);
    const principal = f.principal && 'value' in f.principal ? f.principal.value : undefined;
    const resource = f.resourceId && 'value' in f.resourceId ? f.resourceId.value : undefined;
    if (principal && resource) f.assignments = assignments.get(checkKey(targetScopeOf(i, resource), principal));
    return decideReadiness(i, f);
  });
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
  // Every tenant's inventory: the AKS clusters to find a configured one in, or to find one automatically.
  let everyInventory: Promise<Inventory> | undefined;
  const everyCluster = () => (everyInventory ??= inventoryOf(ctx, cache, directory.tenants, signal));
  const configured = new Map(clusters.filter((c) => c.aksClusterId).map((c) => [c.label, c]));
  const configuredClusters = new Map<string, Promise<Lookup<ClusterFacts | undefined>>>();
  const clusterById = (mapping: ClusterMapping): Promise<Lookup<ClusterFacts | undefined>> => {
    const id = mapping.aksClusterId!;
    let found = configuredClusters.get(id.toLowerCase());
    if (!found) {
      const from = mapping.from ?? '.flux-azure.yaml';
      found = everyCluster().then(async (inv): Promise<Lookup<ClusterFacts | undefined>> => {
        const listed = inv.clusters.find((c) => c.id.toLowerCase() === id.toLowerCase());
        if (listed) return { value: { ...listed, from } };
        // Not among the listed clusters (a subscription not listed, or not searched): ask for it by id.
        const sub = allSubs.find((s) => s.subscriptionId.toLowerCase() === subscriptionOf(id));
        const tenantId = sub?.tenantId ?? directory.homeTenantId ?? directory.tenants[0]?.tenantId;
        try {
          const json = await ctx.limiter.run(() =>
            ctx
              .clients(tenantId)
              .getJson<Parameters<typeof clusterFacts>[0]>(`${id}?api-version=${AKS_API_VERSION}`, signal),
          );
          return { value: json ? clusterFacts(json, from) : undefined };
        } catch (err) {
          if (isAbort(err)) throw err;
          return { error: describeError(err).message };
        }
      });
      configuredClusters.set(id.toLowerCase(), found);
    }
    return found;
  };

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
      const managed = 'value' in identity ? identity.value : undefined;
      let record: { id: string; name: string; tenantId: string };
      let credentials: CredentialView[];
      if (!managed && 'value' in identity && cache.graph) {
        // Not a user-assigned identity: an app registration's federated credentials, through Microsoft Graph.
        const tenant = t.tenantId ?? cache.homeTenantId;
        const app = await cache.graph.application(t.clientId, tenant);
        facts.graphAsked = true;
        const note = identity.note ? ` (${identity.note})` : '';
        if ('error' in app) {
          facts.identity = {
            error: `it is not a user-assigned managed identity in the subscriptions you can read${note}, and ${app.error}`,
          };
          return decideFederation(facts);
        }
        if (!app.value) return decideFederation(facts);
        record = { id: app.value.id, name: app.value.displayName, tenantId: tenant ?? '' };
        facts.identity = { value: record };
        facts.application = { appId: app.value.appId };
        facts.credentials = await cache.graph.federatedCredentials(app.value, tenant);
        if ('error' in facts.credentials) return decideFederation(facts);
        credentials = facts.credentials.value;
      } else {
        if (!managed) return decideFederation(facts);
        record = managed;
        try {
          credentials = await credentialsOf(ctx, cache, managed, signal);
          facts.credentials = { value: credentials };
        } catch (err) {
          if (isAbort(err)) throw err;
          facts.credentials = { error: describeError(err).message };
          return decideFederation(facts);
        }
      }
      const mapping = configured.get(t.cluster);
      if (mapping) facts.aks = await clusterById(mapping);
      else {
        // No cluster configured: the one AKS cluster whose issuer the identity's credentials name, if exactly one.
        const issuers = new Set(credentials.map((c) => c.issuer));
        const inv = await everyCluster();
        const failures = [...inv.failures.values()];
        const trusted = inv.clusters.filter((c) => c.issuerUrl && issuers.has(c.issuerUrl));
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
