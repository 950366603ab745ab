import type * as ChildProcess from 'node:child_process';

/**
 * Stands in for `child_process` in the shell bundle (see scripts/build.mjs): vscode-languageserver requires it at load
 * for helpers that locate global npm/yarn modules, which this server never calls. Loading it costs 1–3 ms of start-up.
 */
function load(): typeof ChildProcess {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
  return require('node:child_process') as typeof ChildProcess;
}

export const fork: typeof ChildProcess.fork = ((...args: Parameters<typeof ChildProcess.fork>) =>
  load().fork(...args)) as typeof ChildProcess.fork;
export const spawnSync: typeof ChildProcess.spawnSync = ((...args: Parameters<typeof ChildProcess.spawnSync>) =>
  load().spawnSync(...(args as [string]))) as typeof ChildProcess.spawnSync;
