/** Claims of an Entra access token that the tree uses. The signature is not checked: ARM does that. */
export interface TokenClaims {
  /** Object id of the principal in the token's tenant. */
  oid?: string;
  tid?: string;
  /** Expiry, seconds since the epoch. */
  exp?: number;
  upn?: string;
  unique_name?: string;
  preferred_username?: string;
  name?: string;
  appid?: string;
  azp?: string;
  app_displayname?: string;
}

/** Decodes the payload of a JWT; undefined when it is not one. Never logs or keeps the token. */
export function decodeJwt(token: string): TokenClaims | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const json = Buffer.from(payload.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
    const claims = JSON.parse(json) as unknown;
    return claims && typeof claims === 'object' ? (claims as TokenClaims) : undefined;
  } catch {
    return undefined;
  }
}

/** A name for the signed-in principal: the user's sign-in name, else the application. */
export function principalLabel(claims: TokenClaims | undefined): string {
  if (!claims) return 'Signed in';
  const user = claims.upn ?? claims.preferred_username ?? claims.unique_name;
  if (user) return user;
  const app = claims.appid ?? claims.azp;
  if (app) return claims.app_displayname ? `${claims.app_displayname} (${app})` : `Application ${app}`;
  return claims.name ?? claims.oid ?? 'Signed in';
}
