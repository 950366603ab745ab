import type { LineIndex } from '../document/lineIndex';

/**
 * Reading block-style YAML maps from the text around a line, by indentation alone. Completion works on YAML that is
 * being typed (incomplete lines, a key without a value), where a parser sees a different structure; these helpers
 * find the keys next to the cursor and those of its parent maps the way a reader would.
 */

interface LineShape {
  /** Column of the first non-space character (the `-` of an item). */
  readonly itemIndent: number;
  /** Column of the key (after `- ` for an item's first key). */
  readonly keyIndent: number;
  readonly dash: boolean;
  readonly key: string | undefined;
  /** The value text after `key:` (unquoted, comment removed); '' when none or a block indicator. */
  readonly value: string;
}

const KEY = /^(["']?)([^\s"':#][^"':#]*?)\1\s*:(?:\s+(.*))?$/;

function shape(text: string): LineShape | 'blank' | 'end' {
  if (/^\s*(#.*)?$/.test(text)) return 'blank';
  if (/^(---|\.\.\.)(\s|$)/.test(text)) return 'end';
  const m = /^(\s*)(-(?:\s+|$))?/.exec(text)!;
  const itemIndent = m[1].length;
  const keyIndent = itemIndent + (m[2]?.length ?? 0);
  const km = KEY.exec(text.slice(keyIndent));
  return {
    itemIndent,
    keyIndent,
    dash: !!m[2],
    key: km?.[2],
    value: km ? scalarText(km[3] ?? '') : '',
  };
}

/** A plain or quoted scalar's text without a trailing comment; block indicators and flow openers give ''. */
export function scalarText(raw: string): string {
  let text = raw.trim();
  if (text.startsWith('"') || text.startsWith("'")) {
    const q = text[0];
    const end = text.indexOf(q, 1);
    return end > 0 ? text.slice(1, end) : text.slice(1);
  }
  const comment = text.search(/\s#/);
  if (comment >= 0) text = text.slice(0, comment).trimEnd();
  return /^[|>]/.test(text) || /^[[{]/.test(text) ? '' : text;
}

/** A key line of an ancestor map. */
export interface KeyLine {
  readonly line: number;
  readonly indent: number;
  readonly key: string;
}

export class TextMap {
  constructor(
    private readonly lines: LineIndex,
    private readonly first: number,
    private readonly last: number,
  ) {}

  /**
   * Keys and values of the block map whose keys sit at column `indent`, around `line` (the line itself included when
   * it holds a key at that column). Stops at lines indented less, at the start of the item the map belongs to, and at
   * document markers.
   */
  siblings(line: number, indent: number): Map<string, string> {
    const out = new Map<string, string>();
    for (const [key, entry] of this.siblingLines(line, indent)) out.set(key, entry.value);
    return out;
  }

  /** Like `siblings`, with the line of each key. */
  siblingLines(line: number, indent: number): Map<string, { value: string; line: number }> {
    const out = new Map<string, { value: string; line: number }>();
    const record = (s: LineShape, l: number) => {
      if (s.key !== undefined && !out.has(s.key)) out.set(s.key, { value: s.value, line: l });
    };
    const here = shape(this.lines.lineText(line));
    let startsItem = false;
    if (typeof here !== 'string' && here.keyIndent === indent) {
      record(here, line);
      startsItem = here.dash;
    }
    if (!startsItem) {
      for (let l = line - 1; l >= this.first; l--) {
        const s = shape(this.lines.lineText(l));
        if (s === 'blank') continue;
        if (s === 'end') break;
        if (s.dash && s.itemIndent < indent && s.keyIndent === indent) {
          record(s, l);
          break;
        }
        if (s.itemIndent < indent) break;
        if (s.keyIndent === indent && !s.dash) record(s, l);
      }
    }
    for (let l = line + 1; l <= this.last; l++) {
      const s = shape(this.lines.lineText(l));
      if (s === 'blank') continue;
      if (s === 'end' || s.itemIndent < indent) break;
      if (s.keyIndent === indent && !s.dash) record(s, l);
    }
    return out;
  }

  /**
   * The key lines of the maps enclosing a position at column `indent` on `line`, innermost first (the key whose value
   * holds the cursor's map, then that key's parent, ...). Sequence items are crossed, not reported.
   */
  ancestors(line: number, indent: number): KeyLine[] {
    const out: KeyLine[] = [];
    const here = shape(this.lines.lineText(line));
    let want = indent;
    let compact = false;
    if (typeof here !== 'string' && here.dash && here.keyIndent === indent) {
      want = here.itemIndent;
      compact = true;
    }
    for (let l = line - 1; l >= this.first && (want > 0 || compact); l--) {
      const s = shape(this.lines.lineText(l));
      if (s === 'blank') continue;
      if (s === 'end') break;
      if (s.dash && s.itemIndent < want && s.keyIndent <= want) {
        if (s.keyIndent < want && s.key !== undefined) out.push({ line: l, indent: s.keyIndent, key: s.key });
        want = s.itemIndent;
        compact = true;
      } else if (!s.dash && s.key !== undefined && (s.keyIndent < want || (compact && s.keyIndent === want))) {
        out.push({ line: l, indent: s.keyIndent, key: s.key });
        want = s.keyIndent;
        compact = false;
      } else if (!s.dash && s.keyIndent <= want) compact = false;
    }
    return out;
  }

  /** Keys and values of the map below a key line (`key:` followed by an indented block map). */
  children(keyLine: KeyLine): Map<string, string> {
    for (let l = keyLine.line + 1; l <= this.last; l++) {
      const s = shape(this.lines.lineText(l));
      if (s === 'blank') continue;
      if (s === 'end' || s.itemIndent <= keyLine.indent) return new Map();
      return this.siblings(l, s.keyIndent);
    }
    return new Map();
  }
}
