/** Turns SDK and network failures into what a tree item can say. Messages never carry tokens (see redact.ts). */
import type { LoadError } from './model';
import { redact } from './redact';

/** A request or a token that took longer than its bound (a hung connection, a silent server). */
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

/** Response header carrying a `Retry-After` too long to wait out (see arm.ts), in milliseconds. */
export const RETRY_AFTER_HEADER = 'x-flux-azure-retry-after-ms';

interface RestErrorLike {
  name?: string;
  message?: string;
  code?: string;
  statusCode?: number;
  response?: { headers?: { get(name: string): string | undefined } };
  /** `@azure/identity`'s AuthenticationError: the token endpoint's answer. */
  errorResponse?: { error?: string; errorDescription?: string };
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

/**
 * The first line of an error message (they can be long and repeat the request), credentials removed. An HTML page
 * (a proxy's or gateway's error page) becomes its title, or its text.
 */
function firstLine(text: string | undefined): string {
  let t = text ?? '';
  if (/^\s*(<!doctype|<html|<\?xml|<[a-z]+[\s>])/i.test(t)) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(t)?.[1]?.trim();
    t =
      title ||
      t
        .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
        .replace(/<[^>]*>/g, ' ')
        .replace(/\s+/g, ' ');
  }
  return redact(t.trim().split('\n')[0]?.trim() ?? '').slice(0, 300);
}

/** `90 s`, `2 min`: how long ARM asks to wait. */
function duration(ms: number): string {
  return ms < 90_000 ? `${Math.ceil(ms / 1000)} s` : `${Math.ceil(ms / 60_000)} min`;
}

export function isAbort(err: unknown): boolean {
  const e = err as RestErrorLike | undefined;
  return e?.name === 'AbortError' || e?.code === 'ABORT_ERR';
}

export function describeError(err: unknown): LoadError {
  const e = (err ?? {}) as RestErrorLike;
  if (isAbort(err)) return { kind: 'cancelled', message: 'Cancelled.', retryable: true };
  if (e.name === 'TimeoutError') return { kind: 'offline', message: firstLine(e.message), retryable: true };
  if (
    e.name === 'NotSignedInError' ||
    e.name === 'AuthenticationRequiredError' ||
    e.name === 'CredentialUnavailableError'
  )
    return { kind: 'signedOut', message: firstLine(e.message) || 'Not signed in.', retryable: false };
  // The token endpoint refused (wrong secret, expired certificate, consent missing): its AADSTS reason, if any.
  if (e.name === 'AuthenticationError' || e.name === 'AggregateAuthenticationError') {
    const text = `${e.errorResponse?.errorDescription ?? ''}\n${e.message ?? ''}`;
    const reason = /AADSTS\d+:[^\n]*/.exec(text)?.[0] ?? e.errorResponse?.errorDescription ?? e.message;
    return {
      kind: 'signedOut',
      message: firstLine(reason?.replace(/^\s*More details:\s*/, '')) || 'Azure refused the sign-in.',
      retryable: true,
    };
  }
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
  // ARM refused the token (expired, revoked, wrong audience): signing in again, or a retry with a new token.
  if (status === 401)
    return { kind: 'signedOut', message: `Not authorized (${code || 401}): ${firstLine(e.message)}`, retryable: true };
  // A role granted meanwhile makes a retry succeed (after it propagates).
  if (status === 403)
    return { kind: 'forbidden', message: `No permission (${code || 403}): ${firstLine(e.message)}`, retryable: true };
  if (status === 404)
    return { kind: 'notFound', message: `Not found (${code || 404}): ${firstLine(e.message)}`, retryable: false };
  const wait = Number(e.response?.headers?.get(RETRY_AFTER_HEADER));
  const tryAgain = wait > 0 ? ` Try again in ${duration(wait)}.` : '';
  if (status === 429) {
    return {
      kind: 'throttled',
      message: `Azure Resource Manager is throttling requests.${tryAgain || ' Try again later.'}`,
      retryable: true,
    };
  }
  if (
    status === undefined &&
    (NETWORK_CODES.has(code) || /ECONN|ENOTFOUND|ETIMEDOUT|socket|network|timeout/i.test(e.message ?? ''))
  )
    return { kind: 'offline', message: `Cannot reach Azure: ${firstLine(e.message) || code}`, retryable: true };
  if (status !== undefined && status >= 500)
    return {
      kind: 'other',
      message: `Azure answered ${status}${code ? ` ${code}` : ''}: ${firstLine(e.message)}${tryAgain}`,
      retryable: true,
    };
  return { kind: 'other', message: firstLine(e.message) || firstLine(String(err)), retryable: true };
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
