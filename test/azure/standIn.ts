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
 */
import { execFileSync } from 'node:child_process';
import { constants as cryptoConstants, verify as verifySignature } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ASSIGNMENTS,
  GROUPS,
  IDENTITIES,
  LEAK_MARKER,
  OPERATOR,
  RESOURCES,
  ROLE_DEFINITIONS,
  SUBSCRIPTIONS,
  TENANTS,
  principalOf,
  type Assignment,
} from './world';

/** ARM token audience of the stand-in's "private cloud". */
export const STAND_IN_AUDIENCE = 'https://management.contoso-private.test/';

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
  /** An ARM token for a tenant, as an account provider (VS Code's) would hand out; carries `LEAK_MARKER`. */
  issue(tenantId: string, lifetimeSeconds?: number): string;
  /** PEM file of the operator's client certificate and private key (`AZURE_CLIENT_CERTIFICATE_PATH`). */
  readonly clientCertificateFile: string;
  /** The base64 lines of that private key, to look for in logs. */
  readonly clientKeyLines: string[];
  stop(): Promise<void>;
}

interface Claims {
  tid: string;
  oid: string;
  aud: string;
  exp: number;
}

const PAGE_SIZE = 3;
const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

function base64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64').replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
}

let issued = 0;

/** A JWT with the claims ARM reads; the signature is a placeholder carrying the leak marker (nothing verifies it). */
function issueToken(tenantId: string, audience: string, lifetimeSeconds: number): string {
  const now = Math.floor(Date.now() / 1000);
  const jti = `t${++issued}`;
  const claims = {
    jti,
    aud: audience,
    iss: `https://sts.contoso-private.test/${tenantId}/`,
    iat: now,
    nbf: now,
    exp: now + lifetimeSeconds,
    tid: tenantId,
    oid: OPERATOR.objectIds[tenantId],
    sub: OPERATOR.objectIds[tenantId],
    appid: OPERATOR.clientId,
    app_displayname: OPERATOR.displayName,
    idtyp: 'app',
    ver: '1.0',
  };
  return `${base64url(JSON.stringify({ typ: 'JWT', alg: 'RS256', kid: 'stand-in' }))}.${base64url(JSON.stringify(claims))}.${LEAK_MARKER}sig${jti}`;
}

interface Certificates {
  key: string;
  cert: string;
  ca: string;
  caFile: string;
  clientCert: string;
  clientCertificateFile: string;
  clientKeyLines: string[];
}

/** Whether a client assertion (a JWT, PS256 or RS256) is signed by the operator's certificate and names the operator. */
function validAssertion(assertion: string, certPem: string): boolean {
  const [head, body, signature] = assertion.split('.');
  if (!head || !body || !signature) return false;
  try {
    const header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8')) as { alg?: string };
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { iss?: string; sub?: string };
    if (claims.iss !== OPERATOR.clientId || claims.sub !== OPERATOR.clientId) return false;
    const pss = header.alg === 'PS256';
    if (!pss && header.alg !== 'RS256') return false;
    return verifySignature(
      'sha256',
      Buffer.from(`${head}.${body}`),
      {
        key: certPem,
        padding: pss ? cryptoConstants.RSA_PKCS1_PSS_PADDING : cryptoConstants.RSA_PKCS1_PADDING,
        ...(pss ? { saltLength: cryptoConstants.RSA_PSS_SALTLEN_AUTO } : {}),
      },
      Buffer.from(signature, 'base64url'),
    );
  } catch {
    return false;
  }
}

