import { CompletionItemKind, type CompletionItem } from 'vscode-languageserver-types';
import {
  ANNOTATION_CLIENT_ID,
  controllerByName,
  controllersInVersion,
  FLUX_NAMESPACE,
  ROLES,
  SCOPE_FORMATS,
  SERVICE_ACCOUNT_SUBJECT_PREFIX,
  roleDefinitionId,
  serviceAccountSubject,
  WORKLOAD_IDENTITY_AUDIENCE,
  type AsoFieldDef,
  type AsoResourceDef,
} from '../../catalog';
import type { CompletionCursor } from '../completionCursor';
import type { FeatureContext } from '../context';
import { roleMarkdown } from '../markdown';
import { keyItems, snippetText, valueItems, yamlString, type KeyChoice, type ValueChoice } from './items';
import { serviceAccountsIn } from './references';

/**
 * Azure Service Operator resources that provision Flux's access: RoleAssignment role references (the roles Flux
 * needs first), principal types, FederatedIdentityCredential audiences and subjects built from the workspace's
 * ServiceAccounts, and the missing keys of their specs.
 */
export function asoCompletions(c: CompletionCursor, ctx: FeatureContext): CompletionItem[] | undefined {
  if (c.subject.type !== 'aso') return undefined;
  const def = c.subject.def;
  if (c.path[0] !== 'spec') return undefined;
  const path = c.path.filter((p): p is string => typeof p === 'string');
  const isSeq = c.path.some((p) => typeof p === 'number');
  if (def.kind === 'RoleAssignment' && c.inValue && !isSeq) {
    if (pathIs(path, 'spec', 'roleDefinitionReference') && c.key === 'wellKnownName') return roleItems(c, 'name');
    if (pathIs(path, 'spec', 'roleDefinitionReference') && c.key === 'armId') return roleItems(c, 'armId');
    if (pathIs(path, 'spec', 'owner') && c.key === 'armId') return scopeItems(c);
  }
  if (def.kind === 'FederatedIdentityCredential') {
    if (pathIs(c.path, 'spec', 'audiences', 0) && c.seqItem) return audienceItems(c, false);
    if (pathIs(path, 'spec') && c.inValue && c.key === 'audiences') return audienceItems(c, true);
    if (pathIs(path, 'spec') && c.inValue && c.key === 'subject') return subjectItems(c, ctx);
  }
  if (isSeq) return undefined;
  if (c.inValue && c.key) {
    const field = fieldOf(def, [...path, c.key]);
    if (field?.enum)
      return valueItems(
        c,
        field.enum.map((v) => ({ value: v, kind: CompletionItemKind.EnumMember })),
      );
    return undefined;
  }
  return missingKeys(c, def, path);
}

function pathIs(path: readonly (string | number)[], ...want: (string | number)[]): boolean {
  return path.length === want.length && want.every((w, i) => path[i] === w);
}

function fieldOf(def: AsoResourceDef, path: readonly string[]): AsoFieldDef | undefined {
  return def.fields.find((f) => pathIs(f.path, ...path));
}

/** Built-in roles; the ones the Flux docs recommend first. `name` inserts the role name, `armId` its definition id. */
function roleItems(c: CompletionCursor, form: 'name' | 'armId'): CompletionItem[] {
  const ordered = [...ROLES.filter((r) => r.recommended), ...ROLES.filter((r) => !r.recommended)];
  const choices: ValueChoice[] = ordered.map((role, i) => {
    const id = roleDefinitionId(role.guid);
    return form === 'name'
      ? {
          value: role.name,
          kind: CompletionItemKind.EnumMember,
          detail: role.guid,
          documentation: roleMarkdown(role),
          preselect: i === 0,
        }
      : {
          value: id,
          label: role.name,
          kind: CompletionItemKind.EnumMember,
          detail: id,
          documentation: roleMarkdown(role),
          filterText: id,
          preselect: i === 0,
        };
  });
  return valueItems(c, choices);
}

function audienceItems(c: CompletionCursor, inline: boolean): CompletionItem[] {
  return valueItems(c, [
    {
      value: WORKLOAD_IDENTITY_AUDIENCE,
      yaml: inline ? `[${JSON.stringify(WORKLOAD_IDENTITY_AUDIENCE)}]` : undefined,
      kind: CompletionItemKind.Constant,
      detail: 'the only audience Entra accepts for workload identity',
      preselect: true,
    },
  ]);
}

