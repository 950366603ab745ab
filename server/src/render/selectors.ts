/**
 * Which objects a kustomize (or Flux `spec.patches`) patch targets: `target:` with group, version, kind, name,
 * namespace, labelSelector and annotationSelector, all of which must hold. Group, version and kind compare exactly
 * (empty or absent: any); name and namespace are regular expressions matched against the whole value (`^(?:…)$`), an
 * object without a namespace counting as `default`; the selectors use the Kubernetes label selector syntax.
 *
 * JavaScript regular expressions stand in for Go's RE2: the syntax patches use (`.*`, `a|b`, classes) means the same.
 * kustomize also tries an object's name and namespace from before its name prefix / namespace transformers; here the
 * object is matched as it is now.
 */
import { CONTROLLER_NAMES } from '../catalog';
import { annotationsOf, idOf, labelsOf, type RObject } from './object';
import { textIn, type RNode } from './value';

export interface PatchTarget {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
  annotationSelector?: string;
}

const TARGET_FIELDS = ['group', 'version', 'kind', 'name', 'namespace', 'labelSelector', 'annotationSelector'] as const;

/** The target a kustomize `target:` map describes (fields not written stay absent); undefined when it is no map. */
export function targetOf(node: RNode | undefined): PatchTarget | undefined {
  if (node?.type !== 'map') return undefined;
  const target: PatchTarget = {};
  for (const f of TARGET_FIELDS) {
    const v = textIn(node, [f]);
    if (v !== undefined) target[f] = v;
  }
  return target;
}

/** Whether the patch target selects the object. */
export function matchesTarget(obj: RObject, target: PatchTarget): boolean {
  const id = idOf(obj);
  if (target.group && target.group !== id.group) return false;
  if (target.version && target.version !== id.version) return false;
  if (target.kind && target.kind !== id.kind) return false;
  if (target.name && !matchesWhole(target.name, id.name)) return false;
  if (target.namespace && !matchesWhole(target.namespace, id.namespace || 'default')) return false;
  for (const [text, values] of [
    [target.labelSelector, () => labelsOf(obj)],
    [target.annotationSelector, () => annotationsOf(obj)],
  ] as const) {
    if (!text) continue;
    const sel = parseSelector(text);
    if ('error' in sel || !matchesSelector(sel, values())) return false;
  }
  return true;
}

/**
 * Whether a patch is about the Flux controllers (a target or patched object named like one of them): those patches
 * are judged by the controller-patch rules, and a bootstrap file may list the controllers without their objects.
 */
export function aimsAtControllers(target: PatchTarget | undefined, bodyName: string | undefined): boolean {
  const name = target ? target.name : bodyName;
  if (!name)
    return (
      !!target &&
      (target.kind === 'Deployment' || target.kind === 'ServiceAccount') &&
      !target.labelSelector &&
      !target.annotationSelector
    );
  return CONTROLLER_NAMES.some((c) => (target ? matchesWhole(name, c) : name === c));
}

/** `pattern` matches all of `value`; an invalid pattern matches nothing. */
function matchesWhole(pattern: string, value: string): boolean {
  try {
    return new RegExp(`^(?:${pattern})$`).test(value);
  } catch {
    return false;
  }
}

export type SelectorOperator = 'exists' | 'notExists' | 'eq' | 'neq' | 'in' | 'notIn' | 'gt' | 'lt';

export interface SelectorRequirement {
  readonly key: string;
  readonly op: SelectorOperator;
  /** One for eq, neq, gt, lt; one or more for in and notIn; none for exists and notExists. */
  readonly values: readonly string[];
}

/** A parsed label selector: all requirements must hold (an empty selector selects everything). */
export interface Selector {
  readonly requirements: readonly SelectorRequirement[];
}

type Token = { kind: 'id'; text: string } | { kind: 'op'; text: '(' | ')' | ',' | '=' | '==' | '!=' | '!' | '>' | '<' };

/** The tokens of a selector: identifiers are runs of anything but whitespace and `!=(),<>`. */
function lex(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) i++;
    else if (c === '=' || c === '!') {
      const two = text[i + 1] === '=';
      tokens.push({ kind: 'op', text: c === '=' ? (two ? '==' : '=') : two ? '!=' : '!' });
      i += two ? 2 : 1;
    } else if ('(),<>'.includes(c)) {
      tokens.push({ kind: 'op', text: c as '(' | ')' | ',' | '<' | '>' });
      i++;
    } else {
      let j = i;
      while (j < text.length && !/[\s!=(),<>]/.test(text[j])) j++;
      tokens.push({ kind: 'id', text: text.slice(i, j) });
      i = j;
    }
  }
  return tokens;
}

const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Why `key` is no label key (`[prefix/]name`), or undefined. */
function badKey(key: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash === -1 ? undefined : key.slice(0, slash);
  const name = slash === -1 ? key : key.slice(slash + 1);
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix)))
    return `\`${key}\`: the prefix must be a DNS subdomain`;
  if (name.length > 63 || !NAME.test(name))
    return `\`${key}\` is not a label key (up to 63 letters, digits, \`-\`, \`_\`, \`.\`, starting and ending alphanumeric)`;
  return undefined;
}

