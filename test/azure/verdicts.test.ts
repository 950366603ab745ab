// Every readiness row of examples/ against the one verdict table (verdicts.ts), from both places a user reads them:
// the readiness view the extension builds (its real tree provider, session and Azure SDK clients) and
// `flux-azure-check --azure` (the built CLI as CI runs it), against the same stand-in, with Azure DevOps reachable;
// then with the cluster directories mapped to their AKS clusters (the setting in the view, `--aks-cluster` in CI).
import './vscodeStub';
import { strict as assert } from 'node:assert';
import { after, afterEach, before, describe, test } from 'node:test';
import type { IntegrationsResult } from '../../shared/src/protocol';
import { runCli, writeCloudConfig } from './cliHarness';
import { cloudWithServicesOf, examplesCatalog, knownRoles, signInAsOperator } from './cloud';
import { startStandIn, type StandIn } from './standIn';
import { render, TestController, walk } from './treeHarness';
import {
  cliVerdicts,
  EXAMPLES_AKS_CLUSTERS,
  EXAMPLES_VERDICTS,
  MAPPED_CHANGES,
  tally,
  treeVerdicts,
  verdictDifferences,
  withChanges,
  type Verdict,
} from './verdicts';
import { LEAK_MARKER } from './world';

const BOUND = { timeout: 90_000 };

let standIn: StandIn;
let catalog: IntegrationsResult;
let cloudConfig: string;
const controllers: TestController[] = [];

before(async () => {
  standIn = await startStandIn();
  catalog = await examplesCatalog();
  cloudConfig = writeCloudConfig(standIn);
  signInAsOperator();
});

afterEach(() => {
  for (const c of controllers.splice(0)) c.dispose();
});

after(async () => {
  await standIn?.stop();
});

/** The readiness view of examples/, with the setting `fluxAzure.azure.aksClusters`. */
async function viewVerdicts(aksClusters: Record<string, string> = {}): Promise<{ verdicts: Verdict[]; shown: string }> {
  const c = new TestController(
    () => ({ cloud: cloudWithServicesOf(standIn), method: 'environment', knownRoles, tuning: { retryDelayMs: 10 } }),
    catalog,
    aksClusters,
  );
  controllers.push(c);
  const rows = await walk(c.readiness);
  return { verdicts: treeVerdicts(rows), shown: render(rows.filter((r) => r.depth <= 1)) };
}

interface CliRow {
  title: string;
  mark: string;
  clusters: string[];
}

/**
 * `flux-azure-check --azure` on examples/, with only a rule that finds nothing there: the lint findings cannot
 * decide the exit code, the readiness rows alone do.
 */
async function cliRun(extra: string[] = []) {
  const run = await runCli([
    'examples',
    '--azure',
    '--cloud-config',
    cloudConfig,
    '--format',
    'json',
    '--rule',
    'fluxinstance-gate-patch',
    ...extra,
  ]);
  assert.ok(!run.out.includes(LEAK_MARKER) && !run.err.includes(LEAK_MARKER), 'no credential in the output');
  const report = JSON.parse(run.out) as { findings: unknown[]; azure: { rows: CliRow[]; requests: number } };
  assert.deepEqual(report.findings, [], 'no lint finding');
  return { code: run.code, err: run.err, verdicts: cliVerdicts(report.azure.rows), requests: report.azure.requests };
}

describe('The expected verdict of every readiness row of examples/', () => {
  test('the readiness view shows the table', BOUND, async () => {
    const { verdicts, shown } = await viewVerdicts();
    assert.deepEqual(verdictDifferences(EXAMPLES_VERDICTS, verdicts), [], shown);
    console.log(`readiness view on examples/: ${verdicts.length} rows, ${tally(verdicts)}`);
  });

  test('flux-azure-check --azure reports the table; a ✗ is exit code 1', BOUND, async () => {
    const run = await cliRun();
    assert.deepEqual(verdictDifferences(EXAMPLES_VERDICTS, run.verdicts), []);
    assert.equal(run.code, 1, run.err);
    console.log(`flux-azure-check --azure on examples/: ${tally(run.verdicts)}, ${run.requests} requests to Azure`);
  });

  test('the clusters mapped: the setting in the view and --aks-cluster in CI decide the same rows', BOUND, async () => {
    const expected = withChanges(EXAMPLES_VERDICTS, MAPPED_CHANGES);
    assert.notDeepEqual(expected, EXAMPLES_VERDICTS);
    const view = await viewVerdicts({ ...EXAMPLES_AKS_CLUSTERS });
    assert.deepEqual(verdictDifferences(expected, view.verdicts), [], view.shown);
    const flags = Object.entries(EXAMPLES_AKS_CLUSTERS).flatMap(([dir, id]) => ['--aks-cluster', `./${dir}/=${id}`]);
    const run = await cliRun(flags);
    assert.deepEqual(verdictDifferences(expected, run.verdicts), []);
    assert.equal(run.code, 1, run.err);
  });
});
