/**
 * Azure Resource Manager clients pointed at the configured cloud: the real SDK clients for subscriptions, role
 * assignments / definitions and managed identities, and one generic GET (with paging) for resource lookups.
 * Every client shares the options that matter: endpoint, token scope, private CA, retry policy (which honours
 * `Retry-After` on 429) and a request counter.
 */
import type { TokenCredential } from '@azure/core-auth';
import { ServiceClient, type CommonClientOptions } from '@azure/core-client';
import { createPipelineRequest, RestError, type PipelinePolicy } from '@azure/core-rest-pipeline';
import { AuthorizationManagementClient } from '@azure/arm-authorization';
import { SubscriptionClient } from '@azure/arm-resources-subscriptions';
import { ManagedServiceIdentityClient } from '@azure/arm-msi';
import { armScope } from './credentials';
import type { CloudEndpoints } from './model';

/** Per-request time limit; a hung connection becomes an "offline" item instead of a spinner. */
export const REQUEST_TIMEOUT_MS = 30_000;

export interface ArmEnvironment {
  readonly cloud: CloudEndpoints;
  /** Called once per HTTP request sent (retries included) with method and URL; never with headers. */
  readonly onRequest?: (method: string, url: string) => void;
}

export class ArmClients {
  private readonly options: CommonClientOptions & { endpoint: string; credentialScopes: string[] };

  constructor(
    env: ArmEnvironment,
    private readonly credential: TokenCredential,
  ) {
    const counter: PipelinePolicy = {
      name: 'fluxAzureRequestCounter',
      sendRequest: (request, next) => {
        env.onRequest?.(request.method, request.url);
        return next(request);
      },
    };
    this.options = {
      endpoint: env.cloud.armEndpoint.replace(/\/+$/, ''),
      credentialScopes: [armScope(env.cloud)],
      retryOptions: { maxRetries: 3, maxRetryDelayInMs: 30_000 },
      userAgentOptions: { userAgentPrefix: 'flux-azure-vscode' },
      additionalPolicies: [{ policy: counter, position: 'perRetry' }],
      ...(env.cloud.caPem ? { tlsOptions: { ca: env.cloud.caPem } } : {}),
    };
  }

  subscriptions(): SubscriptionClient {
    return new SubscriptionClient(this.credential, this.options);
  }

  authorization(subscriptionId: string): AuthorizationManagementClient {
    return new AuthorizationManagementClient(this.credential, subscriptionId, this.options);
  }

  identities(subscriptionId: string): ManagedServiceIdentityClient {
    return new ManagedServiceIdentityClient(this.credential, subscriptionId, this.options);
  }

  /** GET `path` (relative to the ARM endpoint, with its query) and every `nextLink` page; returns all `value` items. */
  async listAll<T>(path: string, abortSignal?: AbortSignal): Promise<T[]> {
    const client = new ServiceClient({ ...this.options, credential: this.credential });
    const out: T[] = [];
    let url: string | undefined = `${this.options.endpoint}${path}`;
    for (let page = 0; url && page < 100; page++) {
      const response = await client.sendRequest(
        createPipelineRequest({ url, method: 'GET', abortSignal, timeout: REQUEST_TIMEOUT_MS }),
      );
      const body = response.bodyAsText ? (JSON.parse(response.bodyAsText) as unknown) : undefined;
      if (response.status >= 400) {
        const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
        throw new RestError(error?.message ?? `GET ${path} failed with ${response.status}`, {
          code: error?.code,
          statusCode: response.status,
          request: response.request,
          response,
        });
      }
      const data = body as { value?: T[]; nextLink?: string } | undefined;
      out.push(...(data?.value ?? []));
      url = data?.nextLink;
    }
    return out;
  }
}
