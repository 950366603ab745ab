/**
 * A local HTTPS stand-in for Azure Resource Manager and the Entra token endpoint, serving the REST shapes of the
 * public API specs for the calls the extension makes: tenants, subscriptions, role assignments (`$filter` with
 * `assignedTo`, `atScope`, `principalId eq`), role definitions, user-assigned identities, resources by type; paging
 * with `nextLink`; 401 InvalidAuthenticationTokenTenant (with `WWW-Authenticate`), 401 ExpiredAuthenticationToken,
 * 403, 404, 400 UnsupportedQuery and 429 with `Retry-After`. The token endpoint takes the operator's client secret
 * or a client assertion signed with its certificate. Faults on demand (`fault`): any status, a silent server, a
 * body that never ends, slow answers, an error page echoing the request's `Authorization` header. The real Azure SDK
 * clients talk to it; its certificates come from a throw-away CA made with the openssl CLI at start. Every
 * credential it issues or accepts carries `LEAK_MARKER`.
 *
 * This file holds the server and its fault modes; the ARM routes are in standInArm.ts, the Entra ID endpoints in
 * standInEntra.ts, certificates and the request/answer helpers in standInServer.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { answerArm, authenticateArm, STAND_IN_AUDIENCE } from './standInArm';
import { answerDevOps } from './standInDevOps';
import { answerEntra, issueToken } from './standInEntra';
import { answerMicrosoftGraph } from './standInMicrosoftGraph';
import { Exchange, makeCertificates } from './standInServer';

export { STAND_IN_AUDIENCE } from './standInArm';

export interface RequestRecord {
  method: string;
  path: string;
  filter?: string;
  /** 0: not answered (a `hang` or `stall` fault). */
  status: number;
  tenant?: string;
  /** `jti` of the bearer token (which token, without the token). */
  token?: string;
  /** `$skiptoken` of a paged request. */
  page?: string;
}

/** What a faulty server does instead of (or before) answering. */
export type Fault =
  /** An ARM error: `{ error: { code, message } }` with the status and headers. */
  | { kind: 'status'; status: number; code?: string; message?: string; headers?: Record<string, string> }
  /** Accepts the request and never answers. */
  | { kind: 'hang' }
  /** Sends the status line, headers and the start of a body, and never the rest. */
  | { kind: 'stall' }
  /** Answers normally, `ms` later. */
  | { kind: 'delay'; ms: number }
  /** A gateway error that quotes the request's headers, `Authorization` included: JSON, or an HTML page. */
  | { kind: 'echoAuthorization'; status: number; html?: boolean };

