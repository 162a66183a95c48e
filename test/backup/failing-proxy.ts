/**
 * An HTTP proxy in front of moto that answers chosen requests with an error instead: S3 failing
 * mid-upload (a 500), or KMS denying an operation (its AccessDeniedException) — moto itself does
 * not enforce key state or policies for GenerateDataKey.
 */
import { createServer, type IncomingHttpHeaders, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FailingProxy {
  url: string;
  /** Requests answered with the injected error so far. */
  failed: number;
  close(): Promise<void>;
}

export interface InjectedReply {
  status: number;
  contentType: string;
  body: string;
}

export const S3_INTERNAL_ERROR: InjectedReply = {
  status: 500,
  contentType: 'application/xml',
  body: '<?xml version="1.0"?><Error><Code>InternalError</Code><Message>injected by the test</Message></Error>',
};

export const KMS_ACCESS_DENIED: InjectedReply = {
  status: 400,
  contentType: 'application/x-amz-json-1.1',
  body: JSON.stringify({
    __type: 'AccessDeniedException',
    message: 'User is not authorized to perform: kms:GenerateDataKey (injected by the test)',
  }),
};

export async function failingProxy(
  target: string,
  inject: (method: string, url: URL, headers: IncomingHttpHeaders) => InjectedReply | undefined,
  /** Sees every forwarded answer (e.g. to learn a data key KMS handed out). */
  observe?: (headers: IncomingHttpHeaders, body: Buffer) => void,
): Promise<FailingProxy> {
  const upstream = new URL(target);
  const proxy: FailingProxy = { url: '', failed: 0, close: async () => {} };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', upstream);
    const reply = inject(req.method ?? 'GET', url, req.headers);
    if (reply) {
      proxy.failed += 1;
      req.resume();
      req.on('end', () => {
        res.writeHead(reply.status, { 'content-type': reply.contentType });
        res.end(reply.body);
      });
      return;
    }
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () => observe?.(req.headers, Buffer.concat(chunks)));
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}
