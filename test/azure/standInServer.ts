/**
 * The stand-in's TLS and HTTP plumbing: a throw-away CA, the server certificate it signs and the operator's client
 * certificate (made with the openssl CLI), and `Exchange`, one request with the ways the stand-in answers it.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { LEAK_MARKER } from './world';

export interface Certificates {
  key: string;
  cert: string;
  ca: string;
  caFile: string;
  clientCert: string;
  clientCertificateFile: string;
  clientKeyLines: string[];
}

export function makeCertificates(dir: string): Certificates {
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run([
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=Flux for Azure test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  run(['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1']);
  writeFileSync(
    join(dir, 'server.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature\n',
  );
  run([
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.pem',
    '-days',
    '2',
    '-extfile',
    'server.ext',
  ]);
  // The operator's client certificate: a PEM file as `openssl pkcs12 -nodes` writes it (bag attributes, key, cert).
  run([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'client.key',
    '-out',
    'client.crt',
    '-days',
    '2',
    '-subj',
    '/CN=fleet-operator',
  ]);
  const clientKey = readFileSync(join(dir, 'client.key'), 'utf8');
  const clientCert = readFileSync(join(dir, 'client.crt'), 'utf8');
  const clientCertificateFile = join(dir, 'client.pem');
  writeFileSync(
    clientCertificateFile,
    [
      'Bag Attributes',
      `    friendlyName: fleet-operator ${LEAK_MARKER}cert`,
      'Key Attributes: <No Attributes>',
      clientKey.trim(),
      'Bag Attributes',
      `    friendlyName: fleet-operator ${LEAK_MARKER}cert`,
      'subject=CN = fleet-operator',
      'issuer=CN = fleet-operator',
      clientCert.trim(),
      '',
    ].join('\n'),
  );
  return {
    key: readFileSync(join(dir, 'server.key'), 'utf8'),
    cert: readFileSync(join(dir, 'server.pem'), 'utf8'),
    ca: readFileSync(join(dir, 'ca.pem'), 'utf8'),
    caFile: join(dir, 'ca.pem'),
    clientCert,
    clientCertificateFile,
    clientKeyLines: clientKey.split('\n').filter((l) => /^[A-Za-z0-9+/=]{40,}$/.test(l)),
  };
}

/** The claims of a bearer token the stand-in issued that ARM reads. */
export interface Claims {
  jti?: string;
  tid: string;
  oid: string;
  aud: string;
  exp: number;
}

/** One request and its answer. Each answering method returns the status it sent. */
export class Exchange {
  readonly url: URL;
  readonly path: string;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    /** `https://127.0.0.1:<port>`, for the links the stand-in answers with. */
    readonly base: string,
    private readonly requestId: () => string,
  ) {
    this.url = new URL(req.url ?? '/', 'https://stand-in');
    this.path = this.url.pathname;
  }

  /** The claims of the request's bearer token; undefined without one (or with one that is not a JWT). */
  claims(): Claims | undefined {
    const bearer = /^Bearer (.+)$/.exec(this.req.headers.authorization ?? '')?.[1];
    try {
      return bearer
        ? (JSON.parse(Buffer.from(bearer.split('.')[1]!, 'base64url').toString('utf8')) as Claims)
        : undefined;
    } catch {
      return undefined;
    }
  }

  json(status: number, body: unknown, headers: Record<string, string> = {}): number {
    this.res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'x-ms-request-id': this.requestId(),
      ...headers,
    });
    this.res.end(JSON.stringify(body));
    return status;
  }

  /** An ARM error: `{ error: { code, message } }`. */
  armError(status: number, code: string, message: string, headers?: Record<string, string>): number {
    return this.json(status, { error: { code, message } }, headers);
  }

  body(): Promise<string> {
    return new Promise<string>((resolve) => {
      let data = '';
      this.req.on('data', (c) => (data += c));
      this.req.on('end', () => resolve(data));
    });
  }
}
