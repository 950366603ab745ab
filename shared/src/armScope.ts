/**
 * ARM scope arithmetic shared by the language server (catalog, diagnostics) and the client (Azure permissions
 * view). Pure string logic, no domain data: the scope formats themselves live in the server's catalog and reach
 * the client through the `fluxAzure/integrations` request.
 */

/** Lower-cased scope without trailing slashes; the root scope `/` becomes the empty string. */
function normalize(scope: string): string {
  return scope.trim().replace(/\/+$/, '').toLowerCase();
}

/**
 * Whether a role assignment at `assignmentScope` covers `targetScope`: equal, root, or an ancestor at a `/`
 * boundary, compared case-insensitively (ARM mixes `resourceGroups` and `resourcegroups`). Management-group
 * ancestry needs a lookup and is not decided here: see `assignmentCoversTarget`.
 */
export function scopeCovers(assignmentScope: string, targetScope: string): boolean {
  const a = normalize(assignmentScope);
  const t = normalize(targetScope);
  if (a === '') return true; // '/' after trimming
  return t === a || t.startsWith(`${a}/`);
}

const MANAGEMENT_GROUP_SCOPE = /^\/providers\/microsoft\.management\/managementgroups\/[^/]+\/?$/i;

/** True for `/providers/Microsoft.Management/managementGroups/<name>`. */
export function isManagementGroupScope(scope: string): boolean {
  return MANAGEMENT_GROUP_SCOPE.test(scope.trim());
}

/**
 * Coverage of an assignment that ARM returned for `atScope()` at `targetScope`: ARM resolved the management-group
 * chain, so a management-group assignment in that answer is above the target by definition; anything else must
 * cover the target by its string (a guard against answers that list unrelated scopes).
 */
export function assignmentCoversTarget(assignmentScope: string, targetScope: string): boolean {
  if (isManagementGroupScope(assignmentScope)) return !/^\/providers\/microsoft\.management\//i.test(targetScope);
  return scopeCovers(assignmentScope, targetScope);
}

/**
 * Builds an anchored, case-insensitive RegExp from a `{placeholder}` pattern; placeholders become named groups
 * matching one path segment, or the pattern given for that name.
 */
export function scopePatternToRegExp(
  pattern: string,
  placeholderPatterns: Readonly<Record<string, string>> = {},
): RegExp {
  let source = '';
  let last = 0;
  const re = /\{([A-Za-z][A-Za-z0-9]*)\}/g;
  for (let m = re.exec(pattern); m !== null; m = re.exec(pattern)) {
    source += escapeRegExp(pattern.slice(last, m.index));
    const name = m[1] as string;
    source += `(?<${name}>${placeholderPatterns[name] ?? '[^/]+'})`;
    last = m.index + m[0].length;
  }
  source += escapeRegExp(pattern.slice(last));
  return new RegExp(`^${source}$`, 'i');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A scope without its leading slash, as the Azure SDK's `listForScope` / `getById` splice it into the path. */
export function scopeForSdk(scope: string): string {
  return scope.trim().replace(/^\/+/, '');
}

/** The subscription id of a scope under `/subscriptions/<id>`, lower case, or undefined. */
export function subscriptionOf(scope: string): string | undefined {
  return /^\/subscriptions\/([^/]+)/i.exec(scope.trim())?.[1]?.toLowerCase();
}
