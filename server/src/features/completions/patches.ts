import { CompletionItemKind, type CompletionItem } from 'vscode-languageserver-types';
import {
  APP_CERT_MOUNT,
  AZURE_ENV_VARS,
  CONTROLLER_PATCH_MATRIX,
  controllerByName,
  controllersInVersion,
  escapeJsonPointer,
  FLUX_BOOTSTRAP_RESOURCES,
  inRange,
  JSON6902_ANNOTATION_PATHS,
  JSON6902_OPS,
  JSON6902_PATH_DOCS,
  JSON6902_PATH_TARGET_KIND,
  JSON6902_PATHS,
  json6902PathId,
  LABEL_USE,
  OBJECT_LEVEL_WI_GATE,
  PATCH_KINDS,
  projectedTokenVolume,
  projectedTokenVolumeMount,
  targetNameFor,
  WORKLOAD_IDENTITY_ANNOTATIONS,
  type ControllerName,
  type Json6902PathId,
} from '../../catalog';
import { toYamlLines } from '../../document/emit';
import { isScalar, items } from '../../document/nodes';
import { controllersMatching, readControllerPatches } from '../../workspace/controllerPatches';
import type { CompletionCursor } from '../completionCursor';
import type { FeatureContext } from '../context';
import { patchesPathOf } from '../subject';
import { tokenFilesOf } from '../patchFacts';
import { snippetText, valueItems, type ValueChoice } from './items';
import {
  annotationValueItems,
  argItems,
  envNameItems,
  envValueItems,
  podTemplateCompletions,
  serviceAccountCompletions,
} from './workloadIdentity';

/** Stands for the certificate Secret's name in the volume template (becomes a tab stop). */
const SECRET_PLACEHOLDER = 'SECRET_NAME';

/**
 * Completions in the kustomize patches of a flux-system `kustomization.yaml` (or a FluxInstance's
 * `spec.kustomize.patches`): the target, and inside the `patch: |` body the JSON6902 operations and the
 * strategic-merge ServiceAccount / Deployment bodies.
 */
export function patchCompletions(c: CompletionCursor, ctx: FeatureContext): CompletionItem[] | undefined {
  const patchesPath = patchesPathOf(c.subject);
  if (!patchesPath) return undefined;
  const n = patchesPath.length;
  if (c.path.length <= n || !patchesPath.every((s, i) => c.path[i] === s) || typeof c.path[n] !== 'number')
    return undefined;
  if (!isFluxPatchFile(c)) return undefined;
  const rest = c.path.slice(n + 1);
  // The map of the `patches` item is this many levels above the cursor's map.
  const itemLevel = c.path.filter((p) => typeof p === 'string').length - patchesPath.length;
  const target = c.childrenOf(itemLevel, 'target');
  const targetKind = target.get('kind');
  const controllers = controllersMatching(target.get('name') || undefined);

  if (rest.length === 1 && rest[0] === 'target' && c.inValue) {
    if (c.key === 'kind') return targetKindItems(c);
    if (c.key === 'name') return targetNameItems(c);
    return undefined;
  }
  if (rest[0] !== 'patch') return undefined;
  const inner = rest.slice(1);
  const tokenFiles = () => tokenFilesOf(c.doc, patchesPath, controllers);
  const bodyKey = (key: string) => c.read([...patchesPath, 'patch', key]);

  if (typeof inner[0] === 'number') {
    // JSON6902: a list of operations.
    const opPath = bodyKey('path') ?? '';
    if (inner.length === 1 && c.inValue) {
      if (c.key === 'op') return opItems(c);
      if (c.key === 'path') return pathItems(c, targetKind);
      if (c.key === 'value') return opValueItems(c, ctx, opPath, controllers);
      return undefined;
    }
    if (inner.length === 2 && inner[1] === 'value' && c.inValue && json6902PathId(opPath) === 'env') {
      if (c.key === 'name') return envNameItems(c);
      if (c.key === 'value') return envValueItems(c, ctx, c.siblings().get('name') ?? '', tokenFiles);
    }
    return undefined;
  }
  // Strategic merge: a ServiceAccount or a Deployment.
  const kind = bodyKey('kind') || targetKind;
  if (kind === 'ServiceAccount') return serviceAccountCompletions(c, ctx, inner);
  if (kind === 'Deployment') return podTemplateCompletions(c, ctx, inner, controllers, tokenFiles);
  return undefined;
}

