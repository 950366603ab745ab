import { CompletionItemKind, type CompletionItem } from 'vscode-languageserver-types';
import {
  AKS_WEBHOOK_INJECTION,
  ANNOTATION_TENANT_ID,
  APP_CERT_MOUNT,
  AZURE_CLOUDS,
  AZURE_ENV_VARS,
  controllerByName,
  describeRange,
  ENV_AUTHORITY_HOST,
  ENV_CLIENT_CERTIFICATE_PATH,
  ENV_CLIENT_SEND_CERTIFICATE_CHAIN,
  ENV_FEDERATED_TOKEN_FILE,
  ENV_TENANT_ID,
  envVarDef,
  federatedTokenFile,
  inRange,
  LABEL_USE,
  LOCKDOWN_FLAGS,
  OBJECT_LEVEL_WI_GATE,
  OBJECT_LEVEL_WI_GATE_ARG,
  OBJECT_LEVEL_WI_GATE_VERSIONS,
  PROJECTED_TOKEN,
  WORKLOAD_IDENTITY_ANNOTATIONS,
  type AnnotationDef,
  type AnnotationPlacement,
  type ControllerName,
} from '../../catalog';
import type { CompletionCursor } from '../completionCursor';
import type { FeatureContext } from '../context';
import { annotationMarkdown, envVarMarkdown, flagMarkdown } from '../markdown';
import { knownTenants } from './references';
import { keyItems, snippetText, valueItems, type KeyChoice, type ValueChoice } from './items';

const SERVICE_ACCOUNT_PLACEMENTS: readonly AnnotationPlacement[] = [
  'serviceAccountAnnotation',
  'serviceAccountOrPodAnnotation',
];
const POD_ANNOTATION_PLACEMENTS: readonly AnnotationPlacement[] = ['podAnnotation', 'serviceAccountOrPodAnnotation'];

function annotationsFor(placements: readonly AnnotationPlacement[]): AnnotationDef[] {
  return WORKLOAD_IDENTITY_ANNOTATIONS.filter((a) => a.status === 'active' && placements.includes(a.placement));
}

/** Completions in a ServiceAccount (or a ServiceAccount patch body), `rel` being the path from its root. */
export function serviceAccountCompletions(
  c: CompletionCursor,
  ctx: FeatureContext,
  rel: readonly (string | number)[],
): CompletionItem[] | undefined {
  if (rel.length === 2 && rel[0] === 'metadata' && rel[1] === 'annotations') {
    if (c.inValue && c.key) return annotationValueItems(c, ctx, c.key);
    if (!c.inValue) return annotationKeyItems(c, annotationsFor(SERVICE_ACCOUNT_PLACEMENTS));
  }
  if (rel.length === 1 && rel[0] === 'metadata' && !c.inValue && !c.siblings().has('annotations')) {
    const [client, tenant] = annotationsFor(['serviceAccountAnnotation']).filter((a) => a.requiredForFluxObjectLevel);
    if (!client || !tenant) return undefined;
    return keyItems(c, [
      {
        key: 'annotations',
        label: 'annotations (workload identity)',
        tail: `\n  ${client.key}: \${1:<client GUID>}\n  ${tenant.key}: \${2:<tenant GUID>}`,
        detail: 'client-id and tenant-id of the managed identity',
        documentation: [annotationMarkdown(client), annotationMarkdown(tenant)].join('\n\n---\n\n'),
      },
    ]);
  }
  return undefined;
}

/**
 * Completions in a pod-owning object (or a Deployment patch body), `rel` being the path from its root: the
 * workload-identity label and annotations on the pod template, `AZURE_*` variables, and for Flux controllers the
 * feature gate and lockdown flags.
 */
