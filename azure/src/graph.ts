/**
 * App registrations (certificate and secret identities, and workload identities that are not managed identities)
 * through Microsoft Graph, with a Graph token of the same sign-in (scope `<graph endpoint>/.default`): the service
 * principal of a client id (its object id, which role assignments and access policies name), and the application
 * object with its federated identity credentials. One read per client id and kind per run, through ARM's pipeline
 * (retries, time limits, redaction, counting). Reading them needs a directory permission (Application.Read.All or
 * Directory.Read.All); where Graph refuses, the answer says what could not be read.
 */
import type { LoadContext } from './access';
import type { CloudEndpoints } from './model';
import { describeError, isAbort } from './errors';
import type { CredentialView, Lookup } from './readiness';

const GRAPH_VERSION = 'v1.0';

/** A service principal or application as much as the checks read (`id` is the directory object id). */
export interface DirectoryObject {
  id: string;
  appId: string;
  displayName: string;
}

interface FederatedCredentialJson {
  name?: string;
  issuer?: string;
  subject?: string;
  audiences?: string[];
}

/** Why Graph could not answer; a sign-in without a Graph token is not "not signed in" (ARM's token worked). */
function graphReason(d: { kind: string; message: string }): string {
  return d.kind === 'signedOut' ? `the sign-in gave no Microsoft Graph token (${d.message})` : d.message;
}

export class GraphDirectory {
  private readonly principals = new Map<string, Promise<Lookup<DirectoryObject | undefined>>>();
  private readonly applications = new Map<string, Promise<Lookup<DirectoryObject | undefined>>>();
  private readonly credentials = new Map<string, Promise<Lookup<CredentialView[]>>>();

  constructor(
    private readonly ctx: LoadContext,
    private readonly service: { endpoint: string; scope: string },
    private readonly signal: AbortSignal,
  ) {}

  /** The Graph of the cloud, or none when the cloud has no Graph endpoint configured. */
  static of(ctx: LoadContext, cloud: CloudEndpoints, signal: AbortSignal): GraphDirectory | undefined {
    const endpoint = cloud.graphEndpoint?.trim().replace(/\/+$/, '');
    return endpoint ? new GraphDirectory(ctx, { endpoint, scope: `${endpoint}/.default` }, signal) : undefined;
  }

  /** The service principal of client id `appId` in tenant `tenantId`'s directory; undefined value: none there. */
  servicePrincipal(appId: string, tenantId: string | undefined): Promise<Lookup<DirectoryObject | undefined>> {
    return this.object(this.principals, 'servicePrincipals', 'the service principal', appId, tenantId);
  }

  /** The application object (the app registration) of client id `appId`; undefined value: not registered there. */
  application(appId: string, tenantId: string | undefined): Promise<Lookup<DirectoryObject | undefined>> {
    return this.object(this.applications, 'applications', 'the app registration', appId, tenantId);
  }

  /** The federated identity credentials of an application (by its object id), every page. */
  federatedCredentials(app: DirectoryObject, tenantId: string | undefined): Promise<Lookup<CredentialView[]>> {
    const key = `${tenantId ?? ''}|${app.id.toLowerCase()}`;
    let found = this.credentials.get(key);
    if (!found) {
      found = this.ctx.limiter
        .run(() =>
          this.ctx
            .clients(tenantId, this.service)
            .listAll<FederatedCredentialJson>(
              `/${GRAPH_VERSION}/applications/${encodeURIComponent(app.id)}/federatedIdentityCredentials`,
              this.signal,
            ),
        )
        .then(
          (list): Lookup<CredentialView[]> => ({
            value: list.map((c) => ({
              name: c.name ?? '',
              issuer: c.issuer ?? '',
              subject: c.subject ?? '',
              audiences: c.audiences ?? [],
            })),
          }),
          (err: unknown): Lookup<CredentialView[]> => {
            if (isAbort(err)) throw err;
            return { error: `Microsoft Graph: ${graphReason(describeError(err))}` };
          },
        );
      this.credentials.set(key, found);
    }
    return found;
  }

  private object(
    cache: Map<string, Promise<Lookup<DirectoryObject | undefined>>>,
    collection: 'servicePrincipals' | 'applications',
    what: string,
    appId: string,
    tenantId: string | undefined,
  ): Promise<Lookup<DirectoryObject | undefined>> {
    const key = `${tenantId ?? ''}|${appId.toLowerCase()}`;
    let found = cache.get(key);
    if (!found) {
      // The `appId` alternate key: one GET, 404 when the directory has no such object.
      const path = `/${GRAPH_VERSION}/${collection}(appId='${encodeURIComponent(appId)}')?$select=id,appId,displayName`;
      found = this.ctx.limiter
        .run(() => this.ctx.clients(tenantId, this.service).getJson<Partial<DirectoryObject>>(path, this.signal))
        .then(
          (json): Lookup<DirectoryObject | undefined> =>
            json?.id
              ? { value: { id: json.id, appId: json.appId ?? appId, displayName: json.displayName ?? appId } }
              : { value: undefined },
          (err: unknown): Lookup<DirectoryObject | undefined> => {
            if (isAbort(err)) throw err;
            const d = describeError(err);
            if (d.kind === 'notFound') return { value: undefined };
            return { error: `Microsoft Graph could not read ${what} of client id ${appId}: ${graphReason(d)}` };
          },
        );
      cache.set(key, found);
    }
    return found;
  }
}
