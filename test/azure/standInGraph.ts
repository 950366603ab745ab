/**
 * The stand-in's resource listings beyond the SDK-shaped routes: Azure Resource Graph's `resources` query
 * (Microsoft.ResourceGraph 2022-10-01: `QueryRequest` in, `QueryResponse` with `objectArray` data and `$skipToken`
 * paging out) and the providers' subscription-wide lists (vaults, registries, storage accounts, Event Hubs
 * namespaces: ARM envelopes with `properties`). Answered from `world.ts`.
 *
 * The query language is not implemented: the stand-in understands the one query shape readiness sends — a
 * `where type in~ (...)` over `resources`, optionally unioned with the `resourcecontainers` subscriptions — and
 * answers 400 InvalidQuery to anything else, as Resource Graph does to a query it cannot parse.
 */
import type { Claims, Exchange } from './standInServer';
import {
  AKS_CLUSTERS,
  IDENTITIES,
  RESOURCES,
  RESOURCE_PROPERTIES,
  SUBSCRIPTIONS,
  principalOf,
  type AksCluster,
} from './world';

/** Resource Graph rows per page (small, so that examples/ pages). */
const GRAPH_PAGE_SIZE = 7;

const lower = (s: string) => s.toLowerCase();

type Subscription = (typeof SUBSCRIPTIONS)[number];

interface Row {
  id: string;
  name: string;
  type: string;
  subscriptionId: string;
  properties?: Record<string, unknown>;
}

function typeOf(id: string): string {
  const parts = id.split('/');
  return `${parts[parts.length - 3]}/${parts[parts.length - 2]}`;
}

/** An identity's ARM id (every identity of the world lives in resource group rg-fleet-identities). */
export function identityId(sub: string, name: string): string {
  return `/subscriptions/${sub}/resourceGroups/rg-fleet-identities/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}`;
}

/** A managed cluster (Microsoft.ContainerService managedClusters shape, the parts the client reads and a few more). */
export function clusterJson(c: AksCluster) {
  const name = c.id.split('/').pop()!;
  return {
    id: c.id,
    name,
    type: 'Microsoft.ContainerService/ManagedClusters',
    location: 'westeurope',
    properties: {
      provisioningState: 'Succeeded',
      kubernetesVersion: '1.33.2',
      dnsPrefix: name,
      fqdn: `${name}-dns.hcp.westeurope.azmk8s.contoso-private.test`,
      enableRBAC: true,
      oidcIssuerProfile: { enabled: c.oidcEnabled, ...(c.issuer ? { issuerURL: c.issuer } : {}) },
      securityProfile: { workloadIdentity: { enabled: c.workloadIdentity } },
    },
  };
}

/** Every resource of a subscription, as ARM envelopes with their properties. */
function resourcesOf(sub: Subscription): Row[] {
  const rows: Row[] = [];
  for (const i of IDENTITIES.filter((x) => x.subscription === sub.id))
    rows.push({
      id: identityId(sub.id, i.name),
      name: i.name,
      type: 'Microsoft.ManagedIdentity/userAssignedIdentities',
      subscriptionId: sub.id,
      properties: { tenantId: sub.tenantId, principalId: principalOf(i.clientId), clientId: i.clientId },
    });
  for (const c of AKS_CLUSTERS.filter((x) => lower(x.id).startsWith(`/subscriptions/${sub.id}/`))) {
    const json = clusterJson(c);
    rows.push({ id: c.id, name: json.name, type: json.type, subscriptionId: sub.id, properties: json.properties });
  }
  for (const id of RESOURCES.filter((x) => lower(x).startsWith(`/subscriptions/${sub.id}/`)))
    rows.push({
      id,
      name: id.split('/').pop()!,
      type: typeOf(id),
      subscriptionId: sub.id,
      properties: RESOURCE_PROPERTIES[id] ?? {},
    });
  return rows;
}

/** `GET /subscriptions/{s}/providers/{namespace}/{type}`: the subscription's resources of that type (paged). */
export function providerList(
  ex: Exchange,
  sub: Subscription,
  type: string,
  page: (ex: Exchange, items: unknown[]) => number,
): number {
  const rows = resourcesOf(sub).filter((r) => lower(r.type) === lower(type));
  return page(
    ex,
    rows.map((r) => ({ id: r.id, name: r.name, type: r.type, location: 'westeurope', properties: r.properties })),
  );
}

/** The query readiness sends: the types asked for, and whether the readable subscriptions are asked for too. */
function parseQuery(query: string): { types: Set<string>; subscriptions: boolean } | undefined {
  const m =
    /^resources \| where type in~ \(([^)]*)\) \| project id, name, type, subscriptionId, properties( \| union \(resourcecontainers \| where type =~ 'microsoft\.resources\/subscriptions' \| project id, name, type, subscriptionId\))?$/i.exec(
      query.trim(),
    );
  if (!m) return undefined;
  const types = new Set(m[1]!.split(',').map((t) => lower(t.trim().replace(/^'|'$/g, ''))));
  return { types, subscriptions: !!m[2] };
}

/**
 * `POST /providers/Microsoft.ResourceGraph/resources`: the resources of every subscription of the token's tenant
 * that the caller may read (a forbidden subscription is simply absent, as in Resource Graph).
 */
export async function resourceGraph(ex: Exchange, claims: Claims): Promise<number> {
  let request: { query?: string; subscriptions?: string[]; options?: { $skipToken?: string; $top?: number } };
  try {
    request = JSON.parse(await ex.body()) as typeof request;
  } catch {
    return ex.armError(400, 'BadRequest', 'The request body is not valid JSON.');
  }
  const parsed = parseQuery(request.query ?? '');
  if (!parsed)
    return ex.json(400, {
      error: {
        code: 'BadRequest',
        message: 'Please provide below info when asking for support: timestamp = stand-in.',
        details: [{ code: 'InvalidQuery', message: 'Query is invalid. Please refer to the documentation.' }],
      },
    });
  const readable = SUBSCRIPTIONS.filter(
    (s) =>
      s.tenantId === claims.tid &&
      !s.forbidden &&
      (!request.subscriptions || request.subscriptions.map(lower).includes(s.id)),
  );
  const rows: Row[] = [];
  for (const s of readable) {
    rows.push(...resourcesOf(s).filter((r) => parsed.types.has(lower(r.type))));
    if (parsed.subscriptions)
      rows.push({
        id: `/subscriptions/${s.id}`,
        name: s.name,
        type: 'microsoft.resources/subscriptions',
        subscriptionId: s.id,
      });
  }
  // Resource Graph answers types in lower case.
  const data = rows.map((r) => ({ ...r, type: lower(r.type) }));
  const skip = Number(Buffer.from(request.options?.$skipToken ?? '', 'base64').toString('utf8') || 0);
  const size = Math.min(request.options?.$top ?? GRAPH_PAGE_SIZE, GRAPH_PAGE_SIZE);
  const pageRows = data.slice(skip, skip + size);
  return ex.json(200, {
    totalRecords: data.length,
    count: pageRows.length,
    resultTruncated: 'false',
    ...(skip + size < data.length ? { $skipToken: Buffer.from(String(skip + size)).toString('base64') } : {}),
    data: pageRows,
    facets: [],
  });
}
