// Dead exports: every export of a module under server/src, client/src or shared/src must be imported by some other
// module (source or test). An export nobody imports is either dead code or a fact restated elsewhere, so it fails
// here. Uses are found with the TypeScript compiler: each import is resolved through re-exports (`export *`, the
// catalog index) to the declaration it names. The bundles' entry points are used by the bundler or the runtime.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, relative } from 'node:path';
import ts from 'typescript';

const REPO = join(__dirname, '..', '..', '..');
const PROJECTS = ['shared', 'azure', 'server', 'client', 'test'];
const CHECKED = /^(server|client|shared|azure)\/src\//;

/** Modules whose exports the bundles (scripts/build.mjs) or the runtime load: all their exports count as used. */
const ENTRY_POINTS = new Set([
  'client/src/extension.ts',
  'azure/src/index.ts',
  'azure/src/ci.ts',
  'server/src/server.ts',
  'server/src/startup/shell.ts',
  'server/src/session.ts',
  'server/src/cli.ts',
  'server/src/startup/lazyCrypto.ts',
  'server/src/startup/lazyChildProcess.ts',
]);
/** Exports scripts (plain .mjs, outside the TypeScript program) import. */
const USED_BY_SCRIPTS = new Set([
  'server/src/features/snippets.ts:snippetsFileText', // scripts/gen-contributions.mjs
  'server/src/features/grammar.ts:injectionGrammarText', // scripts/gen-contributions.mjs
  'server/src/features/repoConfigSchema.ts:repoConfigSchemaText', // scripts/gen-contributions.mjs
]);

/**
 * TEMPORARY allow-list (issue 14): exports nobody imports yet, kept on purpose. Remove a line as soon as the export is
 * used or deleted; the test fails on a line that no longer names a dead export, so the list can only shrink.
 */
const TEMPORARILY_ALLOWED = new Set<string>([
  // Catalog facts other helpers of issue 14 are about to switch their callers to (keep, do not delete):
  'server/src/catalog/remoteCluster.ts:REMOTE_CLUSTER_PROVIDERS',
  'server/src/catalog/remoteCluster.ts:REMOTE_CLUSTER_VERSIONS',
  'server/src/catalog/secrets.ts:ACR_TOKEN_USERNAME',
  'server/src/catalog/secrets.ts:SOPS_CREDENTIAL_PRIORITY',
  // Outside the catalog (owned by other helpers; each to be used, un-exported or deleted by its owner):
  'azure/src/access.ts:PARALLEL_REQUESTS',
  'azure/src/access.ts:guidOf',
  'azure/src/access.ts:withTenantRecovery',
  'azure/src/arm.ts:MAX_RETRY_AFTER_MS',
  'client/src/languageClient.ts:serverEnvironment',
  'client/src/patchCommands.ts:runPatchCommand',
  'client/src/views/azureViews.ts:ACCESS_VIEW',
  'client/src/views/azureViews.ts:READINESS_VIEW',
  'server/src/cli/cli.ts:HELP',
  'server/src/cli/cli.ts:parseArgs',
  'server/src/cli/format.ts:SEVERITY_NAME',
  'server/src/features/completions/references.ts:objectNamespace',
  'server/src/features/completions/workloadIdentity.ts:annotationKeyItems',
  'server/src/features/grammar.ts:INJECTION_SCOPE',
  'server/src/features/grammar.ts:injectionGrammar',
  'server/src/features/hovers/fluxObject.ts:serviceFor',
  'server/src/features/markdown.ts:grantScopesLine',
  'server/src/features/patchContext.ts:PATCH_CODE_ACTION_KIND',
  'server/src/features/patchContext.ts:patchTargets',
  'server/src/features/patchEdits.ts:validatePatchRequest',
  'server/src/features/rules/helpers.ts:scalarAt',
  'server/src/features/textMap.ts:scalarText',
  'server/src/workspace/controllerPatches.ts:patchAnchor',
  'server/src/workspace/facts.ts:extractFacts',
  'server/src/workspace/facts.ts:factsSignature',
]);

