// A language client for benchmarks: spawns a server over stdio (a fresh process per scenario), speaks LSP as VS Code
// would (configuration, progress, registrations answered), records every publishDiagnostics with its arrival time,
// and reads the server's CPU time and peak memory from /proc (Linux; elsewhere those metrics are null).
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import rpc from 'vscode-jsonrpc/node.js';

const LINUX = process.platform === 'linux';
const CLOCK_TICKS_PER_S = 100; // USER_HZ: 100 on every Linux we run on

/** Capabilities of a VS Code-like client (what servers tune their behaviour on). */
const CAPABILITIES = {
  general: { positionEncodings: ['utf-16'] },
  window: { workDoneProgress: true, showMessage: {}, showDocument: { support: false } },
  workspace: {
    configuration: true,
    workspaceFolders: true,
    applyEdit: false,
    didChangeConfiguration: { dynamicRegistration: true },
    didChangeWatchedFiles: { dynamicRegistration: true },
    workspaceEdit: { documentChanges: true },
  },
  textDocument: {
    synchronization: { dynamicRegistration: true, didSave: true },
    completion: {
      dynamicRegistration: true,
      contextSupport: true,
      completionItem: {
        snippetSupport: true,
        documentationFormat: ['markdown', 'plaintext'],
        insertReplaceSupport: true,
        labelDetailsSupport: true,
      },
    },
    hover: { dynamicRegistration: true, contentFormat: ['markdown', 'plaintext'] },
    publishDiagnostics: {
      relatedInformation: true,
      versionSupport: true,
      codeDescriptionSupport: true,
      dataSupport: true,
    },
    codeAction: { dynamicRegistration: true },
  },
};

export class BenchClient {
  /**
   * @param {{ command: string[], cwd: string, settings: object, stderr: number | 'ignore', timeoutMs: number,
   *   env?: Record<string, string> }} options (`env`: added to this process's environment)
   */
  constructor(options) {
    this.options = options;
    /** uri -> [{ t, version, count }] */
    this.published = new Map();
    this.waiters = [];
  }

  /** Spawns the server and initializes it on `rootDir`; returns spawn -> initialize response in ms. */
  async start(rootDir) {
    const [cmd, ...args] = this.options.command;
    const started = performance.now();
    this.proc = spawn(cmd, args, {
      cwd: this.options.cwd,
      stdio: ['pipe', 'pipe', this.options.stderr],
      ...(this.options.env ? { env: { ...process.env, ...this.options.env } } : {}),
    });
    this.pid = this.proc.pid;
    this.exited = new Promise((resolve) => this.proc.on('exit', (code, signal) => resolve({ code, signal })));
    this.proc.on('exit', () => (this.dead = true));
    const conn = rpc.createMessageConnection(
      new rpc.StreamMessageReader(this.proc.stdout),
      new rpc.StreamMessageWriter(this.proc.stdin),
    );
    this.conn = conn;
    const rootUri = pathToFileURL(rootDir).href;
    const folders = [{ uri: rootUri, name: basename(rootDir) }];
    conn.onRequest('workspace/configuration', (p) => (p.items ?? []).map((item) => this.configuration(item.section)));
    conn.onRequest('workspace/workspaceFolders', () => folders);
    conn.onRequest('workspace/applyEdit', () => ({ applied: false }));
    conn.onRequest(() => null); // registerCapability, workDoneProgress/create, refresh requests...
    conn.onNotification('textDocument/publishDiagnostics', (p) => this.onPublish(p));
    conn.onNotification(() => {});
    conn.onError(() => {});
    conn.onClose(() => (this.dead = true));
    conn.listen();
    await this.request('initialize', {
      processId: process.pid,
      clientInfo: { name: 'flux-azure-bench', version: '1' },
      rootUri,
      rootPath: rootDir,
      workspaceFolders: folders,
      capabilities: CAPABILITIES,
      initializationOptions: {},
    });
    const initializeMs = performance.now() - started;
    conn.sendNotification('initialized', {});
    conn.sendNotification('workspace/didChangeConfiguration', { settings: this.options.settings });
    return initializeMs;
  }

  /** Answers workspace/configuration: a literal key first (`[yaml]`), else a dotted path. */
  configuration(section) {
    const settings = this.options.settings;
    if (!section) return settings;
    if (Object.prototype.hasOwnProperty.call(settings, section)) return settings[section];
    let value = settings;
    for (const part of section.split('.')) {
      if (value && typeof value === 'object' && Object.prototype.hasOwnProperty.call(value, part)) value = value[part];
      else return null;
    }
    return value;
  }

