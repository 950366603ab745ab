import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  PatchCommands,
  PatchContextRequest,
  PatchEditRequest,
  type PatchActionInfo,
  type PatchActionName,
  type PatchAnswers,
  type PatchChoice,
  type PatchCommandArgs,
  type PatchContext,
  type PatchEditParams,
} from '../../shared/src/protocol';

/**
 * Commands that insert controller patches. They know no Flux or Azure fact: the server says which file to edit,
 * which actions exist, which controllers each can target (and which the workspace needs), which IDs are already in
 * use and how to validate input; the commands ask the user, send the answers back and apply the edit the server
 * computed. Every answer can be passed in the argument, which skips its prompt (code actions, tests).
 */

/** What a patch command returns (for tests and callers). */
export interface PatchCommandResult {
  applied: boolean;
  uri?: string;
  notes: string[];
  error?: string;
}

const TITLE = 'Flux for Azure';

/** The commands, one per action plus one that asks for the action. */
export function patchCommandTable(
  client: () => LanguageClient | undefined,
): Record<string, (args?: PatchCommandArgs) => Promise<PatchCommandResult | undefined>> {
  const run = (action?: PatchActionName) => (args?: PatchCommandArgs) =>
    runPatchCommand(client(), { ...(args ?? {}), ...(action && !args?.action ? { action } : {}) });
  return {
    [PatchCommands.addControllerPatch]: run(),
    [PatchCommands.aksWorkloadIdentity]: run('aksWorkloadIdentity'),
    [PatchCommands.nonAksWorkloadIdentity]: run('nonAksWorkloadIdentity'),
    [PatchCommands.appCertificate]: run('appCertificate'),
    [PatchCommands.objectLevelWorkloadIdentity]: run('objectLevelWorkloadIdentity'),
    [PatchCommands.lockdown]: run('lockdown'),
  };
}

/** Thrown when the user dismisses a prompt: the command ends quietly. */
class Cancelled extends Error {}

function answered<T>(value: T | undefined): T {
  if (value === undefined) throw new Cancelled();
  return value;
}

export async function runPatchCommand(
  client: LanguageClient | undefined,
  args: PatchCommandArgs,
): Promise<PatchCommandResult | undefined> {
  const fail = (error: string): PatchCommandResult => {
    if (!args.quiet) void vscode.window.showErrorMessage(`${TITLE}: ${error}`);
    return { applied: false, notes: [], error };
  };
  if (!client?.isRunning()) return fail('the language server is not running.');
  const uri = args.uri ?? vscode.window.activeTextEditor?.document.uri.toString();
  if (!uri) return fail('open a flux-system kustomization.yaml, a FluxInstance or a Flux object first.');
  try {
    let context = await requestContext(client, uri, args.target);
    if (!context || context.targets.length === 0)
      return fail(
        'found no flux-system kustomization.yaml, FluxInstance or gotk-components.yaml for this file. Open the one of your cluster.',
      );
    let target = args.target ?? context.target?.uri;
    if (!args.target && context.targets.length > 1) {
      const picked = answered(
        await vscode.window.showQuickPick(
          context.targets.map((t) => ({ label: t.label, description: t.mode === 'create' ? 'new file' : '', t })),
          { title: TITLE, placeHolder: 'Which Flux installation?' },
        ),
      );
      target = picked.t.uri;
      if (target !== context.target?.uri) context = (await requestContext(client, uri, target)) ?? context;
    }
    const action = await pickAction(context, args);
    const answers = await askAnswers(context, action, args);
    const params: PatchEditParams = { uri, action: action.id, ...(target ? { target } : {}), ...answers };
    const result = await client.sendRequest(PatchEditRequest, params);
    if (result.error) return fail(result.error);
    if (!result.edit) {
      if (!args.quiet)
        void vscode.window.showInformationMessage(`${TITLE}: nothing to change. ${result.notes.join(' ')}`);
      return { applied: false, notes: result.notes, ...(result.uri ? { uri: result.uri } : {}) };
    }
    const edit = await client.protocol2CodeConverter.asWorkspaceEdit(result.edit);
    const applied = !!edit && (await vscode.workspace.applyEdit(edit));
    if (!applied) return fail('VS Code refused the edit (the file changed meanwhile?). Try again.');
    if (!args.quiet && result.uri) {
      const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(result.uri));
      await vscode.window.showTextDocument(document, { preview: false });
      void vscode.window.showInformationMessage(`${TITLE}: ${action.title}: ${result.notes.join(' ')}`);
    }
    return { applied, notes: result.notes, ...(result.uri ? { uri: result.uri } : {}) };
  } catch (err) {
    if (err instanceof Cancelled) return undefined;
    return fail(err instanceof Error ? err.message : String(err));
  }
}

async function requestContext(
  client: LanguageClient,
  uri: string,
  target: string | undefined,
): Promise<PatchContext | undefined> {
  return (await client.sendRequest(PatchContextRequest, { uri, ...(target ? { target } : {}) })) ?? undefined;
}

