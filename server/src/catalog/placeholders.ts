/**
 * Tokens copied from documentation that mean "not filled in yet". A value containing one is
 * almost certainly a mistake that will fail at runtime.
 */

export interface PlaceholderDef {
  /** Literal token as it appears in docs. */
  readonly token: string;
  /** What should replace it. */
  readonly meaning: string;
}

const PLACEHOLDER_TOKENS = [
  { token: 'CLIENT_ID', meaning: 'Client ID (GUID) of the managed identity or app registration.' },
  { token: 'TENANT_ID', meaning: 'Entra tenant ID (GUID).' },
  { token: 'SUBSCRIPTION_ID', meaning: 'Azure subscription ID (GUID).' },
  { token: 'RESOURCE_GROUP_NAME', meaning: 'Resource group name.' },
  { token: 'REGISTRY_NAME', meaning: 'Container registry name.' },
  { token: 'STORAGE_ACCOUNT_NAME', meaning: 'Storage account name.' },
  { token: 'CONTAINER_NAME', meaning: 'Blob container name.' },
  { token: 'VAULT_NAME', meaning: 'Key vault name.' },
  { token: 'NAMESPACE_NAME', meaning: 'Event Hubs namespace name.' },
  { token: 'EVENTHUB_NAME', meaning: 'Event hub name.' },
  { token: 'CLUSTER_NAME', meaning: 'AKS cluster name.' },
  { token: 'MANAGEMENT_GROUP_NAME', meaning: 'Management group name.' },
  { token: 'KSA_NAME', meaning: 'Kubernetes ServiceAccount name.' },
  { token: 'SECRET_NAME', meaning: 'Kubernetes Secret name.' },
  { token: 'NAMESPACE', meaning: 'Kubernetes namespace.' },
  {
    token: '(some-controller)',
    meaning: 'Controller name(s), e.g. `source-controller` or `(source-controller|image-reflector-controller)`.',
  },
  { token: '<tenant ID>', meaning: 'Entra tenant ID.' },
  { token: '<client ID>', meaning: 'Client ID.' },
  { token: '<client-id>', meaning: 'Client ID.' },
  { token: '<certificate and private key>', meaning: 'PEM certificate and private key.' },
  { token: '<password if the private key is encrypted>', meaning: 'Private key password.' },
  { token: '<GUID>', meaning: 'A GUID.' },
] as const satisfies readonly PlaceholderDef[];

/** Upper-case doc tokens, matched only as whole words (not inside `AZURE_TENANT_ID`). */
const WORD_TOKENS = PLACEHOLDER_TOKENS.map((p) => p.token).filter((t) => /^[A-Z_]+$/.test(t));

/**
 * One RegExp matching any placeholder: an upper-case doc token delimited by non-word characters,
 * `(some-controller)`, any `<...>` angle-bracket hole, or an unfilled `{camelCase}` scope hole.
 * Flux post-build variables `${var}` are not placeholders and are excluded.
 * Non-global; use {@link findPlaceholders} to get all matches.
 */
const PLACEHOLDER_REGEX = new RegExp(
  [
    `(?<![A-Za-z0-9_])(?:${WORD_TOKENS.join('|')})(?![A-Za-z0-9_])`,
    '\\(some-controller\\)',
    '<[A-Za-z][^<>\\n]{0,60}>',
    '(?<!\\$)\\{[a-z][A-Za-z0-9]*\\}',
  ].join('|'),
);

export interface PlaceholderMatch {
  readonly text: string;
  readonly index: number;
}

/**
 * Template expressions that something other than the file fills in before Flux sees the value: a Flux post-build
 * variable (`${NAMESPACE}`, `${VAR:=default}`), a Helm or Go template action (`{{ .Values.clientId }}`), a Flux
 * Operator ResourceSet input (`<< inputs.tenant >>`). What they become is unknown to the repository.
 */
const TEMPLATE_EXPRESSION = /\$\{[^}\n]*\}|\{\{[^\n]*?\}\}|<<[^\n]*?>>/g;

/** Whether a value holds a template expression (see {@link TEMPLATE_EXPRESSION}): its final text is not known here. */
export function isTemplated(text: string): boolean {
  return (
    (text.includes('${') || text.includes('{{') || text.includes('<<')) &&
    new RegExp(TEMPLATE_EXPRESSION.source).test(text)
  );
}

/**
 * `text` with every template expression blanked out, same length so indexes still point into the original: a token
 * inside one names a variable or an input, it is not a hole left unfilled.
 */
function withoutVariables(text: string): string {
  return isTemplated(text) ? text.replace(TEMPLATE_EXPRESSION, (m) => ' '.repeat(m.length)) : text;
}

/** All placeholder occurrences in `text`. */
export function findPlaceholders(text: string): PlaceholderMatch[] {
  const re = new RegExp(PLACEHOLDER_REGEX.source, 'g');
  const out: PlaceholderMatch[] = [];
  const masked = withoutVariables(text);
  for (let m = re.exec(masked); m !== null; m = re.exec(masked)) out.push({ text: m[0], index: m.index });
  return out;
}

/** Meaning of a matched placeholder, when it is a known doc token. */
export function placeholderMeaning(token: string): string | undefined {
  return PLACEHOLDER_TOKENS.find((p) => p.token === token)?.meaning;
}

/** True when `text` contains any placeholder. */
export function isPlaceholder(text: string): boolean {
  return PLACEHOLDER_REGEX.test(withoutVariables(text));
}
