import { relative } from 'node:path';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import { fileURLToPath } from 'node:url';
import { EXTENSION_SOURCE } from '../../../shared/src/protocol';
import { FLUX_AZURE_DOCS, RULES, type RuleCode, type RuleDef } from '../catalog';
import type { FileReport } from '../batch';
import { azureJson, STATE_MARK, type AzureReport, type AzureRow } from './azure';

export const SEVERITY_NAME: Record<number, 'error' | 'warning' | 'info' | 'hint'> = {
  [DiagnosticSeverity.Error]: 'error',
  [DiagnosticSeverity.Warning]: 'warning',
  [DiagnosticSeverity.Information]: 'info',
  [DiagnosticSeverity.Hint]: 'hint',
};

const COLORS: Record<string, string> = { error: '\x1b[31m', warning: '\x1b[33m', info: '\x1b[36m', hint: '\x1b[2m' };

/** `path:line:col severity code message`, one per line, like a compiler. */
export function formatText(reports: readonly FileReport[], cwd: string, color: boolean): string {
  const lines: string[] = [];
  for (const r of reports) {
    const path = relative(cwd, r.path) || r.path;
    if (r.skipped) lines.push(`${path}: skipped (${r.skipped})`);
    for (const d of r.diagnostics) {
      const sev = SEVERITY_NAME[d.severity ?? 1];
      const where = `${path}:${d.range.start.line + 1}:${d.range.start.character + 1}`;
      const tag = color ? `${COLORS[sev]}${sev}\x1b[0m` : sev;
      lines.push(`${color ? `\x1b[1m${where}\x1b[0m` : where} ${tag} ${d.code} ${d.message}`);
    }
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}

/** The findings as a JSON array; with `--azure`, an object of the findings and the readiness rows. */
export function formatJson(reports: readonly FileReport[], cwd: string, azure?: AzureReport): string {
  const findings = reports.flatMap((r) =>
    r.diagnostics.map((d) => ({
      file: relative(cwd, r.path) || r.path,
      line: d.range.start.line + 1,
      column: d.range.start.character + 1,
      endLine: d.range.end.line + 1,
      endColumn: d.range.end.character + 1,
      severity: SEVERITY_NAME[d.severity ?? 1],
      code: d.code,
      message: d.message,
      related: (d.relatedInformation ?? []).map((ri) => ({
        file: relative(cwd, fileURLToPath(ri.location.uri)),
        line: ri.location.range.start.line + 1,
        column: ri.location.range.start.character + 1,
        message: ri.message,
      })),
    })),
  );
  return JSON.stringify(azure ? { findings, azure: azureJson(azure) } : findings, null, 2) + '\n';
}

const SARIF_LEVEL: Record<string, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  information: 'note',
  hint: 'note',
};

function region(d: Pick<Diagnostic, 'range'>) {
  return {
    startLine: d.range.start.line + 1,
    startColumn: d.range.start.character + 1,
    endLine: d.range.end.line + 1,
    endColumn: d.range.end.character + 1,
  };
}

function uriFor(path: string, cwd: string): string {
  return relative(cwd, path).split('\\').join('/') || path;
}

/** The code of a readiness row's kind (catalog rules, for SARIF). */
const AZURE_ROW_CODE: Record<AzureRow['kind'], RuleCode> = {
  integration: 'flux-azure/azure-readiness',
  federation: 'flux-azure/azure-federation',
};

/** SARIF results of the readiness rows: ✗ as errors, ? as notes (✓ is not a result). */
function azureResults(rows: readonly AzureRow[], ruleIndex: ReadonlyMap<string, number>) {
  return rows
    .filter((r) => r.state !== 'ok')
    .map((r) => ({
      ruleId: AZURE_ROW_CODE[r.kind],
      ruleIndex: ruleIndex.get(AZURE_ROW_CODE[r.kind]) ?? -1,
      level: r.state === 'missing' ? 'error' : 'note',
      message: {
        text: `${STATE_MARK[r.state]} ${r.title}${r.clusters.length ? ` [${r.clusters.join(', ')}]` : ''}: ${r.summary}${r.fix ? `\nFix: ${r.fix}` : ''}`,
      },
      ...(r.file && r.location
        ? {
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: r.file.split('\\').join('/'), uriBaseId: '%SRCROOT%' },
                  region: region(r.location),
                },
              },
            ],
          }
        : {}),
    }));
}

/** SARIF 2.1.0, as GitHub code scanning accepts it: rules with help, results with locations and related locations. */
export function formatSarif(reports: readonly FileReport[], cwd: string, version: string, azure?: AzureReport): string {
  const used = new Set(reports.flatMap((r) => r.diagnostics.map((d) => String(d.code))));
  for (const r of azure?.rows ?? []) if (r.state !== 'ok') used.add(AZURE_ROW_CODE[r.kind]);
  const rules = (RULES as readonly RuleDef[]).filter((r) => used.has(r.code));
  const ruleIndex = new Map<string, number>(rules.map((r, i) => [r.code, i]));
  const results = reports.flatMap((r) =>
    r.diagnostics.map((d) => ({
      ruleId: String(d.code),
      ruleIndex: ruleIndex.get(String(d.code)) ?? -1,
      level: SARIF_LEVEL[{ 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' }[d.severity ?? 1] ?? 'warning'],
      message: { text: d.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: uriFor(r.path, cwd), uriBaseId: '%SRCROOT%' },
            region: region(d),
          },
        },
      ],
      ...(d.relatedInformation?.length
        ? {
            relatedLocations: d.relatedInformation.map((ri, id) => ({
              id,
              message: { text: ri.message },
              physicalLocation: {
                artifactLocation: { uri: uriFor(fileURLToPath(ri.location.uri), cwd), uriBaseId: '%SRCROOT%' },
                region: region(ri.location),
              },
            })),
          }
        : {}),
    })),
  );
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'flux-azure-check',
            version,
            informationUri: FLUX_AZURE_DOCS,
            rules: rules.map((r) => ({
              id: r.code,
              name: r.code
                .replace(/^flux-azure\//, '')
                .replace(/-(.)/g, (_m, c: string) => c.toUpperCase())
                .replace(/^./, (c) => c.toUpperCase()),
              shortDescription: { text: r.title },
              fullDescription: { text: r.explanation.replace(/[*`]/g, '') },
              help: { text: r.explanation.replace(/[*`]/g, ''), markdown: r.explanation },
              helpUri: r.docsUrl,
              defaultConfiguration: { level: SARIF_LEVEL[r.severity] },
              properties: { tags: [EXTENSION_SOURCE, r.category] },
            })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: `file://${cwd.endsWith('/') ? cwd : cwd + '/'}` } },
        results: [...results, ...azureResults(azure?.rows ?? [], ruleIndex)],
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
