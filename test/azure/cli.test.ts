// `flux-azure-check --azure` on examples/: the built CLI (server/out/cli.js, which loads server/out/cliAzure.js) as
// CI runs it, signed in with DefaultAzureCredential from environment variables, against the local HTTPS stand-in
// configured with --cloud-config. The rows must be the readiness view's, in text, JSON and SARIF, with the exit
// codes CI acts on; no token, client secret or client id may appear in anything it prints.
import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli as cli, writeCloudConfig, type Run } from './cliHarness';
import { startStandIn, type StandIn } from './standIn';
import { CREDENTIALS, LEAK_MARKER, OPERATOR, SUB_PROD } from './world';

const BOUND = { timeout: 60_000 };

let standIn: StandIn;
let cloudConfig: string;

/** Nothing the CLI prints may carry a credential: the stand-in's tokens (LEAK_MARKER), the secret, the client id. */
function assertNoCredentials(run: Run): void {
  for (const [where, text] of [
    ['stdout', run.out],
    ['stderr', run.err],
  ] as const) {
    assert.ok(!text.includes(LEAK_MARKER), `a token or secret in ${where}`);
    assert.ok(!text.includes(OPERATOR.secret), `the client secret in ${where}`);
    assert.ok(!text.toLowerCase().includes(OPERATOR.clientId), `the signed-in client id in ${where}`);
  }
}

interface JsonRow {
  kind: string;
  state: 'ok' | 'missing' | 'unknown';
  mark: string;
  title: string;
  summary: string;
  clusters: string[];
  file?: string;
  line?: number;
  fix?: string;
}

before(async () => {
  standIn = await startStandIn();
  cloudConfig = writeCloudConfig(standIn);
});

after(async () => {
  await standIn?.stop();
});

