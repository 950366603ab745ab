import {
  AZURE_CLOUDS,
  CONTROLLER_NAMES,
  controllerByName,
  controllerGateTable,
  controllersAcceptingFlag,
  ENV_AUTHORITY_HOST,
  ENV_CLIENT_SEND_CERTIFICATE_CHAIN,
  ENV_FEDERATED_TOKEN_FILE,
  federatedTokenFile,
  findPlaceholders,
  isMiscasedGateName,
  JSON6902_PATH_TARGET_KIND,
  LABEL_USE,
  OBJECT_LEVEL_WI_GATE,
  OBJECT_LEVEL_WI_GATE_ARG,
  OBJECT_LEVEL_WI_GATE_VERSIONS,
  describeRange,
  featureGateVersions,
  inRange,
  parseFeatureGatesArg,
  parseLockdownArg,
  WORKLOAD_IDENTITY_AUDIENCE,
  FLUX_INSTANCE_PATCHES_PATH,
  AKS_FLUX_EXTENSION,
  FLUX_INSTANCE_OLWI_PATH,
  REPO_CONFIG_FILE,
} from '../../catalog';
import type { ManifestDoc } from '../../document/manifest';
import { isScalar, items, nodeAt, textAt, type ScalarNode } from '../../document/nodes';
import { readControllerPatches, type ControllerPatch } from '../../workspace/controllerPatches';
import { isFluxInstance, isKustomizeFile } from '../../workspace/facts';
import { fluxSystemKustomization, quoted, replaceScalar } from './helpers';
import { gateFix } from './gateMissing';
import { pathToUri } from '../../workspace/files';
import type { Cluster } from '../../workspace/workspaceIndex';

const fluxSystemUri = (c: Cluster) => pathToUri(fluxSystemKustomization(c));
import type { Finding, Rule, RuleContext } from './rule';

/** The controller patches of a kustomization.yaml or a FluxInstance. */
function patchesOf(doc: ManifestDoc): ControllerPatch[] {
  if (isKustomizeFile(doc)) return readControllerPatches(doc, ['patches']);
  if (isFluxInstance(doc)) return readControllerPatches(doc, FLUX_INSTANCE_PATCHES_PATH);
  return [];
}

/** A patch that concerns Flux controllers: it targets one by name or carries an Azure setting. */
function touchesFlux(p: ControllerPatch): boolean {
  const azure =
    p.args.some((a) => a.text.includes(OBJECT_LEVEL_WI_GATE) || /^--default-/.test(a.text)) ||
    p.env.some((e) => e.name.startsWith('AZURE_')) ||
    [...p.annotations, ...p.podLabels, ...p.otherLabels].some((a) => a.key.startsWith('azure.workload.identity/'));
  return azure || (p.targetName !== undefined && p.controllers.length > 0);
}

/** Rules 22-28: the kustomize patches that give Flux controllers an Azure identity and the gate. */
export const controllerPatchRules: Rule = {
  name: 'controller-patches',
  applies: (doc) => isKustomizeFile(doc) || isFluxInstance(doc),
  check: (ctx) => {
    const findings: Finding[] = [];
    const patches = patchesOf(ctx.doc);
    const elsewhere = installedElsewhere(ctx);
    for (const p of patches) {
      if (!touchesFlux(p)) continue;
      if (elsewhere) {
        findings.push(notInRepoFinding(p, elsewhere));
        continue;
      }
      findings.push(
        ...fluxInstanceGateFindings(ctx, p),
        ...targetFindings(ctx, p),
        ...labelFindings(ctx, p, patches),
        ...envFindings(ctx, p),
        ...argFindings(ctx, p, patches),
      );
    }
    return findings;
  },
};

/**
 * The clusters of a kustomization.yaml whose controllers this repository does not install (the AKS extension, or
 * Flux installed elsewhere): a patch of a controller there matches nothing. Undefined when any cluster of the file
 * installs Flux from the repository, or the file belongs to no cluster.
 */
