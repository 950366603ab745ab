/**
 * What readiness needs to know about a tenant's resources, in a bounded number of ARM calls: its user-assigned
 * identities (client id -> principal id), its AKS clusters (OIDC issuer, workload identity) and the resources the
 * integrations point at, with their `properties` (vault permission model, registry mode, local auth).
 *
 * One Azure Resource Graph query per tenant (paged with `$skipToken`) where the caller may use it; otherwise one
 * list per subscription and resource type (the providers' own lists, which carry `properties`). Either way every
 * resource comes with its properties, so no resource is read on its own. All calls go through the run's limiter.
 */
import { describeError, isAbort } from './errors';
import type { LoadContext, TenantRef } from './access';
import { mapLimit } from './limit';
import type { ClusterFacts, ResourceProperties } from './readiness';

/** api-version of Resource Graph's `resources` query (Microsoft.ResourceGraph, stable). */
const RESOURCE_GRAPH_API_VERSION = '2022-10-01';
const RESOURCE_GRAPH_PATH = `/providers/Microsoft.ResourceGraph/resources?api-version=${RESOURCE_GRAPH_API_VERSION}`;
/** Rows per Resource Graph page (its maximum). */
const RESOURCE_GRAPH_PAGE = 1000;
/** Pages followed at most (of either kind of listing). */
const MAX_PAGES = 100;

const IDENTITY_TYPE = 'Microsoft.ManagedIdentity/userAssignedIdentities';
export const AKS_TYPE = 'Microsoft.ContainerService/managedClusters';
const SUBSCRIPTION_TYPE = 'microsoft.resources/subscriptions';

/**
 * api-versions of the providers' subscription-wide lists (stable versions of the public REST API specs) by
 * resource type, lower case; each list answers the properties the checks read: `enableRbacAuthorization` /
 * `accessPolicies` (vaults), `roleAssignmentMode` (registries), `allowSharedKeyAccess` (storage),
 * `disableLocalAuth` (Event Hubs), `oidcIssuerProfile` / `securityProfile.workloadIdentity` (AKS), `clientId` /
 * `principalId` (identities).
 */
export const LIST_API_VERSIONS: Readonly<Record<string, string>> = {
  'microsoft.keyvault/vaults': '2024-11-01',
  'microsoft.containerregistry/registries': '2025-11-01',
  'microsoft.storage/storageaccounts': '2024-01-01',
  'microsoft.eventhub/namespaces': '2024-01-01',
  'microsoft.containerservice/managedclusters': '2024-10-01',
  'microsoft.managedidentity/userassignedidentities': '2024-11-30',
};
/** Of a type no list above knows (`properties` then may be partial). */
const GENERIC_API_VERSION = '2021-04-01';

/** A user-assigned identity as listed. */
export interface IdentityRecord {
  principalId: string;
  id: string;
  name: string;
  /** The tenant whose token listed it (and reads its credentials). */
  tenantId: string;
}

/** A resource as listed: its ARM id, the tenant whose token listed it, its `properties`. */
export interface ResourceRecord {
  id: string;
  tenantId: string;
  properties?: ResourceProperties;
}

/** What one tenant's listing found, and which of its subscriptions it could and could not search. */
export interface Inventory {
  /** Client id (lower case) -> identity. */
  identities: Map<string, IdentityRecord>;
  /** `type/name` (lower case) -> resource. */
  resources: Map<string, ResourceRecord>;
  clusters: ClusterFacts[];
  /** Subscriptions (lower case) searched. */
  searched: Set<string>;
  /** Subscription (lower case) -> `Name (why)`, for those that could not be searched. */
  failures: Map<string, string>;
}

/** An ARM envelope as both listings return it (Resource Graph rows add `subscriptionId`, `tenantId`). */
interface ResourceJson {
  id?: string;
  name?: string;
  type?: string;
  subscriptionId?: string;
  properties?: Record<string, unknown> & ResourceProperties;
}

