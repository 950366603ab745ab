import type { Position, Range } from 'vscode-languageserver';
import type { ManifestDoc, ManifestFile } from '../document/manifest';
import { textContext } from '../document/textPath';
import type { Subject } from './subject';
import { TextMap, type KeyLine } from './textMap';

/**
 * Where a completion was asked, read from the text (the YAML around the cursor is usually incomplete): the key path
 * of the map the cursor is in, whether a key or a value is being typed, and the range an item replaces so that
 * accepting it never duplicates text (mid-word, after an opening quote, right after `key:`).
 */
export interface CompletionCursor {
  readonly file: ManifestFile;
  readonly doc: ManifestDoc;
  readonly subject: Subject;
  readonly position: Position;
  /** Offset of the position in the document's chunk. */
  readonly at: number;
  /** Keys from the document root to the map the cursor is in (sequence items appear as 0). */
  readonly path: readonly (string | number)[];
  /** The key whose value is being typed (when `inValue`). */
  readonly key: string | undefined;
  readonly inValue: boolean;
  /** Text typed so far. */
  readonly prefix: string;
  /** Column of the cursor line's key (after `- `). */
  readonly indent: number;
  /** The line starts a sequence item (`- `) and the cursor is in its value, before any `key:`. */
  readonly seqItem: boolean;
  /** The value was started with this quote. */
  readonly quote: '"' | "'" | undefined;
  /** The value starts right after `key:` (no space yet). */
  readonly needsSpace: boolean;
  /** A key is being edited and `:` already follows it. */
  readonly keyHasColon: boolean;
  /** What an item replaces: the typed prefix and the rest of the word after the cursor. */
  readonly range: Range;
  readonly fluxVersion: string | undefined;
  /** Keys and values of the map `level` steps up from the cursor's (0 = the cursor's own map). */
  siblings(level?: number): ReadonlyMap<string, string>;
  /** The key lines of the enclosing maps, innermost first. */
  ancestors(): readonly KeyLine[];
  /** Keys and values of the map below an ancestor's sibling key (e.g. `target` next to `patch`). */
  childrenOf(level: number, key: string): ReadonlyMap<string, string>;
}

export function completionCursor(
  file: ManifestFile,
  doc: ManifestDoc,
  subject: Subject,
  position: Position,
  fluxVersion: string | undefined,
): CompletionCursor {
  const firstLine = doc.position(0).line;
  const lastLine = doc.position(doc.chunk.text.length).line;
  const tc = textContext(file.lines, position, firstLine);
  const lineText = file.lines.lineText(position.line);
  const before = lineText.slice(0, position.character);
  const after = lineText.slice(position.character);
  const opener = before[tc.prefixStart - 1];
  const quote = tc.inValue && (opener === '"' || opener === "'") ? opener : undefined;
  const needsSpace = tc.inValue && opener === ':';
  const wordEnd = tc.inValue
    ? (/^[^\s"'#]*/.exec(after)?.[0].length ?? 0)
    : (/^[^\s:"'#]*/.exec(after)?.[0].length ?? 0);
  const keyHasColon = !tc.inValue && /^\s*:/.test(after.slice(wordEnd));
  const dash = /^(\s*)-\s+/.exec(before);
  const seqItem = !tc.inValue && !!dash && dash[0].length === tc.indent;
  const range = {
    start: { line: position.line, character: tc.prefixStart },
    end: { line: position.line, character: position.character + wordEnd },
  };
  const map = new TextMap(file.lines, firstLine, lastLine);
  let ancestors: KeyLine[] | undefined;
  const ancestorsOf = () => (ancestors ??= map.ancestors(position.line, tc.indent));
  return {
    file,
    doc,
    subject,
    position,
    at: doc.chunkOffset(position),
    path: tc.path,
    key: tc.key,
    inValue: tc.inValue,
    prefix: tc.prefix,
    indent: tc.indent,
    seqItem,
    quote,
    needsSpace,
    keyHasColon,
    range,
    fluxVersion,
    siblings(level = 0) {
      if (level === 0) return map.siblings(position.line, tc.indent);
      const parent = ancestorsOf()[level - 1];
      return parent ? map.siblings(parent.line, parent.indent) : new Map();
    },
    ancestors: ancestorsOf,
    childrenOf(level, key) {
      const anchor = level === 0 ? { line: position.line, indent: tc.indent } : ancestorsOf()[level - 1];
      if (!anchor) return new Map();
      // Find the sibling key line at the anchor's column, then read its children.
      for (const direction of [-1, 1]) {
        for (let l = anchor.line; l >= firstLine && l <= lastLine; l += direction) {
          const text = file.lines.lineText(l);
          const indent = /^\s*(?:-\s+)?/.exec(text)![0].length;
          if (text.trim() !== '' && indent < anchor.indent && l !== anchor.line) break;
          if (indent === anchor.indent && new RegExp(`^\\s*(?:-\\s+)?${escape(key)}\\s*:`).test(text))
            return map.children({ line: l, indent, key });
        }
      }
      return new Map();
    },
  };
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
