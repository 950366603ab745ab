import type { LineIndex, Position } from './lineIndex';

/**
 * The key path at a position, read from indentation alone. Completion needs it where the YAML is incomplete
 * (a key being typed has no value yet, so a parser sees a different structure).
 */
export interface TextContext {
  /** Keys from the document root to the map the cursor is in (sequence items appear as `number` 0). */
  readonly path: readonly (string | number)[];
  /** The key on the cursor's line, when the cursor is after `key:`. */
  readonly key: string | undefined;
  /** Text typed so far at the cursor (a key prefix, or a value prefix after `key: `). */
  readonly prefix: string;
  /** Offset (line character) where the typed prefix starts. */
  readonly prefixStart: number;
  /** True when the cursor is in the value part (`key: |`). */
  readonly inValue: boolean;
  /** Indentation column of the cursor line's key. */
  readonly indent: number;
}

const KEY_LINE = /^(\s*)(-\s+)?(["']?)([^\s"':#][^"':#]*?)\3\s*:(?:\s|$)/;

export function textContext(lines: LineIndex, position: Position, firstLine = 0): TextContext {
  const line = lines.lineText(position.line);
  const before = line.slice(0, position.character);
  const keyMatch = KEY_LINE.exec(before);
  let indent: number;
  let key: string | undefined;
  let inValue = false;
  let prefix: string;
  let prefixStart: number;
  const dash = /^(\s*)-\s+/.exec(before);
  if (keyMatch && before.length >= keyMatch[0].length) {
    indent = keyMatch[1].length + (keyMatch[2]?.length ?? 0);
    key = keyMatch[4];
    inValue = true;
    const rest = before.slice(keyMatch[0].length);
    const lead = /^\s*["']?/.exec(rest)![0].length;
    prefix = rest.slice(lead);
    prefixStart = keyMatch[0].length + lead;
  } else {
    const m = /^(\s*)(-\s+)?(\S*)$/.exec(before);
    indent = m ? m[1].length + (m[2]?.length ?? 0) : (dash?.[0].length ?? 0);
    prefix = m?.[3] ?? '';
    prefixStart = before.length - prefix.length;
  }
  const inSeqItem = !!dash && dash[0].length === indent;
  const path: (string | number)[] = [];
  let want = inSeqItem ? dash![1].length : indent;
  // After a sequence item, its parent key may sit at the item's own indentation (`key:` then `- item`, the compact
  // style kubectl and flux bootstrap write).
  let compact = inSeqItem;
  // Walk up: a line with smaller indentation that ends in `key:` is a parent; a `- ` line whose item map holds
  // the cursor's map adds a sequence index.
  for (let l = position.line - 1; l >= firstLine && (want > 0 || compact); l--) {
    const text = lines.lineText(l);
    if (/^\s*(#.*)?$/.test(text)) continue;
    if (/^(---|\.\.\.)(\s|$)/.test(text)) break;
    const m = /^(\s*)(-\s+)?/.exec(text)!;
    const itemIndent = m[1].length;
    const keyIndent = itemIndent + (m[2]?.length ?? 0);
    const km = KEY_LINE.exec(text);
    if (m[2] && itemIndent < want && keyIndent <= want) {
      if (keyIndent < want && km) path.unshift(km[4]);
      path.unshift(0);
      want = itemIndent;
      compact = true;
    } else if (!m[2] && km && (keyIndent < want || (compact && keyIndent === want))) {
      path.unshift(km[4]);
      want = keyIndent;
      compact = false;
    } else if (!m[2] && keyIndent <= want) compact = false;
  }
  if (inSeqItem) path.push(0);
  return { path, key, prefix, prefixStart, inValue, indent };
}