function installedElsewhere({ doc, clusters }: RuleContext): readonly Cluster[] | undefined {
  if (!isKustomizeFile(doc) || clusters.length === 0) return undefined;
  const modes = new Set(clusters.map((c) => c.install.mode));
  return modes.has('bootstrap') || modes.has('flux-operator') || modes.has('helm-chart') ? undefined : clusters;
}

function notInRepoFinding(p: ControllerPatch, clusters: readonly Cluster[]): Finding {
  const aks = clusters.some((c) => c.install.mode === 'aks-extension');
  const { settings, type } = AKS_FLUX_EXTENSION;
  return {
    code: 'flux-azure/controllers-not-in-repo',
    span: p.targetName ?? p.entry,
    message:
      `${clusters.map((c) => `\`${c.label}\``).join(', ')} ${aks ? `runs Flux as the AKS GitOps extension (${type}), which manages the controllers` : 'does not install the Flux controllers from this repository'}: this patch reaches no controller, so its settings are not checked. ` +
      (aks
        ? `Controller workload identity is an extension setting: az k8s-extension update --extension-type ${type} --config ${settings.enable}=true ${settings.clientId}=<client-id>.`
        : `State the install mode in ${REPO_CONFIG_FILE} if the controllers are installed from here.`),
  };
}

/** On a FluxInstance, a gate passed by patch while `spec.cluster.objectLevelWorkloadIdentity` is not true. */
function fluxInstanceGateFindings({ doc }: RuleContext, p: ControllerPatch): Finding[] {
  if (!isFluxInstance(doc) || doc.scalar(FLUX_INSTANCE_OLWI_PATH)?.value === true) return [];
  return p.args
    .filter((a) => parseFeatureGatesArg(a.text)?.gates.get(OBJECT_LEVEL_WI_GATE) === true)
    .map((arg) => ({
      code: 'flux-azure/fluxinstance-gate-patch' as const,
      span: arg,
      message: `The Flux Operator removes the controllers' permission to request ServiceAccount tokens unless spec.cluster.objectLevelWorkloadIdentity is true, so this flag alone leaves object-level workload identity failing with "forbidden". Set spec.cluster.objectLevelWorkloadIdentity: true instead.`,
    }));
}

