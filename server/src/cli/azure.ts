/**
 * `flux-azure-check --azure`: the readiness checks of the extension's tree view, on the integrations this CLI's
 * workspace analysis found. The checks run in the Azure bundle (server/out/cliAzure.js, loaded by path only with
 * `--azure`); this module reads the cloud configuration, hands the bundle the integrations and turns its answer into
 * report rows with the fix commands the server writes.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type {
  CiAzureModule,
  CiReadiness,
  CustomCloudSettings,
  ReadinessFinding,
} from '../../../shared/src/ciReadiness';
import type { FluxService } from '../service';

/** Thrown for a bad `--cloud-config` (exit code 2). */
export class CloudConfigError extends Error {}

const CUSTOM_CLOUD_KEYS: readonly (keyof CustomCloudSettings)[] = [
  'resourceManagerEndpoint',
  'tokenAudience',
  'authorityHost',
  'portalUrl',
  'certificateAuthorityFile',
  'azureDevOpsGraphEndpoint',
  'graphEndpoint',
];

/**
 * A `--cloud-config` file: a JSON object with the keys of the extension's `fluxAzure.azure.customCloud.*`
 * settings; `certificateAuthorityFile` relative to the file's folder.
 */
export function readCloudConfig(path: string, cwd: string): CustomCloudSettings {
  const file = resolve(cwd, path);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new CloudConfigError(`--cloud-config ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!json || typeof json !== 'object' || Array.isArray(json))
    throw new CloudConfigError(`--cloud-config ${path}: not a JSON object`);
  const out: CustomCloudSettings = {};
  for (const [key, value] of Object.entries(json)) {
    if (!CUSTOM_CLOUD_KEYS.includes(key as keyof CustomCloudSettings))
      throw new CloudConfigError(
        `--cloud-config ${path}: unknown key '${key}' (known: ${CUSTOM_CLOUD_KEYS.join(', ')})`,
      );
    if (typeof value !== 'string') throw new CloudConfigError(`--cloud-config ${path}: '${key}' is not a string`);
    out[key as keyof CustomCloudSettings] = value;
  }
  if (!out.resourceManagerEndpoint || !out.authorityHost)
    throw new CloudConfigError(`--cloud-config ${path}: needs resourceManagerEndpoint and authorityHost`);
  if (out.certificateAuthorityFile && !isAbsolute(out.certificateAuthorityFile))
    out.certificateAuthorityFile = resolve(dirname(file), out.certificateAuthorityFile);
  return out;
}

export const STATE_MARK = { ok: '✓', missing: '✗', unknown: '?' } as const;

/** A readiness row as reported: the finding, where it is (relative path), and its fix command. */
export interface AzureRow extends ReadinessFinding {
  file?: string;
  line?: number;
  column?: number;
  /** The command that fixes a ✗ (grant, federated credential, resource setting). */
  fix?: string;
}

export interface AzureReport extends Omit<CiReadiness, 'findings'> {
  rows: AzureRow[];
}

/** Runs the readiness checks of the analysed workspace through the Azure bundle. */
export async function checkAzure(
  service: FluxService,
  load: () => CiAzureModule,
  cloud: string,
  customCloud: CustomCloudSettings | undefined,
  cwd: string,
  aksClusters: Readonly<Record<string, string>> = {},
): Promise<AzureReport> {
  const catalog = await service.integrations();
  const answer = await load().checkReadinessForCi({
    catalog,
    cloud: customCloud ? 'custom' : cloud,
    ...(customCloud ? { customCloud } : {}),
    ...(Object.keys(aksClusters).length ? { aksClusters: { ...aksClusters } } : {}),
  });
  const { findings, ...rest } = answer;
  const rows = findings.map((f): AzureRow => {
    const fix =
      f.state !== 'missing'
        ? undefined
        : f.grant
          ? service.grantText(f.grant).azCli
          : f.federatedCredential
            ? service.federatedCredentialText(f.federatedCredential).azCli
            : f.fixCommand;
    const where = f.location
      ? {
          file: relative(cwd, fileURLToPath(f.location.uri)) || fileURLToPath(f.location.uri),
          line: f.location.range.start.line + 1,
          column: f.location.range.start.character + 1,
        }
      : {};
    return { ...f, ...where, ...(fix ? { fix } : {}) };
  });
  return { ...rest, rows };
}

/** `file:line:col ✗ title [clusters]: summary`, a fix line under each ✗ that has one. */
export function formatAzureText(report: AzureReport): string {
  const count = (state: AzureRow['state']) => report.rows.filter((r) => r.state === state).length;
  const who = report.account ? `${report.account.label} (${report.account.method})` : 'not signed in';
  const lines = [
    `Azure readiness: ${count('ok')} ✓, ${count('missing')} ✗, ${count('unknown')} ? — ${who}, ${report.requests} requests to Azure`,
  ];
  if (report.error) lines.push(`  Azure could not be asked: ${report.error}`);
  for (const r of report.rows) {
    const where = r.file ? `${r.file}:${r.line}:${r.column}` : '-';
    const clusters = r.clusters.length ? ` [${r.clusters.join(', ')}]` : '';
    lines.push(`${where} ${STATE_MARK[r.state]} ${r.title}${clusters}: ${r.summary}`);
    if (r.fix) lines.push(`    fix: ${r.fix}`);
  }
  return lines.join('\n') + '\n';
}

/** The report's rows without the parameters the fix commands were written from. */
export function azureJson(report: AzureReport) {
  return {
    ...(report.account ? { account: report.account } : {}),
    ...(report.error ? { error: report.error } : {}),
    requests: report.requests,
    rows: report.rows.map((r) => ({
      kind: r.kind,
      state: r.state,
      mark: STATE_MARK[r.state],
      title: r.title,
      summary: r.summary,
      clusters: r.clusters,
      ...(r.file ? { file: r.file, line: r.line, column: r.column } : {}),
      ...(r.fix ? { fix: r.fix } : {}),
    })),
  };
}