/** ARM scope patterns a role can be assigned at, with a tab stop per part (the owner of an assignment is its scope). */
function scopeItems(c: CompletionCursor): CompletionItem[] {
  const choices: ValueChoice[] = SCOPE_FORMATS.filter(
    (f) => f.assignable && f.pattern !== '/' && f.id !== 'userAssignedIdentity',
  ).map((f) => {
    let stop = 0;
    const snippet = f.pattern
      .split(/(\{[A-Za-z]+\})/)
      .map((part) => (/^\{[A-Za-z]+\}$/.test(part) ? `\${${++stop}:${part.slice(1, -1)}}` : snippetText(part)))
      .join('');
    return {
      value: f.pattern,
      label: f.label,
      snippet,
      kind: CompletionItemKind.Snippet,
      detail: f.pattern,
      filterText: f.pattern,
      documentation: 'The assignment applies to this scope and everything below it.',
    };
  });
  return valueItems(c, choices);
}

/**
 * `system:serviceaccount:<namespace>:<name>` for every ServiceAccount of the workspace (annotated ones first), the Flux
 * controllers' own ServiceAccounts (controller-level identity), and a template with a tab stop per part.
 */
function subjectItems(c: CompletionCursor, ctx: FeatureContext): CompletionItem[] {
  const seen = new Set<string>();
  const choices: (ValueChoice & { rank: number })[] = [];
  for (const sa of serviceAccountsIn(ctx, undefined)) {
    if (!sa.namespace) continue;
    const subject = serviceAccountSubject(sa.namespace, sa.name);
    if (seen.has(subject)) continue;
    seen.add(subject);
    const clientId = sa.annotations[ANNOTATION_CLIENT_ID];
    choices.push({
      value: subject,
      yaml: yamlString(subject),
      kind: CompletionItemKind.Reference,
      detail: clientId ? `client-id ${clientId}` : 'no workload-identity annotations',
      documentation: `Federates ServiceAccount \`${sa.namespace}/${sa.name}\`${clientId ? ` (annotated with client id \`${clientId}\`)` : ''}. Entra compares the subject case-sensitively.`,
      rank: clientId ? 0 : 1,
    });
  }
  for (const controller of controllersInVersion(c.fluxVersion)) {
    const subject = serviceAccountSubject(FLUX_NAMESPACE, controller);
    if (seen.has(subject) || !controllerByName(controller)?.azureServices.length) continue;
    seen.add(subject);
    choices.push({
      value: subject,
      kind: CompletionItemKind.Reference,
      detail: 'Flux controller (controller-level identity)',
      documentation: `The ServiceAccount of ${controller}: federate it when the controller itself authenticates to Azure.`,
      rank: 2,
    });
  }
  choices.sort((a, b) => a.rank - b.rank || a.value.localeCompare(b.value));
  choices.push({
    value: SERVICE_ACCOUNT_SUBJECT_PREFIX,
    label: 'system:serviceaccount:<namespace>:<name>',
    snippet: `${SERVICE_ACCOUNT_SUBJECT_PREFIX}\${1:namespace}:\${2:name}`,
    kind: CompletionItemKind.Snippet,
    rank: 3,
  });
  return valueItems(c, choices);
}

/** Keys of the resource's spec not written yet; of two alternatives (`principalId` / `...FromConfig`) only one. */
function missingKeys(c: CompletionCursor, def: AsoResourceDef, path: readonly string[]): CompletionItem[] {
  const present = c.siblings();
  const children = def.fields.filter((f) => f.path.length === path.length + 1 && path.every((s, i) => f.path[i] === s));
  const choices: KeyChoice[] = children
    .filter((f) => {
      const key = f.path[f.path.length - 1];
      const alt = f.alternativeTo?.[f.alternativeTo.length - 1];
      return !present.has(key) && !(alt && present.has(alt));
    })
    .sort((a, b) => Number(!!b.required) - Number(!!a.required))
    .map((f) => {
      const key = f.path[f.path.length - 1];
      const hasChildren = def.fields.some(
        (g) => g.path.length > f.path.length && f.path.every((s, i) => g.path[i] === s),
      );
      return {
        key,
        tail: hasChildren ? '\n  $0' : ' $0',
        suggestValue: hasChildren || key === 'subject' || key === 'audiences' || !!f.enum,
        detail: f.required ? 'required' : undefined,
        documentation: f.description,
      };
    });
  return keyItems(c, choices);
}
