import { CompletionItemKind, type CompletionItem, type CompletionList, type Position } from 'vscode-languageserver';
import { enumValuesFor, fieldDef, kindDef } from '../catalog';
import type { ManifestFile } from '../document/manifest';
import { textContext } from '../document/textPath';
import type { FeatureContext } from './context';

/** Completion of enum values for Flux fields (`spec.provider` and friends), from the catalog. */
export function provideCompletion(file: ManifestFile, position: Position, ctx: FeatureContext): CompletionList | null {
  const offset = file.lines.offsetAt(position);
  const doc = file.docAt(offset);
  if (!doc?.apiVersion || !doc.kind) return null;
  const lookup = kindDef(doc.apiVersion, doc.kind);
  if (!lookup) return null;
  const firstLine = doc.position(0).line;
  const tc = textContext(file.lines, position, firstLine);
  if (!tc.inValue || !tc.key) return null;
  const path = [...tc.path.filter((p): p is string => typeof p === 'string'), tc.key];
  const field = fieldDef(lookup.def, path);
  if (!field?.enum) return null;
  const version = ctx.index.fluxVersionFor(file.uri);
  const range = { start: { line: position.line, character: tc.prefixStart }, end: position };
  const items: CompletionItem[] = enumValuesFor(field, version).map((e, i) => ({
    label: e.value,
    kind: CompletionItemKind.EnumMember,
    documentation: { kind: 'markdown', value: e.description },
    sortText: `${e.azure ? '0' : '1'}${String(i).padStart(3, '0')}`,
    textEdit: { range, newText: e.value },
  }));
  return { isIncomplete: false, items };
}
