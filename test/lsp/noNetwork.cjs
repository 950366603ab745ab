// Preloaded into the language server by the secrets test: any attempt to open a network socket is recorded on
// stderr with a marker the test looks for (the server must never make network calls).
const net = require('node:net');
const dgram = require('node:dgram');
const report = (what) => process.stderr.write(`NETWORK-ATTEMPT ${what}\n`);
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const target = args[0];
  const isPipe = typeof target === 'string' || (target && typeof target === 'object' && 'path' in target);
  if (!isPipe) report(`tcp ${JSON.stringify(target)}`);
  return connect.apply(this, args);
};
const createSocket = dgram.createSocket;
dgram.createSocket = function (...args) {
  report('udp');
  return createSocket.apply(this, args);
};
const dns = require('node:dns');
const lookup = dns.lookup;
dns.lookup = function (...args) {
  report(`dns ${args[0]}`);
  return lookup.apply(this, args);
};