function program(): ts.Program {
  const files = new Set<string>();
  let options: ts.CompilerOptions = {};
  for (const project of PROJECTS) {
    const path = join(REPO, project, 'tsconfig.json');
    const config = ts.readConfigFile(path, ts.sys.readFile);
    const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, join(REPO, project));
    for (const f of parsed.fileNames) files.add(f);
    if (project === 'test') options = parsed.options; // the widest `types`
  }
  return ts.createProgram([...files], { ...options, noEmit: true, composite: false, declaration: false });
}

function deadExports(): string[] {
  const prog = program();
  const checker = prog.getTypeChecker();
  const original = (s: ts.Symbol): ts.Symbol => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s);
  const rel = (sf: ts.SourceFile) => relative(REPO, sf.fileName).split('\\').join('/');
  const used = new Set<ts.Symbol>();
  const useAll = (moduleSymbol: ts.Symbol | undefined) => {
    if (moduleSymbol) for (const s of checker.getExportsOfModule(moduleSymbol)) used.add(original(s));
  };

  const sources = prog.getSourceFiles().filter((sf) => !sf.isDeclarationFile && !sf.fileName.includes('node_modules'));
  for (const sf of sources) {
    if (ENTRY_POINTS.has(rel(sf))) useAll(checker.getSymbolAtLocation(sf));
    const visit = (node: ts.Node): void => {
      if (ts.isImportDeclaration(node) || (ts.isExportDeclaration(node) && node.moduleSpecifier)) {
        const target = node.moduleSpecifier ? checker.getSymbolAtLocation(node.moduleSpecifier) : undefined;
        const clause = ts.isImportDeclaration(node) ? node.importClause : undefined;
        const bindings = clause?.namedBindings;
        if (clause?.name) used.add(original(checker.getSymbolAtLocation(clause.name)!));
        if (bindings && ts.isNamespaceImport(bindings)) useAll(target);
        if (bindings && ts.isNamedImports(bindings))
          for (const el of bindings.elements) used.add(original(checker.getSymbolAtLocation(el.name)!));
        // `export { a } from './x'` passes a name on: only an import of it (resolved through it) is a use.
      } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
        const arg = node.arguments[0];
        if (arg) useAll(checker.getSymbolAtLocation(arg));
      } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
        useAll(checker.getSymbolAtLocation(node.argument.literal));
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }

  const dead: string[] = [];
  for (const sf of sources) {
    const file = rel(sf);
    if (!CHECKED.test(file)) continue;
    const moduleSymbol = checker.getSymbolAtLocation(sf);
    if (!moduleSymbol) continue;
    for (const s of checker.getExportsOfModule(moduleSymbol)) {
      const target = original(s);
      // Only the module that declares a name answers for it; a re-export (`export *`) is no declaration.
      const declaredHere = target.declarations?.some((d) => d.getSourceFile() === sf);
      // Types are left alone: an exported type documents the shape of exported values (and costs no code).
      const isValue = (target.flags & ts.SymbolFlags.Value) !== 0;
      if (!declaredHere || !isValue || used.has(target) || USED_BY_SCRIPTS.has(`${file}:${s.name}`)) continue;
      dead.push(`${file}:${s.name}`);
    }
  }
  return dead.sort();
}

test('every export under server/src, client/src and shared/src is imported somewhere else', () => {
  const dead = deadExports();
  const unexpected = dead.filter((d) => !TEMPORARILY_ALLOWED.has(d));
  const stale = [...TEMPORARILY_ALLOWED].filter((d) => !dead.includes(d));
  assert.deepEqual(unexpected, [], 'exports nobody imports: un-export or delete them');
  assert.deepEqual(stale, [], 'allow-list lines that no longer name a dead export: remove them');
});
