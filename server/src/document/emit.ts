import { Document, Pair, Scalar, stringify, YAMLMap, YAMLSeq } from 'yaml';

/**
 * YAML text for a plain value, indented by `indent` spaces on every line, in the style the Flux docs use
 * (block style, `- ` list items at the parent's indentation + 2). Used to insert generated patches.
 */
export function toYamlLines(value: unknown, indent: number, eol = '\n'): string {
  const text = stringify(value, { indent: 2, lineWidth: 0, defaultStringType: 'PLAIN', defaultKeyType: 'PLAIN' });
  const pad = ' '.repeat(indent);
  return (
    text
      .replace(/\n$/, '')
      .split('\n')
      .map((line) => (line ? pad + line : line))
      .join(eol) + eol
  );
}

/** One kustomize `patches` list entry, with the patch body as a `patch: |` block as the Flux docs write it. */
export function patchEntryToYaml(entry: { patch: unknown; target: object }, itemIndent: number, eol = '\n'): string {
  const body = stringify(entry.patch, { indent: 2, lineWidth: 0 });
  return toYamlLines([{ patch: body, target: entry.target }], itemIndent, eol);
}

/** A tree to print as YAML: scalars may carry a trailing comment (what is unknown about them). */
export type EmitNode =
  | { readonly scalar: string | number | boolean | null; readonly comment?: string }
  | { readonly map: readonly (readonly [string, EmitNode])[] }
  | { readonly seq: readonly EmitNode[] };

/** Block-style YAML for a tree, with a comment block on top (`header` lines, without `#`). */
export function emitYaml(tree: EmitNode, header: readonly string[] = []): string {
  const build = (n: EmitNode): Scalar | YAMLMap | YAMLSeq => {
    if ('map' in n) {
      const map = new YAMLMap();
      for (const [k, v] of n.map) map.items.push(new Pair(new Scalar(k), build(v)));
      return map;
    }
    if ('seq' in n) {
      const seq = new YAMLSeq();
      for (const item of n.seq) seq.items.push(build(item));
      return seq;
    }
    const scalar = new Scalar(n.scalar);
    if (n.comment) scalar.comment = ` ${n.comment.replace(/\s+/g, ' ')}`;
    return scalar;
  };
  const doc = new Document();
  doc.contents = build(tree);
  if (header.length > 0) doc.commentBefore = header.map((l) => ` ${l}`).join('\n');
  return doc.toString({ indent: 2, lineWidth: 0 });
}
