/**
 * "My access": the signed-in principal's tenants, subscriptions and role assignments. One `assignedTo('<oid>')`
 * query per subscription (server-side filter: groups, nested groups and management-group / root inheritance
 * included), role names resolved once per GUID.
 */
import type { TokenCredential } from '@azure/core-auth';
import { ArmClients, type ArmEnvironment } from './arm';
import { armScope, forTenant } from './credentials';
import { describeError, isAbort, tenantFromChallenge } from './errors';
import { decodeJwt, principalLabel } from './jwt';
import { Limiter, mapLimit } from './limit';
import type { AccessModel, AccountInfo, AssignmentView, LoadError, SubscriptionAccess, TenantAccess } from './model';

/** Subscriptions and tenants load this many requests at a time (across all tenants). */
export const PARALLEL_REQUESTS = 4;

export interface SubscriptionRef {
  subscriptionId: string;
  displayName: string;
  /** Tenant whose token reads it. */
  tenantId: string;
}

export interface TenantRef {
  tenantId: string;
  displayName: string;
  defaultDomain?: string;
  objectId?: string;
  subscriptions: SubscriptionRef[];
  error?: LoadError;
}

export interface Directory {
  account: AccountInfo;
  homeTenantId?: string;
  tenants: TenantRef[];
}

/** What loads share: the cloud, the credential, the request bound, and caches that outlive a refresh. */
export class LoadContext {
  readonly limiter = new Limiter(PARALLEL_REQUESTS);
  /** Role GUID (lower case) -> name; seeded with the catalog's roles, filled by `getById`. */
  readonly roleNames = new Map<string, Promise<string>>();
  requests = 0;

  constructor(
    readonly env: ArmEnvironment,
    readonly credential: TokenCredential,
    readonly methodLabel: string,
    knownRoles: readonly { guid: string; name: string }[],
  ) {
    for (const r of knownRoles) this.roleNames.set(r.guid.toLowerCase(), Promise.resolve(r.name));
  }

  /** ARM clients with a tenant's token; with `service`, clients of that service (Azure DevOps) instead. */
  clients(tenantId?: string, service?: ArmEnvironment['service']): ArmClients {
    const env: ArmEnvironment = {
      cloud: this.env.cloud,
      ...(service ? { service } : {}),
      ...(this.env.tuning ? { tuning: this.env.tuning } : {}),
      onRequest: (method, url) => {
        this.requests++;
        this.env.onRequest?.(method, url);
      },
    };
    return new ArmClients(env, forTenant(this.credential, tenantId));
  }

  /** The principal's object id in a tenant, from that tenant's token. */
  async objectId(
    tenantId: string | undefined,
    abortSignal?: AbortSignal,
  ): Promise<{ oid?: string; tid?: string; label: string }> {
    const token = await forTenant(this.credential, tenantId).getToken(armScope(this.env.cloud), { abortSignal });
    if (!token) throw Object.assign(new Error('No token.'), { name: 'NotSignedInError' });
    const claims = decodeJwt(token.token);
    return { oid: claims?.oid, tid: claims?.tid, label: principalLabel(claims) };
  }

