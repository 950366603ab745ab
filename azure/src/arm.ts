/**
 * Azure Resource Manager clients pointed at the configured cloud: the real SDK clients for subscriptions, role
 * assignments / definitions and managed identities, and one generic GET (with paging) for resource lookups.
 * Every client shares the options that matter: endpoint, token scope, private CA, retry policy (which honours
 * `Retry-After` on 429 / 503, up to a bound), a time limit per request, error messages without credentials and a
 * request counter.
 */
import type { TokenCredential } from '@azure/core-auth';
import { ServiceClient, type CommonClientOptions } from '@azure/core-client';
import {
  createPipelineRequest,
  RestError,
  type PipelinePolicy,
  type PipelineResponse,
} from '@azure/core-rest-pipeline';
import { AuthorizationManagementClient } from '@azure/arm-authorization';
import { SubscriptionClient } from '@azure/arm-resources-subscriptions';
import { ManagedServiceIdentityClient } from '@azure/arm-msi';
import { armScope } from './credentials';
import { RETRY_AFTER_HEADER, TimeoutError } from './errors';
import type { CloudEndpoints } from './model';
import { redactError } from './redact';

/** Per-request time limit (each attempt, body included); a hung connection becomes an error item, not a spinner. */
export const REQUEST_TIMEOUT_MS = 30_000;
/** Longest `Retry-After` (429, 503) waited out before a retry; a longer one fails at once, saying when to retry. */
export const MAX_RETRY_AFTER_MS = 10_000;

/** Bounds of the ARM pipeline; the defaults suit people, tests shrink them. Not user settings. */
export interface ArmTuning {
  /** Time limit of one HTTP attempt, from sending to the last byte of the body. */
  requestTimeoutMs?: number;
  /** Time limit of one `getToken` of the credential (see session.ts). */
  tokenTimeoutMs?: number;
  /** Base delay of the exponential retry on 5xx and network errors. */
  retryDelayMs?: number;
  /** Longest `Retry-After` waited out. */
  maxRetryAfterMs?: number;
}

export interface ArmEnvironment {
  readonly cloud: CloudEndpoints;
  /**
   * Another service of the same sign-in, with ARM's pipeline (retries, time limits, redaction, counting): its
   * endpoint and token scope (Azure DevOps).
   */
  readonly service?: { endpoint: string; scope: string };
  /** Called once per HTTP request sent (retries included) with method and URL; never with headers. */
  readonly onRequest?: (method: string, url: string) => void;
  readonly tuning?: ArmTuning;
}

const RETRY_AFTER_HEADERS = ['retry-after-ms', 'x-ms-retry-after-ms', 'retry-after'];

/** Milliseconds a 429 / 503 asks to wait (the headers the SDK's throttling retry reads), if any. */
function retryAfterMs(response: PipelineResponse): number | undefined {
  if (response.status !== 429 && response.status !== 503) return undefined;
  for (const name of RETRY_AFTER_HEADERS) {
    const value = response.headers.get(name);
    if (value === undefined || value.trim() === '') continue;
    const n = Number(value);
    if (Number.isFinite(n)) return name === 'retry-after' ? n * 1000 : n;
    const date = Date.parse(value);
    if (Number.isFinite(date)) return Math.max(0, date - Date.now());
  }
  return undefined;
}

/**
 * Each attempt gets its own time limit (the SDK's `timeout` option stops at the response headers and surfaces as
 * an `AbortError`, indistinguishable from a refresh): past it the attempt is aborted and fails as `TimeoutError`,
 * which the retry policy does not retry. A cancel from outside (refresh) stays an `AbortError`.
 */
