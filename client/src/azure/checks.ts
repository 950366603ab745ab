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

async function checkInTenants(
  ctx: LoadContext,
  cache: RunCache,
  tenants: readonly TenantRef[],
  integrations: readonly AzureIntegration[],
  signal: AbortSignal,
): Promise<ReadinessView[]> {
  const subs = tenants.flatMap((t) => t.subscriptions);
  const tenantError = tenants.find((t) => t.error)?.error;

  // 1. client id -> principal id, from the user-assigned identities of every subscription.
  const principals = new Map<string, string>();
  const identityErrors: string[] = [];
  await mapLimit(
    subs,
    subs.length || 1,
    async (s) => {
      try {
        for (const [clientId, principalId] of await identitiesOf(ctx, cache, s, signal))
          principals.set(clientId, principalId);
      } catch (err) {
        if (isAbort(err)) throw err;
        if (!wrongTenant(err)) identityErrors.push(`${s.displayName} (${describeError(err).kind})`);
      }
    },
    signal,
  );
  const principalOf = (clientId: string): Lookup<string | undefined> => {
    const found = principals.get(clientId.toLowerCase());
    if (found) return { value: found };
    if (subs.length === 0) return { error: tenantError?.message ?? 'no subscriptions to search' };
    return identityErrors.length > 0 ? { value: undefined, note: unsearched(identityErrors) } : { value: undefined };
  };

  // 2. The resources, listed per (subscription, type) and matched by name.
  const types = [...new Set(integrations.map((i) => i.resource!.armType))];
  const resourceIds = new Map<string, string>(); // `${type}/${name}` lower -> id
  const resourceErrors: string[] = [];
  await mapLimit(
    subs.flatMap((s) => types.map((type) => ({ s, type }))),
    subs.length * types.length || 1,
    async ({ s, type }) => {
      try {
        for (const [name, id] of await resourcesOf(ctx, cache, s, type, signal))
          resourceIds.set(`${type}/${name}`.toLowerCase(), id);
      } catch (err) {
        if (isAbort(err)) throw err;
        if (!wrongTenant(err)) resourceErrors.push(`${s.displayName} (${describeError(err).kind})`);
      }
    },
    signal,
  );
  const resourceOf = (i: AzureIntegration): Lookup<string | undefined> => {
    const id = resourceIds.get(`${i.resource!.armType}/${i.resource!.name}`.toLowerCase());
    if (id) return { value: id };
    return resourceErrors.length > 0 ? { value: undefined, note: unsearched(resourceErrors) } : { value: undefined };
  };

  // 3. Assignments of each principal at each target scope, once per pair.
  const checks = new Map<string, { scope: string; principalId: string; tenantId: string }>();
  const facts = new Map<string, ReadinessFacts>();
  for (const i of integrations) {
    const principal = principalOf(i.identity!.clientId!);
    const resourceId = resourceOf(i);
    const f: ReadinessFacts = { principal, resourceId };
    if ('value' in principal && principal.value && 'value' in resourceId && resourceId.value) {
      const scope = targetScopeOf(i, resourceId.value);
      const sub = subs.find((s) => s.subscriptionId.toLowerCase() === subscriptionOf(scope));
      checks.set(`${scope.toLowerCase()}|${principal.value}`, {
        scope,
        principalId: principal.value,
        tenantId: sub?.tenantId ?? tenants[0]!.tenantId,
      });
      f.tenantId = sub?.tenantId ?? tenants[0]!.tenantId;
    }
    facts.set(i.key, f);
  }
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

  return integrations.map((i) => {
    const f = facts.get(i.key)!;
    const principal = f.principal && 'value' in f.principal ? f.principal.value : undefined;
    const resource = f.resourceId && 'value' in f.resourceId ? f.resourceId.value : undefined;
    if (principal && resource)
      f.assignments = assignments.get(`${targetScopeOf(i, resource).toLowerCase()}|${principal}`);
    return decideReadiness(i, f);
  });
}
