// Generates the static contributions from the catalog, so no Flux or Azure fact is written twice:
//   snippets/flux-azure.code-snippets              (server/src/features/snippets.ts)
//   syntaxes/flux-azure.injection.tmLanguage.json  (server/src/features/grammar.ts)
//   schemas/flux-azure.schema.json                 (server/src/features/repoConfigSchema.ts)
// Run by scripts/build.mjs. The generated files are committed because vsce packages them; unit tests check they
// equal this output.
//   node scripts/gen-contributions.mjs [--check]
import { build } from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const GENERATED = {
  snippets: join(root, 'snippets', 'flux-azure.code-snippets'),
  grammar: join(root, 'syntaxes', 'flux-azure.injection.tmLanguage.json'),
  schema: join(root, 'schemas', 'flux-azure.schema.json'),
};

/** Bundles the builders, runs them and writes the files that changed. Returns the paths written. */
export async function generateContributions({ check = false } = {}) {
  const outfile = join(root, 'build', 'gen-contributions.cjs');
  await build({
    stdin: {
      contents:
        "export { snippetsFileText } from './server/src/features/snippets';\n" +
        "export { injectionGrammarText } from './server/src/features/grammar';\n" +
        "export { repoConfigSchemaText } from './server/src/features/repoConfigSchema';\n",
      resolveDir: root,
      loader: 'ts',
    },
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
  });
  const require = createRequire(import.meta.url);
  delete require.cache[outfile];
  const generated = require(outfile);
  const texts = {
    snippets: generated.snippetsFileText(),
    grammar: generated.injectionGrammarText(),
    schema: generated.repoConfigSchemaText(),
  };
  const written = [];
  for (const [id, path] of Object.entries(GENERATED)) {
    let current = '';
    try {
      current = readFileSync(path, 'utf8');
    } catch {
      // not generated yet
    }
    if (current === texts[id]) continue;
    if (check) throw new Error(`${relative(root, path)} is out of date: run node scripts/gen-contributions.mjs`);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, texts[id]);
    written.push(relative(root, path));
  }
  return written;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const written = await generateContributions({ check: process.argv.includes('--check') });
  console.error(written.length > 0 ? `wrote ${written.join(', ')}` : 'generated contributions are up to date');
}
