#!/usr/bin/env node
// Tiny dependency-free static server for the cognito-wasm demo page.
//
//   node www/serve.mjs --port 8080 [--root www] [--pkg pkg]
//
// Serves the demo (`--root`, default: this file's directory) at `/` and the
// built npm package directory (`--pkg`, default: `<repo>/pkg`) at `/pkg/`, and
// the few browser files the page borrows from npm packages (`--vendor`, default:
// `<repo>/tests/node_modules`, installed by `npm ci --prefix tests`) at `/vendor/`:
// only those listed in VENDOR below. Listens on 127.0.0.1 only.

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

function parseArgs(argv) {
  const opts = {
    port: 8080,
    root: here,
    pkg: path.join(here, '..', 'pkg'),
    vendor: path.join(here, '..', 'tests', 'node_modules'),
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.includes('=') ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) die(`missing value for ${flag}`);
      return v;
    };
    switch (flag) {
      case '--port': case '-p': opts.port = Number(value()); break;
      case '--root': opts.root = path.resolve(value()); break;
      case '--pkg': opts.pkg = path.resolve(value()); break;
      case '--vendor': opts.vendor = path.resolve(value()); break;
      case '--help': case '-h':
        process.stdout.write('usage: node www/serve.mjs [--port 8080] [--root www] [--pkg pkg] [--vendor tests/node_modules]\n');
        process.exit(0);
        break;
      default: die(`unknown argument: ${arg}`);
    }
  }
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) die(`bad --port: ${opts.port}`);
  return opts;
}

function die(msg) {
  process.stderr.write(`serve.mjs: ${msg}\n`);
  process.exit(2);
}

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
};

// /vendor/<name> → a file inside an npm package under --vendor.
const VENDOR = {
  'qrcode-generator.mjs': 'qrcode-generator/dist/qrcode.mjs', // QR codes for TOTP set-up (MIT)
};

const opts = parseArgs(process.argv.slice(2));

function send(res, status, body, headers = {}) {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

// Map a URL path onto a file under `base`; null if it tries to escape.
function resolveUnder(base, rel) {
  const segments = rel.split('/');
  if (segments.some((s) => s === '..' || s.includes('\\') || s.includes('\0'))) return null;
  const full = path.resolve(base, '.' + path.posix.sep + segments.join('/'));
  const baseResolved = path.resolve(base);
  if (full !== baseResolved && !full.startsWith(baseResolved + path.sep)) return null;
  return full;
}

const server = http.createServer((req, res) => {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return send(res, 405, 'method not allowed\n', { allow: 'GET, HEAD' });
  }
  let pathname;
  try {
    const raw = (req.url || '/').split('?')[0].split('#')[0];
    // Reject `..` whether written literally or percent-encoded.
    if (raw.split('/').includes('..')) return send(res, 400, 'bad path\n');
    pathname = decodeURIComponent(raw);
  } catch {
    return send(res, 400, 'bad path\n');
  }
  if (!pathname.startsWith('/')) return send(res, 400, 'bad path\n');

  let base = opts.root;
  let rel = pathname.slice(1);
  if (pathname.startsWith('/vendor/')) {
    const name = pathname.slice('/vendor/'.length);
    if (!Object.hasOwn(VENDOR, name)) return send(res, 404, `not found: ${pathname}\n`);
    const target = VENDOR[name];
    base = opts.vendor;
    rel = target;
  } else if (pathname === '/pkg' || pathname.startsWith('/pkg/')) {
    base = opts.pkg;
    rel = pathname.slice('/pkg'.length).replace(/^\//, '');
  }
  let file = resolveUnder(base, rel);
  if (file === null) return send(res, 400, 'bad path\n');

  fs.stat(file, (err, st) => {
    if (!err && st.isDirectory()) {
      if (!pathname.endsWith('/')) {
        return send(res, 301, 'moved\n', { location: pathname + '/' });
      }
      file = path.join(file, 'index.html');
      return fs.stat(file, (err2, st2) => serveFile(err2, st2));
    }
    serveFile(err, st);
  });

  function serveFile(err, st) {
    if (err || !st.isFile()) return send(res, 404, `not found: ${pathname}\n`);
    const type = MIME[path.extname(file).toLowerCase()] || 'application/octet-stream';
    res.writeHead(200, {
      'content-type': type,
      'content-length': st.size,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    if (req.method === 'HEAD') return res.end();
    const stream = fs.createReadStream(file);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  }
});

server.on('error', (e) => die(e.message));
server.listen(opts.port, '127.0.0.1', () => {
  const { port } = server.address();
  // Written synchronously so a parent process reading our stdout sees it at once.
  fs.writeSync(1, `serving www on http://127.0.0.1:${port}/\n`);
});

function shutdown(signal) {
  server.close(() => process.exit(0));
  server.closeAllConnections?.();
  setTimeout(() => process.exit(0), 1000).unref();
  void signal;
}
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
