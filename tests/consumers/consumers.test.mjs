// The built package (pkg/, from `make pkg`) in real consumer apps: `npm pack` it, install the tarball into a fresh
// copy of each app under tests/out/consumers/, build the app with its tool, and run sign-up → confirm → sign-in →
// getSession → sign-out against the emulator at COGNITO_ENDPOINT (tests/tools/run-tests.sh starts one).
//
// The apps' tools (vite, webpack, esbuild, typescript) are the dev dependencies in tests/node_modules, used through
// their Node APIs: each app's node_modules then holds only the tarball, installed offline in about a second.
// Browser pages are served with `Content-Security-Policy: script-src 'self' 'wasm-unsafe-eval'` (the Vite dev
// server aside) and each page checks that the policy is in force.
//
//   COGNITO_ENDPOINT=http://127.0.0.1:9229/ node --test tests/consumers/

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile as execFileCb, spawn } from 'node:child_process';
import { cp, mkdir, readFile, readdir, rm, stat, copyFile } from 'node:fs/promises';
import { createReadStream, readdirSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';

const execFile = promisify(execFileCb);
const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.join(here, '..', '..');
const pkgDir = path.join(repo, 'pkg');
const out = path.join(repo, 'tests', 'out', 'consumers');
const bin = (name) => path.join(repo, 'tests', 'node_modules', '.bin', name);

const ENDPOINT = process.env.COGNITO_ENDPOINT;
if (!ENDPOINT) throw new Error('COGNITO_ENDPOINT must name a running cognito-emulator (make test sets it)');
const CSP = "script-src 'self' 'wasm-unsafe-eval'";
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const FIREFOX = process.env.FIREFOX || '/usr/bin/firefox';

const APPS = ['vite-app', 'webpack-app', 'esbuild-app', 'no-bundler', 'worker', 'node', 'typescript'];
const appDir = (name) => path.join(out, name);

let tarball;
let browser;
const servers = [];

async function run(cmd, args, opts = {}) {
  try {
    return await execFile(cmd, args, { maxBuffer: 16 << 20, ...opts });
  } catch (e) {
    throw new Error(`${cmd} ${args.join(' ')} failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

/** A fresh copy of the app with the scenario, and the tarball installed as its only dependency. */
async function prepare(name) {
  const dir = appDir(name);
  await cp(path.join(here, name), dir, { recursive: true });
  await copyFile(path.join(here, 'flow.js'), path.join(dir, 'flow.js'));
  // --prefix: never the enclosing tests/package.json, whatever the copy holds.
  await run('npm', ['install', '--prefix', dir, '--offline', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error', tarball], { cwd: dir });
}

// ---- a static server with the CSP header ----

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};

async function serve(root) {
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    let file = path.join(root, decodeURIComponent(url.pathname));
    if (!file.startsWith(root)) return res.writeHead(403).end();
    try {
      if ((await stat(file)).isDirectory()) file = path.join(file, 'index.html');
      await stat(file);
    } catch {
      return res.writeHead(404).end('not found');
    }
    res.writeHead(200, {
      'content-type': MIME[path.extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CSP,
      'cache-control': 'no-store',
    });
    createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return `http://127.0.0.1:${server.address().port}/`;
}

// ---- browsers ----

function pageUrl(base) {
  return `${base}?endpoint=${encodeURIComponent(ENDPOINT)}`;
}

/** Opens the app in a fresh Chromium context; returns its result and the .wasm requests it made. */
async function inChromium(base, t) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const wasmRequests = [];
  const problems = [];
  page.on('request', (r) => r.url().endsWith('.wasm') && wasmRequests.push(r.url()));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    // The CSP check's refused `new Function` is expected; anything else is reported.
    if (m.type() === 'error' && !/unsafe-eval|EvalError|Content Security Policy/i.test(m.text())) problems.push(m.text());
  });
  try {
    await page.goto(pageUrl(base));
    await page.waitForFunction(() => document.body.dataset.status, null, { timeout: 60_000 });
    const result = JSON.parse(await page.textContent('#result'));
    for (const p of problems) t.diagnostic(`console: ${p}`);
    return { result, wasmRequests };
  } finally {
    await context.close();
  }
}

function assertPassed(result, { csp = true } = {}) {
  assert.equal(result.ok, true, result.error ? `${result.error}\n${result.stack}` : JSON.stringify(result));
  assert.deepEqual(result.steps, ['signUp', 'confirmSignUp', 'signIn', 'getSession', 'isCognitoError', 'signOut']);
  if (csp) assert.equal(result.evalBlocked, true, 'the page ran under the CSP');
}