export interface StandIn {
  /** `https://127.0.0.1:<port>`: ARM endpoint and authority host at once. */
  readonly url: string;
  /** PEM of the CA that signed the server certificate, and a file holding it. */
  readonly caPem: string;
  readonly caFile: string;
  readonly audience: string;
  /** Every request, in order (token requests included; no headers). */
  readonly requests: RequestRecord[];
  /** ARM requests only (no token endpoint, no OpenID metadata). */
  armRequests(): RequestRecord[];
  /** Makes the next `count` requests whose path matches answer 429 with `Retry-After: <seconds>`. */
  throttle(pathPattern: RegExp, count: number, seconds?: number): void;
  /** Makes every request fail at the socket level while set (offline). */
  setOffline(offline: boolean): void;
  /** Makes the next `count` requests (ARM or token endpoint) whose path matches misbehave. */
  fault(pathPattern: RegExp, fault: Fault, count?: number): void;
  clearFaults(): void;
  /** Lifetime of the tokens the token endpoint issues from now on (default 3599 s). */
  setTokenLifetime(seconds: number): void;
  /**
   * A token for a tenant, as an account provider (VS Code's) would hand out: for ARM, or for `audience`; carries
   * `LEAK_MARKER`.
   */
  issue(tenantId: string, lifetimeSeconds?: number, audience?: string): string;
  /** PEM file of the operator's client certificate and private key (`AZURE_CLIENT_CERTIFICATE_PATH`). */
  readonly clientCertificateFile: string;
  /** The base64 lines of that private key, to look for in logs. */
  readonly clientKeyLines: string[];
  stop(): Promise<void>;
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/** ARM throttling: 429 TooManyRequests with `Retry-After: <seconds>`. */
export function throttling(seconds: number): Fault {
  return {
    kind: 'status',
    status: 429,
    code: 'TooManyRequests',
    message: 'The request is being throttled.',
    headers: { 'retry-after': String(seconds) },
  };
}

/** Applies a fault: the status sent, `undefined` to go on answering normally, or never settles (hang, stall). */
async function misbehave(fault: Fault, ex: Exchange, record: () => void): Promise<number | undefined> {
  const { req, res } = ex;
  switch (fault.kind) {
    case 'status':
      return ex.armError(
        fault.status,
        fault.code ?? `Status${fault.status}`,
        fault.message ?? `The stand-in answers ${fault.status}.`,
        fault.headers,
      );
    case 'delay':
      await new Promise((resolve) => setTimeout(resolve, fault.ms));
      return undefined;
    case 'hang':
      record();
      return new Promise<never>(() => undefined);
    case 'stall':
      record();
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.write('{"value": [');
      return new Promise<never>(() => undefined);
    case 'echoAuthorization': {
      const auth = req.headers.authorization ?? '(none)';
      if (!fault.html)
        return ex.armError(
          fault.status,
          'GatewayError',
          `The gateway could not forward ${req.method} ${req.url} (headers: authorization=${auth}; x-ms-client-request-id=${req.headers['x-ms-client-request-id'] ?? ''}).`,
        );
      res.writeHead(fault.status, { 'content-type': 'text/html' });
      res.end(
        `<html><body><h1>${fault.status} ${STATUS_TEXT[fault.status] ?? 'Error'}</h1><p>upstream failed; request was ${req.method} ${req.url} Authorization: ${auth}</p></body></html>`,
      );
      return fault.status;
    }
  }
}

export async function startStandIn(): Promise<StandIn> {
  const dir = mkdtempSync(join(tmpdir(), 'flux-azure-standin-'));
  const certs = makeCertificates(dir);
  const requests: RequestRecord[] = [];
  const throttles: { pattern: RegExp; count: number; seconds: number }[] = [];
  const faults: { pattern: RegExp; fault: Fault; count: number }[] = [];
  let tokenLifetime = 3599;
  let offline = false;
  let base = '';

  /** Faults first, then Entra ID, then ARM (authentication, throttling, the routes). */
  const handle = async (ex: Exchange, arrivedAt: number, record: (status: number) => void): Promise<number> => {
    const fault = faults.find((f) => f.count > 0 && f.pattern.test(ex.path));
    if (fault) {
      fault.count--;
      const status = await misbehave(fault.fault, ex, () => record(0));
      if (status !== undefined) return status;
    }
    const entra = await answerEntra(ex, certs.clientCert, tokenLifetime);
    if (entra !== undefined) return entra;
    const devOps = answerDevOps(ex, arrivedAt);
    if (devOps !== undefined) return devOps;
    const graph = answerMicrosoftGraph(ex, arrivedAt);
    if (graph !== undefined) return graph;
    const claims = authenticateArm(ex, arrivedAt);
    if (typeof claims === 'number') return claims;
    const throttle = throttles.find((t) => t.count > 0 && t.pattern.test(ex.path));
    if (throttle) {
      throttle.count--;
      return (await misbehave(throttling(throttle.seconds), ex, () => undefined))!;
    }
    return answerArm(ex, claims);
  };

  const server: Server = createServer(
    { key: certs.key, cert: certs.cert },
    (req: IncomingMessage, res: ServerResponse) => {
      if (offline) {
        req.socket.destroy();
        return;
      }
      const arrivedAt = Date.now();
      const ex = new Exchange(req, res, base, () => `req-${requests.length}`);
      const record = (status: number) => {
        const claims = ex.claims();
        const filter = ex.url.searchParams.get('$filter');
        const page = ex.url.searchParams.get('$skiptoken');
        requests.push({
          method: req.method ?? 'GET',
          path: ex.path,
          ...(filter ? { filter } : {}),
          status,
          ...(claims?.tid ? { tenant: claims.tid } : {}),
          ...(claims?.jti ? { token: claims.jti } : {}),
          ...(page ? { page } : {}),
        });
      };
      handle(ex, arrivedAt, record)
        .then((status) => record(status))
        .catch((err: unknown) => {
          record(500);
          if (!res.headersSent) ex.armError(500, 'InternalServerError', String(err));
        });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: base,
    caPem: certs.ca,
    caFile: certs.caFile,
    audience: STAND_IN_AUDIENCE,
    requests,
    armRequests: () => requests.filter((r) => !/\/oauth2\/|openid-configuration/.test(r.path)),
    throttle: (pattern, count, seconds = 1) => throttles.push({ pattern, count, seconds }),
    setOffline: (value) => {
      offline = value;
    },
    fault: (pattern, fault, count = Number.POSITIVE_INFINITY) => faults.push({ pattern, fault, count }),
    clearFaults: () => {
      faults.length = 0;
      throttles.length = 0;
    },
    setTokenLifetime: (seconds) => {
      tokenLifetime = seconds;
    },
    issue: (tenantId, lifetimeSeconds = 3599, audience = STAND_IN_AUDIENCE) =>
      issueToken(tenantId, audience, lifetimeSeconds),
    clientCertificateFile: certs.clientCertificateFile,
    clientKeyLines: certs.clientKeyLines,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
