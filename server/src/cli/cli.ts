import type { CiAzureModule, CustomCloudSettings } from '../../../shared/src/ciReadiness';
import { analyzeWorkspace } from '../batch';
import { AKS_CLUSTER_ID_REGEX, AZURE_CLOUDS, isRuleCode, parseFluxVersion, RULES, type RuleDef } from '../catalog';
import { checkAzure, CloudConfigError, formatAzureText, readCloudConfig, type AzureReport } from './azure';
import { formatJson, formatSarif, formatText } from './format';

/** package.json's version, put in by the bundler (scripts/build.mjs `define`). */
declare const __FLUX_AZURE_VERSION__: string;
const VERSION = __FLUX_AZURE_VERSION__;

export const HELP = `flux-azure-check — the Flux for Azure editor checks, for CI

Usage: flux-azure-check [options] [paths...]        (default path: .)

Analyses YAML files and folders with the same catalog, workspace index and rules as the
language server: folders are indexed whole, so cross-file checks (ServiceAccounts,
Secrets, flux-system patches, clusters) work as in the editor.

Options:
  --flux-version <v>      Flux version the repository runs (default: detected)
  --workspace <dir>       index this folder whole, report only the paths given (e.g. the
                          files a pre-commit hook passes), judged with the whole repository
  --format <f>            text (default) | json | sarif
  --fail-on <level>       error (default) | warning | unknown | never  (unknown: also
                          fail on readiness rows Azure could not answer, '?')
  --rule <code>           only this rule (repeatable; 'flux-azure/' prefix optional)
  --no-rule <code>        skip this rule (repeatable)
  --hints                 also report hints (advice the editor shows faintly)
  --color / --no-color    force or disable colors (default: when stdout is a terminal)
  --list-rules            print every rule code with its severity and title

Azure (reads Azure; without --azure nothing leaves the machine):
  --azure                 also run the readiness checks of the editor's Flux readiness view:
                          each identity's role on its resource, the resource's mode, its
                          federated credential against the cluster's OIDC issuer (✓ ✗ ?).
                          Signs in with DefaultAzureCredential: environment variables, workload
                          identity, managed identity, or the Azure CLI (azure/login in CI)
  --cloud <name>          ${AZURE_CLOUDS.map((c) => c.id).join(' | ')} (default: public)
  --cloud-config <file>   a private cloud: JSON with the keys of the editor's
                          fluxAzure.azure.customCloud.* settings (resourceManagerEndpoint,
                          authorityHost, tokenAudience, portalUrl, certificateAuthorityFile,
                          azureDevOpsGraphEndpoint, graphEndpoint)
  --aks-cluster <dir>=<id>
                          the AKS cluster a cluster directory is, for the federated credential
                          check's OIDC issuer (repeatable; on top of .flux-azure.yaml), e.g.
                          clusters/production=/subscriptions/<sub>/resourceGroups/<rg>/providers/
                          Microsoft.ContainerService/managedClusters/<name>
  -h, --help              this help
  -v, --version           the version

Suppress a finding in the file itself with a comment the editor honours too:
  # flux-azure-disable-next-line <code>   # flux-azure-disable-file <code>

Exit codes:
  0  no finding at or above --fail-on (a readiness ✗ counts as an error, ? only with --fail-on unknown)
  1  findings at or above --fail-on
  2  usage error (unknown option, bad value, missing path, bad --cloud-config)
  3  internal error
  4  --azure could not sign in or read the tenants (the reason on stderr)
`;

class UsageError extends Error {}

interface Options {
  paths: string[];
  workspace: string | undefined;
  fluxVersion: string;
  format: 'text' | 'json' | 'sarif';
  failOn: 'error' | 'warning' | 'unknown' | 'never';
  azure: boolean;
  cloud: string;
  cloudConfig: string | undefined;
  /** Cluster directory -> AKS cluster id (`--aks-cluster`). */
  aksClusters: Record<string, string>;
  rules: string[];
  noRules: string[];
  color: boolean | undefined;
  hints: boolean;
}

function normalize(code: string): string {
  const full = code.startsWith('flux-azure/') ? code : `flux-azure/${code}`;
  if (!isRuleCode(full)) throw new UsageError(`unknown rule '${code}' (see --list-rules)`);
  return full;
}

