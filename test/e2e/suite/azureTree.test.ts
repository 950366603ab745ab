// The "Flux on Azure" views in a real VS Code, against the local ARM / Entra stand-in configured the way a user of
// a private cloud would: custom cloud endpoints and CA file in the settings, the "environment" sign-in method with
// a service principal's AZURE_* variables.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AzureNode } from '../../../client/src/views/azureNodes';
import type { AzureController } from '../../../client/src/views/azureViews';
import { startStandIn, type StandIn } from '../../azure/standIn';
import { REGISTRY, SUB_SHARED, principalOf } from '../../azure/world';
import { EXAMPLES_VERDICTS, treeVerdicts, verdictDifferences } from '../../azure/verdicts';
import { resetAzureSettings, useStandInCloud } from '../azureSettings';
import { extension, screenshot, waitFor } from '../helpers';
import { recordMetric } from '../metrics';

let standIn: StandIn;
let azure: AzureController;

async function children(provider: vscode.TreeDataProvider<AzureNode>, node?: AzureNode): Promise<AzureNode[]> {
  return (await provider.getChildren(node)) ?? [];
}

function label(provider: vscode.TreeDataProvider<AzureNode>, node: AzureNode): string {
  const item = provider.getTreeItem(node) as vscode.TreeItem;
  const text = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
  return item.description ? `${text} — ${item.description}` : text;
}

/** Every node of a tree, depth first, with its label. */
async function walk(
  provider: vscode.TreeDataProvider<AzureNode>,
): Promise<{ node: AzureNode; text: string; depth: number }[]> {
  const out: { node: AzureNode; text: string; depth: number }[] = [];
  const visit = async (node: AzureNode | undefined, depth: number) => {
    for (const child of await children(provider, node)) {
      out.push({ node: child, text: label(provider, child), depth });
      await visit(child, depth + 1);
    }
  };
  await visit(undefined, 0);
  return out;
}

