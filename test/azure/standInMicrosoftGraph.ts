/**
 * The stand-in's Microsoft Graph (v1.0): service principals and applications by their `appId` alternate key
 * (`/servicePrincipals(appId='…')`, `/applications(appId='…')`, `$select` honoured), and an application's
 * `federatedIdentityCredentials` (paged with `@odata.nextLink`), answered from `world.ts` in the shapes of the
 * public Graph docs, with Graph's refusals: 401 InvalidAuthenticationToken for a token whose audience is not Graph
 * (an ARM token), 404 Request_ResourceNotFound for an object the tenant's directory does not have.
 */
import type { Exchange } from './standInServer';
import { APP_REGISTRATIONS, T1, applicationObjectOf, principalOf } from './world';

const PAGE_SIZE = 1;

/** Graph's error body: `{ error: { code, message, innerError } }`. */
function graphError(ex: Exchange, status: number, code: string, message: string): number {
  return ex.json(status, {
    error: {
      code,
      message,
      innerError: { date: new Date().toISOString(), 'request-id': 'stand-in', 'client-request-id': 'stand-in' },
    },
  });
}

/** The fields `$select` asks for (all when it is absent). */
function selected(ex: Exchange, object: Record<string, unknown>): Record<string, unknown> {
  const select = ex.url.searchParams.get('$select');
  if (!select) return object;
  const keep = new Set(select.split(',').map((s) => s.trim()));
  return Object.fromEntries(Object.entries(object).filter(([k]) => keep.has(k)));
}

/** Answers a request under `/v1.0/` (the status sent), or undefined for any other path. */
export function answerMicrosoftGraph(ex: Exchange, arrivedAt: number): number | undefined {
  if (!ex.path.startsWith('/v1.0/')) return undefined;
  const claims = ex.claims();
  if (!claims || claims.aud.replace(/\/$/, '') !== ex.base || claims.exp * 1000 < arrivedAt)
    return graphError(ex, 401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.');
  const path = decodeURIComponent(ex.path);
  // Contoso's directory holds the app registrations; another tenant's token finds none of them.
  const apps = claims.tid === T1 ? APP_REGISTRATIONS : [];
  const byKey = /^\/v1\.0\/(servicePrincipals|applications)\(appId='([^']+)'\)$/.exec(path);
  if (byKey) {
    const app = apps.find((a) => a.appId === byKey[2]!.toLowerCase());
    if (!app)
      return graphError(
        ex,
        404,
        'Request_ResourceNotFound',
        `Resource '${byKey[2]}' does not exist or one of its queried reference-property objects are not present.`,
      );
    const collection = byKey[1]!;
    const object =
      collection === 'servicePrincipals'
        ? {
            id: principalOf(app.appId),
            appId: app.appId,
            displayName: app.displayName,
            servicePrincipalType: 'Application',
            accountEnabled: true,
            appOwnerOrganizationId: T1,
          }
        : {
            id: applicationObjectOf(app.appId),
            appId: app.appId,
            displayName: app.displayName,
            signInAudience: 'AzureADMyOrg',
          };
    return ex.json(200, {
      '@odata.context': `${ex.base}/v1.0/$metadata#${collection}/$entity`,
      ...selected(ex, object),
    });
  }
  const fics = /^\/v1\.0\/applications\/([^/]+)\/federatedIdentityCredentials$/.exec(path);
  if (fics) {
    const app = apps.find((a) => applicationObjectOf(a.appId) === fics[1]);
    if (!app) return graphError(ex, 404, 'Request_ResourceNotFound', `Resource '${fics[1]}' does not exist.`);
    const skip = Number(ex.url.searchParams.get('$skiptoken') ?? 0);
    const value = app.credentials.slice(skip, skip + PAGE_SIZE).map((c) => ({
      id: `${applicationObjectOf(app.appId).slice(0, 24)}${c.name.length.toString(16).padStart(12, '0')}`,
      name: c.name,
      issuer: c.issuer,
      subject: c.subject,
      description: null,
      audiences: c.audiences,
    }));
    const more = skip + PAGE_SIZE < app.credentials.length;
    return ex.json(200, {
      '@odata.context': `${ex.base}/v1.0/$metadata#applications('${fics[1]}')/federatedIdentityCredentials`,
      ...(more ? { '@odata.nextLink': `${ex.base}${ex.path}?$skiptoken=${skip + PAGE_SIZE}` } : {}),
      value,
    });
  }
  return graphError(ex, 400, 'BadRequest', `Resource not found for the segment '${path.split('/')[2] ?? ''}'.`);
}
