/**
 * The stand-in's Azure DevOps graph API (vssps): the organization's service principals (`GraphServicePrincipal`),
 * its groups (`GraphGroup`) and memberships (`GraphMembership`, `direction=up`), answered from `world.ts`, with
 * Azure DevOps' own refusals: 401 for a token that is not an Azure DevOps token of the organization's tenant
 * (TF400813), 404 for an unknown organization. Lists page with the `x-ms-continuationtoken` header.
 */
import type { Exchange } from './standInServer';
import { AZURE_DEVOPS_SCOPE } from '../../server/src/catalog';
import {
  DEVOPS_GROUPS,
  DEVOPS_MEMBERS,
  DEVOPS_NESTED_GROUPS,
  DEVOPS_ORG,
  DEVOPS_TENANT,
  IDENTITIES,
  principalOf,
} from './world';

const PAGE_SIZE = 2;
const DEVOPS_AUDIENCE = AZURE_DEVOPS_SCOPE.replace(/\/\.default$/, '');

/** Azure DevOps' error body: `{ message, typeKey, ... }`. */
function devOpsError(ex: Exchange, status: number, typeKey: string, message: string): number {
  return ex.json(status, {
    $id: '1',
    innerException: null,
    message,
    typeName: `Microsoft.VisualStudio.Services.${typeKey}`,
    typeKey,
    errorCode: 0,
    eventId: 3000,
  });
}

/** A page of `items` (`continuationToken` in, `x-ms-continuationtoken` out). */
function page(ex: Exchange, items: unknown[]): number {
  const skip = Number(ex.url.searchParams.get('continuationToken') ?? 0);
  const value = items.slice(skip, skip + PAGE_SIZE);
  const more = skip + PAGE_SIZE < items.length;
  return ex.json(
    200,
    { count: value.length, value },
    more ? { 'x-ms-continuationtoken': String(skip + PAGE_SIZE) } : {},
  );
}

function servicePrincipals() {
  return DEVOPS_MEMBERS.map((m) => {
    const identity = IDENTITIES.find((i) => i.name === m.identity)!;
    return {
      subjectKind: 'servicePrincipal',
      domain: DEVOPS_TENANT,
      principalName: identity.clientId,
      origin: 'aad',
      originId: principalOf(identity.clientId),
      displayName: identity.name,
      applicationId: identity.clientId,
      descriptor: `aadsp.${identity.name}`,
    };
  });
}

/** Answers a request under `/{organization}/_apis/` (the status sent), or undefined for any other path. */
export function answerDevOps(ex: Exchange, arrivedAt: number): number | undefined {
  const m = /^\/([^/]+)\/_apis\/graph\/(serviceprincipals|groups|memberships\/([^/]+))$/i.exec(ex.path);
  if (!/^\/[^/]+\/_apis\//.test(ex.path)) return undefined;
  const claims = ex.claims();
  if (
    !claims ||
    claims.aud.replace(/\/$/, '') !== DEVOPS_AUDIENCE ||
    claims.exp * 1000 < arrivedAt ||
    claims.tid !== DEVOPS_TENANT
  )
    return devOpsError(
      ex,
      401,
      'UnauthorizedRequestException',
      `TF400813: The user '${claims?.oid ?? ''}' is not authorized to access this resource.`,
    );
  if (!m) return devOpsError(ex, 404, 'RouteNotFoundException', `No stand-in route for ${ex.path}.`);
  if (m[1]!.toLowerCase() !== DEVOPS_ORG)
    return devOpsError(ex, 404, 'AccountNotFoundException', `TF400898: The organization '${m[1]}' was not found.`);
  if (!ex.url.searchParams.get('api-version'))
    return devOpsError(ex, 400, 'VssVersionNotSpecifiedException', 'No api-version was supplied.');
  if (m[2]!.toLowerCase() === 'serviceprincipals') return page(ex, servicePrincipals());
  if (m[2]!.toLowerCase() === 'groups')
    return page(
      ex,
      DEVOPS_GROUPS.map((g) => ({
        subjectKind: 'group',
        origin: 'vsts',
        principalName: g.principalName,
        displayName: g.principalName.split('\\').pop(),
        descriptor: g.descriptor,
      })),
    );
  if (ex.url.searchParams.get('direction')?.toLowerCase() !== 'up') return page(ex, []);
  const member = decodeURIComponent(m[3]!);
  const direct = [
    ...(DEVOPS_MEMBERS.find((x) => `aadsp.${x.identity}` === member)?.groups ?? []),
    ...DEVOPS_NESTED_GROUPS.filter(([inner]) => inner === member).map(([, outer]) => outer),
  ];
  return page(
    ex,
    direct.map((container) => ({ containerDescriptor: container, memberDescriptor: member })),
  );
}
