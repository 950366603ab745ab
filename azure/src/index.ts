/**
 * Entry of the lazily loaded Azure chunk (client/out/azure.js): everything that pulls in the Azure SDK. The
 * extension's main bundle loads it on first use of the Azure view (see `views/azureChunk.ts`), so activation
 * does not pay for it.
 */
export { createSession, AzureSession, type SessionOptions } from './session';
export { describeError } from './errors';