function badValue(value: string): string | undefined {
  return value === '' || (value.length <= 63 && NAME.test(value)) ? undefined : `\`${value}\` is not a label value`;
}

/**
 * A Kubernetes label selector (`app=web, tier in (a, b), !canary`): `a=b`, `a==b`, `a!=b`, `a in (x, y)`,
 * `a notin (x)`, `a` (exists), `!a` (does not exist), `a>1`, `a<1`, comma-separated, all of which must hold.
 */
export function parseSelector(text: string): Selector | { error: string } {
  const tokens = lex(text);
  const requirements: SelectorRequirement[] = [];
  let i = 0;
  const peek = (): Token | undefined => tokens[i];
  const isOp = (t: Token | undefined, op: string): boolean => t?.kind === 'op' && t.text === op;
  const atEnd = (): boolean => i >= tokens.length || isOp(peek(), ',');
  /** A value: an identifier, or empty where a `,`, `)` or the end follows. */
  const value = (): string | { error: string } => {
    const t = peek();
    if (t?.kind === 'id') {
      i++;
      return badValue(t.text) ? { error: badValue(t.text)! } : t.text;
    }
    if (t === undefined || isOp(t, ',') || isOp(t, ')')) return '';
    return { error: `a value was expected, not \`${t.text}\`` };
  };
  if (tokens.length === 0) return { requirements };
  for (;;) {
    const first = peek();
    let requirement: SelectorRequirement;
    if (isOp(first, '!')) {
      i++;
      const key = peek();
      if (key?.kind !== 'id') return { error: 'a key was expected after `!`' };
      i++;
      if (badKey(key.text)) return { error: badKey(key.text)! };
      requirement = { key: key.text, op: 'notExists', values: [] };
    } else {
      if (first?.kind !== 'id') return { error: `a key was expected${first ? `, not \`${first.text}\`` : ''}` };
      i++;
      const key = first.text;
      if (badKey(key)) return { error: badKey(key)! };
      const op = peek();
      if (atEnd()) requirement = { key, op: 'exists', values: [] };
      else if (op?.kind === 'op' && (op.text === '=' || op.text === '==' || op.text === '!=')) {
        i++;
        const v = value();
        if (typeof v !== 'string') return v;
        requirement = { key, op: op.text === '!=' ? 'neq' : 'eq', values: [v] };
      } else if (op?.kind === 'op' && (op.text === '>' || op.text === '<')) {
        i++;
        const v = peek();
        if (v?.kind !== 'id' || !/^-?[0-9]+$/.test(v.text)) return { error: `\`${key} ${op.text}\` needs an integer` };
        i++;
        requirement = { key, op: op.text === '>' ? 'gt' : 'lt', values: [v.text] };
      } else if (op?.kind === 'id' && (op.text === 'in' || op.text === 'notin')) {
        i++;
        if (!isOp(peek(), '(')) return { error: `\`${key} ${op.text}\` needs a set of values in parentheses` };
        i++;
        const values: string[] = [];
        for (;;) {
          const v = value();
          if (typeof v !== 'string') return v;
          values.push(v);
          if (isOp(peek(), ',')) i++;
          else if (isOp(peek(), ')')) break;
          else return { error: `\`${key} ${op.text} (…\` is missing its \`)\`` };
        }
        i++;
        if (values.length === 1 && values[0] === '')
          return { error: `\`${key} ${op.text} ()\`: the set of values cannot be empty` };
        requirement = { key, op: op.text === 'in' ? 'in' : 'notIn', values };
      } else return { error: `\`${op!.text}\` after \`${key}\`: expected =, ==, !=, in, notin, > or <` };
    }
    requirements.push(requirement);
    if (i >= tokens.length) return { requirements };
    if (!isOp(peek(), ',')) return { error: `\`,\` expected before \`${peek()!.text}\`` };
    i++;
    if (i >= tokens.length) return { error: 'a requirement was expected after the last `,`' };
  }
}

/** Whether labels (or annotations) `values` satisfy every requirement of `sel`. */
export function matchesSelector(sel: Selector, values: ReadonlyMap<string, string>): boolean {
  return sel.requirements.every(({ key, op, values: wanted }) => {
    const v = values.get(key);
    switch (op) {
      case 'exists':
        return v !== undefined;
      case 'notExists':
        return v === undefined;
      case 'eq':
      case 'in':
        return v !== undefined && wanted.includes(v);
      case 'neq':
      case 'notIn':
        return v === undefined || !wanted.includes(v);
      case 'gt':
      case 'lt': {
        if (v === undefined || !/^-?[0-9]+$/.test(v)) return false;
        return op === 'gt' ? Number(v) > Number(wanted[0]) : Number(v) < Number(wanted[0]);
      }
    }
  });
}