function emptyInventory(): Inventory {
  return { identities: new Map(), resources: new Map(), clusters: [], searched: new Set(), failures: new Map() };
}

/** The facts of a managed cluster's JSON (as much as the federation check reads). */
export function clusterFacts(json: ResourceJson, from: string): ClusterFacts {
  const id = json.id ?? '';
  const p = json.properties as
    | {
        oidcIssuerProfile?: { enabled?: boolean; issuerURL?: string };
        securityProfile?: { workloadIdentity?: { enabled?: boolean } };
      }
    | undefined;
  const oidc = p?.oidcIssuerProfile;
  const wi = p?.securityProfile?.workloadIdentity?.enabled;
  return {
    id,
    name: json.name ?? id.split('/').pop() ?? '',
    ...(oidc?.issuerURL ? { issuerUrl: oidc.issuerURL } : {}),
    ...(oidc?.enabled !== undefined ? { oidcEnabled: oidc.enabled } : {}),
    ...(wi !== undefined ? { workloadIdentity: wi } : {}),
    from,
  };
}

/** `Microsoft.X/y` of an ARM id (the last provider segment pair before the name). */
function typeOfId(id: string): string {
  return /\/providers\/([^/]+\/[^/]+)\/[^/]+$/.exec(id)?.[1] ?? '';
}

/** Files one listed resource of `type` (as ARM spells it, any case) into the inventory. */
function add(inv: Inventory, r: ResourceJson, tenantId: string): void {
  if (!r.id) return;
  const type = (r.type ?? typeOfId(r.id)).toLowerCase();
  const name = r.name ?? r.id.split('/').pop() ?? '';
  const p = r.properties ?? {};
  if (type === IDENTITY_TYPE.toLowerCase()) {
    const clientId = typeof p.clientId === 'string' ? p.clientId : undefined;
    const principalId = typeof p.principalId === 'string' ? p.principalId : undefined;
    if (clientId && principalId) inv.identities.set(clientId.toLowerCase(), { principalId, id: r.id, name, tenantId });
  } else if (type === AKS_TYPE.toLowerCase()) inv.clusters.push(clusterFacts(r, 'found automatically'));
  else inv.resources.set(`${type}/${name.toLowerCase()}`, { id: r.id, tenantId, properties: p });
}

/** The Resource Graph query: the types' resources with their properties, and the subscriptions it could read. */
function resourceGraphQuery(types: readonly string[]): string {
  const list = [...new Set(types.map((t) => t.toLowerCase()))].map((t) => `'${t.replace(/'/g, '')}'`).join(', ');
  return [
    'resources',
    `| where type in~ (${list})`,
    '| project id, name, type, subscriptionId, properties',
    `| union (resourcecontainers | where type =~ '${SUBSCRIPTION_TYPE}' | project id, name, type, subscriptionId)`,
  ].join(' ');
}

interface QueryResponse {
  data?: ResourceJson[];
  $skipToken?: string;
  resultTruncated?: 'true' | 'false';
}

/** One query for the tenant (and its pages); throws when Resource Graph cannot answer. */
async function viaResourceGraph(
  ctx: LoadContext,
  tenant: TenantRef,
  types: readonly string[],
  signal: AbortSignal,
): Promise<Inventory> {
  const inv = emptyInventory();
  const query = resourceGraphQuery(types);
  let skipToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await ctx.limiter.run(() =>
      ctx.clients(tenant.tenantId).postJson<QueryResponse>(
        RESOURCE_GRAPH_PATH,
        {
          query,
          options: {
            resultFormat: 'objectArray',
            $top: RESOURCE_GRAPH_PAGE,
            ...(skipToken ? { $skipToken: skipToken } : {}),
          },
        },
        signal,
      ),
    );
    if (answer?.resultTruncated === 'true' && !answer.$skipToken)
      throw new Error('Resource Graph truncated its answer without a way to page on.');
    for (const row of answer?.data ?? []) {
      if (row.type?.toLowerCase() === SUBSCRIPTION_TYPE) {
        if (row.subscriptionId) inv.searched.add(row.subscriptionId.toLowerCase());
      } else add(inv, row, tenant.tenantId);
    }
    skipToken = answer?.$skipToken;
    if (!skipToken) break;
  }
  // A subscription of the tenant's list that Resource Graph did not answer for: its resources are unknown.
  for (const s of tenant.subscriptions)
    if (!inv.searched.has(s.subscriptionId.toLowerCase()))
      inv.failures.set(s.subscriptionId.toLowerCase(), `${s.displayName} (not readable)`);
  return inv;
}

