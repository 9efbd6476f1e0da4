// Harness of tests/playwright/sessions*.test.mjs and compat*.test.mjs: an emulator per test (short token
// lifetimes, a state file so that it can be stopped and started again on the same port), a static server for
// pages/sessions.html, a snapshot of pkg/ and amazon-cognito-identity-js's browser bundle, Chromium, and tabs.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repo = path.resolve(here, '..', '..', '..');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const PASSWORD = 'Sessions-Passw0rd!';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function waitFor(fn, what, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${last.message})` : ''}`);
}

/** A temporary directory, removed by the returned function. */
export function tempDir(prefix = 'cognito-sessions-') {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

// ------------------------------------------------------------------ the emulator

function emulatorBinary() {
  const bin = ['release', 'debug'].map((p) => path.join(repo, 'target', p, 'cognito-emulator')).find((p) => existsSync(p));
  if (!bin) throw new Error('no emulator binary: run `cargo build --release -p cognito-emulator`');
  return bin;
}

/**
 * Starts the emulator: `{ url, port, stop(), start() }`. `stop()` kills it; `start()` runs it again on the same
 * port with the same state file (pools, users and refresh tokens survive).
 */
export async function startEmulator({ accessTtl = 4, idTtl = 4, stateFile, port = 0 } = {}) {
  const emulator = { port, output: '', child: null };
  emulator.start = async () => {
    const args = ['--port', String(emulator.port), '--access-token-ttl', String(accessTtl), '--id-token-ttl', String(idTtl)];
    if (stateFile) args.push('--state-file', stateFile);
    const child = spawn(emulatorBinary(), args, { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    emulator.child = child;
    child.on('exit', (code, signal) => { child.exited = { code, signal }; });
    const add = (d) => { emulator.output = (emulator.output + d).slice(-20_000); };
    child.stdout.on('data', add);
    child.stderr.on('data', add);
    const url = await waitFor(() => {
      if (child.exited) throw new Error(`emulator exited: ${JSON.stringify(child.exited)}\n${emulator.output}`);
      return emulator.output.match(/listening on (http:\/\/\S+)/)?.[1];
    }, 'the emulator to listen');
    emulator.url = url.endsWith('/') ? url : `${url}/`;
    emulator.port = Number(new URL(emulator.url).port);
    await waitFor(async () => (await fetch(`${emulator.url}__emulator__/health`)).ok, 'the emulator to answer');
    return emulator;
  };
  emulator.stop = async () => {
    const child = emulator.child;
    if (!child || child.exited) return;
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await gone;
  };
  emulator.post = async (route, body) => {
    const res = await fetch(`${emulator.url}__emulator__/${route}`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`POST /__emulator__/${route} → ${res.status} ${text}`);
    return JSON.parse(text);
  };
  /** Per-operation request counts of one pool. */
  emulator.counts = async (poolId) => (await fetch(`${emulator.url}__emulator__/requests?poolId=${encodeURIComponent(poolId)}`)).json();
  await emulator.start();
  return emulator;
}

/**
 * Refresh requests between two request counts: GetTokensFromRefreshToken plus InitiateAuth (the counter is per
 * operation, so callers take counts around steps in which nobody signs in: every InitiateAuth is then a
 * REFRESH_TOKEN_AUTH).
 */
export function refreshesBetween(before, after) {
  const n = (c) => (c.GetTokensFromRefreshToken || 0) + (c.InitiateAuth || 0);
  return n(after) - n(before);
}

/** Calls a Cognito operation on the emulator directly (e.g. GetUser, to check that an access token is valid). */
export async function cognito(emulator, operation, body) {
  const res = await fetch(emulator.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${operation}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

// ------------------------------------------------------------------ the static server

const MIME = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8', '.wasm': 'application/wasm', '.json': 'application/json' };

/**
 * Serves pages/ at `/`, a copy of pkg/ taken now at `/pkg/` (so that a rebuild running meanwhile cannot hand
 * the page half a package), amazon-cognito-identity-js's browser bundle at `/vendor/`, and the fault matrix
 * (tests/faults/matrix.mjs) at `/faults/matrix.mjs`.
 */
export async function startStaticServer() {
  const pkg = path.join(repo, 'pkg');
  if (!existsSync(path.join(pkg, 'index.js'))) throw new Error('pkg/ is not built: run `make pkg`');
  const snapshot = tempDir('cognito-sessions-pkg-');
  cpSync(pkg, snapshot.dir, { recursive: true });
  const official = path.join(repo, 'tests', 'node_modules', 'amazon-cognito-identity-js', 'dist', 'amazon-cognito-identity.min.js');
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    let file = null;
    if (url.pathname === '/vendor/amazon-cognito-identity.min.js') file = official;
    else if (url.pathname === '/faults/matrix.mjs') file = path.join(repo, 'tests', 'faults', 'matrix.mjs');
    else if (url.pathname.startsWith('/pkg/')) {
      // The package has a subdirectory (snippets/, the JS its wasm imports); nothing outside the snapshot.
      const rel = path.normalize(decodeURIComponent(url.pathname.slice('/pkg/'.length)));
      if (!rel.startsWith('..') && !path.isAbsolute(rel)) file = path.join(snapshot.dir, rel);
    }
    else if (/^\/[a-z-]+\.html$/.test(url.pathname)) file = path.join(here, url.pathname.slice(1));
    if (!file || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return res.end('not found\n');
    }
    res.writeHead(200, { 'content-type': MIME[path.extname(file)] || 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(readFileSync(file));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    close: async () => {
      server.closeAllConnections?.();
      await new Promise((r) => server.close(r));
      snapshot.remove();
    },
  };
}

// ------------------------------------------------------------------ a suite's environment

/** An emulator (with `emulatorOptions`), the static server and Chromium, for one suite. */
export async function startEnvironment(emulatorOptions) {
  const emulator = await startEmulator(emulatorOptions);
  const server = await startStaticServer();
  const browser = await launchBrowser();
  return { emulator, server, browser };
}

/** Stops what `startEnvironment` started, browser first; parts that never started are skipped. */
export async function stopEnvironment({ emulator, server, browser } = {}) {
  await browser?.close();
  await server?.close();
  await emulator?.stop();
}

// ------------------------------------------------------------------ the browser and its tabs

export function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync'],
  });
}

/**
 * Opens `n` tabs of `context` on the test page and sets up a client in each. Every tab's console and errors
 * are kept in `tab.logs`.
 */
export async function openTabs(context, n, pageUrl, options) {
  const tabs = [];
  for (let i = 0; i < n; i++) {
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    page.logs = [];
    page.on('console', (m) => page.logs.push(`[tab ${i}] console.${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => page.logs.push(`[tab ${i}] pageerror: ${e.message}`));
    await page.goto(pageUrl);
    await page.waitForFunction(() => window.pageReady === true);
    if (options) await page.evaluate((o) => window.setUp(o), options);
    tabs.push(page);
  }
  return tabs;
}

/** Creates the test's pool and a confirmed user in it. */
export async function poolWithUser(emulator, poolConfig = {}, attributes = {}) {
  const pool = await emulator.post('pools', poolConfig);
  const username = `u${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const user = await emulator.post('users', {
    poolId: pool.poolId, username, password: PASSWORD, attributes: { email: `${username}@example.com`, ...attributes },
  });
  return { poolId: pool.poolId, clientId: pool.clients[0].clientId, username, sub: user.sub };
}

/** The client options the tests use: localStorage, no refresh margin (expired means expired), no timer. */
export function clientOptions(emulator, pool, extra = {}) {
  return { userPoolId: pool.poolId, clientId: pool.clientId, endpoint: emulator.url, refreshMarginSeconds: 0, autoRefresh: false, ...extra };
}

/** Signs in in `page` (SRP) and returns the session. */
export async function signIn(page, username, password = PASSWORD) {
  const result = await page.evaluate(async ([u, p]) => {
    const r = await window.auth.signIn({ username: u, password: p });
    return { result: r, session: window.describe(await window.auth.getSession()) };
  }, [username, password]);
  assert.equal(result.result.isSignedIn, true, `sign-in of ${username}: ${JSON.stringify(result.result)}`);
  assert.ok(result.session, 'a session after signing in');
  return result.session;
}

/** Waits (in Node) until `expiresAt` (ms, device clock) plus `extraMs`. */
export async function waitUntilExpired(expiresAt, extraMs = 150) {
  const wait = expiresAt + extraMs - Date.now();
  if (wait > 0) await sleep(wait);
}

/**
 * Has every tab call getSession() at the same moment (a shared wall-clock instant a little ahead; with
 * `staggerMs`, tab i that much later than tab i-1), and returns each tab's `{ ok, session | error, calledAt, doneAt }`.
 */
export async function getSessionEverywhereAtOnce(tabs, options, staggerMs = 0) {
  const at = Date.now() + 300;
  return Promise.all(tabs.map((t, i) => t.evaluate(async ([when, o]) => {
    await new Promise((r) => setTimeout(r, Math.max(0, when - Date.now())));
    const calledAt = Date.now();
    const result = await window.tryGetSession(o);
    return { ...result, calledAt, doneAt: Date.now() };
  }, [at + i * staggerMs, options])));
}

export const events = (tab) => tab.evaluate(() => window.events.map((e) => e.event));

/** A readable dump of every tab's events and logs, for failure messages. */
export async function evidence(tabs, emulator, poolId) {
  const lines = [];
  for (const [i, t] of tabs.entries()) {
    let ev = '(page gone)';
    try { ev = JSON.stringify(await t.evaluate(() => window.events)); } catch { /* closed */ }
    lines.push(`tab ${i} events: ${ev}`);
    if (t.logs?.length) lines.push(...t.logs.slice(-30));
  }
  try { lines.push(`emulator requests: ${JSON.stringify(await emulator.counts(poolId))}`); } catch { /* stopped */ }
  return lines.join('\n');
}
