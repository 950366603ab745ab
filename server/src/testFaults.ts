/**
 * Test-only fault injection, to prove that a feature that throws costs one logged error and an empty answer, never
 * the server (test/lsp/containment.test.ts). `FLUX_AZURE_TEST_THROW`, read once when the server starts, lists the
 * points that throw, comma-separated: `hover`, `completion`, `codeAction`, `definition`, `references`,
 * `renderedObject` (the rendered-object request), `render` (the rendering of a cluster for the workspace's facts),
 * `rule` (every rule) or `rule:<name>` (one rule). Unset, as the extension and the CLI always start the server,
 * nothing throws and each check is one comparison.
 */
const points = new Set(
  (process.env.FLUX_AZURE_TEST_THROW ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean),
);

/** Throws when `FLUX_AZURE_TEST_THROW` names `point` (or `point:detail`). */
export function injectedFault(point: string, detail?: string): void {
  if (points.size === 0) return;
  if (points.has(point) || (detail !== undefined && points.has(`${point}:${detail}`)))
    throw new Error(`injected fault: ${detail === undefined ? point : `${point}:${detail}`} (FLUX_AZURE_TEST_THROW)`);
}
