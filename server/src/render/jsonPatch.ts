/**
 * JSON6902 patches (RFC 6902, paths are RFC 6901 JSON pointers) applied to a rendered object: `add`, `remove`,
 * `replace`, `move`, `copy` and `test`. Added and replaced values are the operation's own `value` node, so they keep
 * the patch line as their origin; moved and copied values keep theirs.
 *
 * A failing operation is reported and skipped, and the others still apply. kustomize fails the whole build instead;
 * the caller decides what to make of the errors (a diagnostic on the patch, a rendering marked as approximate).
 */
import { escapeJsonPointer } from '../catalog';
import { nodeIn, setIn, deleteIn, toPlain, type At, type Path, type RNode, type RScalar } from './value';

/** `ops` (a list of operation maps) applied in order to `base`; `errors` names each operation that failed. */
export function applyJsonPatch(base: RNode, ops: RNode): { node: RNode; errors: string[] } {
  const errors: string[] = [];
  if (ops.type !== 'seq') return { node: base, errors: ['a JSON6902 patch must be a list of operations'] };
  let node = base;
  ops.items.forEach((op, i) => {
    const result = applyOp(node, op);
    if (typeof result === 'string') errors.push(`operation ${i + 1}: ${result}`);
    else node = result;
  });
  return { node, errors };
}

/** The node after one operation, or why it failed. */
function applyOp(root: RNode, op: RNode): RNode | string {
  if (op.type !== 'map') return 'an operation must be a map with `op` and `path`';
  const field = (name: string): RNode | undefined => op.entries.get(name)?.value;
  const text = (name: string): RScalar | undefined => {
    const v = field(name);
    return v?.type === 'scalar' && typeof v.value === 'string' ? v : undefined;
  };
  const opName = text('op')?.value as string | undefined;
  const pathNode = text('path');
  if (opName === undefined) return 'missing `op`';
  if (!pathNode) return `${opName}: missing \`path\``;
  const path = pathNode.value as string;
  const what = `${opName} ${path}`;
  const value = field('value');
  const from = (): string | undefined => text('from')?.value as string | undefined;
  const fail = (why: string): string => `${what}: ${why}`;
  const tokens = parsePointer(path);
  if (tokens === undefined) return fail('the path is not a JSON pointer (it must be empty or start with `/`)');

  switch (opName) {
    case 'add':
      if (!value) return fail('missing `value`');
      return add(root, tokens, value, pathNode.at) ?? fail(whyNotAddable(root, tokens));
    case 'remove': {
      const at = locate(root, tokens);
      if (typeof at === 'string') return fail(at);
      if (at.length === 0) return fail('cannot remove the whole object');
      return deleteIn(root, at);
    }
    case 'replace': {
      if (!value) return fail('missing `value`');
      const at = locate(root, tokens);
      if (typeof at === 'string') return fail(at);
      return setIn(root, at, value);
    }
    case 'move':
    case 'copy': {
      const source = from();
      if (source === undefined) return fail('missing `from`');
      const fromTokens = parsePointer(source);
      if (fromTokens === undefined) return fail(`\`from\` ${source} is not a JSON pointer`);
      const at = locate(root, fromTokens);
      if (typeof at === 'string') return fail(`from ${source}: ${at}`);
      const moved = nodeIn(root, at)!;
      let next = root;
      if (opName === 'move') {
        if (tokens.length > fromTokens.length && fromTokens.every((t, i) => tokens[i] === t))
          return fail(`cannot move ${source} into its own child`);
        if (tokens.length === fromTokens.length && fromTokens.every((t, i) => tokens[i] === t)) return root;
        if (at.length === 0) return fail('cannot move the whole object');
        next = deleteIn(root, at);
      }
      return add(next, tokens, moved, pathNode.at) ?? fail(whyNotAddable(next, tokens));
    }
    case 'test': {
      if (!value) return fail('missing `value`');
      const at = locate(root, tokens);
      if (typeof at === 'string') return fail(at);
      const actual = nodeIn(root, at)!;
      // A value that is not known (a remote base, an alias) cannot be checked: the test is given the benefit.
      if (hasUnknown(actual) || hasUnknown(value)) return root;
      return plainEqual(toPlain(actual), toPlain(value)) ? root : fail('the value differs');
    }
    default:
      return `unknown operation \`${opName}\` (expected add, remove, replace, move, copy or test)`;
  }
}

