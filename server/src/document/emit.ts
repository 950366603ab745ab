import { stringify } from 'yaml';

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