  /** Name of a role definition, asked of ARM once per GUID. Falls back to the GUID. */
  roleName(roleDefinitionId: string, subscriptionId: string, tenantId: string | undefined): Promise<string> {
    const guid = guidOf(roleDefinitionId);
    let name = this.roleNames.get(guid);
    if (!name) {
      const id = roleDefinitionId.startsWith('/subscriptions/')
        ? roleDefinitionId
        : `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
      name = this.limiter
        .run(() => this.clients(tenantId).authorization(subscriptionId).roleDefinitions.getById(id.replace(/^\/+/, '')))
        .then((def) => def.roleName ?? guid)
        .catch((err: unknown) => {
          this.roleNames.delete(guid); // try again on the next load
          if (isAbort(err)) throw err;
          return guid;
        });
      this.roleNames.set(guid, name);
    }
    return name;
  }
}

export function guidOf(roleDefinitionId: string): string {
  return (roleDefinitionId.split('/').pop() ?? '').toLowerCase();
}

/** The account, its tenants and each tenant's subscriptions (with the user's object id per tenant). */
export async function loadDirectory(ctx: LoadContext, signal: AbortSignal): Promise<Directory> {
  const home = await ctx.objectId(undefined, signal);
  const account: AccountInfo = { label: home.label, method: ctx.methodLabel };
  const tenantList = await ctx.limiter.run(async () => {
    const out = [];
    for await (const t of ctx.clients().subscriptions().tenants.list({ abortSignal: signal })) out.push(t);
    return out;
  });
  const seenSubscriptions = new Set<string>();
  const tenants = await mapLimit(
    tenantList.filter((t) => t.tenantId),
    PARALLEL_REQUESTS,
    async (t): Promise<TenantRef> => {
      const tenantId = t.tenantId as string;
      const ref: TenantRef = {
        tenantId,
        displayName: t.displayName ?? t.defaultDomain ?? tenantId,
        ...(t.defaultDomain ? { defaultDomain: t.defaultDomain } : {}),
        subscriptions: [],
      };
      try {
        const who = await ctx.objectId(tenantId, signal);
        if (who.oid) ref.objectId = who.oid;
        await ctx.limiter.run(async () => {
          for await (const s of ctx.clients(tenantId).subscriptions().subscriptions.list({ abortSignal: signal })) {
            if (!s.subscriptionId) continue;
            ref.subscriptions.push({
              subscriptionId: s.subscriptionId,
              displayName: s.displayName ?? s.subscriptionId,
              tenantId: s.tenantId ?? tenantId,
            });
          }
        });
      } catch (err) {
        if (isAbort(err)) throw err;
        ref.error = describeError(err);
      }
      return ref;
    },
    signal,
  );
  // A subscription can be listed by several tenants (delegated access); show it under the first.
  for (const t of tenants) {
    t.subscriptions = t.subscriptions
      .filter((s) =>
        seenSubscriptions.has(s.subscriptionId) ? false : (seenSubscriptions.add(s.subscriptionId), true),
      )
      .sort((a, b) => a.displayName.localeCompare(b.displayName));
  }
  tenants.sort(
    (a, b) =>
      Number(b.tenantId === home.tid) - Number(a.tenantId === home.tid) || a.displayName.localeCompare(b.displayName),
  );
  return { account, ...(home.tid ? { homeTenantId: home.tid } : {}), tenants };
}

/** Role assignments of the signed-in principal in every subscription, one subscription failing alone. */
export async function loadAccess(ctx: LoadContext, directory: Directory, signal: AbortSignal): Promise<AccessModel> {
  const tenants: TenantAccess[] = await Promise.all(
    directory.tenants.map(async (t): Promise<TenantAccess> => {
      const subscriptions = await Promise.all(t.subscriptions.map((s) => loadSubscription(ctx, t, s, signal)));
      return {
        tenantId: t.tenantId,
        displayName: t.displayName,
        ...(t.defaultDomain ? { defaultDomain: t.defaultDomain } : {}),
        ...(t.objectId ? { objectId: t.objectId } : {}),
        subscriptions,
        ...(t.error ? { error: t.error } : {}),
      };
    }),
  );
  return { account: directory.account, tenants, requests: ctx.requests };
}

async function loadSubscription(
  ctx: LoadContext,
  tenant: TenantRef,
  sub: SubscriptionRef,
  signal: AbortSignal,
): Promise<SubscriptionAccess> {
  const base = { subscriptionId: sub.subscriptionId, displayName: sub.displayName, tenantId: sub.tenantId };
  try {
    const oid = sub.tenantId === tenant.tenantId ? tenant.objectId : (await ctx.objectId(sub.tenantId, signal)).oid;
    const { assignments, tenantId } = await withTenantRecovery(ctx, sub.tenantId, oid, signal, (tid, principal) =>
      listAssignments(ctx, tid, sub.subscriptionId, `assignedTo('${principal}')`, principal, signal),
    );
    return { ...base, tenantId, assignments };
  } catch (err) {
    if (isAbort(err)) throw err;
    return { ...base, assignments: [], error: describeError(err) };
  }
}

/**
 * Runs `fn` with a tenant's token; when ARM answers `401 InvalidAuthenticationTokenTenant` (the subscription lives
 * in another tenant), gets that tenant's token and object id and runs it once more.
 */
export async function withTenantRecovery<T>(
  ctx: LoadContext,
  tenantId: string,
  objectId: string | undefined,
  signal: AbortSignal,
  fn: (tenantId: string, objectId: string) => Promise<T>,
): Promise<{ tenantId: string } & T> {
  if (!objectId) throw new Error('The token has no object id (oid) claim.');
  try {
    return { tenantId, ...(await fn(tenantId, objectId)) };
  } catch (err) {
    const other = tenantFromChallenge(err);
    if (!other || other === tenantId) throw err;
    const who = await ctx.objectId(other, signal);
    if (!who.oid) throw err;
    return { tenantId: other, ...(await fn(other, who.oid)) };
  }
}

/** `roleAssignments.listForSubscription` with a filter, every page, names resolved. */
async function listAssignments(
  ctx: LoadContext,
  tenantId: string,
  subscriptionId: string,
  filter: string,
  objectId: string,
  signal: AbortSignal,
): Promise<{ assignments: AssignmentView[] }> {
  const raw = await ctx.limiter.run(async () => {
    const out = [];
    const pages = ctx.clients(tenantId).authorization(subscriptionId).roleAssignments.listForSubscription({
      filter,
      abortSignal: signal,
    });
    for await (const a of pages) out.push(a);
    return out;
  });
  const assignments = await Promise.all(raw.map((a) => toView(ctx, a, objectId, subscriptionId, tenantId)));
  return { assignments };
}

interface RawAssignment {
  id?: string;
  scope?: string;
  roleDefinitionId?: string;
  principalId?: string;
  principalType?: string;
  condition?: string;
}

export async function toView(
  ctx: LoadContext,
  a: RawAssignment,
  objectId: string,
  subscriptionId: string,
  tenantId: string,
): Promise<AssignmentView> {
  const roleDefinitionId = a.roleDefinitionId ?? '';
  return {
    id: a.id ?? '',
    scope: a.scope ?? '',
    roleDefinitionId,
    roleGuid: guidOf(roleDefinitionId),
    roleName: await ctx.roleName(roleDefinitionId, subscriptionId, tenantId),
    principalId: a.principalId ?? '',
    ...(a.principalType ? { principalType: a.principalType } : {}),
    viaGroup: (a.principalId ?? '').toLowerCase() !== objectId.toLowerCase(),
    ...(a.condition ? { condition: a.condition } : {}),
  };
}