/**
 * A kustomization that patches Flux: a FluxInstance, or a kustomization.yaml next to the bootstrap manifests, in a
 * `flux-system` folder, or with a patch targeting a Flux controller. Other kustomizations get no answers.
 */
function isFluxPatchFile(c: CompletionCursor): boolean {
  if (c.subject.type === 'fluxInstance') return true;
  if (/\/flux-system\/[^/]*$/.test(c.file.uri)) return true;
  const resources = items(c.doc.get(['resources'])).filter(isScalar);
  if (resources.some((r) => (FLUX_BOOTSTRAP_RESOURCES as readonly string[]).includes(r.text))) return true;
  return readControllerPatches(c.doc, ['patches']).some((p) => p.targetName && p.controllers.length > 0);
}

function targetKindItems(c: CompletionCursor): CompletionItem[] {
  const kinds = [...new Set(PATCH_KINDS.map((p) => p.targetKind))];
  return valueItems(
    c,
    kinds.map((kind) => ({
      value: kind,
      kind: CompletionItemKind.Class,
      documentation: PATCH_KINDS.filter((p) => p.targetKind === kind)
        .map((p) => `- **${p.title}**: ${p.description}`)
        .join('\n'),
    })),
  );
}

/**
 * `target.name`: a controller, or a regular expression selecting several (kustomize anchors it). Inside a regex being
 * written (`(source-controller|`), the controllers not yet in it.
 */
function targetNameItems(c: CompletionCursor): CompletionItem[] {
  const version = c.fluxVersion;
  const names = controllersInVersion(version);
  const describe = (name: ControllerName) => {
    const def = controllerByName(name);
    return def ? `${def.description}\n\nReconciles: ${def.reconciles.join(', ')}` : '';
  };
  const open = Math.max(c.prefix.lastIndexOf('('), c.prefix.lastIndexOf('|'));
  if (open >= 0) {
    // Completing one alternative of a regex: replace only the part after `(` or `|`.
    const already = new Set(c.prefix.slice(0, open).split(/[(|)]/));
    const start = c.range.start.character + open + 1;
    const sub = {
      ...c,
      range: { start: { line: c.position.line, character: start }, end: c.range.end },
      quote: '"' as const,
      needsSpace: false,
    };
    return valueItems(
      sub,
      names
        .filter((name) => !already.has(name))
        .map((name) => ({ value: name, kind: CompletionItemKind.Module, documentation: describe(name) })),
    );
  }
  const choices: ValueChoice[] = names.map((name) => ({
    value: name,
    kind: CompletionItemKind.Module,
    detail: controllerByName(name)?.azureServices.length ? 'Flux controller' : 'Flux controller (no Azure integration)',
    documentation: describe(name),
  }));
  const gated = names.filter((name) => {
    const gate = controllerByName(name)?.objectLevelWorkloadIdentityGate;
    return gate && inRange(version, gate);
  });
  const regexes = new Map<string, string>();
  for (const row of CONTROLLER_PATCH_MATRIX)
    if (row.controllers.length > 1 && row.controllers.every((n) => names.includes(n)))
      regexes.set(targetNameFor(row.controllers), row.use);
  if (gated.length > 1)
    regexes.set(targetNameFor(gated), `every controller that knows the ${OBJECT_LEVEL_WI_GATE} gate`);
  for (const [regex, use] of regexes)
    choices.push({
      value: regex,
      kind: CompletionItemKind.Module,
      detail: use,
      documentation: `Selects ${regex.slice(1, -1).split('|').join(', ')}.`,
    });
  const list = names.filter((name) => controllerByName(name)?.azureServices.length);
  choices.push({
    value: '(',
    label: '(a|b) regex of several controllers',
    snippet: `(\${1|${list.join(',')}|}|\${2|${[...list.slice(1), list[0]].join(',')}|})`,
    kind: CompletionItemKind.Snippet,
    filterText: '(',
    documentation: 'kustomize matches `target.name` as a regular expression anchored at both ends.',
  });
  return valueItems(c, choices);
}