/** One list per subscription and type (identities and clusters included); a subscription failing alone. */
async function viaSubscriptions(
  ctx: LoadContext,
  tenant: TenantRef,
  types: readonly string[],
  signal: AbortSignal,
): Promise<Inventory> {
  const inv = emptyInventory();
  const work = tenant.subscriptions.flatMap((s) => types.map((type) => ({ s, type })));
  const failed = new Set<string>();
  const listed = new Set<string>();
  await mapLimit(
    work,
    work.length || 1,
    async ({ s, type }) => {
      const version = LIST_API_VERSIONS[type.toLowerCase()] ?? GENERIC_API_VERSION;
      try {
        const list = await ctx.limiter.run(() =>
          ctx
            .clients(s.tenantId)
            .listAll<ResourceJson>(
              `/subscriptions/${s.subscriptionId}/providers/${type}?api-version=${version}`,
              signal,
            ),
        );
        for (const r of list) add(inv, { ...r, type: r.type ?? type }, s.tenantId);
        listed.add(s.subscriptionId.toLowerCase());
      } catch (err) {
        if (isAbort(err)) throw err;
        const d = describeError(err);
        // A subscription of another tenant (a delegated one) is that tenant's to search, not a failure here.
        if (d.kind === 'wrongTenant') return;
        failed.add(s.subscriptionId.toLowerCase());
        inv.failures.set(s.subscriptionId.toLowerCase(), `${s.displayName} (${d.kind})`);
      }
    },
    signal,
  );
  for (const id of listed) if (!failed.has(id)) inv.searched.add(id);
  return inv;
}

/**
 * The inventory of a tenant: Resource Graph, or — when it cannot answer (not permitted, not registered, throttled
 * beyond the wait bound, a gateway error) — the per-subscription lists. `types` are the resource types asked for
 * besides identities and clusters.
 */
export async function loadInventory(
  ctx: LoadContext,
  tenant: TenantRef,
  types: readonly string[],
  signal: AbortSignal,
): Promise<Inventory> {
  if (tenant.subscriptions.length === 0) return emptyInventory();
  const all = [...new Set([IDENTITY_TYPE, AKS_TYPE, ...types])];
  try {
    return await viaResourceGraph(ctx, tenant, all, signal);
  } catch (err) {
    if (isAbort(err)) throw err;
    return viaSubscriptions(ctx, tenant, all, signal);
  }
}

/** Several tenants' inventories as one; a subscription searched by any of them is no failure. */
export function mergeInventories(list: readonly Inventory[]): Inventory {
  const out = emptyInventory();
  for (const inv of list) {
    for (const [k, v] of inv.identities) if (!out.identities.has(k)) out.identities.set(k, v);
    for (const [k, v] of inv.resources) if (!out.resources.has(k)) out.resources.set(k, v);
    for (const c of inv.clusters)
      if (!out.clusters.some((x) => x.id.toLowerCase() === c.id.toLowerCase())) out.clusters.push(c);
    for (const s of inv.searched) out.searched.add(s);
  }
  for (const inv of list) for (const [k, v] of inv.failures) if (!out.searched.has(k)) out.failures.set(k, v);
  return out;
}
