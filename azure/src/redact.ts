/**
 * Removes credentials from text that may reach a log, a tree item or a notification: bearer tokens and other
 * JWTs, `Authorization` header values, OAuth form fields (`client_secret=`, `client_assertion=`, ...), their JSON
 * forms, PEM blocks, and the client secret of the environment sign-in method. Error messages of the Azure SDK can
 * carry any of these when a server or proxy echoes the request (an HTML error page, a body that does not parse).
 * Pure: no SDK, no vscode; the extension's main bundle uses it too.
 */

const REDACTED = '[redacted]';

/** Names whose values are credentials, in forms, query strings, JSON and `name: value` lines. */
const SECRET_NAMES =
  'client_secret|client_assertion|access_token|refresh_token|id_token|assertion|password|passphrase|code_verifier|device_code|sig|x-ms-token[\\w-]*';

const PATTERNS: [RegExp, string][] = [
  // PEM blocks (private keys, certificates): the whole block.
  [/-----BEGIN [A-Z0-9 ]+-----[\s\S]*?(?:-----END [A-Z0-9 ]+-----|$)/g, `${REDACTED} PEM`],
  // `Authorization: <scheme> <credentials>` (header echoes), and any `Bearer <token>`.
  [/\b(authorization["']?\s*[:=]\s*["']?)[^\s"',;]+(?:\s+[^\s"',;]+)?/gi, `$1${REDACTED}`],
  [/\b(Bearer|PoP)\s+(?![A-Za-z_]+=["'])[\w.~+/-]{12,}=*/g, `$1 ${REDACTED}`],
  // JWTs (Entra access tokens, client assertions), with or without a signature.
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.?[A-Za-z0-9_-]*/g, REDACTED],
  // `name=value` (forms, query strings), `"name": "value"` (JSON), `name: value` (headers, YAML).
  [new RegExp(`\\b(${SECRET_NAMES})=[^&\\s"'<>]+`, 'gi'), `$1=${REDACTED}`],
  [new RegExp(`("(?:${SECRET_NAMES})"\\s*:\\s*")[^"]*"`, 'gi'), `$1${REDACTED}"`],
  [new RegExp(`\\b((?:${SECRET_NAMES})\\s*:\\s*)[^\\s,;"'<>]+`, 'gi'), `$1${REDACTED}`],
];

/** Secrets the process knows by value (environment sign-in), redacted wherever they appear. */
function knownSecrets(env: NodeJS.ProcessEnv): string[] {
  return [env.AZURE_CLIENT_SECRET, env.AZURE_CLIENT_CERTIFICATE_PASSWORD].filter(
    (s): s is string => typeof s === 'string' && s.length >= 6,
  );
}

/** `text` without credentials. Cheap enough for every log line. */
export function redact(text: string, env: NodeJS.ProcessEnv = process.env): string {
  let out = text;
  for (const secret of knownSecrets(env)) out = out.split(secret).join(REDACTED);
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** A copy of a JSON-like value with every string redacted (error bodies the SDK keeps on errors). */
function redactDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redact(value);
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, depth + 1)]));
}

/**
 * Redacts an error in place and returns it: its message and stack, and the server's answer the SDK keeps on it
 * (`details`, `response.bodyAsText` / `parsedBody`, `errorResponse`), which `console.error(err)` or a debugger would
 * show. Request headers are the SDK's to hide (its errors print them through a sanitizer).
 */
export function redactError<T>(err: T): T {
  if (!(err instanceof Error)) return err;
  const e = err as Error & {
    details?: unknown;
    errorResponse?: unknown;
    response?: { bodyAsText?: string | null; parsedBody?: unknown };
  };
  const update = (apply: () => void) => {
    try {
      apply();
    } catch {
      // A frozen or exotic error: leave that part; describeError redacts what it shows.
    }
  };
  update(() => {
    const message = redact(e.message);
    if (message !== e.message) e.message = message;
  });
  update(() => {
    if (e.stack) {
      const stack = redact(e.stack);
      if (stack !== e.stack) e.stack = stack;
    }
  });
  if (e.details !== undefined) update(() => (e.details = redactDeep(e.details)));
  if (e.errorResponse !== undefined) update(() => (e.errorResponse = redactDeep(e.errorResponse)));
  const response = e.response;
  if (response && typeof response === 'object') {
    if (typeof response.bodyAsText === 'string') update(() => (response.bodyAsText = redact(response.bodyAsText!)));
    if (response.parsedBody !== undefined) update(() => (response.parsedBody = redactDeep(response.parsedBody)));
  }
  return err;
}
