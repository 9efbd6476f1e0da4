// Shared harness for the Playwright tests of the demo page (www/): servers, the browser, page helpers,
// and the emulator's test-only endpoints. Test files import it and call `useEnvironment()` in their
// top-level describe().
//
// Environment:
//   DEMO_URL           URL of `node www/serve.mjs` (default: each test file starts one itself)
//   COGNITO_ENDPOINT   emulator URL (default: each test file starts target/{release,debug}/cognito-emulator, with
//                      `--callback-url` DEMO_URL; one given here needs that too for the demo's redirect sign-in)
//   COGNITO_USER_POOL_ID / COGNITO_CLIENT_ID   the default pool/client (default: the emulator's)
//   CHROMIUM_PATH      browser binary (default: /usr/bin/chromium)
//
// Screenshots go to tests/out/.

import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repo = path.resolve(here, '..', '..');
export const outDir = path.join(repo, 'tests', 'out');

export const POOL_ID = process.env.COGNITO_USER_POOL_ID || 'us-east-1_Emul4tor';
export const CLIENT_ID = process.env.COGNITO_CLIENT_ID || 'emulatorclient0000000000000';
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const PASSWORD = 'Demo-Passw0rd!';
const STEP_TIMEOUT = 20_000;

/** The servers and browser of this test file, filled in by useEnvironment()'s before hook. */
export const env = { demoUrl: process.env.DEMO_URL || '', endpoint: process.env.COGNITO_ENDPOINT || '', browser: null };
const children = [];

// ------------------------------------------------------------------ processes

const withSlash = (u) => (u.endsWith('/') ? u : `${u}/`);
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * An endpoint where nothing answers: a socket that drops every connection at once. It holds its port until
 * `close()`, so no other test's server can take it meanwhile (as a port found free and then closed could).
 */
export function deadEndpoint() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer((socket) => socket.destroy());
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      resolve({ url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => srv.close(r)) });
    });
  });
}

function startChild(cmd, args, name) {
  const child = spawn(cmd, args, { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  child.on('exit', (code, signal) => { child.exited = { code, signal }; });
  children.push(child);
  child.log = () => `--- ${name} output ---\n${output.slice(-4000)}`;
  child.output = () => output;
  return child;
}

export async function waitFor(fn, what, timeoutMs = 15_000, child) {
  const deadline = Date.now() + timeoutMs;
  let lastErr;
  while (Date.now() < deadline) {
    if (child && child.exited) break;
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      lastErr = e;
    }
    await sleep(100);
  }
  const why = child && child.exited
    ? `process exited (code ${child.exited.code}, signal ${child.exited.signal}) while waiting for ${what}`
    : `timed out waiting for ${what}`;
  throw new Error(`${why}${lastErr ? ` (last error: ${lastErr.message})` : ''}` +
    (child ? `\n${child.log()}` : ''));
}

async function startStaticServer() {
  const child = startChild(process.execPath, [path.join(repo, 'www', 'serve.mjs'), '--port', '0'], 'www/serve.mjs');
  return waitFor(() => child.output().match(/serving www on (http:\/\/\S+)/)?.[1], 'www/serve.mjs to start', 10_000, child);
}

/** The emulator, its default pool's managed login returning to `demoUrl` (as `make demo` has it). */
async function startEmulator(demoUrl) {
  const bin = ['release', 'debug'].map((p) => path.join(repo, 'target', p, 'cognito-emulator')).find((p) => existsSync(p));
  if (!bin) {
    throw new Error('COGNITO_ENDPOINT is not set and no emulator binary was found; ' +
      'run `cargo build --release -p cognito-emulator` or start one and set COGNITO_ENDPOINT');
  }
  // Port 0: the emulator binds a free port itself and prints it (no race with other test files).
  const child = startChild(bin, ['--port', '0', '--callback-url', demoUrl], path.relative(repo, bin));
  const url = await waitFor(() => child.output().match(/listening on (http:\/\/\S+)/)?.[1], `${bin} to start`, 15_000, child);
  await waitFor(async () => (await fetch(`${withSlash(url)}__emulator__/health`)).ok, `${bin} to answer /__emulator__/health`, 15_000, child);
  return url;
}

/** Registers the before/after hooks that start (or reuse) the servers and launch Chromium. */
export function useEnvironment() {
  before(async () => {
    // The page first: the emulator's default pool is told where managed login returns to.
    env.demoUrl = withSlash(env.demoUrl || (await startStaticServer()));
    env.endpoint = withSlash(env.endpoint || (await startEmulator(env.demoUrl)));

    const health = await fetch(`${env.endpoint}__emulator__/health`).catch((e) => e);
    assert.ok(health.ok, `emulator at ${env.endpoint} is not healthy: ${health.message || health.status}`);
    const pkg = await fetch(`${env.demoUrl}pkg/index.js`).catch((e) => e);
    assert.ok(pkg.ok, `${env.demoUrl}pkg/index.js is not served (${pkg.status || pkg.message}); build the package with \`make pkg\``);

    mkdirSync(outDir, { recursive: true });
    env.browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
        '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync'],
    });
  });

  after(async () => {
    await env.browser?.close();
    for (const child of children) {
      if (!child.exited) child.kill('SIGTERM');
    }
  });
}