export function parseArgs(argv: readonly string[]): Options | 'help' | 'version' | 'list-rules' {
  const o: Options = {
    paths: [],
    workspace: undefined,
    fluxVersion: '',
    format: 'text',
    failOn: 'error',
    rules: [],
    noRules: [],
    color: undefined,
    hints: false,
    azure: false,
    cloud: 'public',
    cloudConfig: undefined,
    aksClusters: {},
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '-h':
      case '--help':
        return 'help';
      case '-v':
      case '--version':
        return 'version';
      case '--list-rules':
        return 'list-rules';
      case '--flux-version': {
        const v = value();
        if (!parseFluxVersion(v)) throw new UsageError(`--flux-version: '${v}' is not a version like 2.7`);
        o.fluxVersion = v;
        break;
      }
      case '--workspace':
        o.workspace = value();
        break;
      case '--format': {
        const v = value();
        if (v !== 'text' && v !== 'json' && v !== 'sarif')
          throw new UsageError(`--format: '${v}' is not text, json or sarif`);
        o.format = v;
        break;
      }
      case '--fail-on': {
        const v = value();
        if (v !== 'error' && v !== 'warning' && v !== 'unknown' && v !== 'never')
          throw new UsageError(`--fail-on: '${v}' is not error, warning, unknown or never`);
        o.failOn = v;
        break;
      }
      case '--azure':
        o.azure = true;
        break;
      case '--cloud': {
        const v = value();
        if (!AZURE_CLOUDS.some((c) => c.id === v))
          throw new UsageError(`--cloud: '${v}' is not ${AZURE_CLOUDS.map((c) => c.id).join(', ')}`);
        o.cloud = v;
        break;
      }
      case '--cloud-config':
        o.cloudConfig = value();
        break;
      case '--aks-cluster': {
        const v = value();
        const at = v.indexOf('=');
        const directory = at > 0 ? v.slice(0, at).trim() : '';
        const id = at > 0 ? v.slice(at + 1).trim() : '';
        if (!directory || !AKS_CLUSTER_ID_REGEX.test(id))
          throw new UsageError(
            `--aks-cluster: '${v}' is not <cluster directory>=/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.ContainerService/managedClusters/<name>`,
          );
        o.aksClusters[directory] = id;
        break;
      }
      case '--rule':
        o.rules.push(normalize(value()));
        break;
      case '--no-rule':
        o.noRules.push(normalize(value()));
        break;
      case '--hints':
        o.hints = true;
        break;
      case '--color':
        o.color = true;
        break;
      case '--no-color':
        o.color = false;
        break;
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option '${arg}' (see --help)`);
        o.paths.push(arg);
    }
  }
  if (o.paths.length === 0) o.paths.push('.');
  const azureOnly = o.cloudConfig
    ? '--cloud-config'
    : o.cloud !== 'public'
      ? '--cloud'
      : Object.keys(o.aksClusters).length
        ? '--aks-cluster'
        : undefined;
  if (azureOnly && !o.azure) throw new UsageError(`${azureOnly} needs --azure`);
  return o;
}

export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly isTty: boolean;
  readonly cwd: string;
  /** Loads the Azure bundle (server/out/cliAzure.js); only called with `--azure`. */
  readonly loadAzure?: () => CiAzureModule;
}

/** Runs the CLI; returns the exit code. Nothing but the report goes to stdout. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`flux-azure-check: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  if (parsed === 'help') return (io.out(HELP), 0);
  if (parsed === 'version') return (io.out(`${VERSION}\n`), 0);
  if (parsed === 'list-rules') {
    for (const r of RULES as readonly RuleDef[]) io.out(`${r.code}\t${r.severity}\t${r.title}\n`);
    return 0;
  }
  const o = parsed;
  const only = (code: string) => (o.rules.length === 0 || o.rules.includes(code)) && !o.noRules.includes(code);
  let lastProgress = 0;
  let customCloud: CustomCloudSettings | undefined;
  try {
    customCloud = o.cloudConfig ? readCloudConfig(o.cloudConfig, io.cwd) : undefined;
  } catch (err) {
    if (!(err instanceof CloudConfigError)) throw err;
    io.err(`flux-azure-check: ${err.message}\n`);
    return 2;
  }
  let reports;
  let azure: AzureReport | undefined;
  try {
    const analysis = await analyzeWorkspace(o.paths, {
      settings: { fluxVersion: o.fluxVersion },
      only,
      ...(o.workspace ? { workspace: o.workspace } : {}),
      onProgress: io.isTty
        ? (done, total) => {
            const now = Date.now();
            if (total > 50 && (now - lastProgress > 200 || done === total)) {
              lastProgress = now;
              io.err(`\r  analysed ${done}/${total} files${done === total ? '\n' : ''}`);
            }
          }
        : undefined,
    });
    reports = analysis.reports;
    if (o.azure) {
      if (!io.loadAzure) throw new Error('the Azure checks are not available in this build');
      azure = await checkAzure(analysis.service, io.loadAzure, o.cloud, customCloud, io.cwd, o.aksClusters);
    }
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    io.err(`flux-azure-check: ${message}\n`);
    return /no such file or folder/.test(message) ? 2 : 3;
  }
  if (!o.hints) reports = reports.map((r) => ({ ...r, diagnostics: r.diagnostics.filter((d) => d.severity !== 4) }));
  const color = o.color ?? io.isTty;
  if (o.format === 'json') io.out(formatJson(reports, io.cwd, azure));
  else if (o.format === 'sarif') io.out(formatSarif(reports, io.cwd, VERSION, azure));
  else io.out(formatText(reports, io.cwd, color) + (azure ? formatAzureText(azure) : ''));
  const severities = reports.flatMap((r) => r.diagnostics.map((d) => d.severity ?? 1));
  // A readiness ✗ counts as an error finding, a ? only with --fail-on unknown.
  for (const row of azure?.rows ?? [])
    if (row.state === 'missing') severities.push(1);
    else if (row.state === 'unknown' && o.failOn === 'unknown') severities.push(1);
  const failing = o.failOn === 'never' ? [] : severities.filter((s) => s <= (o.failOn === 'warning' ? 2 : 1));
  if (o.format === 'text' && io.isTty) {
    const count = (s: number) => severities.filter((x) => x === s).length;
    io.err(`${reports.length} files: ${count(1)} errors, ${count(2)} warnings, ${count(3) + count(4)} notes\n`);
  }
  if (azure?.error) {
    io.err(`flux-azure-check: --azure: ${azure.error}\n`);
    return 4;
  }
  return failing.length > 0 ? 1 : 0;
}
