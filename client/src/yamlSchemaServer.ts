/**
 * `fluxAzure.yamlSchemaServer: auto`, decided on the client, where the installed extensions are known: `on` when Red
 * Hat's YAML extension is installed (its yaml-language-server describes the Flux fields from their schemas), `off`
 * otherwise. No `vscode` import, so the decision is testable on its own (test/unit/yamlSchemaServer.test.ts).
 */

/** Red Hat's YAML extension, whose server describes the Flux fields from their schemas. */
export const RED_HAT_YAML = 'redhat.vscode-yaml';

/** The `fluxAzure` settings as the server reads them: `yamlSchemaServer: auto` resolved to on or off. */
export function resolveSettings(
  value: Record<string, unknown> | null,
  installed: (extensionId: string) => boolean,
): Record<string, unknown> | null {
  if (!value || value.yamlSchemaServer !== 'auto') return value;
  return { ...value, yamlSchemaServer: installed(RED_HAT_YAML) ? 'on' : 'off' };
}
