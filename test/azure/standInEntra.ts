/**
 * The stand-in's Microsoft Entra ID: OpenID metadata and the token endpoint (client credentials with the operator's
 * client secret, or a client assertion signed with its certificate). The tokens are JWTs with the claims ARM reads
 * and a placeholder signature carrying `LEAK_MARKER` (nothing verifies it).
 */
import { constants as cryptoConstants, verify as verifySignature } from 'node:crypto';
import type { Exchange } from './standInServer';
import { LEAK_MARKER, OPERATOR } from './world';

function base64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64').replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
}

let issued = 0;

/** An ARM token of the operator for a tenant; `jti` tells the tokens apart (`t1`, `t2`, ...). */
export function issueToken(tenantId: string, audience: string, lifetimeSeconds: number): string {
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

/** The OpenID configuration of tenant `t` (what MSAL reads before asking for a token). */
function openIdConfiguration(base: string, t: string) {
  return {
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
  };
}

/** The token endpoint's answer to a client-credentials request for `tenant`. */
async function token(ex: Exchange, tenant: string, clientCert: string, lifetime: number): Promise<number> {
  const form = new URLSearchParams(await ex.body());
  if (!OPERATOR.objectIds[tenant])
    return ex.json(400, { error: 'invalid_request', error_description: `AADSTS90002: Tenant '${tenant}' not found.` });
  const assertion = form.get('client_assertion');
  const authenticated =
    form.get('client_id') === OPERATOR.clientId &&
    (assertion ? validAssertion(assertion, clientCert) : form.get('client_secret') === OPERATOR.secret);
  if (!authenticated)
    return ex.json(401, {
      error: 'invalid_client',
      error_description: 'AADSTS7000215: Invalid client secret provided.',
    });
  const scope = (form.get('scope') ?? '').split(' ').find((s) => s.endsWith('/.default')) ?? '';
  const audience = scope.slice(0, -'.default'.length).replace(/\/\/$/, '/');
  const normalizedAudience = audience.endsWith('//') ? audience.slice(0, -1) : audience;
  return ex.json(200, {
    token_type: 'Bearer',
    expires_in: lifetime,
    ext_expires_in: lifetime,
    access_token: issueToken(tenant, normalizedAudience, lifetime),
  });
}

/** Answers an Entra ID request (the status sent), or undefined when the path is not Entra's. */
export async function answerEntra(
  ex: Exchange,
  clientCert: string,
  tokenLifetime: number,
): Promise<number | undefined> {
  let m = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(ex.path);
  if (m) return ex.json(200, openIdConfiguration(ex.base, m[1]!));
  m = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(ex.path);
  if (m && ex.req.method === 'POST') return token(ex, m[1]!, clientCert, tokenLifetime);
  return undefined;
}
