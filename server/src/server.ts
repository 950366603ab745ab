import { join } from 'node:path';
import * as codeCache from './startup/codeCache';

// The entry point (server/out/server.js): loads the protocol shell (startup/shell.ts) through V8's code cache. The shell
// answers `initialize` and loads the rest of the server (session.ts) the same way. See startup/README.md.
codeCache.loadBundle(join(__dirname, 'shell.js'), { './codeCache': codeCache });
