/** Turns SDK and network failures into what a tree item can say. Messages never carry tokens. */
import type { LoadError } from './model';

interface RestErrorLike {
  name?: string;
  message?: string;
  code?: string;
  statusCode?: number;
  response?: { headers?: { get(name: string): string | undefined } };
}

const NETWORK_CODES = new Set([
  'REQUEST_SEND_ERROR',
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'ENETUNREACH',
  'EHOSTUNREACH',
]);

/** The first line of an ARM error message (they can be long and repeat the request). */
function firstLine(text: string | undefined): string {
  return (text ?? '').split('\n')[0]?.trim().slice(0, 300) ?? '';
}

export function isAbort(err: unknown): boolean {
  const e = err as RestErrorLike | undefined;
  return e?.name === 'AbortError' || e?.code === 'ABORT_ERR';
}

export function describeError(err: unknown): LoadError {
  const e = (err ?? {}) as RestErrorLike;
  if (isAbort(err)) return { kind: 'cancelled', message: 'Cancelled.', retryable: true };
  if (
    e.name === 'NotSignedInError' ||
    e.name === 'AuthenticationRequiredError' ||
    e.name === 'CredentialUnavailableError'
  )
    return { kind: 'signedOut', message: firstLine(e.message) || 'Not signed in.', retryable: false };
  if (/no authentication provider/i.test(e.message ?? ''))
    return {
      kind: 'signedOut',
      message: `${firstLine(e.message)} Choose another sign-in method in the settings.`,
      retryable: false,
    };
  const status = e.statusCode;
  const code = e.code ?? '';
  if (status === 401 && code === 'InvalidAuthenticationTokenTenant')
    return { kind: 'wrongTenant', message: firstLine(e.message), retryable: false };
  if (status === 401)
    return { kind: 'signedOut', message: `Not authorized (${code || 401}): ${firstLine(e.message)}`, retryable: false };
  if (status === 403)
    return { kind: 'forbidden', message: `No permission (${code || 403}): ${firstLine(e.message)}`, retryable: false };
  if (status === 404)
    return { kind: 'notFound', message: `Not found (${code || 404}): ${firstLine(e.message)}`, retryable: false };
  if (status === 429)
    return {
      kind: 'throttled',
      message: 'Azure Resource Manager is throttling requests; try again later.',
      retryable: true,
    };
  if (
    status === undefined &&
    (NETWORK_CODES.has(code) || /ECONN|ENOTFOUND|ETIMEDOUT|socket|network|timeout/i.test(e.message ?? ''))
  )
    return { kind: 'offline', message: `Cannot reach Azure: ${firstLine(e.message) || code}`, retryable: true };
  if (status !== undefined && status >= 500)
    return {
      kind: 'other',
      message: `Azure answered ${status}${code ? ` ${code}` : ''}: ${firstLine(e.message)}`,
      retryable: true,
    };
  return { kind: 'other', message: firstLine(e.message) || String(err), retryable: true };
}

/**
 * The tenant a `401 InvalidAuthenticationTokenTenant` points at: ARM names it in `WWW-Authenticate`
 * (`authorization_uri="https://login.windows.net/<tenant>"`), and in the message as a fallback.
 */
export function tenantFromChallenge(err: unknown): string | undefined {
  const e = err as RestErrorLike | undefined;
  if (e?.statusCode !== 401 || e.code !== 'InvalidAuthenticationTokenTenant') return undefined;
  const header = e.response?.headers?.get('www-authenticate') ?? '';
  const fromHeader = /authorization_uri="https?:\/\/[^/"]+\/([^/"]+)/i.exec(header)?.[1];
  if (fromHeader) return fromHeader;
  return /tenant '(?:https?:\/\/[^/']+\/)?([0-9a-f-]{36})\/?'/i.exec(e.message ?? '')?.[1];
}