/** Firefox through geckodriver: a few W3C WebDriver calls with fetch. */
async function firefox() {
  const port = await freePort();
  const driver = spawn('geckodriver', ['--host', '127.0.0.1', '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  driver.stdout.on('data', (d) => (log += d));
  driver.stderr.on('data', (d) => (log += d));
  const base = `http://127.0.0.1:${port}`;
  async function call(method, route, body) {
    const res = await fetch(base + route, { method, headers: { 'content-type': 'application/json' }, body: body && JSON.stringify(body) });
    const json = await res.json();
    if (!res.ok) throw new Error(`WebDriver ${method} ${route}: ${JSON.stringify(json.value)}`);
    return json.value;
  }
  for (let i = 0; ; i++) {
    try {
      if ((await call('GET', '/status')).ready) break;
    } catch (e) {
      if (i > 100) throw new Error(`geckodriver did not start: ${e.message}\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const { sessionId } = await call('POST', '/session', {
    capabilities: { alwaysMatch: { browserName: 'firefox', 'moz:firefoxOptions': { binary: FIREFOX, args: ['-headless'] } } },
  });
  const s = `/session/${sessionId}`;
  return {
    async open(base) {
      await call('POST', `${s}/url`, { url: pageUrl(base) });
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        const status = await call('POST', `${s}/execute/sync`, { script: 'return document.body && document.body.dataset.status', args: [] });
        if (status) {
          return JSON.parse(await call('POST', `${s}/execute/sync`, { script: 'return document.getElementById("result").textContent', args: [] }));
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('the page did not finish within 60 s in Firefox');
    },
    async close() {
      await call('DELETE', s).catch(() => {});
      driver.kill();
    },
  };
}

// ---- the apps' builds ----

// The apps' own tools, as their CLIs (in child processes: Vite picks its export conditions from NODE_ENV).
async function viteBuild(name) {
  const dir = appDir(name);
  await run(bin('vite'), ['build', '--logLevel', 'warn'], { cwd: dir });
  return path.join(dir, 'dist');
}

async function freePort() {
  return new Promise((resolve) => {
    const s = http.createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

/** `vite` (the dev server) in the app's folder, until `stop()`. */
async function viteDev(name) {
  const port = await freePort();
  const child = spawn(bin('vite'), ['--host', '127.0.0.1', '--port', String(port), '--strictPort'], { cwd: appDir(name), stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const url = `http://127.0.0.1:${port}/`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`vite exited:\n${log}`);
    if (await fetch(url).then((r) => r.ok, () => false)) break;
    if (i > 300) throw new Error(`vite did not answer within 30 s:\n${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, stop: () => new Promise((resolve) => { child.once('exit', resolve); child.kill(); }) };
}

async function filesUnder(dir) {
  return (await readdir(dir, { recursive: true })).sort();
}

// ---- the tests ----

describe('consumer apps of the packed package', { timeout: 280_000 }, () => {
  before(async () => {
    await rm(out, { recursive: true, force: true });
    await mkdir(out, { recursive: true });
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', out], { cwd: pkgDir });
    tarball = path.join(out, JSON.parse(stdout)[0].filename);
    await Promise.all(APPS.map(prepare));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
        '--no-first-run', '--disable-quic', '--disable-sync'],
    });
  });

  after(async () => {
    await browser?.close();
    for (const s of servers) s.close();
  });

  it('npm publish --dry-run passes and lists exactly the intended files', async (t) => {
    const { stdout } = await run('npm', ['publish', '--dry-run', '--json', '--loglevel=error'], { cwd: pkgDir });
    const report = JSON.parse(stdout);
    const entry = report['cognito-wasm'] ?? report;
    const manifest = JSON.parse(await readFile(path.join(pkgDir, 'package.json'), 'utf8'));
    // A directory in `files` (snippets/, the JS the wasm imports) stands for every file under it.
    const intended = manifest.files.flatMap((f) =>
      f.endsWith('/') ? readdirSync(path.join(pkgDir, f), { recursive: true, withFileTypes: true })
        .filter((d) => d.isFile()).map((d) => path.relative(pkgDir, path.join(d.parentPath ?? d.path, d.name))) : [f]);
    assert.deepEqual(entry.files.map((f) => f.path).sort(), [...intended, 'package.json'].sort());
    for (const f of entry.files) t.diagnostic(`${f.path}: ${f.size} bytes`);
    t.diagnostic(`tarball: ${entry.size} bytes, unpacked ${entry.unpackedSize} bytes`);
  });

  it('Node 20 ESM: import', async () => {
    const { stdout } = await run(process.execPath, ['main.mjs'], { cwd: appDir('node'), env: { ...process.env, COGNITO_ENDPOINT: ENDPOINT } });
    assertPassed({ ok: true, ...JSON.parse(stdout) }, { csp: false });
  });

  it('Node: explicit init({ module_or_path }) with the exported .wasm', async () => {
    const { stdout } = await run(process.execPath, ['init.mjs'], { cwd: appDir('node'), env: { ...process.env, COGNITO_ENDPOINT: ENDPOINT } });
    assertPassed({ ok: true, ...JSON.parse(stdout) }, { csp: false });
  });

  it('Node CommonJS: require (require(esm), Node ≥ 20.19)', async () => {
    const { stdout, stderr } = await run(process.execPath, ['require.cjs'], { cwd: appDir('node'), env: { ...process.env, COGNITO_ENDPOINT: ENDPOINT } });
    assertPassed({ ok: true, ...JSON.parse(stdout) }, { csp: false });
    assert.equal(stderr, '', 'no warnings');
  });

  it('TypeScript: tsc --strict --noEmit, bundler and nodenext resolution', async () => {
    const dir = appDir('typescript');
    await run(bin('tsc'), ['-p', 'tsconfig.json'], { cwd: dir });
    await run(bin('tsc'), ['-p', 'tsconfig.nodenext.json'], { cwd: dir });
  });

  it('Vite dev server in Chromium and Firefox', async (t) => {
    const server = await viteDev('vite-app');
    try {
      const base = server.url;
      const { result, wasmRequests } = await inChromium(base, t);
      assertPassed(result, { csp: false });
      assert.deepEqual(wasmRequests, [], 'the bytes come from the inline module');
      const ff = await firefox();
      try {
        assertPassed(await ff.open(base), { csp: false });
      } finally {
        await ff.close();
      }
    } finally {
      await server.stop();
    }
  });

  it('Vite production build in Chromium and Firefox, under the CSP; the .wasm is an asset', async (t) => {
    const dist = await viteBuild('vite-app');
    const files = await filesUnder(dist);
    assert.ok(files.some((f) => f.endsWith('.wasm')) && !files.some((f) => f.includes('base64')), `only the .wasm among ${files}`);
    const base = await serve(dist);
    const { result, wasmRequests } = await inChromium(base, t);
    assertPassed(result);
    assert.equal(wasmRequests.length, 1, 'the .wasm is fetched as a file');
    const ff = await firefox();
    try {
      assertPassed(await ff.open(base));
    } finally {
      await ff.close();
    }
  });

  it('webpack 5 build in Chromium, under the CSP; the .wasm is an asset', async (t) => {
    const dir = appDir('webpack-app');
    const { default: webpack } = await import('webpack');
    const { default: config } = await import(path.join(dir, 'webpack.config.mjs'));
    const stats = await new Promise((resolve, reject) => webpack(config, (err, s) => (err ? reject(err) : resolve(s))));
    assert.ok(!stats.hasErrors(), stats.toString('errors-only'));
    await copyFile(path.join(dir, 'index.html'), path.join(dir, 'dist', 'index.html'));
    const files = await filesUnder(path.join(dir, 'dist'));
    assert.ok(files.some((f) => f.endsWith('.wasm')), `a .wasm among ${files}`);
    const { result, wasmRequests } = await inChromium(await serve(path.join(dir, 'dist')), t);
    assertPassed(result);
    assert.equal(wasmRequests.length, 1, 'the .wasm is fetched as a file');
  });

  it('esbuild bundle in Chromium, under the CSP', async (t) => {
    const dir = appDir('esbuild-app');
    await run(bin('esbuild'), ['main.js', '--bundle', '--format=esm', '--outdir=dist', '--log-level=warning'], { cwd: dir });
    await copyFile(path.join(dir, 'index.html'), path.join(dir, 'dist', 'index.html'));
    const { result, wasmRequests } = await inChromium(await serve(path.join(dir, 'dist')), t);
    assertPassed(result);
    assert.deepEqual(wasmRequests, []);
  });

  it('no bundler: <script type="module"> in Chromium, under the CSP', async (t) => {
    const { result, wasmRequests } = await inChromium(await serve(appDir('no-bundler')), t);
    assertPassed(result);
    assert.equal(wasmRequests.length, 1, 'the .wasm is fetched next to the package JS');
  });

  it('Web Worker (Vite build) in Chromium, under the CSP', async (t) => {
    const { result } = await inChromium(await serve(await viteBuild('worker')), t);
    assertPassed(result);
    assert.equal(result.inWorker, true);
  });
});
