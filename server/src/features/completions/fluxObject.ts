import type { CompletionItem } from 'vscode-languageserver';
import { CompletionItemKind } from 'vscode-languageserver-types';
import {
  BLOB_ENDPOINT_REGEX,
  describeRange,
  enumValuesFor,
  fieldApplies,
  fieldDef,
  inRange,
  isAcrReference,
  looksLikeAzureDevOps,
  FLUX_INSTANCE_FIELDS,
  FLUX_INSTANCE_KIND,
  type EnumValueDef,
  type FieldDef,
} from '../../catalog';
import type { CompletionCursor } from '../completionCursor';
import type { FeatureContext } from '../context';
import { versionLine } from '../markdown';
import { keyItems, snippetText, valueItems, type KeyChoice, type ValueChoice } from './items';
import { secretItems, serviceAccountItems } from './references';

/** Completions inside a Flux object: enum values, ServiceAccount and Secret names, and missing Azure keys. */
export function fluxObjectCompletions(c: CompletionCursor, ctx: FeatureContext): CompletionItem[] | undefined {
  if (c.subject.type !== 'flux') return undefined;
  const def = c.subject.lookup.def;
  if (c.path[0] !== 'spec' || c.path.some((p) => typeof p === 'number')) return undefined;
  const path = c.path as readonly string[];
  // Beside a YAML server with the Flux schemas, the fields and their enum values are its to offer.
  const schemaOffers = ctx.settings.yamlSchemaServer === 'on';
  if (c.inValue && c.key) {
    const fieldPath = [...path, c.key];
    const field = fieldDef(def, fieldPath);
    if (!field) return undefined;
    if (field.enum) return schemaOffers ? [] : enumItems(c, def.kind, field);
    if (c.key === 'serviceAccountName') return serviceAccountItems(c, ctx, { azure: field.azure });
    if (c.key === 'name' && path[path.length - 1] === 'secretRef') return secretItems(c, ctx, def.kind, path);
    return undefined;
  }
  return schemaOffers ? [] : missingKeyItems(c, def.kind, def.fields, path);
}

/** FluxInstance: the cluster settings that stand for the flux-system patches (gate, lockdown defaults). */
export function fluxInstanceCompletions(c: CompletionCursor): CompletionItem[] | undefined {
  if (c.subject.type !== 'fluxInstance' || c.path[0] !== 'spec' || c.path.some((p) => typeof p === 'number'))
    return undefined;
  const path = c.path as readonly string[];
  if (c.inValue && c.key) {
    const field = FLUX_INSTANCE_FIELDS.find((f) => f.path.join('.') === [...path, c.key].join('.'));
    if (field && 'enum' in field) return enumItems(c, FLUX_INSTANCE_KIND, field);
    if (field?.type === 'boolean')
      return valueItems(c, [
        { value: 'true', yaml: 'true' },
        { value: 'false', yaml: 'false' },
      ]);
    return undefined;
  }
  return missingKeyItems(c, FLUX_INSTANCE_KIND, FLUX_INSTANCE_FIELDS, path);
}

/** Whether the object's address (URL, image, endpoint) is an Azure one, so `azure` is the likely provider. */
function pointsAtAzure(c: CompletionCursor): boolean {
  const url = c.read(['spec', 'url']) ?? c.read(['spec', 'image']) ?? '';
  const endpoint = c.read(['spec', 'endpoint']) ?? '';
  return isAcrReference(url) || looksLikeAzureDevOps(url) || BLOB_ENDPOINT_REGEX.test(endpoint.trim());
}

