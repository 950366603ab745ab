// A seeded generator of LSP sessions against the real server over stdio (test/lsp/fuzz.test.ts runs 500 steps,
// scripts/fuzz.mjs the long run). Each step is an editor event or a request: open, full and incremental changes
// (some with a version that is not newer, which the server must ignore), save, close, every request the server
// offers at random positions, cancelled requests, watched-file events for files written on disk (open ones too),
// workspace folders added and removed, settings changed. After every step the server must answer a ping, log no error
// and return ranges inside the documents; at the end, the diagnostics it shows must equal those of a fresh server
// started on the same folders, files, settings and open texts (no stale findings).
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { CancellationTokenSource, ErrorCodes, type ResponseError } from 'vscode-jsonrpc/node';
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import type {
  CodeAction,
  CompletionItem,
  CompletionList,
  Diagnostic,
  Hover,
  Location,
  LocationLink,
  Position,
  Range,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { LSPErrorCodes } from 'vscode-languageserver-protocol';
import {
  FederatedCredentialTextRequest,
  GrantTextRequest,
  IntegrationsRequest,
  PatchContextRequest,
  PatchEditRequest,
  RenderedObjectRequest,
  type IntegrationsResult,
  type PatchActionName,
  type PatchEditResult,
  type RenderedObjectResult,
} from '../../shared/src/protocol';
import { EXAMPLES, fileUri, LspClient, REPO } from './lspClient';

export interface FuzzOptions {
  readonly seed: number;
  readonly steps: number;
  /** Progress lines (the long run prints them). */
  readonly progress?: (line: string) => void;
  /** Also compare with a fresh server every this many steps (not only at the end). */
  readonly checkEvery?: number;
}

export interface FuzzReport {
  readonly seed: number;
  readonly steps: number;
  /** How many times each kind of step ran. */
  readonly kinds: Record<string, number>;
  /** Open documents and files on disk at the end, and how many had diagnostics compared. */
  readonly openAtEnd: number;
  readonly compared: number;
  /** How many times the diagnostics were compared with a fresh server's. */
  readonly checks: number;
  readonly ms: number;
}

/** A broken invariant, with what reproduces it. */
export class FuzzFailure extends Error {
  constructor(
    message: string,
    readonly seed: number,
    readonly step: number,
    log: readonly string[],
  ) {
    super(message);
    // Not an own enumerable property: test reporters print those, and the steps are printed by `describeFailure`.
    Object.defineProperty(this, 'log', { value: log, enumerable: false });
  }

  declare readonly log: readonly string[];
}

const CORPUS = join(REPO, '..', 'shared', 'corpus');
const FLEET = join(REPO, 'test', 'fixtures', 'fleet');
const MAX_OPEN = 10;
const MAX_TEXT = 300_000;
const PING_TIMEOUT_MS = 60_000;

/** mulberry32: a small, fast, seeded generator (the sequence of steps depends on the seed only). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** YAML fragments the mutations insert: Flux/Azure keys the rules read, broken syntax, tabs, anchors and aliases. */
const FRAGMENTS = [
  '\n',
  '\n---\n',
  ': ',
  '- ',
  '  ',
  '\t',
  '\tkey: value\n',
  '"',
  "'",
  '{',
  '}',
  '[',
  ']',
  '|\n',
  '>-\n',
  '#',
  '&anchor ',
  '*anchor',
  '<<: *anchor\n',
  'base: &base {provider: azure}\nspec:\n  <<: *base\n',
  '!!binary ',
  '!Custom ',
  '%YAML 1.2\n---\n',
  '? complex\n: key\n',
  ': : :\n',
  'key: [unclosed, \n',
  '${AZURE_CLIENT_ID}',
  '\n...\n',
  '\r\n',
  '\uFEFF',
  'provider: azure\n',
  '  provider: generic\n',
  '  serviceAccountName: acr\n',
  'serviceAccountName: podinfo-acr\n',
  'kind: OCIRepository\n',
  'kind: Kustomization\n',
  'kind: ServiceAccount\n',
  'apiVersion: source.toolkit.fluxcd.io/v1\n',
  'apiVersion: kustomize.toolkit.fluxcd.io/v1\n',
  'metadata:\n  name: x\n  namespace: apps\n',
  '    azure.workload.identity/client-id: 11111111-2222-3333-4444-555555555555\n',
  '    azure.workload.identity/client-id: not-a-guid\n',
  '  url: oci://contoso.azurecr.io/app\n',
  '  endpoint: https://acct.blob.core.windows.net\n',
  'patches:\n  - patch: |\n      - op: add\n        path: /spec/template/spec/containers/0/args/-\n        value: --feature-gates=ObjectLevelWorkloadIdentity=true\n    target:\n      kind: Deployment\n',
  'resources:\n  - ../base\n  - missing.yaml\n',
  'postBuild:\n  substituteFrom:\n    - kind: ConfigMap\n      name: cluster-vars\n',
  'components:\n  - ../../components/acr\n',
  '# flux-azure-disable-next-line\n',
];

interface OpenDoc {
  doc: TextDocument;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Runs one fuzzed session; resolves with a report, rejects with a `FuzzFailure`. */
export async function fuzzSession(options: FuzzOptions): Promise<FuzzReport> {
  const started = Date.now();
  const rnd = random(options.seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)]!;
  const chance = (p: number) => rnd() < p;

  // The workspace: three folders in a temp directory (the fixture fleet, examples/, a real repository of the
  // corpus when ../shared is there), written to and deleted from as the session goes.
  const base = mkdtempSync(join(tmpdir(), 'flux-azure-fuzz-'));
  const folders = [join(base, 'fleet'), join(base, 'examples'), join(base, 'real')];
  cpSync(FLEET, folders[0]!, { recursive: true });
  cpSync(EXAMPLES, folders[1]!, { recursive: true, filter: (src) => !src.endsWith('.md') });
  const realRepo = join(CORPUS, 'real', 'fluxcd+flux2-kustomize-helm-example');
  if (existsSync(realRepo)) cpSync(realRepo, folders[2]!, { recursive: true });
  else mkdirSync(folders[2]!, { recursive: true });
  const onDisk = new Set(folders.flatMap((f) => yamlFiles(f)));
  const pool = [...onDisk].map((p) => readFileSync(p, 'utf8'));
  const corpusDocs = join(CORPUS, 'docs');
  if (existsSync(corpusDocs))
    for (const name of readdirSync(corpusDocs)
      .sort()
      .filter((_, i) => i % 20 === 0))
      pool.push(readFileSync(join(corpusDocs, name), 'utf8'));

  const settings = { fluxVersion: '', diagnostics: { enable: true, scope: 'workspace' as 'workspace' | 'openFiles' } };
  const inWorkspace = new Set([folders[0]!, folders[1]!]);
  const open = new Map<string, OpenDoc>();
  /**
   * Every text of each document, with the step it was sent at: a request that waits (for the scan, for files read
   * from disk) may answer for any text sent since it was asked.
   */
  const texts = new Map<string, { doc: TextDocument; since: number }[]>();
  /** The step the answer being checked was asked at. */
  let askedAt = 0;
  function setText(uri: string, doc: TextDocument): void {
    open.set(uri, { doc });
    const list = texts.get(uri) ?? [];
    list.push({ doc, since: step });
    if (list.length > 64) list.shift();
    texts.set(uri, list);
  }
  const log: string[] = [];
  const kinds: Record<string, number> = {};
  let step = 0;
  let checks = 0;
  const client = new LspClient(settings);
  let kept = false;
  const fail = (message: string): never => {
    // The open documents' texts as they were, for a look at what broke.
    const texts = join(tmpdir(), `flux-azure-fuzz-failure-${options.seed}`);
    rmSync(texts, { recursive: true, force: true });
    for (const [uri, { doc }] of open) {
      const path = join(texts, rel(uri));
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, doc.getText());
    }
    mkdirSync(texts, { recursive: true });
    writeFileSync(join(texts, 'steps.txt'), `${log.join('\n')}\n`);
    const where = `(the workspace: ${base}; every step and the open documents' texts: ${texts})`;
    throw new FuzzFailure(message.includes(where) ? message : `${message}\n${where}`, options.seed, step, log);
  };

  // ---- text mutations --------------------------------------------------------------------------------------
  function mutate(text: string): string {
    const at = int(text.length + 1);
    switch (int(9)) {
      case 0:
        return text.slice(0, at) + text.slice(at + 1 + int(200));
      case 1:
      case 2:
        return text.slice(0, at) + pick(FRAGMENTS) + text.slice(at);
      case 3: {
        const lines = text.split('\n');
        const l = int(lines.length);
        lines.splice(l, 0, lines[l] ?? '');
        return lines.join('\n');
      }
      case 4: {
        const lines = text.split('\n');
        const l = int(lines.length);
        lines[l] = (chance(0.5) ? '\t' : ' '.repeat(int(6))) + (lines[l] ?? '').trimStart();
        return lines.join('\n');
      }
      case 5:
        return chance(0.1) ? `${text}\nhuge: ${'y'.repeat(20_000 + int(100_000))}\n` : text.slice(0, at);
      case 6:
        return chance(0.5) ? text.replace(/\n/g, '\r\n') : pick(pool);
      case 7:
        return `${text}\n---\n${pick(pool)}`;
      default:
        return text.slice(0, at) + String.fromCharCode(int(128)) + text.slice(at);
    }
  }
  const someText = () => {
    let text = pick(pool);
    for (let i = int(3); i > 0; i--) text = mutate(text);
    return text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text;
  };

  function positionIn(doc: TextDocument): Position {
    if (chance(0.03)) return { line: doc.lineCount + int(3), character: int(200) }; // past the end
    const line = int(doc.lineCount);
    const length = lineLength(doc, line);
    return { line, character: chance(0.03) ? length + 1 + int(10) : int(length + 1) };
  }
  const rangeIn = (doc: TextDocument): Range => {
    const a = positionIn(doc);
    const b = positionIn(doc);
    return a.line < b.line || (a.line === b.line && a.character <= b.character)
      ? { start: a, end: b }
      : { start: b, end: a };
  };

  // ---- the steps -------------------------------------------------------------------------------------------
  const folderUri = (f: string) => ({ uri: fileUri(f), name: relative(base, f) });
  const diskFiles = () => [...onDisk].sort();
  const openDocs = () => [...open.keys()].sort();
  const rel = (uri: string) => relative(base, new URL(uri).pathname);
  const notify = (method: string, params: unknown) => void client.connection.sendNotification(method, params);
  const watched = (path: string, type: 1 | 2 | 3) =>
    notify('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(path), type }] });
  const pending: Promise<void>[] = [];
  /** The first broken invariant seen in an answer (answers come after their step: checked at the next ping). */
  let failure: string | undefined;

  function openStep(): void {
    if (open.size >= MAX_OPEN) return closeStep();
    const files = diskFiles().filter((p) => !open.has(fileUri(p)));
    const fromDisk = files.length > 0 && chance(0.7);
    const path = fromDisk
      ? pick(files)
      : join(pick(folders), ...(chance(0.5) ? ['apps', 'base'] : []), `new-${step}.yaml`);
    const text = fromDisk ? readFileSync(path, 'utf8') : someText();
    const uri = fileUri(path);
    if (open.has(uri)) return;
    const version = int(5);
    setText(uri, TextDocument.create(uri, 'yaml', version, text));
    log.push(`open ${rel(uri)} v${version} (${text.length} chars${fromDisk ? ', as on disk' : ''})`);
    notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version, text } });
  }

  /** A version that is not newer than the document's (ignored by the server), else the next one. */
  function nextVersion(doc: TextDocument): { version: number; stale: boolean } {
    if (chance(0.12)) return { version: doc.version - int(3), stale: true };
    return { version: doc.version + 1 + (chance(0.1) ? int(5) : 0), stale: false };
  }

  function changeStep(incremental: boolean): void {
    if (open.size === 0) return openStep();
    const uri = pick(openDocs());
    const entry = open.get(uri)!;
    const { version, stale } = nextVersion(entry.doc);
    let changes: TextDocumentContentChangeEvent[];
    // TextDocument.update changes the document it is given: the ranges are computed on a copy.
    let scratch = TextDocument.create(uri, 'yaml', entry.doc.version, entry.doc.getText());
    if (incremental) {
      changes = [];
      for (let i = 1 + (chance(0.3) ? int(3) : 0); i > 0; i--) {
        const text = scratch.getText();
        const start = int(text.length + 1);
        const end = Math.min(text.length, start + (chance(0.5) ? int(40) : 0));
        const range = { start: scratch.positionAt(start), end: scratch.positionAt(end) };
        const change = { range, text: chance(0.8) ? pick(FRAGMENTS) : '' };
        changes.push(change);
        scratch = TextDocument.update(scratch, [change], scratch.version);
      }
    } else {
      const text = mutate(entry.doc.getText());
      changes = [{ text: text.length > MAX_TEXT ? pick(pool) : text }];
    }
    const summary = changes.map((c) =>
      'range' in c
        ? `${c.range.start.line}:${c.range.start.character}-${c.range.end.line}:${c.range.end.character} ${JSON.stringify(c.text)}`
        : `full ${c.text.length} chars`,
    );
    log.push(`change ${rel(uri)} v${version}${stale ? ' (stale: ignored)' : ''} ${summary.join(', ')}`);
    if (!stale)
      setText(uri, TextDocument.create(uri, 'yaml', version, incremental ? scratch.getText() : changes[0]!.text));
    notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
  }

  function saveStep(): void {
    if (open.size === 0) return openStep();
    const uri = pick(openDocs());
    const path = new URL(uri).pathname;
    const write = chance(0.6);
    log.push(`save ${rel(uri)}${write ? ' (written to disk)' : ''}`);
    notify('textDocument/didSave', { textDocument: { uri } });
    if (!write) return;
    mkdirSync(dirname(path), { recursive: true });
    const existed = onDisk.has(path);
    writeFileSync(path, open.get(uri)!.doc.getText());
    onDisk.add(path);
    watched(path, existed ? 2 : 1);
  }

  function closeStep(): void {
    if (open.size === 0) return openStep();
    const uri = pick(openDocs());
    open.delete(uri);
    log.push(`close ${rel(uri)}`);
    notify('textDocument/didClose', { textDocument: { uri } });
  }

  function diskStep(): void {
    const files = diskFiles();
    const kind = files.length === 0 ? 0 : int(3);
    if (kind === 0) {
      const dir = files.length && chance(0.7) ? dirname(pick(files)) : pick(folders);
      const path = join(dir, `created-${step}.yaml`);
      writeFileSync(path, someText());
      onDisk.add(path);
      log.push(`disk create ${relative(base, path)}`);
      watched(path, 1);
    } else if (kind === 1) {
      const path = pick(files);
      writeFileSync(path, mutate(readFileSync(path, 'utf8')).slice(0, MAX_TEXT));
      log.push(`disk change ${relative(base, path)}${open.has(fileUri(path)) ? ' (open)' : ''}`);
      watched(path, 2);
    } else {
      const path = pick(files);
      rmSync(path);
      onDisk.delete(path);
      log.push(`disk delete ${relative(base, path)}${open.has(fileUri(path)) ? ' (open)' : ''}`);
      watched(path, 3);
    }
  }

  function folderStep(): void {
    const folder = pick(folders);
    const removing = inWorkspace.has(folder);
    if (removing) inWorkspace.delete(folder);
    else inWorkspace.add(folder);
    log.push(`folder ${removing ? 'remove' : 'add'} ${relative(base, folder)}`);
    notify('workspace/didChangeWorkspaceFolders', {
      event: removing ? { added: [], removed: [folderUri(folder)] } : { added: [folderUri(folder)], removed: [] },
    });
  }

  function settingsStep(): void {
    switch (int(3)) {
      case 0:
        settings.fluxVersion = pick(['', '2.6', '2.7', 'v2.5', '2.7.1']);
        break;
      case 1:
        settings.diagnostics.scope = settings.diagnostics.scope === 'workspace' ? 'openFiles' : 'workspace';
        break;
      default:
        // Mostly on: with diagnostics off, there is nothing to compare.
        settings.diagnostics.enable = !settings.diagnostics.enable || chance(0.3);
    }
    log.push(`settings ${JSON.stringify(settings)}`);
    notify('workspace/didChangeConfiguration', { settings: {} });
  }

  /** A request at a random place; its answer is checked when it comes (ranges inside the open documents). */
  function requestStep(cancel: boolean): void {
    const docs = openDocs();
    const closed = diskFiles().filter((p) => !open.has(fileUri(p)));
    const useOpen = docs.length > 0 && (closed.length === 0 || chance(0.85));
    const uri = useOpen ? pick(docs) : fileUri(pick(closed.length ? closed : [join(folders[0]!, 'none.yaml')]));
    const doc = open.get(uri)?.doc ?? TextDocument.create(uri, 'yaml', 0, '');
    const position = positionIn(doc);
    const textDocument = { uri };
    const r = rnd(); // always drawn: the sequence of steps does not depend on what the server published
    const kind = int(11);
    const action: PatchActionName = pick([
      'aksWorkloadIdentity',
      'nonAksWorkloadIdentity',
      'appCertificate',
      'objectLevelWorkloadIdentity',
      'lockdown',
    ]);
    const range = rangeIn(doc);
    const published = client.diagnostics.get(uri)?.diagnostics ?? [];
    const diagnostics: Diagnostic[] = published.length ? [published[Math.floor(r * published.length)]!] : [];
    const requests: [string, unknown][] = [
      ['textDocument/hover', { textDocument, position }],
      ['textDocument/completion', { textDocument, position }],
      ['textDocument/codeAction', { textDocument, range, context: { diagnostics } }],
      ['textDocument/definition', { textDocument, position }],
      ['textDocument/references', { textDocument, position, context: { includeDeclaration: chance(0.5) } }],
      [RenderedObjectRequest.method, { uri, position }],
      [PatchContextRequest.method, { uri }],
      [PatchEditRequest.method, { uri, action, controllers: ['source-controller'], clientId: GUID, tenantId: GUID }],
      [IntegrationsRequest.method, undefined],
      [
        GrantTextRequest.method,
        { scope: `/subscriptions/${GUID}/resourceGroups/rg`, roleGuid: GUID, principalId: GUID, name: 'x' },
      ],
      [
        FederatedCredentialTextRequest.method,
        {
          identityId: `/subscriptions/${GUID}/resourceGroups/rg/providers/x/y/id`,
          name: 'fc',
          issuer: 'https://i',
          subject: 's',
        },
      ],
    ];
    const [method, params] = requests[kind]!;
    const where = useOpen ? uri : undefined;
    const source = cancel ? new CancellationTokenSource() : undefined;
    const at = step;
    log.push(`${cancel ? 'cancelled ' : ''}${method} ${rel(uri)} ${position.line}:${position.character}`);
    const args: unknown[] = params === undefined ? [] : [params];
    const sent = client.connection.sendRequest(method, ...args, ...(source ? [source.token] : []));
    if (source) setImmediate(() => source.cancel());
    pending.push(
      sent.then(
        (answer) => {
          try {
            askedAt = at;
            checkAnswer(method, where, answer as Json, at);
          } catch (err) {
            failure ??= err instanceof Error ? err.message : String(err);
          }
        },
        (err: ResponseError) => {
          if (!(cancel && err.code === LSPErrorCodes.RequestCancelled))
            failure ??= `step ${at}: ${method} answered with an error: ${err.code} ${err.message}`;
        },
      ),
    );
  }

  // ---- invariants ------------------------------------------------------------------------------------------
  function checkRange(uri: string | undefined, range: Range | undefined, what: string): void {
    const doc = uri === undefined ? undefined : open.get(uri)?.doc;
    if (!doc || !range) return;
    const list = texts.get(uri!) ?? [];
    let first = list.length - 1;
    while (first > 0 && list[first]!.since > askedAt) first--;
    if (!list.slice(first).some((t) => fits(t.doc, range))) checkRangeIn(doc, range, what);
  }
  function fits(doc: TextDocument, range: Range): boolean {
    const ok = (p: Position) =>
      p.line >= 0 && p.line < doc.lineCount && p.character >= 0 && p.character <= lineLength(doc, p.line);
    const ordered =
      range.start.line < range.end.line ||
      (range.start.line === range.end.line && range.start.character <= range.end.character);
    return ok(range.start) && ok(range.end) && ordered;
  }
  function checkRangeIn(doc: TextDocument, range: Range, what: string): void {
    if (!fits(doc, range))
      fail(
        `${what}: range ${JSON.stringify(range)} is not inside ${rel(doc.uri)} v${doc.version} (${doc.lineCount} lines; ` +
          `line ${range.start.line}: ${JSON.stringify(lineText(doc, range.start.line).slice(0, 200))})`,
      );
  }
  function checkEdit(edit: WorkspaceEdit | undefined, what: string): void {
    for (const [uri, edits] of Object.entries(edit?.changes ?? {}))
      for (const e of edits) checkRange(uri, e.range, what);
    for (const c of edit?.documentChanges ?? [])
      if ('textDocument' in c) for (const e of c.edits) checkRange(c.textDocument.uri, (e as TextEdit).range, what);
  }
  function checkAnswer(method: string, uri: string | undefined, answer: Json, at: number): void {
    const what = `step ${at}: ${method}`;
    switch (method) {
      case 'textDocument/hover':
        return checkRange(uri, (answer as unknown as Hover | null)?.range, what);
      case 'textDocument/completion': {
        const list = answer as unknown as CompletionList | CompletionItem[] | null;
        for (const item of Array.isArray(list) ? list : (list?.items ?? [])) {
          const edit = item.textEdit;
          if (edit && 'range' in edit) checkRange(uri, edit.range, `${what} ${item.label}`);
          if (edit && 'insert' in edit) {
            checkRange(uri, edit.insert, `${what} ${item.label}`);
            checkRange(uri, edit.replace, `${what} ${item.label}`);
          }
          for (const e of item.additionalTextEdits ?? []) checkRange(uri, e.range, `${what} ${item.label}`);
        }
        return;
      }
      case 'textDocument/codeAction':
        for (const a of (answer as unknown as CodeAction[] | null) ?? []) checkEdit(a.edit, `${what} ${a.title}`);
        return;
      case 'textDocument/definition':
      case 'textDocument/references': {
        const list = answer === null ? [] : Array.isArray(answer) ? answer : [answer];
        for (const l of list as unknown as (Location | LocationLink)[])
          if ('targetUri' in l) checkRange(l.targetUri, l.targetRange, what);
          else checkRange(l.uri, l.range, what);
        return;
      }
      case RenderedObjectRequest.method:
        for (const o of (answer as unknown as RenderedObjectResult).objects) {
          const text = TextDocument.create('rendered:', 'yaml', 0, o.text);
          for (const origin of o.origins) {
            checkRange(
              origin.from.uri,
              origin.from.range,
              `${what} ${o.title} origin (${origin.via} ${origin.note ?? ''})`,
            );
            checkRangeIn(text, origin.range, `${what} rendered text`);
          }
        }
        return;
      case PatchEditRequest.method:
        return checkEdit((answer as unknown as PatchEditResult).edit, what);
      case IntegrationsRequest.method:
        for (const i of (answer as unknown as IntegrationsResult).integrations)
          checkRange(i.object.location.uri, i.object.location.range, what);
        return;
    }
  }

  async function ping(): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const answered = client.connection.sendRequest('fuzz/ping').then(
      () => fail(`step ${step}: the ping was answered as if the server had such a request`),
      (err: ResponseError) => {
        if (err.code !== ErrorCodes.MethodNotFound) fail(`step ${step}: the ping failed: ${err.message}`);
      },
    );
    const timedOut = new Promise<void>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`step ${step}: no answer for ${PING_TIMEOUT_MS / 1000} s`)),
        PING_TIMEOUT_MS,
      );
    });
    try {
      await Promise.race([answered, timedOut]);
    } catch (err) {
      fail(err instanceof Error ? err.message : String(err));
    } finally {
      clearTimeout(timer);
    }
    if (client.process.exitCode !== null || client.process.signalCode !== null)
      fail(
        `step ${step}: the server exited (${client.process.exitCode ?? client.process.signalCode})\n${client.stderr}`,
      );
    if (failure) fail(failure);
    if (client.errors.length) fail(`step ${step}: the server logged an error:\n${client.errors.join('\n')}`);
    askedAt = step;
    for (const [uri, entry] of open) {
      const p = client.diagnostics.get(uri);
      if (p?.version === entry.doc.version)
        for (const d of p.diagnostics) checkRange(uri, d.range, `step ${step}: diagnostic ${String(d.code)}`);
    }
  }

  try {
    await client.initialize([...inWorkspace]);
    // Most steps come faster than the diagnostics' debounce; a pause now and then lets analyses finish mid-session.
    let pause = 0;
    const pauseStep = () => {
      pause = 10 + int(90);
      log.push(`pause ${pause} ms`);
    };
    const weights: [number, () => void, string][] = [
      [8, openStep, 'open'],
      [14, () => changeStep(false), 'change (full)'],
      [22, () => changeStep(true), 'change (incremental)'],
      [3, saveStep, 'save'],
      [6, closeStep, 'close'],
      [30, () => requestStep(false), 'request'],
      [4, () => requestStep(true), 'cancelled request'],
      [6, diskStep, 'file on disk'],
      [2, folderStep, 'folder'],
      [2, settingsStep, 'settings'],
      [3, pauseStep, 'pause'],
    ];
    const total = weights.reduce((n, [w]) => n + w, 0);
    for (step = 1; step <= options.steps; step++) {
      let roll = int(total);
      const [, run, kind] = weights.find(([w]) => (roll -= w) < 0)!;
      kinds[kind] = (kinds[kind] ?? 0) + 1;
      const logged = log.length;
      run();
      if (pause) await new Promise((resolve) => setTimeout(resolve, pause));
      pause = 0;
      log[logged] = `#${step} ${log[logged] ?? kind}`;
      await ping();
      if (options.progress && step % 1000 === 0)
        options.progress(`${step} steps, ${open.size} open, ${onDisk.size} files, ${Date.now() - started} ms`);
      if (options.checkEvery && step % options.checkEvery === 0 && step < options.steps) {
        await Promise.all(pending);
        if (failure) fail(failure);
        await compareWithFreshServer();
        checks++;
      }
    }
    step = options.steps + 1;
    await Promise.all(pending);
    if (failure) fail(failure);
    const compared = await compareWithFreshServer();
    checks++;
    return {
      seed: options.seed,
      steps: options.steps,
      kinds,
      openAtEnd: open.size,
      compared,
      checks,
      ms: Date.now() - started,
    };
  } catch (err) {
    kept = true; // the workspace stays for a look (its path is in the failure)
    throw err;
  } finally {
    await client.dispose();
    if (!kept) rmSync(base, { recursive: true, force: true });
  }

  /**
   * The end: once the server is idle, what it shows (open documents, and closed files in the workspace scope) must
   * equal what a fresh server shows for the same folders, files on disk, settings and open texts.
   */
  async function compareWithFreshServer(): Promise<number> {
    const fresh = new LspClient(structuredClone(settings));
    try {
      await fresh.initialize([...inWorkspace].sort());
      for (const [uri, { doc }] of open)
        void fresh.connection.sendNotification('textDocument/didOpen', {
          textDocument: { uri, languageId: 'yaml', version: doc.version, text: doc.getText() },
        });
      let differences: string[] = [];
      // A server still working after a quiet spell would show as a difference: wait longer and compare again.
      for (const quietMs of [500, 2000, 5000]) {
        await Promise.all([settled(client, quietMs), settled(fresh, quietMs)]);
        differences = differencesBetween(client, fresh);
        if (differences.length === 0) break;
      }
      if (differences.length)
        fail(`stale findings after step ${step} (this server vs a fresh one):\n${differences.join('\n')}`);
      if (fresh.errors.length) fail(`the fresh server logged an error:\n${fresh.errors.join('\n')}`);
      return new Set([...client.diagnostics.keys(), ...fresh.diagnostics.keys()]).size;
    } finally {
      await fresh.dispose();
    }
  }

  /** Resolves once every open document has diagnostics for its version and nothing was published for `quietMs`. */
  async function settled(c: LspClient, quietMs: number): Promise<void> {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const before = c.publishes;
      await new Promise((r) => setTimeout(r, quietMs));
      const current = [...open].every(([uri, { doc }]) => c.diagnostics.get(uri)?.version === doc.version);
      if (current && c.publishes === before) return;
      if (Date.now() > deadline) fail('the server did not settle within 120 s');
    }
  }

  function differencesBetween(a: LspClient, b: LspClient): string[] {
    const shown = (c: LspClient, uri: string) =>
      JSON.stringify(
        (c.diagnostics.get(uri)?.diagnostics ?? [])
          .map((d) => ({ code: d.code, message: d.message, range: d.range, severity: d.severity }))
          .sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y))),
      );
    const out: string[] = [];
    for (const uri of [...new Set([...a.diagnostics.keys(), ...b.diagnostics.keys()])].sort()) {
      const [left, right] = [shown(a, uri), shown(b, uri)];
      if (left !== right)
        out.push(`${rel(uri)}${open.has(uri) ? ' (open)' : ''}:\n  this:  ${left}\n  fresh: ${right}`);
    }
    return out;
  }
}

const GUID = '11111111-2222-3333-4444-555555555555';

function lineText(doc: TextDocument, line: number): string {
  const text = doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
  return text.replace(/\r?\n$|\r$/, '');
}

const lineLength = (doc: TextDocument, line: number) => lineText(doc, line).length;

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

/** What reproduces a failure: the seed, the command and the steps up to the one that broke. */
export function describeFailure(f: FuzzFailure, steps: number): string {
  const shown = f.log.length > 60 ? ['…', ...f.log.slice(-60)] : f.log;
  return [
    `fuzz failed at step ${f.step} (seed ${f.seed}): ${f.message}`,
    `reproduce: node scripts/fuzz.mjs --seed ${f.seed} --steps ${steps}`,
    'steps:',
    ...shown.map((l) => `  ${l}`),
  ].join('\n');
}
