import type { OffsetMap } from './nodes';
import { parseYaml } from './parse';
import type { ScalarNode, YamlNode } from './nodes';

/** YAML found inside a scalar (a kustomize `patch: |`, a `sops.azure-kv: |` entry, a base64 `data` value). */
export interface NestedYaml {
  readonly root: YamlNode | undefined;
  readonly hasErrors: boolean;
  /** The text that was parsed (the scalar's value, or the decoded base64). */
  readonly text: string;
  /** True when inner offsets map to exact outer positions; false for decoded base64 (mapped to the whole value). */
  readonly exact: boolean;
  /** Maps an offset in `text` to a chunk offset. */
  readonly toOuter: OffsetMap;
  /** Maps a chunk offset inside the scalar to an offset in `text` (undefined when outside or not exact). */
  readonly toInner: (outer: number) => number | undefined;
}

/**
 * Parses the YAML inside a scalar of a chunk. Block literals map line by line (the indentation the block strips is
 * added back), single-line quoted or plain scalars map character by character when they contain no escapes.
 */
export function parseNested(chunk: string, scalar: ScalarNode): NestedYaml | undefined {
  if (scalar.style === 'literal') return parseBlockLiteral(chunk, scalar);
  const raw = chunk.slice(scalar.start, scalar.end);
  const quote = scalar.style === 'single' || scalar.style === 'double' ? 1 : 0;
  const body = raw.slice(quote, raw.length - quote);
  if (scalar.style !== 'folded' && body === scalar.text && !body.includes('\n')) {
    const base = scalar.start + quote;
    return finish(
      scalar.text,
      true,
      (o) => base + o,
      (outer) => (outer >= base && outer <= base + body.length ? outer - base : undefined),
    );
  }
  return parseInexact(scalar.text, scalar);
}

/** Parses decoded text (base64 `data`): every inner position maps to the start of the scalar. */
export function parseInexact(text: string, scalar: ScalarNode): NestedYaml {
  return finish(
    text,
    false,
    () => scalar.start,
    () => undefined,
  );
}

function finish(text: string, exact: boolean, toOuter: OffsetMap, toInner: NestedYaml['toInner']): NestedYaml {
  const parsed = parseYaml(text, toOuter);
  return { root: parsed.root, hasErrors: parsed.hasErrors, text, exact, toOuter, toInner };
}

function parseBlockLiteral(chunk: string, scalar: ScalarNode): NestedYaml | undefined {
  const headerEnd = chunk.indexOf('\n', scalar.start);
  if (headerEnd === -1 || headerEnd >= scalar.end)
    return finish(
      '',
      true,
      () => scalar.start,
      () => undefined,
    );
  const header = chunk.slice(scalar.start, headerEnd);
  // Block header: `|`, then an optional indentation digit and chomping sign in either order (`|2-`, `|-2`).
  const explicit = /^[|>](?:([1-9])[+-]?|[+-]([1-9])?)?/.exec(header);
  const explicitIndent = Number(explicit?.[1] ?? explicit?.[2] ?? 0);

  // Content lines run from after the header to the scalar's end.
  const lineStarts: number[] = [];
  for (let s = headerEnd + 1; s < scalar.end;) {
    lineStarts.push(s);
    const nl = chunk.indexOf('\n', s);
    if (nl === -1 || nl >= scalar.end) break;
    s = nl + 1;
  }
  // Without an indicator, the first non-blank line sets the indentation the block strips.
  let indent = 0;
  for (const s of lineStarts) {
    const line = lineAt(chunk, s, scalar.end);
    if (line.trim() === '') continue;
    indent = /^ */.exec(line)![0].length;
    break;
  }
  if (explicitIndent > 0) {
    // Absolute indentation = parent indentation + indicator; derive the parent's from the header line.
    const lineStart = chunk.lastIndexOf('\n', scalar.start) + 1;
    const parentIndent = /^ */.exec(chunk.slice(lineStart, scalar.start))![0].length;
    indent = parentIndent + explicitIndent;
  }

  const innerStarts: number[] = [];
  const outerStarts: number[] = [];
  let text = '';
  for (const s of lineStarts) {
    const line = lineAt(chunk, s, scalar.end);
    const strip = Math.min(indent, /^ */.exec(line)![0].length);
    innerStarts.push(text.length);
    outerStarts.push(s + strip);
    text += line.slice(strip) + '\n';
  }
  const toOuter: OffsetMap = (offset) => {
    const i = lastLE(innerStarts, offset);
    if (i < 0) return scalar.start;
    return outerStarts[i] + (offset - innerStarts[i]);
  };
  const toInner = (outer: number): number | undefined => {
    if (outer < (outerStarts[0] ?? Infinity) - indent || outer > scalar.end) return undefined;
    const i = lastLE(outerStarts, outer);
    if (i < 0) return 0;
    const lineLen = (innerStarts[i + 1] ?? text.length) - innerStarts[i] - 1;
    return innerStarts[i] + Math.max(0, Math.min(outer - outerStarts[i], lineLen));
  };
  return finish(text, true, toOuter, toInner);
}

function lineAt(chunk: string, start: number, limit: number): string {
  const nl = chunk.indexOf('\n', start);
  const end = nl === -1 || nl > limit ? limit : nl;
  const line = chunk.slice(start, end);
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

function lastLE(sorted: number[], value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] <= value) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