function makeCertificates(dir: string): Certificates {
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run([
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=Flux for Azure test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  run(['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1']);
  writeFileSync(
    join(dir, 'server.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature\n',
  );
  run([
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.pem',
    '-days',
    '2',
    '-extfile',
    'server.ext',
  ]);
  // The operator's client certificate: a PEM file as `openssl pkcs12 -nodes` writes it (bag attributes, key, cert).
  run([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'client.key',
    '-out',
    'client.crt',
    '-days',
    '2',
    '-subj',
    '/CN=fleet-operator',
  ]);
  const clientKey = readFileSync(join(dir, 'client.key'), 'utf8');
  const clientCert = readFileSync(join(dir, 'client.crt'), 'utf8');
  const clientCertificateFile = join(dir, 'client.pem');
  writeFileSync(
    clientCertificateFile,
    [
      'Bag Attributes',
      `    friendlyName: fleet-operator ${LEAK_MARKER}cert`,
      'Key Attributes: <No Attributes>',
      clientKey.trim(),
      'Bag Attributes',
      `    friendlyName: fleet-operator ${LEAK_MARKER}cert`,
      'subject=CN = fleet-operator',
      'issuer=CN = fleet-operator',
      clientCert.trim(),
      '',
    ].join('\n'),
  );
  return {
    key: readFileSync(join(dir, 'server.key'), 'utf8'),
    cert: readFileSync(join(dir, 'server.pem'), 'utf8'),
    ca: readFileSync(join(dir, 'ca.pem'), 'utf8'),
    caFile: join(dir, 'ca.pem'),
    clientCert,
    clientCertificateFile,
    clientKeyLines: clientKey.split('\n').filter((l) => /^[A-Za-z0-9+/=]{40,}$/.test(l)),
  };
}

/** Whether `principal` is `target` or a member of it, through nested groups. */
function isOrMemberOf(principal: string, target: string, seen = new Set<string>()): boolean {
  if (principal === target) return true;
  if (seen.has(target)) return false;
  seen.add(target);
  return (GROUPS[target] ?? []).some((member) => isOrMemberOf(principal, member, seen));
}

const lower = (s: string) => s.toLowerCase().replace(/\/+$/, '');

/** Scopes at and above `scope`: itself, its parent paths, its subscription's management groups, the root. */
function ancestry(scope: string): string[] {
  const s = lower(scope);
  const out = [s];
  const parts = s.split('/');
  for (let i = parts.length - 1; i > 1; i--) out.push(parts.slice(0, i).join('/'));
  const sub = /^\/subscriptions\/([^/]+)/.exec(s)?.[1];
  const record = SUBSCRIPTIONS.find((x) => x.id === sub);
  const mgName = /^\/providers\/microsoft\.management\/managementgroups\/([^/]+)$/.exec(s)?.[1];
  const mgs = record
    ? record.managementGroups
    : mgName
      ? SUBSCRIPTIONS.flatMap((x) => {
          const i = x.managementGroups.indexOf(mgName);
          return i >= 0 ? x.managementGroups.slice(i + 1) : [];
        })
      : [];
  for (const mg of mgs) out.push(`/providers/microsoft.management/managementgroups/${mg.toLowerCase()}`);
  out.push('');
  return out.filter(
    (x, i) =>
      out.indexOf(x) === i &&
      !(
        x === '/providers' ||
        x === '/providers/microsoft.management' ||
        x === '/providers/microsoft.management/managementgroups'
      ),
  );
}

function tenantOfScope(scope: string): string | undefined {
  const sub = /^\/subscriptions\/([^/]+)/i.exec(scope)?.[1];
  if (sub) return SUBSCRIPTIONS.find((s) => s.id === sub.toLowerCase())?.tenantId;
  const mg = /managementGroups\/([^/]+)/i.exec(scope)?.[1];
  if (mg)
    return (
      TENANTS.find((t) => t.tenantId === mg)?.tenantId ??
      SUBSCRIPTIONS.find((s) => s.managementGroups.includes(mg))?.tenantId
    );
  return undefined;
}

type Filter = { atScope: boolean; assignedTo?: string; principalId?: string };

function parseFilter(text: string | null): Filter | 'unsupported' {
  if (!text) return { atScope: false };
  const t = text.trim();
  let m = /^atScope\(\)\s+and\s+assignedTo\('([^']+)'\)$/i.exec(t);
  if (m) return { atScope: true, assignedTo: m[1]!.toLowerCase() };
  m = /^assignedTo\('([^']+)'\)$/i.exec(t);
  if (m) return { atScope: false, assignedTo: m[1]!.toLowerCase() };
  m = /^principalId\s+eq\s+'([^']+)'$/i.exec(t);
  if (m) return { atScope: false, principalId: m[1]!.toLowerCase() };
  if (/^atScope\(\)$/i.test(t)) return { atScope: true };
  return 'unsupported';
}