async function pickAction(context: PatchContext, args: PatchCommandArgs): Promise<PatchActionInfo> {
  if (args.action) {
    const action = context.actions.find((a) => a.id === args.action);
    if (!action)
      throw new Error(
        `this action is not available${context.fluxVersion ? ` for Flux ${context.fluxVersion}` : ''} in ${context.target?.label ?? 'this file'}.`,
      );
    return action;
  }
  const picked = answered(
    await vscode.window.showQuickPick(
      context.actions.map((a) => ({ label: a.title, detail: a.description, a })),
      { title: `${TITLE}: add to ${context.target?.label ?? ''}`, placeHolder: 'Which controller change?' },
    ),
  );
  return picked.a;
}

async function askAnswers(
  context: PatchContext,
  action: PatchActionInfo,
  args: PatchCommandArgs,
): Promise<PatchAnswers> {
  const out: PatchAnswers = {};
  const guid = new RegExp(context.validation.guid);
  const name = new RegExp(context.validation.kubernetesName);
  const title = `${TITLE}: ${action.title}`;
  for (const input of action.inputs) {
    switch (input) {
      case 'controllers':
        out.controllers = args.controllers ?? (await pickControllers(title, action, args.preselect));
        break;
      case 'clientId':
        out.clientId =
          args.clientId ??
          (await pickGuid(title, 'client ID of the managed identity or app registration', context.clientIds, guid));
        break;
      case 'tenantId':
        out.tenantId = args.tenantId ?? (await pickGuid(title, 'tenant ID', context.tenantIds, guid));
        break;
      case 'cloud':
        out.cloud = args.cloud ?? (await pickOne(title, 'Which Azure cloud?', context.clouds)).id;
        break;
      case 'certificate':
        out.certSecretName =
          args.certSecretName ??
          answered(
            await vscode.window.showInputBox({
              title,
              prompt: 'Name of the Secret in flux-system holding the certificate and private key (key cert-and-key)',
              value: context.defaultCertSecretName,
              validateInput: (v) => (name.test(v.trim()) ? undefined : 'Not a valid Kubernetes name'),
            }),
          ).trim();
        out.withKeyPassword =
          args.withKeyPassword ??
          (await yesNo(title, 'Is the private key encrypted with a password (key key-password)?'));
        out.sendCertificateChain =
          args.sendCertificateChain ??
          (await yesNo(title, 'Send the certificate chain (subject name / issuer authentication)?'));
        break;
      case 'lockdown': {
        const given = context.lockdownFlags.filter((f) => args[f.id as keyof PatchAnswers] !== undefined);
        for (const flag of context.lockdownFlags) {
          const key = flag.id as 'serviceAccount' | 'decryptionServiceAccount' | 'kubeConfigServiceAccount';
          if (given.length > 0) {
            if (args[key] !== undefined) out[key] = args[key];
            continue;
          }
          const value = answered(
            await vscode.window.showInputBox({
              title,
              prompt: `ServiceAccount for ${flag.label} (${flag.description}) — leave empty to skip`,
              validateInput: (v) =>
                v.trim() === '' || name.test(v.trim()) ? undefined : 'Not a valid Kubernetes name',
            }),
          ).trim();
          if (value) out[key] = value;
        }
        break;
      }
    }
  }
  return out;
}

async function pickControllers(
  title: string,
  action: PatchActionInfo,
  preselect: string[] | undefined,
): Promise<string[]> {
  const items = action.controllers.map((c) => ({
    label: c.label,
    detail: c.description,
    picked: preselect ? preselect.includes(c.id) : !!c.picked,
    id: c.id,
  }));
  const picked = answered(
    await vscode.window.showQuickPick(items, { title, placeHolder: 'Which controllers?', canPickMany: true }),
  );
  if (picked.length === 0) throw new Cancelled();
  return picked.map((p) => p.id);
}

async function pickGuid(title: string, what: string, known: PatchChoice[], guid: RegExp): Promise<string> {
  const enter = async () =>
    answered(
      await vscode.window.showInputBox({
        title,
        prompt: `The ${what} (a GUID)`,
        placeHolder: '00000000-0000-0000-0000-000000000000',
        validateInput: (v) => (guid.test(v.trim()) ? undefined : 'Not a GUID (8-4-4-4-12 hexadecimal digits)'),
      }),
    ).trim();
  if (known.length === 0) return enter();
  const other = { label: '$(edit) Enter another…', description: '', id: '' };
  const picked = answered(
    await vscode.window.showQuickPick(
      [...known.map((k) => ({ label: k.label, description: k.description ?? '', id: k.id })), other],
      { title, placeHolder: `Which ${what}? (IDs already used in this workspace)` },
    ),
  );
  return picked === other ? enter() : picked.id;
}

async function pickOne(title: string, placeHolder: string, choices: PatchChoice[]): Promise<PatchChoice> {
  const sorted = [...choices].sort((a, b) => Number(!!b.picked) - Number(!!a.picked));
  const picked = answered(
    await vscode.window.showQuickPick(
      sorted.map((c) => ({ label: c.label, description: c.description ?? '', c })),
      { title, placeHolder },
    ),
  );
  return picked.c;
}

async function yesNo(title: string, placeHolder: string): Promise<boolean> {
  const picked = answered(await vscode.window.showQuickPick(['No', 'Yes'], { title, placeHolder }));
  return picked === 'Yes';
}
