// The parse floor: what the `yaml` package alone takes on a target's text, in a fresh process (run as a child of
// bench.mjs). Prints JSON: cold (first parse, as a server's first open pays it), warm (median of the next runs) and
// cst (lexer + CST parser only, warm median), all in ms. For a directory, every YAML file below it is parsed.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Parser, parseAllDocuments } from 'yaml';
import { median } from './stats.mjs';
import { yamlFiles } from './yamlFiles.mjs';

const [target, repsArg] = process.argv.slice(2);
const reps = Number(repsArg ?? 5);
const texts = yamlFiles(target).map((f) => readFileSync(f, 'utf8'));

function time(run) {
  const start = performance.now();
  for (const text of texts) run(text);
  return performance.now() - start;
}
const full = (text) => parseAllDocuments(text, { version: '1.1' });
const cst = (text) => {
  for (const token of new Parser().parse(text)) void token;
};

const cold = time(full);
const warm = median(Array.from({ length: reps }, () => time(full)));
const cstWarm = median(Array.from({ length: reps }, () => time(cst)));
process.stdout.write(JSON.stringify({ cold, warm, cst: cstWarm, files: texts.length }) + '\n');