function assignmentJson(a: Assignment) {
  const sub = /^\/subscriptions\/([^/]+)/i.exec(a.scope)?.[1];
  const roleDefinitionId = sub
    ? `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/${a.role}`
    : `/providers/Microsoft.Authorization/roleDefinitions/${a.role}`;
  return {
    id: `${a.scope === '/' ? '' : a.scope}/providers/Microsoft.Authorization/roleAssignments/${a.name}`,
    name: a.name,
    type: 'Microsoft.Authorization/roleAssignments',
    properties: {
      scope: a.scope,
      roleDefinitionId,
      principalId: a.principalId,
      principalType: a.principalType,
      ...(a.condition ? { condition: a.condition, conditionVersion: '2.0' } : {}),
      createdOn: '2025-10-01T08:00:00Z',
      updatedOn: '2025-10-01T08:00:00Z',
    },
  };
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

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'x-ms-request-id': `req-${requests.length}`,
      ...headers,
    });
    res.end(JSON.stringify(body));
  };
  const armError = (
    res: ServerResponse,
    status: number,
    code: string,
    message: string,
    headers?: Record<string, string>,
  ) => send(res, status, { error: { code, message } }, headers);

  /** Pages `items` with `$skiptoken`; `nextLink` keeps the other query parameters. */
  const page = (url: URL, items: unknown[]) => {
    const skip = Number(url.searchParams.get('$skiptoken') ?? 0);
    const value = items.slice(skip, skip + PAGE_SIZE);
    const out: { value: unknown[]; nextLink?: string } = { value };
    if (skip + PAGE_SIZE < items.length) {
      const next = new URL(url.toString());
      next.searchParams.set('$skiptoken', String(skip + PAGE_SIZE));
      out.nextLink = `${base}${next.pathname}${next.search}`;
    }
    return out;
  };

  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let data = '';
      req.on('data', (c) => (data += c));
      req.on('end', () => resolve(data));
    });

  /** Applies a fault: the status sent, `undefined` to go on answering normally, or never settles (hang, stall). */
  const misbehave = async (
    fault: Fault,
    req: IncomingMessage,
    res: ServerResponse,
    record: () => void,
  ): Promise<number | undefined> => {
    switch (fault.kind) {
      case 'status':
        armError(
          res,
          fault.status,
          fault.code ?? `Status${fault.status}`,
          fault.message ?? `The stand-in answers ${fault.status}.`,
          fault.headers,
        );
        return fault.status;
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
        if (fault.html) {
          res.writeHead(fault.status, { 'content-type': 'text/html' });
          res.end(
            `<html><body><h1>${fault.status} ${STATUS_TEXT[fault.status] ?? 'Error'}</h1><p>upstream failed; request was ${req.method} ${req.url} Authorization: ${auth}</p></body></html>`,
          );
        } else
          armError(
            res,
            fault.status,
            'GatewayError',
            `The gateway could not forward ${req.method} ${req.url} (headers: authorization=${auth}; x-ms-client-request-id=${req.headers['x-ms-client-request-id'] ?? ''}).`,
          );
        return fault.status;
      }
    }
  };

  const handle = async (
    req: IncomingMessage,
    res: ServerResponse,
    arrivedAt: number,
    record: (status: number) => void,
  ): Promise<number> => {
    const url = new URL(req.url ?? '/', 'https://stand-in');
    const path = url.pathname;

    const fault = faults.find((f) => f.count > 0 && f.pattern.test(path));
    if (fault) {
      fault.count--;
      const status = await misbehave(fault.fault, req, res, () => record(0));
      if (status !== undefined) return status;
    }

    // ---- Entra ID: OpenID metadata and the token endpoint (client credentials) ----
    let m = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(path);
    if (m) {
      const t = m[1];
      send(res, 200, {
        token_endpoint: `${base}/${t}/oauth2/v2.0/token`,
        token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
        jwks_uri: `${base}/${t}/discovery/v2.0/keys`,
        response_modes_supported: ['query', 'fragment', 'form_post'],
        subject_types_supported: ['pairwise'],
        id_token_signing_alg_values_supported: ['RS256'],
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
        issuer: `${base}/${t}/v2.0`,
        request_uri_parameter_supported: false,
        userinfo_endpoint: `${base}/oidc/userinfo`,
        authorization_endpoint: `${base}/${t}/oauth2/v2.0/authorize`,
        device_authorization_endpoint: `${base}/${t}/oauth2/v2.0/devicecode`,
        http_logout_supported: true,
        frontchannel_logout_supported: true,
        end_session_endpoint: `${base}/${t}/oauth2/v2.0/logout`,
        claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'tid', 'oid'],
        kerberos_endpoint: `${base}/${t}/kerberos`,
        tenant_region_scope: null,
        cloud_instance_name: 'contoso-private.test',
        cloud_graph_host_name: 'graph.contoso-private.test',
        msgraph_host: 'graph.contoso-private.test',
        rbac_url: 'https://pas.contoso-private.test',
      });
      return 200;
    }
    m = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(path);
    if (m && req.method === 'POST') {
      const form = new URLSearchParams(await readBody(req));
      const tenant = m[1]!;
      if (!OPERATOR.objectIds[tenant]) {
        send(res, 400, { error: 'invalid_request', error_description: `AADSTS90002: Tenant '${tenant}' not found.` });
        return 400;
      }
      const assertion = form.get('client_assertion');
      const authenticated =
        form.get('client_id') === OPERATOR.clientId &&
        (assertion ? validAssertion(assertion, certs.clientCert) : form.get('client_secret') === OPERATOR.secret);
      if (!authenticated) {
        send(res, 401, {
          error: 'invalid_client',
          error_description: 'AADSTS7000215: Invalid client secret provided.',
        });
        return 401;
      }
      const scope = (form.get('scope') ?? '').split(' ').find((s) => s.endsWith('/.default')) ?? '';
      const audience = scope.slice(0, -'.default'.length).replace(/\/\/$/, '/');
      const normalizedAudience = audience.endsWith('//') ? audience.slice(0, -1) : audience;
      send(res, 200, {
        token_type: 'Bearer',
        expires_in: tokenLifetime,
        ext_expires_in: tokenLifetime,
        access_token: issueToken(tenant, normalizedAudience, tokenLifetime),
      });
      return 200;
    }

    // ---- ARM: authentication ----
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    let claims: Claims | undefined;
    try {
      claims = bearer
        ? (JSON.parse(Buffer.from(bearer.split('.')[1]!, 'base64url').toString('utf8')) as Claims)
        : undefined;
    } catch {
      claims = undefined;
    }
    if (!claims) {
      armError(res, 401, 'AuthenticationFailed', 'Authentication failed. The Authorization header is missing.');
      return 401;
    }
    const wantAudience = lower(STAND_IN_AUDIENCE);
    if (lower(claims.aud) !== wantAudience) {
      armError(res, 401, 'InvalidAuthenticationToken', `The access token has an invalid audience '${claims.aud}'.`);
      return 401;
    }
    if (claims.exp * 1000 < arrivedAt) {
      armError(res, 401, 'ExpiredAuthenticationToken', 'The access token expiry has passed.');
      return 401;
    }
    if (!url.searchParams.get('api-version')) {
      armError(
        res,
        400,
        'MissingApiVersionParameter',
        'The api-version query parameter (?api-version=) is required for all requests.',
      );
      return 400;
    }
    for (const t of throttles) {
      if (t.count > 0 && t.pattern.test(path)) {
        t.count--;
        armError(res, 429, 'TooManyRequests', 'The request is being throttled.', { 'retry-after': String(t.seconds) });
        return 429;
      }
    }

    if (path === '/tenants') {
      send(
        res,
        200,
        page(
          url,
          TENANTS.map((t) => ({
            id: `/tenants/${t.tenantId}`,
            ...t,
            tenantCategory: t.tenantId === claims.tid ? 'Home' : 'ProjectedBy',
            tenantType: 'AAD',
          })),
        ),
      );
      return 200;
    }
    if (path === '/subscriptions') {
      const subs = SUBSCRIPTIONS.filter((s) => s.listedBy.includes(claims.tid));
      send(
        res,
        200,
        page(
          url,
          subs.map((s) => ({
            id: `/subscriptions/${s.id}`,
            subscriptionId: s.id,
            displayName: s.name,
            state: 'Enabled',
            ...(s.hideTenant ? {} : { tenantId: s.tenantId }),
            subscriptionPolicies: {
              locationPlacementId: 'Public_2014-09-01',
              quotaId: 'EnterpriseAgreement_2014-09-01',
              spendingLimit: 'Off',
            },
            authorizationSource: 'RoleBased',
          })),
        ),
      );
      return 200;
    }

    // Everything else is scoped: check the tenant of the scope against the token.
    const scopeTenant = tenantOfScope(path);
    if (scopeTenant && scopeTenant !== claims.tid) {
      armError(
        res,
        401,
        'InvalidAuthenticationTokenTenant',
        `The access token is from the wrong issuer 'https://sts.contoso-private.test/${claims.tid}/'. It must match the tenant 'https://sts.contoso-private.test/${scopeTenant}/' associated with this subscription. Please use the authority (URL) 'https://login.contoso-private.test/${scopeTenant}' to get the token.`,
        {
          'www-authenticate': `Bearer authorization_uri="https://login.contoso-private.test/${scopeTenant}", error="invalid_token", error_description="The access token is from the wrong issuer."`,
        },
      );
      return 401;
    }
    const sub = SUBSCRIPTIONS.find((s) => s.id === /^\/subscriptions\/([^/]+)/i.exec(path)?.[1]?.toLowerCase());
    if (/^\/subscriptions\//i.test(path) && !sub) {
      armError(res, 404, 'SubscriptionNotFound', `The subscription '${path.split('/')[2]}' could not be found.`);
      return 404;
    }
    if (sub?.forbidden) {
      armError(
        res,
        403,
        'AuthorizationFailed',
        `The client '${claims.oid}' with object id '${claims.oid}' does not have authorization to perform action on scope '${path}' or the scope is invalid.`,
      );
      return 403;
    }

    // Role definitions by id.
    m = /^(.*)\/providers\/Microsoft\.Authorization\/roleDefinitions\/([^/]+)$/i.exec(path);
    if (m) {
      const guid = m[2]!.toLowerCase();
      const name = ROLE_DEFINITIONS[guid];
      if (!name) {
        armError(
          res,
          404,
          'RoleDefinitionDoesNotExist',
          "The specified role definition with ID '" + guid + "' does not exist.",
        );
        return 404;
      }
      send(res, 200, {
        id: `${m[1]}/providers/Microsoft.Authorization/roleDefinitions/${guid}`,
        name: guid,
        type: 'Microsoft.Authorization/roleDefinitions',
        properties: {
          roleName: name,
          type: 'BuiltInRole',
          description: name,
          assignableScopes: ['/'],
          permissions: [{ actions: [], notActions: [], dataActions: [], notDataActions: [] }],
        },
      });
      return 200;
    }

    // Role assignments at a scope (the subscription one is the same route).
    m = /^(.*)\/providers\/Microsoft\.Authorization\/roleAssignments$/i.exec(path);
    if (m) {
      const scope = m[1] || '/';
      const filter = parseFilter(url.searchParams.get('$filter'));
      if (filter === 'unsupported') {
        armError(res, 400, 'UnsupportedQuery', 'The filter is not supported.');
        return 400;
      }
      const tenant = tenantOfScope(scope) ?? claims.tid;
      const above = new Set(ancestry(scope));
      const s = lower(scope === '/' ? '' : scope);
      const related = ASSIGNMENTS.filter((a) => {
        if ((tenantOfScope(a.scope) ?? tenant) !== tenant) return false;
        const as = lower(a.scope === '/' ? '' : a.scope);
        if (above.has(as)) return true;
        return !filter.atScope && (as === s || as.startsWith(`${s}/`));
      });
      const matching = related.filter((a) => {
        if (filter.principalId) return lower(a.principalId) === filter.principalId;
        if (filter.assignedTo) return isOrMemberOf(filter.assignedTo, lower(a.principalId));
        return true;
      });
      send(res, 200, page(url, matching.map(assignmentJson)));
      return 200;
    }

    // User-assigned identities of a subscription.
    m = /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities$/i.exec(path);
    if (m && sub) {
      const list = IDENTITIES.filter((i) => i.subscription === sub.id).map((i) => ({
        id: `/subscriptions/${sub.id}/resourceGroups/rg-fleet-identities/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${i.name}`,
        name: i.name,
        type: 'Microsoft.ManagedIdentity/userAssignedIdentities',
        location: 'westeurope',
        tags: {},
        properties: { tenantId: sub.tenantId, principalId: principalOf(i.clientId), clientId: i.clientId },
      }));
      send(res, 200, page(url, list));
      return 200;
    }

    // Resources of a subscription, filtered by type (and optionally name).
    m = /^\/subscriptions\/([^/]+)\/resources$/i.exec(path);
    if (m && sub) {
      const filter = url.searchParams.get('$filter') ?? '';
      const type = /resourceType eq '([^']+)'/i.exec(filter)?.[1];
      const name = /name eq '([^']+)'/i.exec(filter)?.[1];
      if (filter && !type && !name) {
        armError(res, 400, 'InvalidFilterInQueryString', `Invalid $filter '${filter}' specified in the query string.`);
        return 400;
      }
      const list = RESOURCES.filter((id) => lower(id).startsWith(`/subscriptions/${sub.id}/`))
        .map((id) => {
          const parts = id.split('/');
          return {
            id,
            name: parts[parts.length - 1]!,
            type: `${parts[parts.length - 3]}/${parts[parts.length - 2]}`,
            location: 'westeurope',
          };
        })
        .filter(
          (r) =>
            (!type || r.type.toLowerCase() === type.toLowerCase()) &&
            (!name || r.name.toLowerCase() === name.toLowerCase()),
        );
      send(res, 200, page(url, list));
      return 200;
    }

    armError(res, 404, 'NotFound', `No stand-in route for ${req.method} ${path}.`);
    return 404;
  };

  const server: Server = createServer({ key: certs.key, cert: certs.cert }, (req, res) => {
    if (offline) {
      req.socket.destroy();
      return;
    }
    const arrivedAt = Date.now();
    const url = new URL(req.url ?? '/', 'https://stand-in');
    const record = (status: number) => {
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      let claims: Partial<Claims> & { jti?: string } = {};
      try {
        if (bearer) claims = JSON.parse(Buffer.from(bearer.split('.')[1]!, 'base64url').toString('utf8')) as Claims;
      } catch {
        claims = {};
      }
      const filter = url.searchParams.get('$filter');
      const page = url.searchParams.get('$skiptoken');
      requests.push({
        method: req.method ?? 'GET',
        path: url.pathname,
        ...(filter ? { filter } : {}),
        status,
        ...(claims.tid ? { tenant: claims.tid } : {}),
        ...(claims.jti ? { token: claims.jti } : {}),
        ...(page ? { page } : {}),
      });
    };
    handle(req, res, arrivedAt, record)
      .then((status) => record(status))
      .catch((err: unknown) => {
        record(500);
        if (!res.headersSent) armError(res, 500, 'InternalServerError', String(err));
      });
  });
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
    issue: (tenantId, lifetimeSeconds = 3599) => issueToken(tenantId, STAND_IN_AUDIENCE, lifetimeSeconds),
    clientCertificateFile: certs.clientCertificateFile,
    clientKeyLines: certs.clientKeyLines,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
