import type { Position, Range } from 'vscode-languageserver';
import { LATEST_FLUX_VERSION } from '../catalog';
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
  /** The Flux version the repository runs, when detected. */
  readonly repoVersion: string | undefined;
  /** The version completions are filtered by: the repository's, else the newest the catalog knows. */
  readonly fluxVersion: string;
  /** Keys and values of the map `level` steps up from the cursor's (0 = the cursor's own map). */
  siblings(level?: number): ReadonlyMap<string, string>;
  /** The key lines of the enclosing maps, innermost first. */
  ancestors(): readonly KeyLine[];
  /** Keys and values of the map below an ancestor's sibling key (e.g. `target` next to `patch`). */
  childrenOf(level: number, key: string): ReadonlyMap<string, string>;
  /**
   * Text of another field of the object: read from the lines around the cursor when the field is in a map enclosing
   * it (those may be incomplete), else from the parsed document.
   */
  read(path: readonly string[]): string | undefined;
  /** Whether a field is present (possibly without a value). */
  has(path: readonly string[]): boolean;
}

export function completionCursor(
  file: ManifestFile,
  doc: ManifestDoc,
  subject: Subject,
  position: Position,
  repoVersion: string | undefined,
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
  const dash = /^(\s*)-\s+/.exec(before);
  const seqItem = !tc.inValue && !!dash && dash[0].length === tc.indent;
  // A value runs to the next space or quote; a key also stops at `:` (a list item's scalar value may contain one).
  const keyAhead = /^[^\s:"'#]*:(\s|$)/.test(after);
  const wordEnd = (tc.inValue || (seqItem && !keyAhead) ? /^[^\s"'#]*/ : /^[^\s:"'#]*/).exec(after)![0].length;
  const keyHasColon = !tc.inValue && /^\s*:(\s|$)/.test(after.slice(wordEnd));
  const range = {
    start: { line: position.line, character: tc.prefixStart },
    end: { line: position.line, character: position.character + wordEnd },
  };
  const map = new TextMap(file.lines, firstLine, lastLine);
  let ancestors: KeyLine[] | undefined;
  const ancestorsOf = () => (ancestors ??= map.ancestors(position.line, tc.indent));
  /** The map `path`'s parent is, as a level above the cursor's map, when it encloses the cursor. */
  const levelOf = (path: readonly string[]): number | undefined => {
    const parent = path.slice(0, -1);
    const strings = tc.path.filter((p) => typeof p === 'string');
    if (parent.length > strings.length || !parent.every((s, i) => strings[i] === s)) return undefined;
    return strings.length - parent.length;
  };
  const cursor: CompletionCursor = {
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
    repoVersion,
    fluxVersion: repoVersion ?? LATEST_FLUX_VERSION,
    siblings(level = 0) {
      if (level === 0) return map.siblings(position.line, tc.indent);
      const parent = ancestorsOf()[level - 1];
      return parent ? map.siblings(parent.line, parent.indent) : new Map();
    },
    ancestors: ancestorsOf,
    childrenOf(level, key) {
      const anchor = level === 0 ? { line: position.line, indent: tc.indent } : ancestorsOf()[level - 1];
      const found = anchor ? map.siblingLines(anchor.line, anchor.indent).get(key) : undefined;
      return found && anchor ? map.children({ line: found.line, indent: anchor.indent, key }) : new Map();
    },
    read(path) {
      const level = levelOf(path);
      if (level !== undefined) return cursor.siblings(level).get(path[path.length - 1]);
      return doc.text(path);
    },
    has(path) {
      const level = levelOf(path);
      if (level !== undefined) return cursor.siblings(level).has(path[path.length - 1]);
      return doc.get(path) !== undefined;
    },
  };
  return cursor;
}
