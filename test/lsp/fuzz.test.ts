// The protocol fuzz in `npm test`: 500 seeded steps of editor events and requests against the real server (see
// fuzzSession.ts; `node scripts/fuzz.mjs --steps 10000` is the long run). A failure prints the seed, the command that
// reproduces it and the steps.
import { test } from 'node:test';
import { describeFailure, fuzzSession, FuzzFailure } from './fuzzSession';

const SEED = 17;
const STEPS = 500;

test(`protocol fuzz: ${STEPS} steps (seed ${SEED}), the server answers, stays in range and shows no stale finding`, async () => {
  try {
    const report = await fuzzSession({ seed: SEED, steps: STEPS });
    console.log(`fuzz: ${report.steps} steps, ${report.compared} files compared, ${report.ms} ms`);
  } catch (err) {
    if (err instanceof FuzzFailure) console.error(describeFailure(err, STEPS));
    throw err;
  }
});
