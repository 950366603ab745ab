// The long protocol fuzz (issue 17): a seeded session of editor events and requests against the real server over
// stdio, the same generator as `npm test`'s 500 steps (test/lsp/fuzzSession.ts), with its invariants checked after
// every step and the diagnostics compared with a fresh server's every `--check-every` steps and at the end.
//
//   node scripts/fuzz.mjs [--steps 10000] [--seed 1] [--runs 1] [--check-every 1000] [--no-build]
//
// `--runs N` runs seeds seed, seed+1, … one after the other (`--check-every 0`: at the end only). Prints a summary per run; on a failure, the seed, the
// command that reproduces it and the steps, and exits 1.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '10000' },
    seed: { type: 'string', default: '1' },
    runs: { type: 'string', default: '1' },
    'check-every': { type: 'string', default: '1000' },
    'no-build': { type: 'boolean', default: false },
  },
});
if (!values['no-build']) execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
const { fuzzSession, FuzzFailure, describeFailure } = createRequire(import.meta.url)(
  join(root, 'test', 'out', 'lsp', 'fuzzSession.js'),
);

const steps = Number(values.steps);
const firstSeed = Number(values.seed);
let failed = false;
for (let seed = firstSeed; seed < firstSeed + Number(values.runs); seed++) {
  console.log(`fuzz: seed ${seed}, ${steps} steps`);
  try {
    const r = await fuzzSession({
      seed,
      steps,
      checkEvery: Number(values['check-every']),
      progress: (line) => console.log(`  ${line}`),
    });
    const kinds = Object.entries(r.kinds)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
    console.log(
      `fuzz: seed ${seed}: ${r.steps} steps, 0 crashes, 0 errors logged, 0 ranges outside, 0 stale findings ` +
        `(${r.checks} comparisons with a fresh server, ${r.compared} files' diagnostics in the last, ` +
        `${r.openAtEnd} open at the end), ` +
        `${(r.ms / 1000).toFixed(1)} s\n  steps: ${kinds}`,
    );
  } catch (err) {
    failed = true;
    console.log(err instanceof FuzzFailure ? describeFailure(err, steps) : err);
  }
}
process.exit(failed ? 1 : 0);