export function podTemplateCompletions(
  c: CompletionCursor,
  ctx: FeatureContext,
  rel: readonly (string | number)[],
  controllers: readonly ControllerName[],
  tokenFiles: () => readonly string[],
): CompletionItem[] | undefined {
  const at = (...tail: (string | number)[]) =>
    rel.length === tail.length + 2 &&
    rel[0] === 'spec' &&
    rel[1] === 'template' &&
    tail.every((s, i) => rel[i + 2] === s);
  if (at('metadata', 'labels')) {
    if (c.inValue && c.key === LABEL_USE) return useLabelValue(c);
    if (!c.inValue) return useLabelKey(c);
    return undefined;
  }
  if (at('metadata', 'annotations')) {
    if (c.inValue && c.key) return annotationValueItems(c, ctx, c.key);
    if (!c.inValue) return annotationKeyItems(c, annotationsFor(POD_ANNOTATION_PLACEMENTS));
    return undefined;
  }
  if (at('spec', 'containers', 0, 'env', 0) && c.inValue) {
    if (c.key === 'name') return envNameItems(c);
    if (c.key === 'value') return envValueItems(c, ctx, c.siblings().get('name') ?? '', tokenFiles);
    return undefined;
  }
  if (at('spec', 'containers', 0, 'args', 0) && c.seqItem && controllers.length > 0) return argItems(c, controllers);
  return undefined;
}

export function annotationKeyItems(c: CompletionCursor, defs: readonly AnnotationDef[]): CompletionItem[] {
  const present = c.siblings();
  const choices: KeyChoice[] = defs
    .filter((a) => !present.has(a.key))
    .sort((a, b) => Number(b.requiredForFluxObjectLevel) - Number(a.requiredForFluxObjectLevel))
    .map((a) => ({
      key: a.key,
      tail: a.valueType === 'stringTrue' ? ' "true"' : ' $0',
      suggestValue: a.key === ANNOTATION_TENANT_ID || a.valueType === 'seconds',
      detail: a.requiredForFluxObjectLevel ? 'required by Flux object-level workload identity' : a.requiredBy,
      documentation: annotationMarkdown(a),
    }));
  return keyItems(c, choices);
}

export function annotationValueItems(c: CompletionCursor, ctx: FeatureContext, key: string): CompletionItem[] {
  const def = WORKLOAD_IDENTITY_ANNOTATIONS.find((a) => a.key === key);
  if (!def) return [];
  if (def.valueType === 'stringTrue') return valueItems(c, [{ value: 'true', detail: 'a string, quoted' }]);
  if (def.key === ANNOTATION_TENANT_ID)
    return valueItems(
      c,
      knownTenants(ctx).map((t) => ({ value: t, detail: 'tenant used by other ServiceAccounts here' })),
    );
  if (def.valueType === 'seconds')
    return valueItems(c, [
      { value: '3600', yaml: '"3600"', detail: 'default (1 hour)' },
      { value: '86400', yaml: '"86400"', detail: 'maximum (24 hours)' },
    ]);
  return [];
}

function useLabelKey(c: CompletionCursor): CompletionItem[] {
  const def = WORKLOAD_IDENTITY_ANNOTATIONS.find((a) => a.key === LABEL_USE);
  if (!def || c.siblings().has(LABEL_USE)) return [];
  return keyItems(c, [
    {
      key: LABEL_USE,
      tail: ' "true"',
      detail: 'AKS workload identity: inject the token',
      documentation: annotationMarkdown(def),
    },
  ]);
}

function useLabelValue(c: CompletionCursor): CompletionItem[] {
  return valueItems(c, [
    { value: 'true', detail: 'label values are strings: quoted', documentation: 'An unquoted `true` is rejected.' },
  ]);
}

export function envNameItems(c: CompletionCursor): CompletionItem[] {
  const choices: ValueChoice[] = AZURE_ENV_VARS.map((e) => ({
    value: e.name,
    kind: CompletionItemKind.Variable,
    detail: e.injectedByAksWebhook ? 'also injected by the AKS webhook' : e.valueType,
    documentation: envVarMarkdown(e),
  }));
  return valueItems(c, choices);
}

