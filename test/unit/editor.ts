import { join } from 'node:path';
import type { CompletionItem, Hover, MarkupContent, TextEdit } from 'vscode-languageserver';
import type { FeatureContext } from '../../server/src/features/context';
import { createFluxService, type FluxService } from '../../server/src/service';
import { pathToUri } from '../../server/src/workspace/files';
import { writeTree } from './fixtures';

/** Marks the cursor in test texts. */
export const CURSOR = '§';

export interface Workspace {
  readonly root: string;
  readonly service: FluxService;
  readonly ctx: FeatureContext;
}

/** Indexes a folder as the server does. */
export async function indexFolder(root: string, fluxVersion = ''): Promise<Workspace> {
  const service = createFluxService({ roots: [root], settings: { fluxVersion } });
  await service.scan();
  return { root, service, ctx: service.context };
}

/** Runs `ask` on the file `rel` of the workspace as if it were open in the editor with `text`. */
function asOpen<T>(ws: Workspace, rel: string, text: string, ask: (uri: string) => T): T {
  const uri = pathToUri(join(ws.root, rel));
  ws.service.open(uri, 'yaml', 1, text);
  try {
    return ask(uri);
  } finally {
    ws.service.close(uri);
  }
}

/** Writes a small repository to a temp folder and indexes it. */
export async function workspace(files: Record<string, string>, fluxVersion = ''): Promise<Workspace> {
  return indexFolder(writeTree(files, 'flux-azure-editor-'), fluxVersion);
}

function positionAt(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

function split(textWithCursor: string): { text: string; offset: number } {
  const offset = textWithCursor.indexOf(CURSOR);
  if (offset < 0) throw new Error('no cursor marker in the text');
  return { text: textWithCursor.slice(0, offset) + textWithCursor.slice(offset + CURSOR.length), offset };
}

/** Completion items at the cursor marker of `textWithCursor`, as if the file `rel` of the workspace were open. */
export function complete(ws: Workspace, rel: string, textWithCursor: string): CompletionItem[] {
  const { text, offset } = split(textWithCursor);
  return asOpen(ws, rel, text, (uri) => ws.service.completion(uri, positionAt(text, offset))?.items ?? []);
}

export function labels(items: readonly CompletionItem[]): string[] {
  return [...items].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? '')).map((i) => i.label);
}

/**
 * The text after accepting an item, as VS Code does it: the edit replaces its range, snippet tab stops become their
 * default text (choices their first option), and lines after the first get the cursor line's indentation.
 */
export function accept(textWithCursor: string, item: CompletionItem): string {
  const { text } = split(textWithCursor);
  const edit = item.textEdit as TextEdit;
  const lines = text.split('\n');
  const offsetOf = (p: { line: number; character: number }) =>
    lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  let insert = edit.newText;
  if (item.insertTextFormat === 2)
    insert = insert
      .replace(/\$\{\d+\|([^,|]*)[^}]*\|\}/g, '$1')
      .replace(/\$\{\d+:([^}]*)\}/g, '$1')
      .replace(/\$\{\d+\}|\$\d+/g, '')
      .replace(/\\([$}\\])/g, '$1');
  if (item.insertTextMode === 2) {
    const indent = /^\s*/.exec(lines[edit.range.start.line].replace(/\r$/, ''))![0];
    insert = insert.replace(/\n/g, `\n${indent}`);
  }
  return text.slice(0, offsetOf(edit.range.start)) + insert + text.slice(offsetOf(edit.range.end));
}

/** The hover at `needle` (+ `delta` characters) in `text`, as if the file `rel` of the workspace were open. */
export function hoverAt(ws: Workspace, rel: string, text: string, needle: string, delta = 1): Hover | null {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`'${needle}' not found`);
  return asOpen(ws, rel, text, (uri) => ws.service.hover(uri, positionAt(text, index + delta)));
}

export function hoverText(hover: Hover | null): string {
  return hover ? (hover.contents as MarkupContent).value : '';
}
