/**
 * Flux readiness: for each integration the server found, resolve the identity's client id to a principal id
 * (user-assigned identities of the tenant's subscriptions), find the resource's ARM id (resources listed by type),
 * and read the principal's assignments at the resource (`atScope() and assignedTo(...)`, which includes groups and
 * management-group inheritance). The decision itself is `decideReadiness`.
 */
import type { AzureIntegration } from '../../../shared/src/protocol';
import { scopeForSdk, subscriptionOf } from '../../../shared/src/armScope';
import { toView, type Directory, type LoadContext, type TenantRef } from './access';
import { describeError, isAbort } from './errors';
import { mapLimit } from './limit';
import type { AssignmentView, ReadinessModel, ReadinessView } from './model';
import { decideReadiness, targetScopeOf, type Lookup, type ReadinessFacts } from './readiness';

/** api-version of the generic resources list (Microsoft.Resources). */
const RESOURCES_API_VERSION = '2021-04-01';

function needsArm(i: AzureIntegration): boolean {
  return !i.unknown && i.need.kind === 'azureRole' && !!i.identity?.clientId && !!i.resource;
}

export async function checkReadiness(
  ctx: LoadContext,
  directory: Directory,
  integrations: readonly AzureIntegration[],
  signal: AbortSignal,
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
  const cache: RunCache = { identities: new Map(), resources: new Map() };
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
  return { results: integrations.map((i) => results.get(i.key)!).filter(Boolean), requests: ctx.requests - before };
}

function unsearched(failures: readonly string[]): string {
  const names = [...new Set(failures)];
  return `could not search ${names.length === 1 ? 'subscription' : 'subscriptions'} ${names.join(', ')}`;
}

/** What one readiness run read per subscription, shared by the tenant groups of that run. */
interface RunCache {
  identities: Map<string, Promise<Map<string, string>>>;
  resources: Map<string, Promise<Map<string, string>>>;
}

type Sub = TenantRef['subscriptions'][number];

/** A failure that means "this subscription is not in the token's tenant" (a delegated one): not an error here. */
function wrongTenant(err: unknown): boolean {
  return describeError(err).kind === 'wrongTenant';
}

function identitiesOf(ctx: LoadContext, cache: RunCache, s: Sub, signal: AbortSignal): Promise<Map<string, string>> {
  let found = cache.identities.get(s.subscriptionId);
  if (!found) {
    found = ctx.limiter.run(async () => {
      const out = new Map<string, string>();
      const pages = ctx.clients(s.tenantId).identities(s.subscriptionId).userAssignedIdentities.listBySubscription({
        abortSignal: signal,
      });
      for await (const identity of pages)
        if (identity.clientId && identity.principalId) out.set(identity.clientId.toLowerCase(), identity.principalId);
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

/** 1. client id -> principal id, from the user-assigned identities of every subscription. */
async function principalLookup(
  ctx: LoadContext,
  cache: RunCache,
  tenants: readonly TenantRef[],
  signal: AbortSignal,
): Promise<(clientId: string) => Lookup<string | undefined>> {
  const subs = tenants.flatMap((t) => t.subscriptions);
  const principals = new Map<string, string>();
  const failures = await searchSubscriptions(
    subs.map((s) => ({ s })),
    async ({ s }) => {
      for (const [clientId, principalId] of await identitiesOf(ctx, cache, s, signal))
        principals.set(clientId, principalId);
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
  const principalOf = await principalLookup(ctx, cache, tenants, signal);
  const resourceOf = await resourceLookup(ctx, cache, subs, integrations, signal);

  // What the manifests and the lookups decide, and the assignment reads that decide the rest.
  const checks = new Map<string, AssignmentCheck>();
  const facts = new Map<string, ReadinessFacts>();
  for (const i of integrations) {
    const principal = principalOf(i.identity!.clientId!);
    const resourceId = resourceOf(i);
    const f: ReadinessFacts = { principal, resourceId };
    if ('value' in principal && principal.value && 'value' in resourceId && resourceId.value) {
      const scope = targetScopeOf(i, resourceId.value);
      const sub = subs.find((s) => s.subscriptionId.toLowerCase() === subscriptionOf(scope));
      f.tenantId = sub?.tenantId ?? tenants[0]!.tenantId;
      checks.set(checkKey(scope, principal.value), { scope, principalId: principal.value, tenantId: f.tenantId });
    }
    facts.set(i.key, f);
  }
  const assignments = await readAssignments(ctx, checks, signal);

  return integrations.map((i) => {
    const f = facts.get(i.key)!;
    const principal = f.principal && 'value' in f.principal ? f.principal.value : undefined;
    const resource = f.resourceId && 'value' in f.resourceId ? f.resourceId.value : undefined;
    if (principal && resource) f.assignments = assignments.get(checkKey(targetScopeOf(i, resource), principal));
    return decideReadiness(i, f);
  });
}