describe('flux-azure-check --azure', () => {
  test('JSON: the readiness rows of examples/ next to the findings, ✗ with the fix; exit 1', BOUND, async () => {
    const run = await cli(['examples', '--azure', '--cloud-config', cloudConfig, '--format', 'json']);
    assertNoCredentials(run);
    assert.equal(run.code, 1, run.err);
    const report = JSON.parse(run.out) as {
      findings: { code: string }[];
      azure: { account: { method: string; label: string }; requests: number; rows: JsonRow[] };
    };
    assert.equal(report.findings.length, 8, 'the lint findings are still there');
    assert.deepEqual(report.azure.account, { label: 'fleet-operator', method: 'DefaultAzureCredential' });
    const row = (title: RegExp, cluster?: string) => {
      const found = report.azure.rows.filter((r) => title.test(r.title) && (!cluster || r.clusters.includes(cluster)));
      assert.equal(found.length, 1, `${title} ${cluster ?? ''}: ${JSON.stringify(found.map((r) => r.title))}`);
      return found[0]!;
    };
    // The same decisions as the readiness view (test/azure/session.test.ts, federation.test.ts).
    const podinfo = row(/^ACR OCIRepository \S+\/podinfo$/);
    assert.equal(podinfo.state, 'ok', podinfo.summary);
    assert.match(podinfo.summary, /AcrPull on the resource/);
    assert.match(podinfo.file ?? '', /^examples\/.+\.yaml$/);
    const charts = row(/^ACR HelmRepository \S+\/contoso-charts$/, 'clusters/staging');
    assert.equal(charts.state, 'missing');
    assert.match(charts.fix ?? '', /^az role assignment create .*--role 7f951dda-4ed3-4680-a7ca-43fe172d538d/);
    const canary = row(/^Federated credential for ServiceAccount podinfo\/podinfo-canary$/);
    assert.equal(canary.state, 'missing');
    assert.match(canary.summary, /subject differs/);
    assert.match(
      canary.fix ?? '',
      /^az identity federated-credential create .*system:serviceaccount:podinfo:podinfo-canary/,
    );
    // Azure DevOps, with a token for it from the same credential: the organization's groups decide.
    const git = row(/^ADO GitRepository \S+\/podinfo-deploy$/);
    assert.equal(git.state, 'ok', git.summary);
    assert.match(git.summary, /is a member of \[fleet\]\\Readers in organization contoso/);
    const push = row(/^ADO ImageUpdateAutomation \S+\/podinfo$/);
    assert.equal(push.state, 'missing');
    assert.match(
      push.fix ?? '',
      /^az devops security group membership add --group-id \S+ --member-id \S+ --org https:\/\/dev\.azure\.com\/contoso$/,
    );
    assert.equal(row(/^ADO GitRepository \S+\/platform-policies$/, 'clusters/staging').state, 'unknown');
    assert.equal(row(/^Federated credential for ServiceAccount flux-system\/sops-decryptor$/).state, 'ok');
    // Every row has its mark; a finding per federation check the stand-in has a credential for.
    for (const r of report.azure.rows) assert.equal(r.mark, { ok: '✓', missing: '✗', unknown: '?' }[r.state]);
    assert.ok(
      report.azure.rows.filter((r) => r.kind === 'federation').length >=
        new Set(CREDENTIALS.map((c) => c.identity)).size - 1,
    );
    assert.ok(report.azure.requests > 0);
  });

  test('text: one line per row with ✓ ✗ ?, the fix under ✗; SARIF: ✗ errors and ? notes', BOUND, async () => {
    const text = await cli(['examples', '--azure', '--cloud-config', cloudConfig, '--no-rule', 'gate-missing']);
    assertNoCredentials(text);
    assert.equal(text.code, 1);
    const lines = text.out.split('\n');
    const header = lines.findIndex((l) => l.startsWith('Azure readiness: '));
    assert.ok(header > 0, text.out);
    assert.match(
      lines[header]!,
      /^Azure readiness: \d+ ✓, \d+ ✗, \d+ \? — fleet-operator \(DefaultAzureCredential\), \d+ requests to Azure$/,
    );
    assert.ok(
      lines.some((l) =>
        /^examples\/\S+\.yaml:\d+:\d+ ✗ ACR HelmRepository \S+\/contoso-charts \[clusters\/staging\]: /.test(l),
      ),
    );
    const fix = lines.findIndex((l) => /✗ ACR HelmRepository/.test(l)) + 1;
    assert.match(lines[fix]!, /^ {4}fix: az role assignment create /);
    assert.ok(
      lines.some((l) => /✓ ACR OCIRepository \S+\/podinfo \[clusters\/production, clusters\/staging\]: /.test(l)),
    );

    const sarif = await cli(['examples', '--azure', '--cloud-config', cloudConfig, '--format', 'sarif']);
    assertNoCredentials(sarif);
    assert.equal(sarif.code, 1);
    const log = JSON.parse(sarif.out) as {
      runs: {
        tool: { driver: { rules: { id: string }[] } };
        results: { ruleId: string; level: string; message: { text: string }; locations?: unknown[] }[];
      }[];
    };
    const run = log.runs[0]!;
    const azure = run.results.filter((r) => r.ruleId.startsWith('flux-azure/azure-'));
    assert.ok(azure.some((r) => r.level === 'error' && /^✗ ACR HelmRepository/.test(r.message.text)));
    assert.ok(azure.some((r) => r.level === 'note' && /^\? ADO GitRepository/.test(r.message.text)));
    assert.ok(!azure.some((r) => r.message.text.startsWith('✓')), 'a ✓ is not a result');
    assert.ok(azure.every((r) => run.tool.driver.rules.some((rule) => rule.id === r.ruleId)));
    assert.ok(azure.filter((r) => r.ruleId === 'flux-azure/azure-readiness').every((r) => r.locations?.length === 1));
  });

  test('exit codes: ? alone is 0, --fail-on unknown makes it fail; sign-in failing is 4', BOUND, async () => {
    // Only what has no ✗: an OCIRepository whose identity holds AcrPull (✓), its federated credential (?) and an
    // ADO GitRepository whose controller has no identity in these files (?); their one lint error is not what this
    // test is about.
    const only = [
      'examples/apps/base/podinfo/source.yaml',
      'examples/clusters/production/flux-system/gotk-sync.yaml',
      '--no-rule',
      'gate-missing',
    ];
    const quiet = await cli([
      ...only,
      '--azure',
      '--cloud-config',
      cloudConfig,
      '--format',
      'json',
      '--fail-on',
      'error',
    ]);
    assertNoCredentials(quiet);
    assert.equal(quiet.err, '');
    const rows = (JSON.parse(quiet.out) as { azure: { rows: JsonRow[] } }).azure.rows;
    assert.ok(
      rows.some((r) => r.state === 'unknown'),
      JSON.stringify(rows),
    );
    assert.ok(!rows.some((r) => r.state === 'missing'), JSON.stringify(rows));
    assert.equal(quiet.code, 0, quiet.err);
    const strict = await cli([...only, '--azure', '--cloud-config', cloudConfig, '--fail-on', 'unknown']);
    assert.equal(strict.code, 1);

    const refused = await cli(['examples', '--azure', '--cloud-config', cloudConfig], {
      AZURE_CLIENT_SECRET: `wrong-${LEAK_MARKER}-secret`,
    });
    assertNoCredentials(refused);
    assert.ok(!refused.err.includes('wrong-'), refused.err);
    assert.equal(refused.code, 4, refused.err);
    assert.match(refused.err, /^flux-azure-check: --azure: /m);
  });

  test('usage: a bad --cloud-config is exit 2; without --azure nothing is asked of Azure', BOUND, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flux-azure-cli-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ resourceManagerEndpoint: standIn.url, armEndpoint: standIn.url }));
    const r = await cli(['examples', '--azure', '--cloud-config', bad]);
    assert.equal(r.code, 2);
    assert.match(r.err, /unknown key 'armEndpoint'/);
    assert.equal((await cli(['examples', '--cloud-config', cloudConfig])).code, 2, '--cloud-config needs --azure');
    // --aks-cluster: a directory and an AKS cluster's ARM id, only with --azure; documented in --help.
    const notAnId = await cli(['examples', '--azure', '--aks-cluster', 'clusters/production=aks-fleet-prod']);
    assert.equal(notAnId.code, 2);
    assert.match(
      notAnId.err,
      /--aks-cluster: 'clusters\/production=aks-fleet-prod' is not <cluster directory>=\/subscriptions\//,
    );
    const aks = `clusters/production=/subscriptions/${SUB_PROD}/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/x`;
    const alone = await cli(['examples', '--aks-cluster', aks]);
    assert.equal(alone.code, 2);
    assert.match(alone.err, /--aks-cluster needs --azure/);
    assert.match((await cli(['--help'])).out, /\n {2}--aks-cluster <dir>=<id>\n/);
    const before = standIn.requests.length;
    const offline = await cli(['examples', '--format', 'json']);
    assert.ok(Array.isArray(JSON.parse(offline.out)), 'without --azure the JSON is the findings array');
    assert.equal(standIn.requests.length, before);
  });
});