function timeoutPolicy(ms: number, host: string): PipelinePolicy {
  return {
    name: 'fluxAzureTimeout',
    async sendRequest(request, next) {
      const outer = request.abortSignal;
      const controller = new AbortController();
      const onAbort = () => controller.abort();
      if (outer?.aborted) controller.abort();
      outer?.addEventListener('abort', onAbort);
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, ms);
      request.abortSignal = controller.signal;
      try {
        return await next(request);
      } catch (err) {
        if (timedOut && !outer?.aborted)
          throw new TimeoutError(
            `Azure Resource Manager (${host}) did not answer within ${ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`}.`,
          );
        throw err;
      } finally {
        clearTimeout(timer);
        outer?.removeEventListener('abort', onAbort);
        request.abortSignal = outer;
      }
    },
  };
}

/**
 * The SDK waits out any `Retry-After`, even an hour's. Beyond `maxMs` the headers are moved aside, so the response
 * fails at once; `describeError` reads how long ARM asked to wait from `RETRY_AFTER_HEADER`.
 */
function retryAfterBoundPolicy(maxMs: number): PipelinePolicy {
  return {
    name: 'fluxAzureRetryAfterBound',
    async sendRequest(request, next) {
      const response = await next(request);
      const wait = retryAfterMs(response);
      if (wait !== undefined && wait > maxMs) {
        for (const name of RETRY_AFTER_HEADERS) response.headers.delete(name);
        response.headers.set(RETRY_AFTER_HEADER, String(Math.round(wait)));
      }
      return response;
    },
  };
}

/** Errors leave the pipeline without credentials in their message (a server may echo the request). */
const redactPolicy: PipelinePolicy = {
  name: 'fluxAzureRedactErrors',
  async sendRequest(request, next) {
    try {
      return await next(request);
    } catch (err) {
      throw redactError(err);
    }
  },
};

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
    const endpoint = (env.service?.endpoint ?? env.cloud.armEndpoint).replace(/\/+$/, '');
    const tuning = env.tuning ?? {};
    this.options = {
      endpoint,
      credentialScopes: [env.service?.scope ?? armScope(env.cloud)],
      retryOptions: { maxRetries: 3, retryDelayInMs: tuning.retryDelayMs ?? 1000, maxRetryDelayInMs: 30_000 },
      userAgentOptions: { userAgentPrefix: 'flux-azure-vscode' },
      additionalPolicies: [
        { policy: redactPolicy, position: 'perCall' },
        { policy: counter, position: 'perRetry' },
        { policy: retryAfterBoundPolicy(tuning.maxRetryAfterMs ?? MAX_RETRY_AFTER_MS), position: 'perRetry' },
        {
          policy: timeoutPolicy(tuning.requestTimeoutMs ?? REQUEST_TIMEOUT_MS, hostOf(endpoint)),
          position: 'perRetry',
        },
      ],
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

  /** GET `path` (relative to the endpoint, with its query) and every `nextLink` page; returns all `value` items. */
  async listAll<T>(path: string, abortSignal?: AbortSignal): Promise<T[]> {
    const out: T[] = [];
    let url: string | undefined = `${this.options.endpoint}${path}`;
    for (let page = 0; url && page < 100; page++) {
      const data = (await this.send(url, path, abortSignal)).answer as
        { value?: T[]; nextLink?: string; '@odata.nextLink'?: string } | undefined;
      out.push(...(data?.value ?? []));
      // ARM's `nextLink`, Microsoft Graph's `@odata.nextLink`.
      url = data?.nextLink ?? data?.['@odata.nextLink'];
    }
    return out;
  }

  /** GET one resource (`path` relative to the ARM endpoint, with its query): the parsed body. */
  async getJson<T>(path: string, abortSignal?: AbortSignal): Promise<T | undefined> {
    return (await this.send(`${this.options.endpoint}${path}`, path, abortSignal)).answer as T | undefined;
  }

  /** POST a JSON body to `path` (relative to the ARM endpoint, with its query): the parsed answer. */
  async postJson<T>(path: string, body: unknown, abortSignal?: AbortSignal): Promise<T | undefined> {
    return (await this.send(`${this.options.endpoint}${path}`, path, abortSignal, body)).answer as T | undefined;
  }

  /**
   * GET `path` and its further pages the Azure DevOps way (the `x-ms-continuationtoken` header, passed back as
   * `continuationToken`); returns all `value` items.
   */
  async listContinued<T>(path: string, abortSignal?: AbortSignal): Promise<T[]> {
    const out: T[] = [];
    let token: string | undefined;
    for (let page = 0; page < 100; page++) {
      const query = token ? `${path.includes('?') ? '&' : '?'}continuationToken=${encodeURIComponent(token)}` : '';
      const { answer, headers } = await this.send(`${this.options.endpoint}${path}${query}`, path, abortSignal);
      out.push(...((answer as { value?: T[] } | undefined)?.value ?? []));
      token = headers.get('x-ms-continuationtoken') || undefined;
      if (!token) break;
    }
    return out;
  }

  private async send(
    url: string,
    path: string,
    abortSignal: AbortSignal | undefined,
    body?: unknown,
  ): Promise<{ answer: unknown; headers: PipelineResponse['headers'] }> {
    const client = new ServiceClient({ ...this.options, credential: this.credential });
    const method = body === undefined ? 'GET' : 'POST';
    const request = createPipelineRequest({ url, method, abortSignal });
    if (body !== undefined) {
      request.body = JSON.stringify(body);
      request.headers.set('content-type', 'application/json');
    }
    const response = await client.sendRequest(request);
    let answer: unknown;
    try {
      answer = response.bodyAsText ? (JSON.parse(response.bodyAsText) as unknown) : undefined;
    } catch {
      // Not JSON (a proxy's error page): say so without quoting it (JSON.parse's message would).
      answer = undefined;
      if (response.status < 400)
        throw new RestError(`${method} ${path}: the answer is not JSON`, {
          code: RestError.PARSE_ERROR,
          statusCode: response.status,
        });
    }
    if (response.status >= 400) {
      // ARM's `{ error: { code, message } }`, or Azure DevOps' `{ message, typeKey }`.
      const body = answer as { error?: { code?: string; message?: string }; message?: string; typeKey?: string };
      const error = body?.error ?? (body?.message ? { code: body.typeKey, message: body.message } : undefined);
      throw redactError(
        new RestError(error?.message ?? (response.bodyAsText || `${method} ${path} failed with ${response.status}`), {
          code: error?.code,
          statusCode: response.status,
          request: response.request,
          response,
        }),
      );
    }
    return { answer, headers: response.headers };
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
