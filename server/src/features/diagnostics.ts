import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import { EXTENSION_SOURCE } from '../../../shared/src/protocol';
import { isPlaceholder, ruleByCode, FLUX_AZURE_DOCS } from '../catalog';
import type { ManifestFile } from '../document/manifest';
import type { FeatureContext } from './context';
import { RULES } from './rules';
import type { DiagnosticData, Finding, RuleContext } from './rules/rule';
import { suppressions } from './suppressions';

const SEVERITY: Record<string, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** Runs every rule over every document of a file. Only Flux/Azure content is judged; YAML syntax is not. */
export function computeDiagnostics(
  file: ManifestFile,
  ctx: FeatureContext,
  only?: (code: string) => boolean,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const suppressed = suppressions(file);
  const clusters = ctx.index.clustersOf(file.uri);
  const fluxVersion = ctx.index.fluxVersionFor(file.uri);
  for (const doc of file.docs) {
    if (!doc.kind && doc.chunk.header.reliable) continue;
    const rc: RuleContext = { doc, index: ctx.index, settings: ctx.settings, fluxVersion, clusters, isPlaceholder };
    for (const rule of RULES) {
      if (!rule.applies(doc)) continue;
      let findings: Finding[];
      try {
        findings = rule.check(rc);
      } catch (err) {
        // A rule that trips over odd input reports nothing for that document rather than taking the server down.
        console.error(
          `rule ${rule.name} failed on ${file.uri}#${doc.index}: ${err instanceof Error ? err.stack : String(err)}`,
        );
        continue;
      }
      for (const f of findings) {
        if (only && !only(f.code)) continue;
        const range = doc.range(f.span);
        if (suppressed(f.code, range.start.line)) continue;
        out.push(toDiagnostic(f, range, file.version));
      }
    }
  }
  return out;
}

function toDiagnostic(f: Finding, range: Diagnostic['range'], version: number): Diagnostic {
  const meta = ruleByCode(f.code);
  const data: DiagnosticData = { fixes: f.fixes ?? [], version };
  return {
    range,
    message: f.message,
    severity: f.severity ?? SEVERITY[meta?.severity ?? 'warning'] ?? DiagnosticSeverity.Warning,
    code: f.code,
    codeDescription: { href: meta?.docsUrl ?? FLUX_AZURE_DOCS },
    source: EXTENSION_SOURCE,
    ...(f.related && f.related.length > 0 ? { relatedInformation: [...f.related] } : {}),
    data,
  };
}
