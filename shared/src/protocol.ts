/**
 * Names shared by the client and the language server. Everything that crosses the wire between the two
 * sides (custom requests, command ids, setting keys) is declared here once.
 */

/** The extension's name as shown in diagnostics (`source`) and logs. */
export const EXTENSION_SOURCE = 'flux-azure';

/** Setting keys under the `fluxAzure` section. */
export const SETTINGS_SECTION = 'fluxAzure';

/** Settings the server reads (`workspace/configuration` for section `fluxAzure`). */
export interface ServerSettings {
  /** Flux version override such as `2.7`; empty means detect from the workspace. */
  fluxVersion: string;
  diagnostics: { enable: boolean };
}

export const DEFAULT_SETTINGS: ServerSettings = {
  fluxVersion: '',
  diagnostics: { enable: true },
};

/** Client commands (contributed in package.json). */
export const Commands = {
  showServerLog: 'fluxAzure.showServerLog',
  restartServer: 'fluxAzure.restartServer',
} as const;