/** The reference tokens of a JSON pointer (`~1` is `/`, `~0` is `~`), undefined when it is not one. */
function parsePointer(pointer: string): string[] | undefined {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) return undefined;
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** An array index token (`0`, `12`; not `01`, `-1` or `-`). */
function indexOf(token: string): number | undefined {
  return /^(0|[1-9][0-9]*)$/.test(token) ? Number(token) : undefined;
}

/** The value path of an existing node, or why there is none. */
function locate(root: RNode, tokens: readonly string[]): Path | string {
  const path: (string | number)[] = [];
  let node: RNode | undefined = root;
  for (const token of tokens) {
    const step = stepInto(node, token);
    if (typeof step === 'object') return step.error;
    path.push(step);
    node = nodeIn(node, [step]);
    if (!node) return `${pointerOf(path)} does not exist`;
  }
  return path;
}

/** The key or index a token names in `node`, or why it names nothing. */
function stepInto(node: RNode | undefined, token: string): string | number | { error: string } {
  if (node?.type === 'map') return token;
  if (node?.type === 'seq') {
    const i = indexOf(token);
    if (i === undefined) return { error: `\`${token}\` is not an index of the list` };
    if (i >= node.items.length) return { error: `index ${i} is past the end of the list (${node.items.length} items)` };
    return i;
  }
  if (node?.type === 'unknown') return { error: `it runs through a value that is not known (${node.why})` };
  return { error: `\`${token}\` is below a value that is neither a map nor a list` };
}

/** `root` with `value` added at `tokens` (RFC 6902 `add`), undefined when the parent does not take it. */
function add(root: RNode, tokens: readonly string[], value: RNode, key: At): RNode | undefined {
  if (tokens.length === 0) return value;
  const parentPath = locate(root, tokens.slice(0, -1));
  if (typeof parentPath === 'string') return undefined;
  const parent = nodeIn(root, parentPath)!;
  const last = tokens[tokens.length - 1];
  if (parent.type === 'map') return setIn(root, [...parentPath, last], value, key);
  if (parent.type !== 'seq') return undefined;
  const i = last === '-' ? parent.items.length : indexOf(last);
  if (i === undefined || i > parent.items.length) return undefined;
  const items = parent.items.slice();
  items.splice(i, 0, value);
  return setIn(root, parentPath, { ...parent, items });
}

/** Why `add` found no place at `tokens`. */
function whyNotAddable(root: RNode, tokens: readonly string[]): string {
  const parentPath = locate(root, tokens.slice(0, -1));
  if (typeof parentPath === 'string') return parentPath;
  const parent = nodeIn(root, parentPath)!;
  const last = tokens[tokens.length - 1];
  if (parent.type === 'seq') {
    return indexOf(last) === undefined
      ? `\`${last}\` is not an index of the list (nor \`-\`)`
      : `index ${last} is past the end of the list (${parent.items.length} items)`;
  }
  if (parent.type === 'unknown') return `it runs through a value that is not known (${parent.why})`;
  return 'the parent is neither a map nor a list';
}

function pointerOf(path: Path): string {
  return path.map((s) => '/' + escapeJsonPointer(String(s))).join('');
}

function hasUnknown(node: RNode): boolean {
  if (node.type === 'unknown') return true;
  if (node.type === 'map') return [...node.entries.values()].some((e) => hasUnknown(e.value));
  if (node.type === 'seq') return node.items.some(hasUnknown);
  return false;
}

/** JSON equality: maps by key whatever their order, lists item by item. */
function plainEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => plainEqual(x, b[i]));
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  const bo = b as Record<string, unknown>;
  const ao = a as Record<string, unknown>;
  return (
    ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(bo, k) && plainEqual(ao[k], bo[k]))
  );
}