function targetFindings({ doc }: RuleContext, p: ControllerPatch): Finding[] {
  const out: Finding[] = [];
  if (p.targetName && p.controllers.length === 0 && findPlaceholders(p.targetName.text).length === 0) {
    out.push({
      code: 'flux-azure/patch-target-name',
      span: p.targetName,
      message: `target.name '${p.targetName.text}' matches no Flux controller (${CONTROLLER_NAMES.join(', ')}), so this patch changes nothing. kustomize matches the whole name as a regular expression.`,
    });
  }
  const deploymentOps = p.ops.filter((o) => o.path && /^\/spec\/template\//.test(o.path.text));
  if (p.form === 'json6902' && deploymentOps.length > 0 && p.targetKind && p.targetKind !== JSON6902_PATH_TARGET_KIND) {
    const kindNode = nodeAt(p.entry, ['target', 'kind']);
    out.push({
      code: 'flux-azure/patch-path',
      span: kindNode ?? p.entry,
      message: `These operations change the pod template (${deploymentOps[0].path!.text}), which only a ${JSON6902_PATH_TARGET_KIND} has; with target.kind '${p.targetKind}' kustomize fails to apply the patch.`,
      fixes: isScalar(kindNode)
        ? [
            {
              title: `Set target.kind: ${JSON6902_PATH_TARGET_KIND}`,
              edits: replaceScalar(doc, kindNode, JSON6902_PATH_TARGET_KIND),
            },
          ]
        : [],
    });
  }
  return out;
}

function labelFindings({ doc }: RuleContext, p: ControllerPatch, all: readonly ControllerPatch[]): Finding[] {
  const out: Finding[] = [];
  for (const label of p.podLabels) {
    if (label.key !== LABEL_USE) continue;
    const v = label.value;
    if (isScalar(v) && typeof v.value !== 'string') {
      out.push({
        code: 'flux-azure/wi-use-label-not-string',
        span: v,
        message: `Label values are strings: the API server rejects an unquoted ${v.text}. Write ${LABEL_USE}: "true" so the AKS webhook injects the workload identity.`,
        fixes: [
          { title: `Quote the value: "${v.text}"`, edits: replaceScalar(doc, v, quoted(v.text)), preferred: true },
        ],
      });
    }
  }
  // The label on ServiceAccount/Deployment metadata is harmless; it only matters when no patch puts it on the pod template.
  const covered = new Set(
    all.filter((q) => q.podLabels.some((l) => l.key === LABEL_USE)).flatMap((q) => q.controllers),
  );
  for (const label of p.otherLabels) {
    if (label.key !== LABEL_USE || p.controllers.every((c) => covered.has(c))) continue;
    out.push({
      code: 'flux-azure/wi-use-label-placement',
      span: label.keyNode,
      message: `The AKS webhook reads ${LABEL_USE} from the pod template (spec.template.metadata.labels), not from ${p.targetKind ?? 'the object'} metadata: no identity is injected. Move the label under spec.template.metadata.labels.`,
    });
  }
  return out;
}

function envFindings({ doc }: RuleContext, p: ControllerPatch): Finding[] {
  const out: Finding[] = [];
  const mounts = p.volumeMounts.map((m) => ({ name: textAt(m, ['name']), mountPath: textAt(m, ['mountPath']) }));
  for (const v of p.volumes) {
    for (const source of items(nodeAt(v, ['projected', 'sources']))) {
      const audience = nodeAt(source, ['serviceAccountToken', 'audience']);
      if (isScalar(audience) && audience.text !== WORKLOAD_IDENTITY_AUDIENCE) {
        out.push({
          code: 'flux-azure/token-audience',
          span: audience,
          message: `Entra ID only exchanges ServiceAccount tokens issued for the audience ${WORKLOAD_IDENTITY_AUDIENCE}; with '${audience.text}' every token exchange fails.`,
          fixes: [
            {
              title: `Use ${WORKLOAD_IDENTITY_AUDIENCE}`,
              edits: replaceScalar(doc, audience, WORKLOAD_IDENTITY_AUDIENCE),
              preferred: true,
            },
          ],
        });
      }
    }
  }
  for (const e of p.env) {
    const value = e.value;
    if (e.name === ENV_CLIENT_SEND_CERTIFICATE_CHAIN && value && typeof value.value !== 'string') {
      out.push({
        code: 'flux-azure/send-chain-quoting',
        span: value,
        message: `Env var values must be strings: the API server rejects an unquoted ${value.text}. Write value: "${value.text}".`,
        fixes: [
          {
            title: `Quote the value: "${value.text}"`,
            edits: replaceScalar(doc, value, quoted(value.text)),
            preferred: true,
          },
        ],
      });
    }
    if (e.name === ENV_AUTHORITY_HOST && value && findPlaceholders(value.text).length === 0) {
      const known = AZURE_CLOUDS.find((c) => c.authorityHost === value.text);
      const near = AZURE_CLOUDS.find(
        (c) =>
          c.authorityHost.replace(/\/$/, '') === value.text.replace(/\/+$/, '').replace(/^(?!https:\/\/)/, 'https://'),
      );
      if (!known) {
        out.push({
          code: 'flux-azure/authority-host',
          span: value,
          message: near
            ? `Write the ${near.name} authority host exactly as ${near.authorityHost} (scheme and trailing slash included); Flux derives the cloud's endpoints from it.`
            : `'${value.text}' is not an Entra authority host of a known cloud (${AZURE_CLOUDS.map((c) => c.authorityHost).join(', ')}). Fine for a private cloud; otherwise tokens are requested from the wrong place.`,
          fixes: near
            ? [
                {
                  title: `Use ${near.authorityHost}`,
                  edits: replaceScalar(doc, value, near.authorityHost),
                  preferred: true,
                },
              ]
            : [],
        });
      }
    }
    if (e.name === ENV_FEDERATED_TOKEN_FILE && value && p.volumes.length > 0) {
      const projected = p.volumes
        .map((v) => ({
          name: textAt(v, ['name']),
          path: items(nodeAt(v, ['projected', 'sources']))
            .map((s) => textAt(s, ['serviceAccountToken', 'path']))
            .find(Boolean),
        }))
        .filter((v) => v.path);
      const expected = projected
        .map((v) => ({ v, mount: mounts.find((m) => m.name === v.name) }))
        .filter((x) => x.mount?.mountPath)
        .map((x) => federatedTokenFile(x.mount!.mountPath!, x.v.path!));
      if (expected.length > 0 && !expected.includes(value.text)) {
        out.push({
          code: 'flux-azure/federated-token-file-mismatch',
          span: value,
          message: `${ENV_FEDERATED_TOKEN_FILE} must be the mounted token: mountPath + "/" + the projected path = ${expected[0]}. With '${value.text}' the Azure SDK finds no token file.`,
          fixes: [{ title: `Use ${expected[0]}`, edits: replaceScalar(doc, value, expected[0]), preferred: true }],
        });
      }
    }
  }
  return out;
}

function argFindings(
  { doc, fluxVersion, clusters, index }: RuleContext,
  p: ControllerPatch,
  all: readonly ControllerPatch[],
): Finding[] {
  const out: Finding[] = [];
  const gateOn = (controller: string) =>
    all.some(
      (q) =>
        q.controllers.includes(controller as never) &&
        q.args.some((a) => parseFeatureGatesArg(a.text)?.gates.get(OBJECT_LEVEL_WI_GATE) === true),
    );
  for (const arg of p.args) {
    const gates = parseFeatureGatesArg(arg.text);
    if (gates) {
      for (const [name] of gates.gates) {
        if (isMiscasedGateName(name))
          out.push(
            gateNameFinding(
              doc,
              arg,
              `'${name}' is not a feature gate: names are case-sensitive (${OBJECT_LEVEL_WI_GATE}). The controller exits with "feature-gate '${name}' not supported".`,
            ),
          );
      }
      for (const bad of gates.invalid) {
        out.push(
          gateNameFinding(
            doc,
            arg,
            `'${bad}' is not in the Name=true form the controller expects (--feature-gates=${OBJECT_LEVEL_WI_GATE}=true); the controller refuses to start.`,
          ),
        );
      }
      out.push(...unknownGateFindings(p, arg, [...gates.gates.keys()], fluxVersion));
      if (
        gates.gates.has(OBJECT_LEVEL_WI_GATE) &&
        fluxVersion &&
        !inRange(fluxVersion, OBJECT_LEVEL_WI_GATE_VERSIONS)
      ) {
        out.push({
          code: 'flux-azure/gate-unsupported-version',
          span: arg,
          message: `The ${OBJECT_LEVEL_WI_GATE} gate exists in ${describeRange(OBJECT_LEVEL_WI_GATE_VERSIONS)}; this repository runs Flux ${fluxVersion}, where the controller exits on the unknown gate.`,
        });
      }
    } else if (
      /^--feature-gate[^s=]*=/.test(arg.text) ||
      (/ObjectLevelWorkloadIdentity/i.test(arg.text) && !arg.text.startsWith('--feature-gates='))
    ) {
      out.push(
        gateNameFinding(
          doc,
          arg,
          `The flag is --feature-gates=${OBJECT_LEVEL_WI_GATE}=true; '${arg.text}' is not recognised and the controller refuses to start.`,
        ),
      );
    }
    const lockdown = parseLockdownArg(arg.text);
    if (lockdown) {
      for (const controller of p.controllers) {
        if (controllerByName(controller)?.impersonationFlags?.includes(lockdown.flag)) continue;
        if (!controllersAcceptingFlag(lockdown.flag).includes(controller)) {
          out.push({
            code: 'flux-azure/lockdown-flag-unsupported',
            span: arg,
            message: `${controller} does not accept ${lockdown.flag} (accepted by ${controllersAcceptingFlag(lockdown.flag).join(', ')}); it exits on the unknown flag.`,
          });
        } else if (!gateOn(controller)) {
          out.push({
            code: 'flux-azure/lockdown-without-gate',
            span: arg,
            message: `${lockdown.flag} on ${controller} needs --feature-gates=${OBJECT_LEVEL_WI_GATE}=true on the same controller, or it refuses to start ("inconsistent object-level configuration").`,
            fixes: clusters
              .filter((c) => fluxSystemUri(c) === doc.file.uri)
              .flatMap((c) => gateFix(index, c, controller)),
          });
        }
      }
    }
  }
  return out;
}

/**
 * Gates the targeted controllers do not know in the repository's Flux version: each controller exits at start-up.
 * With the version unknown (or newer than the tables) the newest table stands in, and a gate some release knows is
 * left alone. A patch that names no controller reaches source-watcher only where it is installed, which is an extra
 * component, so it is judged only when the target names it.
 */
function unknownGateFindings(
  p: ControllerPatch,
  arg: ScalarNode,
  names: readonly string[],
  fluxVersion: string | undefined,
): Finding[] {
  const out: Finding[] = [];
  const named = p.targetName !== undefined;
  for (const name of names) {
    if (isMiscasedGateName(name)) continue; // reported as gate-name, with its fix
    const rejecting: { controller: string; known: readonly string[]; release: string; assumed: boolean }[] = [];
    for (const controller of p.controllers) {
      if (controller === 'source-watcher' && !named) continue;
      const table = controllerGateTable(controller, fluxVersion);
      if (!table || table.gates.includes(name)) continue;
      if (table.assumed && featureGateVersions(controller, name) !== undefined) continue;
      rejecting.push({ controller, known: table.gates, release: table.release, assumed: table.assumed });
    }
    const first = rejecting[0];
    if (!first) continue;
    const where = first.assumed
      ? `Flux ${first.release} (the repository's Flux version is ${fluxVersion === undefined ? 'unknown' : `${fluxVersion}, newer than the tables`}; checked against the newest known release)`
      : `Flux ${first.release}`;
    const elsewhere = rejecting
      .map((r) => ({ r, range: featureGateVersions(r.controller, name) }))
      .filter((x) => x.range !== undefined)
      .map((x) => `${x.r.controller} knows it in ${describeRange(x.range)}`);
    const near = first.known.find((g) => g.toLowerCase() === name.toLowerCase());
    out.push({
      code: 'flux-azure/gate-unknown',
      span: arg,
      message:
        `${rejecting.map((r) => r.controller).join(', ')} of ${where} ${rejecting.length > 1 ? 'do' : 'does'} not know the feature gate '${name}' and exit${rejecting.length > 1 ? '' : 's'} at start-up ("feature-gate '${name}' not supported").` +
        (near ? ` Gate names are case-sensitive: ${near}.` : '') +
        (elsewhere.length > 0 ? ` ${elsewhere.join('; ')}.` : '') +
        ` ${first.controller} of Flux ${first.release} knows: ${first.known.join(', ')}.`,
    });
  }
  return out;
}

function gateNameFinding(doc: ManifestDoc, arg: ScalarNode, message: string): Finding {
  return {
    code: 'flux-azure/gate-name',
    span: arg,
    message,
    fixes: [
      {
        title: `Use ${OBJECT_LEVEL_WI_GATE_ARG}`,
        edits: replaceScalar(doc, arg, OBJECT_LEVEL_WI_GATE_ARG),
        preferred: true,
      },
    ],
  };
}
