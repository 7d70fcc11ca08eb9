import http from 'node:http';
import os from 'node:os';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { decodeEnvelope } from '../../../src-shared/ipc-envelope';
import { describeWithData } from '../../support/shared-data';
import { startHarness, type Harness } from './loopback-harness';

let harness: Harness;

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A request with the path sent exactly as written (fetch would normalise `..`). */
function rawRequest(options: {
  path: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  host?: string;
}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: options.host ?? '127.0.0.1',
        port: harness.server.port,
        path: options.path,
        method: options.method ?? 'GET',
        headers: options.headers,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks),
          }),
        );
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

const withToken = () => ({ 'x-cellvit-token': harness.server.token });

function errorCode(response: RawResponse): string | undefined {
  return (decodeEnvelope(response.body) as { error?: { code: string } }).error?.code;
}

describeWithData('the loopback server', () => {
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => harness?.close());

  it('binds to 127.0.0.1 only', () => {
    expect(harness.server.url.startsWith('http://127.0.0.1:')).toBe(true);
  });

  it('cannot be reached on any non-loopback address of this machine', async () => {
    const external = Object.values(os.networkInterfaces())
      .flat()
      .filter((info) => info && info.family === 'IPv4' && !info.internal)
      .map((info) => info?.address ?? '');
    for (const address of external) {
      await expect(rawRequest({ host: address, path: '/' })).rejects.toMatchObject({
        code: 'ECONNREFUSED',
      });
    }
  });

  it('refuses an IPC call without the token', async () => {
    const response = await rawRequest({ path: '/ipc/app:info', method: 'POST' });
    expect(response.status).toBe(401);
    expect(errorCode(response)).toBe('FORBIDDEN_SENDER');
  });

  it('refuses an IPC call with a wrong token', async () => {
    const wrong = harness.server.token.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
    const response = await rawRequest({
      path: '/ipc/app:info',
      method: 'POST',
      headers: { 'x-cellvit-token': wrong },
    });
    expect(response.status).toBe(401);
  });

  it('refuses the page itself without the token', async () => {
    const response = await rawRequest({ path: '/' });
    expect(response.status).toBe(401);
  });

  it('refuses a Host header that does not name this server (DNS rebinding)', async () => {
    const response = await rawRequest({
      path: '/ipc/app:info',
      method: 'POST',
      headers: { ...withToken(), host: 'attacker.example:80' },
    });
    expect(response.status).toBe(421);
  });

  it('refuses a call sent by a page of another origin', async () => {
    const response = await rawRequest({
      path: '/ipc/app:info',
      method: 'POST',
      headers: { ...withToken(), origin: 'http://attacker.example' },
    });
    expect(response.status).toBe(403);
  });

  it('answers an authenticated call with a result envelope', async () => {
    const response = await rawRequest({
      path: '/ipc/app:info',
      method: 'POST',
      headers: withToken(),
    });
    expect(response.status).toBe(200);
    expect(decodeEnvelope(response.body)).toMatchObject({
      ok: true,
      value: { transport: 'loopback' },
    });
  });

  it('serves the page with the CSP header and a token cookie for its assets', async () => {
    const response = await rawRequest({ path: `/?token=${harness.server.token}` });
    expect(response.status).toBe(200);
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['content-security-policy']).not.toContain('unsafe-eval');
    expect(String(response.headers['set-cookie'])).toContain('HttpOnly; SameSite=Strict');
  });

  for (const escaping of [
    '/tiles/../../../etc/passwd',
    '/tiles/%2e%2e/%2e%2e/etc/passwd',
    '/tiles/1/..%2f..%2fetc/passwd',
    '/tiles//etc/passwd',
  ]) {
    it(`refuses the tile path ${escaping}`, async () => {
      const response = await rawRequest({
        path: `${escaping}?token=${harness.server.token}`,
      });
      expect(response.status).toBe(403);
      expect(response.body.toString('latin1')).not.toContain('root:');
    });
  }

  for (const escaping of [
    '/../../etc/passwd',
    '/%2e%2e/%2e%2e/etc/passwd',
    '/..%2f..%2fetc%2fpasswd',
  ]) {
    it(`refuses the asset path ${escaping}`, async () => {
      const response = await rawRequest({ path: escaping, headers: withToken() });
      expect(response.status).toBe(403);
    });
  }

  it('refuses a request body over the size limit', async () => {
    const response = await rawRequest({
      path: '/ipc/log:write',
      method: 'POST',
      headers: withToken(),
      body: 'x'.repeat(2 * 1024 * 1024),
    });
    expect(errorCode(response)).toBe('INVALID_PAYLOAD');
  });
});