/**
 * Values for an `AZURE_*` variable: the cloud authority hosts, the token file that matches the projected volume
 * mounted in the same controller, the certificate mount path, a quoted "true", tenants used elsewhere.
 */
export function envValueItems(
  c: CompletionCursor,
  ctx: FeatureContext,
  name: string,
  tokenFiles: () => readonly string[],
): CompletionItem[] {
  const def = envVarDef(name);
  if (!def) return [];
  if (name === ENV_AUTHORITY_HOST)
    return valueItems(
      c,
      AZURE_CLOUDS.map((cloud) => ({ value: cloud.authorityHost, detail: cloud.name })),
    );
  if (name === ENV_FEDERATED_TOKEN_FILE) {
    const mounted = tokenFiles();
    const files = [...new Set([...mounted, federatedTokenFile(), AKS_WEBHOOK_INJECTION.tokenFile])];
    return valueItems(
      c,
      files.map((f, i) => ({
        value: f,
        detail: mounted.includes(f)
          ? 'matches the projected token volume mounted here'
          : f === AKS_WEBHOOK_INJECTION.tokenFile
            ? 'where the AKS webhook mounts the token'
            : `default: ${PROJECTED_TOKEN.mountPath} + ${PROJECTED_TOKEN.path}`,
        preselect: i === 0,
      })),
    );
  }
  if (name === ENV_CLIENT_CERTIFICATE_PATH)
    return valueItems(c, [{ value: APP_CERT_MOUNT.mountPath, detail: 'the certificate Secret mount of the docs' }]);
  if (name === ENV_CLIENT_SEND_CERTIFICATE_CHAIN)
    return valueItems(c, [{ value: 'true', detail: 'env values are strings: quoted' }]);
  if (name === ENV_TENANT_ID)
    return valueItems(
      c,
      knownTenants(ctx).map((t) => ({ value: t, detail: 'tenant used by ServiceAccounts here' })),
    );
  return valueItems(
    c,
    def.examples.filter((e) => !/^["<]/.test(e)).map((e) => ({ value: e, detail: 'example from the Flux docs' })),
  );
}

/**
 * Controller arguments: the ObjectLevelWorkloadIdentity gate and the lockdown flags, only those the targeted
 * controllers accept in the repository's Flux version.
 */
export function argItems(c: CompletionCursor, controllers: readonly ControllerName[]): CompletionItem[] {
  const version = c.fluxVersion;
  const defs = controllers.map((n) => controllerByName(n)).filter((d) => d !== undefined);
  const choices: ValueChoice[] = [];
  const gateOk =
    inRange(version, OBJECT_LEVEL_WI_GATE_VERSIONS) &&
    defs.some((d) => d.objectLevelWorkloadIdentityGate && inRange(version, d.objectLevelWorkloadIdentityGate));
  if (gateOk)
    choices.push({
      value: OBJECT_LEVEL_WI_GATE_ARG,
      kind: CompletionItemKind.Constant,
      detail: `enable ${OBJECT_LEVEL_WI_GATE}`,
      documentation: flagMarkdown(OBJECT_LEVEL_WI_GATE_ARG, c.repoVersion),
      preselect: true,
    });
  for (const flag of LOCKDOWN_FLAGS) {
    if (!inRange(version, flag.versions)) continue;
    if (!defs.some((d) => (d.lockdownFlags as readonly string[]).includes(flag.flag))) continue;
    choices.push({
      value: `${flag.flag}=`,
      snippet: `${snippetText(flag.flag)}=\${1:serviceaccount-name}`,
      label: `${flag.flag}=<name>`,
      kind: CompletionItemKind.Constant,
      detail: `${describeRange(flag.versions)} · needs the ${OBJECT_LEVEL_WI_GATE} gate`,
      documentation: flagMarkdown(flag.flag, c.repoVersion),
    });
  }
  return valueItems(c, choices);
}