function enumItems(c: CompletionCursor, kind: string, field: FieldDef): CompletionItem[] {
  const values = enumValuesFor(field, c.fluxVersion);
  let ordered: EnumValueDef[] = values;
  let preselect: string | undefined;
  const last = field.path[field.path.length - 1];
  if (kind === 'Provider' && last === 'type') {
    // Azure notifiers first: the list is long and this is an Azure tool.
    ordered = [...values.filter((v) => v.azure), ...values.filter((v) => !v.azure)];
    if (looksLikeAzureDevOps(c.read(['spec', 'address']) ?? '')) preselect = 'azuredevops';
  } else if (last === 'provider' && pointsAtAzure(c)) {
    ordered = [...values.filter((v) => v.azure), ...values.filter((v) => !v.azure)];
    preselect = values.find((v) => v.azure)?.value;
  }
  const choices: ValueChoice[] = ordered.map((v) => ({
    value: v.value,
    kind: CompletionItemKind.EnumMember,
    detail: [
      v.azure ? 'Azure' : undefined,
      v.value === field.default ? 'default' : undefined,
      v.versions ? describeRange(v.versions) : undefined,
    ]
      .filter(Boolean)
      .join(' · '),
    documentation: [v.description, v.deprecated ? `Deprecated: ${v.deprecated}` : ''].filter(Boolean).join('\n\n'),
    preselect: v.value === preselect,
    deprecated: !!v.deprecated,
  }));
  return valueItems(c, choices);
}

/** Azure keys the object does not have yet, that its kind, Flux version and other fields allow. */
function missingKeyItems(
  c: CompletionCursor,
  kind: string,
  all: readonly FieldDef[],
  path: readonly string[],
): CompletionItem[] {
  if (c.inValue) return [];
  const present = c.siblings();
  const fields = childrenOf(all, path).filter(
    (f) =>
      f.azure &&
      !f.deprecated &&
      !present.has(f.path[f.path.length - 1]) &&
      inRange(c.fluxVersion, f.versions) &&
      fieldApplies(
        kind,
        f.path,
        (p) => c.read(p),
        (p) => c.has(p),
      ),
  );
  const choices: KeyChoice[] = fields.map((f) => {
    const key = f.path[f.path.length - 1];
    const tail = keyTail(all, f, c.fluxVersion);
    return {
      key,
      tail: tail.text,
      suggestValue: tail.suggest,
      detail: [f.required ? 'required' : undefined, f.versions ? describeRange(f.versions) : undefined, 'Azure']
        .filter(Boolean)
        .join(' · '),
      documentation: [f.description, versionLine(f.versions, c.repoVersion)].filter(Boolean).join('\n\n'),
    };
  });
  return keyItems(c, choices);
}

/** The snippet after `key:` for a field: its required children, an enum choice, or a value to complete. */
function keyTail(all: readonly FieldDef[], f: FieldDef, version: string): { text: string; suggest: boolean } {
  const key = f.path[f.path.length - 1];
  if (f.type === 'object') {
    const required = childrenOf(all, f.path).filter((child) => child.required);
    if (required.length === 0) return { text: '\n  $0', suggest: true };
    let stop = 0;
    const lines = required.map((child) => {
      const name = child.path[child.path.length - 1];
      const only = child.enum && child.enum.length === 1 ? child.enum[0].value : undefined;
      return only !== undefined ? `${name}: ${snippetText(only)}` : `${name}: $${++stop}`;
    });
    const suggest = stop === 1 && required.some((r) => r.path[r.path.length - 1] === 'name');
    return { text: `\n  ${lines.join('\n  ')}${stop === 0 ? '\n  $0' : ''}`, suggest: suggest || stop === 0 };
  }
  if (f.enum) {
    const values = enumValuesFor(f, version);
    const ordered = [...values.filter((v) => v.azure), ...values.filter((v) => !v.azure)].map((v) => v.value);
    if (ordered.length > 0) return { text: ` \${1|${ordered.map(choiceText).join(',')}|}`, suggest: false };
  }
  if (f.type === 'boolean') return { text: ' ${1|true,false|}', suggest: false };
  return { text: ' $0', suggest: key === 'serviceAccountName' };
}

function childrenOf(fields: readonly FieldDef[], path: readonly string[]): FieldDef[] {
  return fields.filter((f) => f.path.length === path.length + 1 && path.every((seg, i) => f.path[i] === seg));
}

/** Escapes a value inside a snippet choice `${1|a,b|}`. */
function choiceText(value: string): string {
  return value.replace(/[\\$}|,]/g, '\\$&');
}
