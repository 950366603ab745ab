import type { ServerSettings } from '../../../shared/src/protocol';
import type { WorkspaceIndex } from '../workspace/workspaceIndex';

/** What features read besides the document: the workspace index and the user's settings. */
export interface FeatureContext {
  readonly index: WorkspaceIndex;
  readonly settings: ServerSettings;
}
