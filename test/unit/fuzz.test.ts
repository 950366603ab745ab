import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { CodeAction, CompletionList, Diagnostic, Hover, Position, Range } from 'vscode-languageserver';
import { DEFAULT_SETTINGS } from '../../shared/src/protocol';
import { parseManifest, type ManifestFile } from '../../server/src/document/manifest';
import { computeDiagnostics } from '../../server/src/features/diagnostics';
import { provideHover } from '../../server/src/features/hover';
import { provideCompletion } from '../../server/src/features/completion';
import { provideCodeActions } from '../../server/src/features/codeActions';
import { findYamlFiles, pathToUri } from '../../server/src/workspace/files';
import { WorkspaceIndex } from '../../server/src/workspace/workspaceIndex';
import type { FeatureContext } from '../../server/src/features/context';

/**
 * Property: whatever the text, every feature answers without throwing, with well-formed results whose positions
 * stay inside the document. Short in `npm test`; `FLUX_AZURE_FUZZ_RUNS=10000` for the long run.
 */
const RUNS = Number(process.env.FLUX_AZURE_FUZZ_RUNS ?? 300);
const REPO = join(__dirname, '..', '..', '..');
const EXAMPLES = join(REPO, 'examples');
const CORPUS = join(REPO, '..', 'shared', 'corpus', 'docs');

const seeds: string[] = [];
const seedFiles = async () => {
  if (seeds.length) return;
  for (const p of await findYamlFiles(EXAMPLES)) seeds.push(readFileSync(p, 'utf8'));
  if (existsSync(CORPUS))
    for (const name of readdirSync(CORPUS)
      .filter((n) => /source-controller|kustomize-controller|notification/.test(n))
      .slice(0, 80))
      seeds.push(readFileSync(join(CORPUS, name), 'utf8'));
};

type Mutation =
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'indent'; line: number; delta: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'crlf'; every: number }
  | { kind: 'bom' }
  | { kind: 'bytes'; at: number; bytes: number[] };

const SNIPPETS = [
  '\n',
  ': ',
  '- ',
  '|',
  '|-\n',
  '>\n',
  '---\n',
  '...\n',
  '"',
  "'",
  '&a ',
  '*a',
  '{',
  '}',
  '[',
  ']',
  '#',
  '\t',
  '  ',
  'provider: azure',
  'serviceAccountName: x',
  '!!binary ',
  '? ',
  '%YAML 1.2\n',
  'patch: |\n  - op: add\n',
];

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(fc.constantFrom(...SNIPPETS), fc.string({ maxLength: 12 })),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('indent' as const), line: fc.nat(), delta: fc.integer({ min: -4, max: 6 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('crlf' as const), every: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ kind: fc.constant('bom' as const) }),
  fc.record({
    kind: fc.constant('bytes' as const),
    at: fc.nat(),
    bytes: fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 6 }),
  }),
);

function apply(text: string, m: Mutation): string {
  const at = (n: number) => (text.length === 0 ? 0 : n % (text.length + 1));
  switch (m.kind) {
    case 'insert':
      return text.slice(0, at(m.at)) + m.text + text.slice(at(m.at));
    case 'delete':
      return text.slice(0, at(m.at)) + text.slice(at(m.at) + m.length);
    case 'indent': {
      const lines = text.split('\n');
      const i = lines.length ? m.line % lines.length : 0;
      lines[i] = m.delta >= 0 ? ' '.repeat(m.delta) + lines[i] : lines[i].replace(new RegExp(`^ {0,${-m.delta}}`), '');
      return lines.join('\n');
    }
    case 'truncate':
      return text.slice(0, at(m.at));
    case 'crlf': {
      let n = 0;
      return text.replace(/\r?\n/g, (eol) => (n++ % m.every === 0 ? '\r\n' : eol === '\r\n' ? '\n' : eol));
    }
    case 'bom':
      return '\uFEFF' + text;
    case 'bytes':
      return text.slice(0, at(m.at)) + String.fromCharCode(...m.bytes) + text.slice(at(m.at));
  }
}

function inside(file: ManifestFile, p: Position): boolean {
  return (
    p.line >= 0 &&
    p.line < file.lines.lineCount &&
    p.character >= 0 &&
    p.character <= file.lines.lineText(p.line).length + 1
  );
}

function checkRange(file: ManifestFile, r: Range, what: string): void {
  assert.ok(inside(file, r.start) && inside(file, r.end), `${what} range ${JSON.stringify(r)} outside the document`);
  assert.ok(
    r.start.line < r.end.line || (r.start.line === r.end.line && r.start.character <= r.end.character),
    `${what} range reversed`,
  );
}

test(`fuzz: ${RUNS} mutated manifests through diagnostics, hover, completion and code actions`, async () => {
  await seedFiles();
  const index = new WorkspaceIndex();
  index.setRoots([EXAMPLES]);
  await index.scan();
  const ruleErrors: string[] = [];
  const ctx: FeatureContext = {
    index,
    settings: DEFAULT_SETTINGS,
    onRuleError: (rule, err) => ruleErrors.push(`${rule}: ${err instanceof Error ? err.stack : String(err)}`),
  };
  let slowest = 0;
  fc.assert(
    fc.property(
      fc.nat(),
      fc.array(mutation, { minLength: 1, maxLength: 6 }),
      fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 4 }),
      (seedIndex, mutations, probes) => {
        const text = mutations.reduce(apply, seeds[seedIndex % seeds.length]);
        const started = process.hrtime.bigint();
        const file = parseManifest(pathToUri(join(EXAMPLES, 'fuzz.yaml')), 1, text);
        const diagnostics: Diagnostic[] = computeDiagnostics(file, ctx);
        for (const d of diagnostics) {
          checkRange(file, d.range, `diagnostic ${String(d.code)}`);
          assert.equal(typeof d.message, 'string');
          assert.match(String(d.code), /^flux-azure\//);
        }
        for (const [l, c] of probes) {
          const position = {
            line: l % file.lines.lineCount,
            character: c % (file.lines.lineText(l % file.lines.lineCount).length + 1),
          };
          const hover: Hover | null = provideHover(file, position, ctx);
          if (hover) {
            assert.equal(typeof (hover.contents as { value: string }).value, 'string');
            if (hover.range) checkRange(file, hover.range, 'hover');
          }
          const completion = provideCompletion(file, position, ctx) as CompletionList | null;
          for (const item of completion?.items ?? []) {
            assert.equal(typeof item.label, 'string');
            const edit = item.textEdit;
            if (edit && 'range' in edit) checkRange(file, edit.range, `completion ${item.label}`);
          }
          const actions: CodeAction[] = provideCodeActions(file, { start: position, end: position }, diagnostics, ctx);
          for (const a of actions) {
            for (const change of a.edit?.documentChanges ?? []) {
              if ('textDocument' in change && change.textDocument.uri === file.uri)
                for (const e of change.edits) checkRange(file, (e as { range: Range }).range, `fix ${a.title}`);
            }
          }
        }
        slowest = Math.max(slowest, Number(process.hrtime.bigint() - started) / 1e6);
        assert.deepEqual(ruleErrors, []);
      },
    ),
    { numRuns: RUNS, seed: process.env.FLUX_AZURE_FUZZ_SEED ? Number(process.env.FLUX_AZURE_FUZZ_SEED) : undefined },
  );
  console.log(`fuzz: ${RUNS} cases, 0 crashes, slowest case ${slowest.toFixed(1)} ms`);
});