  request(method, params) {
    if (this.dead) return Promise.reject(new Error(`server exited before ${method}`));
    let timer;
    return Promise.race([
      this.conn.sendRequest(method, params).finally(() => clearTimeout(timer)),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timeout: ${method}`)), this.options.timeoutMs);
      }),
      this.exited.then((r) => {
        clearTimeout(timer);
        throw new Error(`server exited (${JSON.stringify(r)}) during ${method}`);
      }),
    ]);
  }

  notify(method, params) {
    if (!this.dead) this.conn.sendNotification(method, params);
  }

  onPublish(p) {
    const entry = { t: performance.now(), version: p.version, count: p.diagnostics.length };
    const list = this.published.get(p.uri) ?? [];
    list.push(entry);
    this.published.set(p.uri, list);
    this.waiters = this.waiters.filter((w) => {
      if (w.uri !== p.uri || entry.t < w.after) return true;
      if (w.version !== undefined && p.version !== undefined && p.version < w.version) return true;
      w.resolve(entry);
      return false;
    });
  }

  /** The first publish for `uri` after time `after` (and for at least `version`, when the server sends versions). */
  diagnosticsAfter(uri, after, version) {
    const seen = (this.published.get(uri) ?? []).find(
      (e) => e.t >= after && (version === undefined || e.version === undefined || e.version >= version),
    );
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => {
      const waiter = { uri, after, version, resolve: (e) => (clearTimeout(timer), resolve(e)) };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(null);
      }, this.options.timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /**
   * Waits until diagnostics for `uri` have settled after `after`: a publish for `finalVersion` (servers that send
   * versions), else `quietMs` without a publish. Returns the last publish and how many there were.
   */
  async settled(uri, after, finalVersion, quietMs = 1000) {
    const deadline = performance.now() + this.options.timeoutMs;
    for (;;) {
      const list = (this.published.get(uri) ?? []).filter((e) => e.t >= after);
      const last = list[list.length - 1];
      if (last?.version !== undefined && last.version >= finalVersion) return { last, count: list.length };
      if (last && last.version === undefined && performance.now() - last.t >= quietMs)
        return { last, count: list.length };
      if (performance.now() > deadline || this.dead) return { last: null, count: list.length };
      await sleep(10);
    }
  }

  /** Waits until the server used (almost) no CPU for `windowMs`: probes then measure the server, not its backlog. */
  async idle(windowMs = 600) {
    if (!LINUX) return sleep(windowMs);
    const start = performance.now();
    const history = [[start, this.cpuMs()]];
    for (;;) {
      await sleep(50);
      const now = performance.now();
      const cpu = this.cpuMs();
      history.push([now, cpu]);
      while (history.length > 2 && now - history[1][0] >= windowMs) history.shift();
      if (now - history[0][0] >= windowMs && cpu - history[0][1] <= 20) return;
      if (now - start > this.options.timeoutMs || this.dead) return;
    }
  }

  /** User + system CPU time of the server process and its children, in ms (null off Linux). */
  cpuMs() {
    if (!LINUX) return null;
    let total = 0;
    for (const pid of [this.pid, ...descendants(this.pid)]) {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        total += ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_S;
      } catch {
        // exited meanwhile
      }
    }
    return total;
  }

  /** Peak resident memory of the server process (VmHWM), in MB (null off Linux). */
  peakRssMb() {
    if (!LINUX) return null;
    try {
      const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
      return Number(/^VmHWM:\s+(\d+)/m.exec(status)?.[1] ?? 0) / 1024;
    } catch {
      return null;
    }
  }

  /** Resident memory of the server process now (VmRSS), in MB (null off Linux). */
  rssMb() {
    if (!LINUX) return null;
    try {
      const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
      return Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0) / 1024;
    } catch {
      return null;
    }
  }

  async stop() {
    try {
      await Promise.race([this.request('shutdown', null), sleep(5000)]);
      this.notify('exit');
    } catch {
      // already gone
    }
    const exited = await Promise.race([this.exited, sleep(5000).then(() => null)]);
    if (!exited && !this.dead) {
      try {
        process.kill(this.pid, 'SIGKILL');
      } catch {
        // gone
      }
      await this.exited;
    }
    this.conn.dispose();
  }
}

function descendants(pid) {
  const out = [];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      for (const child of children ? children.split(/\s+/).map(Number) : []) out.push(child, ...descendants(child));
    }
  } catch {
    // gone
  }
  return out;
}