describe('Azure permissions view in a real VS Code', () => {
  before(async function () {
    this.timeout(120_000);
    standIn = await startStandIn();
    await useStandInCloud(standIn);
    const ext = extension();
    const api = ext.isActive ? ext.exports : await ext.activate();
    azure = api.azure;
    await vscode.commands.executeCommand('workbench.view.extension.fluxAzure');
    await vscode.commands.executeCommand('fluxAzure.azure.refresh');
  });

  after(async () => {
    await resetAzureSettings();
    await standIn?.stop();
  });

  it('My access: account, two tenants, subscriptions, direct / group / management-group grants, a 403', async () => {
    const started = Date.now();
    const rows = await walk(azure.access);
    recordMetric('azureAccessTreeMs', Date.now() - started);
    const texts = rows.map((r) => `${'  '.repeat(r.depth)}${r.text}`);
    const has = (re: RegExp) =>
      assert.ok(
        texts.some((t) => re.test(t)),
        `${re} in\n${texts.join('\n')}`,
      );
    has(/^fleet-operator \(f1a2b3c4-0000-4000-8000-00000000c11e\) — Environment/);
    has(/^ {2}Contoso — contoso\.onmicrosoft\.com/);
    has(/^ {2}Fabrikam — fabrikam\.onmicrosoft\.com/);
    has(/^ {4}Contoso Fleet Production — 4 role assignments/);
    has(/^ {6}Tenant Root Group — Management group/);
    has(/^ {8}Reader — via group 33333333-0000-4000-8000-000000000002/);
    has(/^ {6}rg-fleet-prod — Resource group/);
    has(/^ {8}Contributor — direct/);
    has(/^ {8}User Access Administrator — via group .* · condition/);
    has(/^ {6}kv-fleet-staging — Key vault/);
    has(/^ {4}Contoso Shared Services — No permission \(AuthorizationFailed\)/);
    has(/^ {4}Fabrikam Delegated Analytics — 1 role assignment/);
    has(/^ {8}Key Vault Secrets User — via group/);
    assert.ok(!texts.some((t) => /Sign in/.test(t)), 'signed in');
    assert.ok(SUB_SHARED);
  });

  it('Flux readiness: the integrations of examples/ with ✓, ✗ and ? as the stand-in grants them', async () => {
    const rows = await walk(azure.readiness);
    const texts = rows.map((r) => `${'  '.repeat(r.depth)}${r.text}`);
    const has = (re: RegExp) =>
      assert.ok(
        texts.some((t) => re.test(t)),
        `${re} in\n${texts.join('\n')}`,
      );
    // Every row with the verdict of the one table test/azure checks the view model and the CLI against.
    assert.deepEqual(verdictDifferences(EXAMPLES_VERDICTS, treeVerdicts(rows)), [], texts.join('\n'));
    for (const cluster of ['clusters/production', 'clusters/staging']) {
      const n = (mark: string) => EXAMPLES_VERDICTS.filter((v) => v.cluster === cluster && v.mark === mark).length;
      has(new RegExp(`^${cluster.replace('/', '\\/')} — ${n('✓')} ✓ {2}${n('✗')} ✗ {2}${n('?')} \\?$`));
    }
    // Federated-credential rows (the stand-in's deliberate mistakes: an audience in production, a subject typo and a
    // case-only subject in staging).
    has(
      /^ {2}Federated credential for ServiceAccount podinfo\/podinfo-canary — ✗ id-team-web-canary — subject differs: credential 'podinfo-canary-staging' has 'system:serviceaccount:podinfo:podinfo-canery'/,
    );
    has(
      /^ {2}Federated credential for source-controller \(clusters\/production\) — ✓ id-flux-prod-controllers — Federated credential 'source-controller-prod' matches/,
    );
    // The same results as live diagnostics on the manifest lines, after sign-in.
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'examples/ is open');
    const canary = vscode.Uri.joinPath(folder.uri, 'apps', 'staging', 'canary.yaml');
    const live = await waitFor('a live diagnostic on apps/staging/canary.yaml', async () =>
      vscode.languages
        .getDiagnostics(canary)
        .find((d) => d.source === 'Flux on Azure (live)' && /podinfo-canery/.test(d.message)),
    );
    assert.equal(live.range.start.line, 6);
    assert.equal(live.severity, vscode.DiagnosticSeverity.Warning);
    has(/^ {2}OCIRepository podinfo\/podinfo — ✓ ACR contosofleet\.azurecr\.io — AcrPull on the resource/);
    has(
      /^ {2}OCIRepository podinfo\/podinfo-canary — ✓ .*inherited from \/providers\/Microsoft\.Management\/managementGroups\/mg-contoso-platform/,
    );
    has(/^ {2}HelmRepository flux-system\/contoso-charts — ✗ ACR contosofleet\.azurecr\.io — Missing AcrPull/);
    has(/^ {2}Bucket platform\/fleet-config — ✗ ABS .* — Missing Storage Blob Data Reader .*holds Reader/);
    has(
      /^ {2}Secret flux-system\/receiver-token — ✓ AKV kv-fleet-prod\.vault\.azure\.net — Key Vault Crypto Officer inherited/,
    );
    // Azure DevOps, with a token for it from the same sign-in: the organization's members and project groups.
    has(
      /^ {2}GitRepository flux-system\/flux-system — ✓ ADO dev\.azure\.com\/contoso\/fleet — id-flux-prod-controllers is a member of \[fleet\]\\Contributors in organization contoso \(which has what Readers has\)$/,
    );
    has(
      /^ {2}ImageUpdateAutomation podinfo\/podinfo — ✗ ADO dev\.azure\.com\/contoso\/fleet — id-team-web-git is not in \[fleet\]\\Contributors of organization contoso \(member of \[fleet\]\\Readers\)\.$/,
    );
    has(
      /^ {4}Fix — az devops security group membership add --group-id vssgp\.fleet-contributors --member-id aadsp\.id-team-web-git --org https:\/\/dev\.azure\.com\/contoso$/,
    );
    has(
      /^ {2}Provider flux-system\/azure-devops — ✗ ADO dev\.azure\.com\/contoso\/fleet — ServiceAccount flux-system\/flux-notifier \(client id 862a0f52-ff03-4567-99a1-42a25e8802b9\) is not a member of Azure DevOps organization contoso/,
    );
    // An app registration (certificate) resolved through Microsoft Graph: the vault on access policies decides.
    has(
      /^ {2}Secret flux-system\/receiver-token — ✗ AKV kv-fleet-staging\.vault\.azure\.net — Vault kv-fleet-staging uses access policies, not Azure RBAC: no access policy grants the identity key decrypt$/,
    );
    has(
      /^ {4}Principal id — 0b14fb1b-eb86-41b8-8cae-a9878f5149b3 \(service principal of app registration app-flux-staging-sops\)$/,
    );
    // The Azure DevOps ✗ as a live diagnostic on its manifest line, too.
    const automation = vscode.Uri.joinPath(folder.uri, 'apps', 'production', 'image-automation.yaml');
    const adoLive = await waitFor('a live Azure DevOps diagnostic on apps/production/image-automation.yaml', async () =>
      vscode.languages
        .getDiagnostics(automation)
        .find((d) => d.source === 'Flux on Azure (live)' && /\[fleet\]\\Contributors/.test(d.message)),
    );
    assert.equal(adoLive.severity, vscode.DiagnosticSeverity.Warning);
    has(/^ {2}Provider flux-system\/fleet-events — \? AEH Azure Event Hubs — No Event Hubs namespace/);
    has(/^ {4}Identity — ServiceAccount podinfo\/podinfo-source · client id 2d38d8dc-e1f4-4a2e-a7ce-53ee33227e81/);
    has(/^ {4}Grant — AcrPull on \/subscriptions\/.*\/registries\/contosofleet/);
  });

  it('actions: copy the az command, insert the ASO RoleAssignment, copy ids, open the manifest line', async () => {
    const clusters = await children(azure.readiness);
    const staging = clusters.find((c) => c.type === 'cluster' && c.label === 'clusters/staging')!;
    const integrations = await children(azure.readiness, staging);
    const charts = integrations.find(
      (n) => n.type === 'integration' && n.row.integration.object.name === 'contoso-charts',
    ) as Extract<AzureNode, { type: 'integration' }>;
    assert.ok(charts, 'staging contoso-charts row');
    const principal = principalOf('0930e1eb-fff4-47ac-8b19-3dbc025dbd26');

    const az = await vscode.commands.executeCommand<string>('fluxAzure.azure.copyGrantCommand', charts);
    assert.equal(
      az,
      `az role assignment create --assignee-object-id ${principal} --assignee-principal-type ServicePrincipal --role 7f951dda-4ed3-4680-a7ca-43fe172d538d --scope "${REGISTRY}"`,
    );
    assert.equal(await vscode.env.clipboard.readText(), az);

    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const aso = await vscode.commands.executeCommand<string>('fluxAzure.azure.insertRoleAssignment', charts);
    const editor = await waitFor('the inserted manifest', async () =>
      vscode.window.activeTextEditor?.document.getText().includes('kind: RoleAssignment')
        ? vscode.window.activeTextEditor
        : undefined,
    );
    assert.equal(editor.document.languageId, 'yaml');
    assert.equal(editor.document.getText(), aso);
    assert.equal(
      aso,
      [
        'apiVersion: authorization.azure.com/v1api20220401',
        'kind: RoleAssignment',
        'metadata:',
        '  name: source-controller-acrpull',
        '  namespace: flux-system',
        'spec:',
        '  owner:',
        `    armId: ${REGISTRY}`,
        `  principalId: ${principal}`,
        '  principalType: ServicePrincipal',
        '  roleDefinitionReference:',
        `    armId: /subscriptions/${REGISTRY.split('/')[2]}/providers/Microsoft.Authorization/roleDefinitions/7f951dda-4ed3-4680-a7ca-43fe172d538d # AcrPull`,
        '',
      ].join('\n'),
    );
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');

    assert.equal(await vscode.commands.executeCommand('fluxAzure.azure.copyPrincipalId', charts), principal);
    assert.equal(await vscode.commands.executeCommand('fluxAzure.azure.copyScope', charts), REGISTRY);
    assert.equal(
      await vscode.commands.executeCommand('fluxAzure.azure.copyRoleId', charts),
      '7f951dda-4ed3-4680-a7ca-43fe172d538d',
    );

    // Clicking a row opens its manifest at the object.
    await vscode.commands.executeCommand(
      (azure.readiness.getTreeItem(charts) as vscode.TreeItem).command!.command,
      ...((azure.readiness.getTreeItem(charts) as vscode.TreeItem).command!.arguments ?? []),
    );
    const opened = await waitFor('the manifest editor', async () =>
      vscode.window.activeTextEditor?.document.uri.path.endsWith('infrastructure/sources/contoso-charts.yaml')
        ? vscode.window.activeTextEditor
        : undefined,
    );
    assert.equal(opened.document.lineAt(opened.selection.start.line).text.trim(), 'name: contoso-charts');

    // My access: copy an assignment's scope and role definition id.
    const account = (await children(azure.access))[0]!;
    const contoso = (await children(azure.access, account))[0]!;
    const prod = (await children(azure.access, contoso)).find(
      (n) => n.type === 'subscription' && n.subscription.displayName === 'Contoso Fleet Production',
    )!;
    const scopes = await children(azure.access, prod);
    const rg = scopes.find((n) => n.type === 'scope' && n.name === 'rg-fleet-prod')!;
    const [contributor] = await children(azure.access, rg);
    assert.equal(
      await vscode.commands.executeCommand('fluxAzure.azure.copyScope', contributor),
      `/subscriptions/${REGISTRY.split('/')[2]}/resourceGroups/rg-fleet-prod`,
    );
    assert.match(
      await vscode.commands.executeCommand<string>('fluxAzure.azure.copyRoleId', contributor),
      /roleDefinitions\/b24988ac-6180-42a0-ab88-20f7382dd24c$/,
    );
  });

  it('renders in the workbench: the Marketplace picture of both views (screenshot test-results/readiness.png)', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('workbench.view.extension.fluxAzure');
    await vscode.commands.executeCommand('workbench.actions.treeView.fluxAzure.access.collapseAll');
    await vscode.commands.executeCommand('workbench.actions.treeView.fluxAzure.readiness.collapseAll');
    // My access: the account and its Contoso subscriptions. Flux readiness: the production cluster's rows (role
    // assignments, federated credentials, Azure DevOps), an Azure DevOps ✗ opened on its fix.
    const account = (await children(azure.access))[0]!;
    const contoso = (await children(azure.access, account))[0]!;
    await azure.accessView.reveal(contoso, { expand: 1, focus: false, select: false });
    const production = (await children(azure.readiness)).find(
      (c) => c.type === 'cluster' && c.label === 'clusters/production',
    )!;
    await azure.readinessView.reveal(production, { expand: 1, focus: false, select: false });
    // Scrolled to the federated credential whose audience differs: the Azure DevOps rows above it, ✓ and ✗.
    const audience = (await children(azure.readiness, production)).find(
      (n) => n.type === 'federation' && n.view.state === 'missing',
    )!;
    await azure.readinessView.reveal(audience, { focus: false, select: true });
    // A wider side bar, so the descriptions (roles, states) are readable in the picture.
    await vscode.commands.executeCommand('workbench.action.focusSideBar');
    for (let i = 0; i < 12; i++) await vscode.commands.executeCommand('workbench.action.increaseViewSize');
    // The picture README.marketplace.md shows (scripts/e2e.mjs copies it to images/screenshots/ when this layer
    // passes): taken once the rows it is meant to show are on screen.
    const shown = await waitFor('the readiness rows on screen', async () => {
      const text = await screenshot('readiness.png');
      if (text === undefined) return '(no screenshot support)';
      return /My Access/.test(text) && /✓ ADO/.test(text) && /Federated credential for/.test(text) ? text : undefined;
    });
    recordMetric('azureTreeScreenshot', shown === '(no screenshot support)' ? 0 : 1);
    if (shown !== '(no screenshot support)') {
      const n = (mark: string) =>
        EXAMPLES_VERDICTS.filter((v) => v.cluster === 'clusters/production' && v.mark === mark).length;
      assert.ok(shown.includes(`clusters/production`), 'the production cluster');
      assert.match(
        shown,
        new RegExp(`${n('✓')} ✓\\s+${n('✗')} ✗\\s+${n('?')} \\?`),
        'its counts, as the verdict table',
      );
      assert.match(shown, /Federated credential for [^\n]*✓ [^\n]* matches/, 'a matching federated credential');
      assert.match(
        shown,
        /Federated credential for ServiceAccount flux-system\/flux-notifier✗ /,
        'the audience mistake',
      );
      assert.match(shown, /GitRepository [^\n]*✓ ADO dev\.azure\.com\/contoso\/fleet/, 'an Azure DevOps ✓');
      assert.match(shown, /Contoso Fleet Production/, 'a subscription in My Access');
    }
    assert.ok(azure.accessView.visible && azure.readinessView.visible, 'both Flux on Azure views are visible');
  });

  it('Azure DevOps rows in the workbench (screenshot test-results/azure-devops-readiness.png)', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('workbench.view.extension.fluxAzure');
    // My access folded away: the picture is of the production cluster's Azure DevOps rows, the ✗ ones opened.
    await vscode.commands.executeCommand('workbench.actions.treeView.fluxAzure.access.collapseAll');
    const production = (await children(azure.readiness)).find(
      (c) => c.type === 'cluster' && c.label === 'clusters/production',
    )!;
    const ado = (await children(azure.readiness, production)).filter(
      (n): n is Extract<AzureNode, { type: 'integration' }> =>
        n.type === 'integration' && n.row.integration.service.abbreviation === 'ADO',
    );
    const marks = ado.map((n) => `${n.row.result?.state} ${n.row.integration.object.kind}`).sort();
    assert.deepEqual(marks, [
      'missing ImageUpdateAutomation',
      'missing Provider',
      'ok GitRepository',
      'ok GitRepository',
      'unknown GitRepository',
    ]);
    for (const n of ado.filter((x) => x.row.result?.state === 'missing'))
      await azure.readinessView.reveal(n, { expand: true, focus: false, select: false });
    await azure.readinessView.reveal(
      ado.find((n) => n.row.result?.state === 'ok')!,
      { select: true, focus: true },
    );
    const taken = await screenshot('azure-devops-readiness.png');
    recordMetric('azureDevOpsScreenshot', taken ? 1 : 0);
    assert.ok(azure.readinessView.visible, 'the Flux readiness view is visible');
  });
});
