// Fixture server for the browser tests and the demo.
//
// One plain http server on 127.0.0.1 serves every fixture page under its real-looking URL.
// Chromium is started with --host-resolver-rules that map each fixture host to this server,
// so the browser requests e.g. http://www.cbc.ca/news/... and we route on Host + path.
//
// HTTPS: some fixture hosts are on Chromium's HSTS preload list (www.bbc.com), so the browser
// upgrades http://www.bbc.com/... to https before sending anything. The same port therefore also
// speaks TLS (sniffed from the first byte) with a throwaway self-signed certificate made by the
// openssl CLI; the browser is launched with ignoreHTTPSErrors. Without openssl: plain http only.
//
// The route table is built from tests/fixtures/pages/*.json:
//   "url":    the page URL  -> <name>.html (the JSON's sibling)
//   "routes": optional { "<url>": "<file in pages/>" } for extra documents (e.g. an iframe)
// Tests can also serve pages they generate: server.addPage(url, body) (or the `pages` option).
// Their hosts must be passed to launchWithExtension({ hosts }) to reach the server.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = resolve(here, '../../..');
export const FIXTURE_DIR = join(REPO_ROOT, 'tests/fixtures/pages');

/**
 * Every fixture page that has a JSON description.
 * @returns {{ name: string, jsonPath: string, htmlPath: string, spec: any }[]}
 */
export function loadFixtures(dir = FIXTURE_DIR) {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const jsonPath = join(dir, f);
      const name = basename(f, '.json');
      let spec;
      try {
        spec = JSON.parse(readFileSync(jsonPath, 'utf8'));
      } catch (err) {
        throw new Error(`fixture ${f}: invalid JSON: ${err.message}`);
      }
      if (typeof spec.url !== 'string') throw new Error(`fixture ${f}: missing "url"`);
      return { name, jsonPath, htmlPath: join(dir, `${name}.html`), spec };
    });
}

function routeKey(host, pathname) {
  return `${host.toLowerCase()}${pathname}`;
}

/**
 * Route table: "host/path" -> absolute file path.
 * @returns {Map<string, string>}
 */
export function buildRoutes(dir = FIXTURE_DIR) {
  const routes = new Map();
  const add = (url, file) => {
    const u = new URL(url);
    const key = routeKey(u.hostname, u.pathname);
    const prev = routes.get(key);
    if (prev && prev !== file) throw new Error(`two fixtures claim ${url}: ${prev} and ${file}`);
    routes.set(key, file);
  };
  for (const fx of loadFixtures(dir)) {
    add(fx.spec.url, fx.htmlPath);
    for (const [url, file] of Object.entries(fx.spec.routes ?? {})) add(url, join(dir, file));
  }
  return routes;
}

/** All host names the fixtures use (for --host-resolver-rules). */
export function fixtureHosts(dir = FIXTURE_DIR) {
  const hosts = new Set();
  for (const key of buildRoutes(dir).keys()) hosts.add(key.slice(0, key.indexOf('/')));
  return [...hosts].sort();
}

/** A throwaway self-signed certificate for the given hosts, or null if openssl is unavailable. */
function makeCertificate(hosts) {
  const dir = mkdtempSync(join(tmpdir(), 'attrib-lens-cert-'));
  try {
    const san = ['DNS:localhost', 'IP:127.0.0.1', ...hosts.map((h) => `DNS:${h}`)].join(',');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=attribution-lens-fixtures',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-addext',
        `subjectAltName=${san}`,
      ],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
  } catch {
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Start the fixture server.
 * @param {{ port?: number, dir?: string, log?: boolean, pages?: Record<string, string|Buffer> }} [opts]
 *   pages: generated documents, URL -> HTML (more can be added later with addPage)
 * @returns {Promise<{ port: number, hosts: string[], routes: Map<string,string>,
 *   addPage(url: string, body: string|Buffer, contentType?: string): void, close(): Promise<void> }>}
 */
export async function startFixtureServer({ port = 0, dir = FIXTURE_DIR, log = false, pages = {} } = {}) {
  const routes = buildRoutes(dir);
  /** Generated documents: "host/path" -> { body, type } */
  const generated = new Map();
  const addPage = (url, body, contentType = 'text/html; charset=utf-8') => {
    const u = new URL(url);
    generated.set(routeKey(u.hostname, u.pathname), {
      body: Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'),
      type: contentType,
    });
  };
  for (const [url, body] of Object.entries(pages)) addPage(url, body);
  const hosts = [...new Set([...routes.keys()].map((k) => k.slice(0, k.indexOf('/'))))].sort();
  const handler = (req, res) => {
    const host = String(req.headers.host ?? '').replace(/:\d+$/, '');
    let pathname;
    try {
      pathname = new URL(req.url ?? '/', 'http://x').pathname;
    } catch {
      pathname = '/';
    }
    const page = generated.get(routeKey(host, pathname));
    if (page && (req.method === 'GET' || req.method === 'HEAD')) {
      if (log) console.log(`[fixture-server] ${req.method} ${host}${pathname} -> generated`);
      res.writeHead(200, {
        'Content-Type': page.type,
        'Content-Length': page.body.length,
        'Cache-Control': 'no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : page.body);
      return;
    }
    const file = routes.get(routeKey(host, pathname));
    if (log) console.log(`[fixture-server] ${req.method} ${host}${pathname} -> ${file ?? 404}`);
    if (file && (req.method === 'GET' || req.method === 'HEAD')) {
      let body;
      try {
        body = readFileSync(file); // re-read per request so edits show up on reload
      } catch (err) {
        res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end(`cannot read ${file}: ${err.message}`);
        return;
      }
      res.writeHead(200, {
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Length': body.length,
        'Cache-Control': 'no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    if (pathname === '/favicon.ico') {
      // Browsers ask every host for this; answer "nothing" so it never shows up as a load error.
      res.writeHead(204, { 'Cache-Control': 'max-age=3600' });
      res.end();
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>404</title><p>No fixture here.</p>');
  };
  const httpServer = http.createServer(handler);
  httpServer.keepAliveTimeout = 1000;
  const tls = makeCertificate(hosts);
  const httpsServer = tls ? https.createServer(tls, handler) : null;
  if (httpsServer) httpsServer.keepAliveTimeout = 1000;
  const sockets = new Set();
  // One TCP port for both: a TLS ClientHello starts with byte 0x16.
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.once('data', (first) => {
      socket.pause();
      socket.unshift(first);
      const target = first[0] === 0x16 && httpsServer ? httpsServer : httpServer;
      target.emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', ok);
  });
  const actual = /** @type {import('node:net').AddressInfo} */ (server.address()).port;
  return {
    port: actual,
    hosts,
    routes,
    addPage,
    https: Boolean(httpsServer),
    close: () =>
      new Promise((ok) => {
        for (const s of sockets) s.destroy();
        server.close(() => ok());
      }),
  };
}
