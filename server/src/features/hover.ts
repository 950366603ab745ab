import type { Hover, Position } from 'vscode-languageserver';
import {
  enumValuesFor,
  fieldDef,
  GUID_PATTERN,
  kindDef,
  parseRoleDefinitionId,
  roleByGuid,
  roleByName,
  type KindLookup,
} from '../catalog';
import type { ManifestDoc, ManifestFile } from '../document/manifest';
import { locate, type Location } from '../document/locate';
import type { FeatureContext } from './context';
import { kindFooter, roleMarkdown, serviceLine, versionLine } from './markdown';

const GUID_IN_TEXT = new RegExp(GUID_PATTERN, 'g');

/** Hover on Flux/Azure fields, values, role GUIDs and names. Nothing for YAML we do not understand. */
export function provideHover(file: ManifestFile, position: Position, ctx: FeatureContext): Hover | null {
  const offset = file.lines.offsetAt(position);
  const doc = file.docAt(offset);
  if (!doc || !doc.kind) return null;
  const at = doc.chunkOffset(position);
  const loc = locate(doc.root, at);
  if (!loc.scalar) return null;
  const markdown = fluxFieldHover(doc, loc, ctx) ?? roleHover(loc, at);
  if (!markdown) return null;
  return { contents: { kind: 'markdown', value: markdown }, range: doc.range(loc.scalar) };
}

function fluxFieldHover(doc: ManifestDoc, loc: Location, ctx: FeatureContext): string | undefined {
  const lookup: KindLookup | undefined = doc.apiVersion ? kindDef(doc.apiVersion, doc.kind!) : undefined;
  if (!lookup) return undefined;
  const path = loc.path.filter((p): p is string => typeof p === 'string');
  const field = fieldDef(lookup.def, path);
  if (!field) return undefined;
  const repoVersion = ctx.index.fluxVersionFor(doc.file.uri);
  const lines: string[] = [`**${lookup.def.kind}** \`${path.join('.')}\``, '', field.description];
  if (!loc.onKey && field.enum) {
    const value = enumValuesFor(field).find((e) => e.value === loc.scalar!.text);
    if (value) lines.push('', `\`${value.value}\`: ${value.description}`);
    if (value?.versions) lines.push('', versionLine(value.versions, repoVersion)!);
  }
  if (field.default !== undefined) lines.push('', `Default: \`${String(field.default)}\``);
  const version = versionLine(field.versions, repoVersion);
  if (version) lines.push('', version);
  if (field.azure)
    for (const s of lookup.def.services) {
      const line = serviceLine(s);
      if (line) lines.push('', line);
    }
  if (path[path.length - 1] === 'serviceAccountName') lines.push(...serviceAccountLines(doc, loc, ctx));
  lines.push('', kindFooter(lookup.def));
  return lines.join('\n');
}

function serviceAccountLines(doc: ManifestDoc, loc: Location, ctx: FeatureContext): string[] {
  const name = loc.onKey ? doc.text(loc.path as string[]) : loc.scalar?.text;
  if (!name) return [];
  const namespace = doc.namespace ?? ctx.index.inheritedNamespace(doc.file.uri);
  const found = ctx.index.serviceAccounts(name, namespace, doc.file.uri)[0];
  if (!found) return ['', `ServiceAccount \`${name}\` is not defined in this workspace.`];
  const ids = Object.entries(found.annotations).filter(([k]) => k.startsWith('azure.workload.identity/'));
  return [
    '',
    `ServiceAccount \`${found.namespace ?? '?'}/${found.name}\`${ids.length ? ':' : ' has no workload-identity annotations.'}`,
    ...ids.map(([k, v]) => `- \`${k}\`: \`${v}\``),
  ];
}

function roleHover(loc: Location, at: number): string | undefined {
  const scalar = loc.scalar!;
  const byName = roleByName(scalar.text.trim());
  if (byName) return roleMarkdown(byName);
  const fromId = parseRoleDefinitionId(scalar.text.trim());
  if (fromId) {
    const role = roleByGuid(fromId);
    if (role) return roleMarkdown(role);
  }
  // A GUID inside longer text (a command line, a description): the one under the cursor.
  for (const m of scalar.text.matchAll(GUID_IN_TEXT)) {
    const role = roleByGuid(m[0]);
    const start = scalar.start + (scalar.style === 'plain' ? 0 : 1) + m.index!;
    if (role && at >= start && at <= start + m[0].length) return roleMarkdown(role);
    if (role && scalar.text.trim() === m[0]) return roleMarkdown(role);
  }
  return undefined;
}