function opItems(c: CompletionCursor): CompletionItem[] {
  return valueItems(
    c,
    JSON6902_OPS.map((o, i) => ({
      value: o.op,
      kind: CompletionItemKind.Keyword,
      documentation: o.description,
      preselect: i === 0,
    })),
  );
}

/** JSON6902 paths the docs use: container 0 lists for a Deployment, annotation paths for a ServiceAccount. */
function pathItems(c: CompletionCursor, targetKind: string | undefined): CompletionItem[] {
  const choices: ValueChoice[] = [];
  if (targetKind === undefined || targetKind === '' || targetKind === JSON6902_PATH_TARGET_KIND) {
    for (const id of Object.keys(JSON6902_PATHS) as Json6902PathId[])
      choices.push({
        value: JSON6902_PATHS[id],
        kind: CompletionItemKind.Field,
        documentation: JSON6902_PATH_DOCS[id],
      });
    const label = WORKLOAD_IDENTITY_ANNOTATIONS.find((a) => a.key === LABEL_USE);
    choices.push({
      value: JSON6902_ANNOTATION_PATHS.podLabel,
      kind: CompletionItemKind.Field,
      documentation: label?.description,
    });
  }
  if (targetKind === undefined || targetKind === '' || targetKind === 'ServiceAccount') {
    for (const a of WORKLOAD_IDENTITY_ANNOTATIONS.filter(
      (x) => x.placement === 'serviceAccountAnnotation' && x.status === 'active',
    ))
      choices.push({
        value: `/metadata/annotations/${escapeJsonPointer(a.key)}`,
        kind: CompletionItemKind.Field,
        documentation: `${a.description}\n\n\`/\` is written \`~1\` in a JSON pointer.`,
      });
  }
  return valueItems(c, choices);
}

/** The `value` of an operation, by its path: a controller argument, a token volume or mount, an env entry. */
function opValueItems(
  c: CompletionCursor,
  ctx: FeatureContext,
  opPath: string,
  controllers: readonly ControllerName[],
): CompletionItem[] {
  const id = json6902PathId(opPath);
  if (id === 'args') return argItems(c, controllers.length > 0 ? controllers : controllersInVersion(c.fluxVersion));
  const block = (label: string, value: unknown, detail: string): ValueChoice => ({
    value: label,
    label,
    snippet: `\n${snippetText(toYamlLines(value, 2).trimEnd()).replace(SECRET_PLACEHOLDER, '$${1:$&}')}`,
    kind: CompletionItemKind.Snippet,
    detail,
  });
  if (id === 'volumes')
    return valueItems(c, [
      block('projected ServiceAccount token', projectedTokenVolume(), 'non-AKS workload identity'),
      block(
        'app certificate Secret',
        { name: APP_CERT_MOUNT.volumeName, secret: { secretName: SECRET_PLACEHOLDER } },
        'controller-level app certificate',
      ),
    ]);
  if (id === 'volumeMounts')
    return valueItems(c, [
      block('projected token mount', projectedTokenVolumeMount(), 'non-AKS workload identity'),
      block(
        'app certificate mount',
        {
          name: APP_CERT_MOUNT.volumeName,
          mountPath: APP_CERT_MOUNT.mountPath,
          subPath: APP_CERT_MOUNT.subPath,
          readOnly: true,
        },
        'controller-level app certificate',
      ),
    ]);
  if (id === 'env')
    return valueItems(c, [
      {
        value: 'name/value',
        label: 'AZURE_* variable',
        snippet: `\n  name: \${1|${AZURE_ENV_VARS.map((e) => e.name).join(',')}|}\n  value: $0`,
        kind: CompletionItemKind.Snippet,
      },
    ]);
  const annotation =
    /^\/metadata\/annotations\/(.+)$/.exec(opPath) ?? /^\/spec\/template\/metadata\/labels\/(.+)$/.exec(opPath);
  if (annotation) return annotationValueItems(c, ctx, annotation[1].replace(/~1/g, '/').replace(/~0/g, '~'));
  return [];
}
