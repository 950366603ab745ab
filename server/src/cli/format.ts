import { relative } from 'node:path';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import { fileURLToPath } from 'node:url';
import { EXTENSION_SOURCE } from '../../../shared/src/protocol';
import { FLUX_AZURE_DOCS, RULES, type RuleDef } from '../catalog';
import type { FileReport } from '../batch';

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

export function formatJson(reports: readonly FileReport[], cwd: string): string {
  const out = reports.flatMap((r) =>
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
  return JSON.stringify(out, null, 2) + '\n';
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

/** SARIF 2.1.0, as GitHub code scanning accepts it: rules with help, results with locations and related locations. */
export function formatSarif(reports: readonly FileReport[], cwd: string, version: string): string {
  const used = new Set(reports.flatMap((r) => r.diagnostics.map((d) => String(d.code))));
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
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