// ------------------------------------------------------------------ the emulator's test-only endpoints

async function emulatorPost(route, body) {
  const res = await fetch(`${env.endpoint}__emulator__/${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) {
    throw new Error(`POST /__emulator__/${route} ${JSON.stringify(body)} → ${res.status} ${text}` +
      (res.status === 404 ? ' (this emulator lacks the endpoint: rebuild it with `cargo build --release -p cognito-emulator`)' : ''));
  }
  return JSON.parse(text);
}

/** A fresh pool: `{ poolId, clients: [{ clientId, clientSecret }] }`. */
export function createPool(config = {}) {
  return emulatorPost('pools', config);
}

/** A user put straight into a pool (confirmed, or FORCE_CHANGE_PASSWORD with `temporaryPassword`). */
export function createUser(user) {
  return emulatorPost('users', user);
}

/**
 * The latest code the emulator "sent" to `username` in `poolId` (with `purpose`, the latest of that kind:
 * SIGN_UP, FORGOT_PASSWORD, SMS_MFA, EMAIL_OTP, SMS_OTP, VERIFY_ATTRIBUTE). With `newerThan` (a code
 * object), waits for a different one.
 */
export async function latestCode(poolId, username, { purpose, newerThan } = {}) {
  const url = new URL(`__emulator__/codes/${encodeURIComponent(username)}`, env.endpoint);
  if (poolId) url.searchParams.set('poolId', poolId);
  if (purpose) url.searchParams.set('purpose', purpose);
  const body = await waitFor(async () => {
    const res = await fetch(url);
    if (!res.ok) return null;
    const b = await res.json();
    if (purpose && b.purpose && b.purpose !== purpose) return null;
    if (newerThan && b.code === newerThan.code && b.sentAt === newerThan.sentAt) return null;
    return b;
  }, `a ${purpose || ''} code at ${url}`, 5_000);
  assert.equal(typeof body.code, 'string', `emulator returned no code: ${JSON.stringify(body)}`);
  return body;
}

/** Per-operation request counts of one pool. */
export async function requestCounts(poolId) {
  const url = new URL('__emulator__/requests', env.endpoint);
  if (poolId) url.searchParams.set('poolId', poolId);
  return (await fetch(url)).json();
}

// ------------------------------------------------------------------ TOTP (RFC 6238), computed here

export function base32Decode(s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out = [];
  for (const ch of s.toUpperCase().replace(/[\s=]/g, '')) {
    const i = alphabet.indexOf(ch);
    if (i < 0) throw new Error(`not base32: ${JSON.stringify(s)}`);
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The 6-digit code for `secret` (base32) at `time` (ms): HMAC-SHA1 over floor(t/30), dynamic truncation. */
export function totp(secret, time = Date.now()) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(time / 1000 / 30)));
  const mac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const n = ((mac[offset] & 0x7f) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3];
  return String(n % 1_000_000).padStart(6, '0');
}

/**
 * A TOTP code that has not been used yet: Cognito refuses a code twice, so when `used` holds the current
 * time step this waits for the next one (at most 30 s). Records the step it returns in `used`.
 */
export async function freshTotp(secret, used = new Set()) {
  let step = Math.floor(Date.now() / 30_000);
  if (used.has(step)) {
    await sleep((step + 1) * 30_000 - Date.now() + 200);
    step = Math.floor(Date.now() / 30_000);
  }
  // Too close to the end of a step, the code may expire before the request arrives.
  if ((step + 1) * 30_000 - Date.now() < 2_000) {
    await sleep((step + 1) * 30_000 - Date.now() + 200);
    step = Math.floor(Date.now() / 30_000);
  }
  used.add(step);
  return totp(secret, step * 30_000 + 1);
}

// ------------------------------------------------------------------ page helpers

export function uniqueUser(prefix) {
  const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  const username = `${prefix}_${suffix}`;
  return { username, email: `${username}@example.com` };
}

/**
 * Open a fresh browser context + page, run `body(page, context)`, and on failure attach the page's
 * console errors, uncaught exceptions and failed requests. Logs matching `expectedLogs` are left out of
 * the diagnostics printed for passing tests.
 */
export async function withPage(t, body, { expectedLogs = /$^/, viewport = { width: 1200, height: 900 } } = {}) {
  const context = await env.browser.newContext({ viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT);
  const logs = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') logs.push(`console.${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => logs.push(`pageerror: ${e.stack || e.message}`));
  page.on('requestfailed', (r) => logs.push(`requestfailed: ${r.method()} ${r.url()} ${r.failure()?.errorText ?? ''}`));
  try {
    await body(page, context);
  } catch (err) {
    let msgText = '';
    let state = '';
    try {
      msgText = await page.locator('#message').innerText({ timeout: 1000 });
      state = `${await page.getAttribute('body', 'data-state', { timeout: 1000 })} ${await page.getAttribute('body', 'data-step', { timeout: 1000 }) || ''}`;
    } catch { /* page gone */ }
    err.message += `\n  #message: ${JSON.stringify(msgText)}\n  body state: ${state}` +
      `\n  page logs:${logs.length ? `\n    ${logs.join('\n    ')}` : ' (none)'}`;
    try {
      await page.screenshot({ path: path.join(outDir, `failed-${t.name.replace(/[^A-Za-z0-9]+/g, '-').slice(0, 60)}.png`), fullPage: true });
    } catch { /* page gone */ }
    throw err;
  } finally {
    // Cognito errors are HTTP 400s, which Chromium logs as "Failed to load resource"; those are expected.
    const unexpected = logs.filter((l) => !/Failed to load resource: the server responded with a status of 400/.test(l) && !expectedLogs.test(l));
    if (unexpected.length) t.diagnostic(`page logs: ${unexpected.join(' | ')}`);
    await context.close();
  }
}

/** Wait until the page has settled after a load (signed in or out, a sign-in step, or an error). */
export async function settled(page) {
  await page.waitForSelector('body[data-state="signed-in"], body[data-state="signed-out"], body[data-state="challenge"], body[data-state="error"]');
  const state = await page.getAttribute('body', 'data-state');
  if (state === 'error') throw new Error(`page failed to start: ${await page.locator('#message').innerText()}`);
  return state;
}

/** Load the page and wait until it has settled. */
export async function open(page) {
  await page.goto(env.demoUrl);
  return settled(page);
}

/** Click `selector` and wait for the page's action to finish; returns the message shown. */
export async function act(page, selector) {
  const before = Number((await page.getAttribute('body', 'data-actions')) || 0);
  await page.click(selector);
  await page.waitForFunction((n) => Number(document.body.dataset.actions || 0) > n && !document.body.dataset.busy, before);
  return message(page);
}

export async function message(page) {
  const el = page.locator('#message');
  const cls = (await el.getAttribute('class')) || '';
  return {
    kind: ['error', 'success', 'info'].find((k) => cls.split(/\s+/).includes(k)) || 'none',
    name: await el.getAttribute('data-error-name'),
    text: await el.innerText(),
  };
}

export function assertSuccess(msg, what) {
  assert.equal(msg.kind, 'success', `${what}: expected a success message, got ${msg.kind}: ${JSON.stringify(msg.text)}`);
}

export function assertError(msg, name, what) {
  assert.equal(msg.kind, 'error', `${what}: expected an error message, got ${msg.kind}: ${JSON.stringify(msg.text)}`);
  assert.ok(msg.text.includes(name), `${what}: expected ${name} in the message, got ${JSON.stringify(msg.text)}`);
  assert.equal(msg.name, name, `${what}: #message[data-error-name]`);
}

/** The page's view and sign-in step: `{ state, step }`. */
export async function view(page) {
  return { state: await page.getAttribute('body', 'data-state'), step: (await page.getAttribute('body', 'data-step')) || null };
}

export async function assertStep(page, step, what) {
  const v = await view(page);
  assert.deepEqual(v, { state: 'challenge', step }, `${what}: expected the ${step} step`);
  assert.ok(await page.isVisible('#challenge'), `${what}: the step card is shown`);
  assert.equal(await page.innerText('#challenge-step'), step, `${what}: the step's name is shown`);
}

export async function assertSignedIn(page, username, what) {
  assert.deepEqual(await view(page), { state: 'signed-in', step: null }, `${what}: expected to be signed in`);
  assert.equal(await page.innerText('#whoami'), username, `${what}: #whoami`);
}

/**
 * Point the page at a pool through the settings panel, like a person would: pool id, client id, endpoint,
 * and optionally a client secret and a sign-in flow.
 */
export async function configure(page, {
  poolId = POOL_ID, clientId = CLIENT_ID, endpoint = env.endpoint, clientSecret = '', authFlow = 'USER_SRP_AUTH',
  oauthDomain = env.endpoint.replace(/\/$/, ''),
} = {}) {
  await page.click('#settings summary');
  await page.fill('#settings-pool-id', poolId);
  await page.fill('#settings-client-id', clientId);
  await page.fill('#settings-endpoint', endpoint);
  await page.fill('#settings-client-secret', clientSecret || '');
  await page.fill('#settings-oauth-domain', oauthDomain);
  await page.selectOption('#settings-auth-flow', authFlow);
  const msg = await act(page, '#settings-save');
  assertSuccess(msg, 'saving settings');
  await page.click('#settings summary'); // fold it away again
}

/** A pool's first client in the settings panel. */
export function configurePool(page, pool, extra = {}) {
  return configure(page, { poolId: pool.poolId, clientId: pool.clients[0].clientId, ...extra });
}

export async function signUp(page, { username, email, phone }, password = PASSWORD) {
  await page.fill('#signup-username', username);
  await page.fill('#signup-email', email);
  if (phone) await page.fill('#signup-phone', phone);
  await page.fill('#signup-password', password);
  const msg = await act(page, '#signup-submit');
  assertSuccess(msg, `signing up ${username}`);
  assert.equal(await page.inputValue('#confirm-username'), username, 'sign-up should prefill the confirm username');
  return msg;
}

export async function confirmSignUp(page, code) {
  await page.fill('#confirm-code', code);
  const msg = await act(page, '#confirm-submit');
  assertSuccess(msg, 'confirming the sign-up');
  return msg;
}

export async function signIn(page, username, password) {
  await page.fill('#signin-username', username);
  await page.fill('#signin-password', password);
  return act(page, '#signin-submit');
}

/** Sign out from the signed-in view. */
export async function signOut(page) {
  const msg = await act(page, '#signout');
  assertSuccess(msg, 'signing out');
  assert.equal(await page.getAttribute('body', 'data-state'), 'signed-out');
}

/** Types a code into the one code form (SMS, email, TOTP) and submits it. */
export async function enterCode(page, code) {
  await page.fill('#step-code', code);
  return act(page, '#step-code-submit');
}

export async function claim(page, name) {
  const row = page.locator(`#claims tr[data-claim="${name}"] td`);
  if ((await row.count()) === 0) return undefined;
  return (await row.nth(1).innerText()).split('\n')[0];
}

export function screenshot(page, name, { fullPage = true } = {}) {
  return page.screenshot({ path: path.join(outDir, `${name}.png`), fullPage });
}
