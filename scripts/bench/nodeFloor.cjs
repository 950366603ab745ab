// The start-up floor for `npm run bench`: Node itself, answering the `initialize` request (and `shutdown`) with an
// empty result as soon as it arrives, with nothing loaded. What any Node language server costs before its own code.
'use strict';
let received = '';
process.stdin.on('data', (chunk) => {
  received += chunk;
  for (const m of received.matchAll(/"id":(\d+)/g)) {
    const body = `{"jsonrpc":"2.0","id":${m[1]},"result":${received.includes('"shutdown"') ? 'null' : '{"capabilities":{}}'}}`;
    process.stdout.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  }
  received = '';
  if (chunk.includes('"exit"')) process.exit(0);
});
