import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

/** How the test server misbehaves for one file (or every file). */
export type ServeMode = 'ok' | 'corrupt' | 'truncated' | 'not-found' | 'drop' | 'redirect';

export interface FileServer {
  readonly baseUrl: string;
  readonly requests: string[];
  setMode(mode: ServeMode, onlyFile?: string): void;
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 serving a folder, able to corrupt, truncate, 404, drop the
 * connection mid-body, or redirect (as GitHub's raw URLs do) on demand.
 */
export async function startFileServer(dir: string): Promise<FileServer> {
  let mode: ServeMode = 'ok';
  let target: string | undefined;
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const name = path.basename(decodeURIComponent(req.url ?? ''));
    requests.push(name);
    const active = !target || target === name ? mode : 'ok';
    if (req.url?.startsWith('/moved/')) {
      serve(res, dir, name, 'ok');
      return;
    }
    serve(res, dir, name, active);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/data`,
    requests,
    setMode(m, onlyFile) {
      mode = m;
      target = onlyFile;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function serve(res: http.ServerResponse, dir: string, name: string, mode: ServeMode): void {
  let body: Buffer;
  try {
    body = readFileSync(path.join(dir, name));
  } catch {
    mode = 'not-found';
    body = Buffer.alloc(0);
  }
  switch (mode) {
    case 'not-found':
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
      return;
    case 'redirect':
      res.writeHead(302, { location: `/moved/${name}` }).end();
      return;
    case 'corrupt': {
      const copy = Buffer.from(body);
      copy[copy.length >> 1] ^= 0x5a;
      res.writeHead(200, { 'content-length': copy.length }).end(copy);
      return;
    }
    case 'truncated':
      // A clean, chunked response that simply ends early.
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(body.subarray(0, body.length >> 1));
      return;
    case 'drop':
      // Promise the whole file, send part of it, then cut the connection.
      res.writeHead(200, { 'content-length': body.length });
      res.write(body.subarray(0, body.length >> 2), () => res.socket?.destroy());
      return;
    default:
      res.writeHead(200, { 'content-length': body.length }).end(body);
  }
}
