// End-to-end test of the demo page (www/) against the local Cognito emulator,
// driven through a real headless Chromium with playwright-core.
//
//   node --test tests/playwright/
//
// Environment:
//   DEMO_URL           URL of `node www/serve.mjs` (default: the test starts one itself)
//   COGNITO_ENDPOINT   emulator URL (default: the test starts target/{release,debug}/cognito-emulator)
//   COGNITO_USER_POOL_ID / COGNITO_CLIENT_ID   (default: the emulator's default pool/client)
//   CHROMIUM_PATH      browser binary (default: /usr/bin/chromium)
//
// The screenshot of the signed-in view goes to tests/out/demo-signed-in.png.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const outDir = path.join(repo, 'tests', 'out');

const POOL_ID = process.env.COGNITO_USER_POOL_ID || 'us-east-1_Emul4tor';
const CLIENT_ID = process.env.COGNITO_CLIENT_ID || 'emulatorclient0000000000000';
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const PASSWORD = 'Demo-Passw0rd!';
const STEP_TIMEOUT = 20_000;

let demoUrl = process.env.DEMO_URL || '';
let endpoint = process.env.COGNITO_ENDPOINT || '';
let browser;
const children = [];

// ------------------------------------------------------------------ helpers

const withSlash = (u) => (u.endsWith('/') ? u : `${u}/`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
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

async function waitFor(fn, what, timeoutMs = 15_000, child) {
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
  const url = await waitFor(() => child.output().match(/serving www on (http:\/\/\S+)/)?.[1], 'www/serve.mjs to start', 10_000, child);
  return url;
}

async function startEmulator() {
  const bin = ['release', 'debug'].map((p) => path.join(repo, 'target', p, 'cognito-emulator')).find((p) => existsSync(p));
  if (!bin) {
    throw new Error('COGNITO_ENDPOINT is not set and no emulator binary was found; ' +
      'run `cargo build --release -p cognito-emulator` or start one and set COGNITO_ENDPOINT');
  }
  const port = await freePort();
  const child = startChild(bin, ['--port', String(port)], path.relative(repo, bin));
  const url = `http://127.0.0.1:${port}/`;
  await waitFor(async () => (await fetch(`${url}__emulator__/health`)).ok, `${bin} to answer /__emulator__/health`, 15_000, child);
  return url;
}

/** Read the latest confirmation code for `username` from the emulator's test-only endpoint. */
async function emulatorCode(username) {
  const url = `${endpoint}__emulator__/codes/${encodeURIComponent(username)}`;
  const body = await waitFor(async () => {
    const res = await fetch(url);
    return res.ok ? res.json() : null;
  }, `a confirmation code at ${url}`, 5_000);
  assert.equal(typeof body.code, 'string', `emulator returned no code: ${JSON.stringify(body)}`);
  return body.code;
}

function uniqueUser(prefix) {
  const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  const username = `${prefix}_${suffix}`;
  return { username, email: `${username}@example.com` };
}

/**
 * Open a fresh browser context + page, run `body(page)`, and on failure attach
 * the page's console errors, uncaught exceptions and failed requests. Logs matching
 * `expectedLogs` are left out of the diagnostics printed for passing tests.
 */
async function withPage(t, body, expectedLogs = /$^/) {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
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
    try { msgText = await page.locator('#message').innerText({ timeout: 1000 }); } catch { /* page gone */ }
    const extra = `\n  #message: ${JSON.stringify(msgText)}` +
      `\n  page logs:${logs.length ? `\n    ${logs.join('\n    ')}` : ' (none)'}`;
    err.message += extra;
    throw err;
  } finally {
    // Cognito errors are HTTP 400s, which Chromium logs as "Failed to load resource"; those are expected.
    const unexpected = logs.filter((l) => !/Failed to load resource: the server responded with a status of 400/.test(l) && !expectedLogs.test(l));
    if (unexpected.length) t.diagnostic(`page logs: ${unexpected.join(' | ')}`);
    await context.close();
  }
}

/** Load the page and wait until it has settled (signed in or out). */
async function open(page) {
  await page.goto(demoUrl);
  await page.waitForSelector('body[data-state="signed-in"], body[data-state="signed-out"], body[data-state="error"]');
  const state = await page.getAttribute('body', 'data-state');
  if (state === 'error') {
    throw new Error(`page failed to start: ${await page.locator('#message').innerText()}`);
  }
  return state;
}

/** Click `selector` and wait for the page's action to finish; returns the message shown. */
async function act(page, selector) {
  const before = Number((await page.getAttribute('body', 'data-actions')) || 0);
  await page.click(selector);
  await page.waitForFunction((n) => Number(document.body.dataset.actions || 0) > n && !document.body.dataset.busy, before);
  return message(page);
}

async function message(page) {
  const el = page.locator('#message');
  const cls = (await el.getAttribute('class')) || '';
  return {
    kind: ['error', 'success', 'info'].find((k) => cls.split(/\s+/).includes(k)) || 'none',
    name: await el.getAttribute('data-error-name'),
    text: await el.innerText(),
  };
}

function assertSuccess(msg, what) {
  assert.equal(msg.kind, 'success', `${what}: expected a success message, got ${msg.kind}: ${JSON.stringify(msg.text)}`);
}

function assertError(msg, name, what) {
  assert.equal(msg.kind, 'error', `${what}: expected an error message, got ${msg.kind}: ${JSON.stringify(msg.text)}`);
  assert.ok(msg.text.includes(name), `${what}: expected ${name} in the message, got ${JSON.stringify(msg.text)}`);
  assert.equal(msg.name, name, `${what}: #message[data-error-name]`);
}

/** Point the page at the test's emulator through the settings panel, like a person would. */
async function configure(page, ep = endpoint) {
  await page.click('#settings summary');
  await page.fill('#settings-pool-id', POOL_ID);
  await page.fill('#settings-client-id', CLIENT_ID);
  await page.fill('#settings-endpoint', ep);
  const msg = await act(page, '#settings-save');
  assertSuccess(msg, 'saving settings');
  await page.click('#settings summary'); // fold it away again
}

async function signUp(page, { username, email }) {
  await page.fill('#signup-username', username);
  await page.fill('#signup-email', email);
  await page.fill('#signup-password', PASSWORD);
  const msg = await act(page, '#signup-submit');
  assertSuccess(msg, `signing up ${username}`);
  assert.equal(await page.inputValue('#confirm-username'), username, 'sign-up should prefill the confirm username');
  return msg;
}

async function signIn(page, username, password) {
  await page.fill('#signin-username', username);
  await page.fill('#signin-password', password);
  return act(page, '#signin-submit');
}

async function claim(page, name) {
  const row = page.locator(`#claims tr[data-claim="${name}"] td`);
  if ((await row.count()) === 0) return undefined;
  return (await row.nth(1).innerText()).split('\n')[0];
}

// ------------------------------------------------------------------ suite

describe('demo page (www/) against the Cognito emulator', { timeout: 180_000 }, () => {
  before(async () => {
    endpoint = withSlash(endpoint || (await startEmulator()));
    demoUrl = withSlash(demoUrl || (await startStaticServer()));

    const health = await fetch(`${endpoint}__emulator__/health`).catch((e) => e);
    assert.ok(health.ok, `emulator at ${endpoint} is not healthy: ${health.message || health.status}`);
    const pkg = await fetch(`${demoUrl}pkg/index.js`).catch((e) => e);
    assert.ok(pkg.ok, `${demoUrl}pkg/index.js is not served (${pkg.status || pkg.message}); build the package with \`make pkg\``);

    mkdirSync(outDir, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
        '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync'],
    });
  });

  after(async () => {
    await browser?.close();
    for (const child of children) {
      if (!child.exited) child.kill('SIGTERM');
    }
  });

  it('signing in before confirming shows UserNotConfirmedException', async (t) => {
    await withPage(t, async (page) => {
      assert.equal(await open(page), 'signed-out');
      await configure(page);
      const user = uniqueUser('unconfirmed');
      await signUp(page, user);

      const msg = await signIn(page, user.username, PASSWORD);
      assertError(msg, 'UserNotConfirmedException', 'signing in an unconfirmed user');
      assert.match(msg.text, /confirm your account first/i, 'the hint for UserNotConfirmedException');
      assert.equal(await page.getAttribute('body', 'data-state'), 'signed-out');
    });
  });

  it('sign up → wrong code → resend → confirm → wrong password → sign in → reload → sign out', async (t) => {
    await withPage(t, async (page) => {
      assert.equal(await open(page), 'signed-out');
      await configure(page);
      const user = uniqueUser('demo');
      const up = await signUp(page, user);
      assert.match(up.text, /code/i, 'sign-up message should mention the confirmation code');

      // A wrong code first: the page must say so and keep the user unconfirmed.
      const code = await emulatorCode(user.username);
      const wrong = code === '000000' ? '111111' : '000000';
      await page.fill('#confirm-code', wrong);
      assertError(await act(page, '#confirm-submit'), 'CodeMismatchException', 'confirming with a wrong code');

      // Ask for a new code and confirm with whatever the emulator holds now.
      const resent = await act(page, '#resend-code');
      assertSuccess(resent, 'resending the code');
      assert.match(resent.text, /new code sent/i, 'resend message');
      const latest = await emulatorCode(user.username);
      await page.fill('#confirm-code', latest);
      assertSuccess(await act(page, '#confirm-submit'), 'confirming with the emulator code');
      assert.equal(await page.inputValue('#signin-username'), user.username, 'confirm should prefill the sign-in username');

      const bad = await signIn(page, user.username, `${PASSWORD}-wrong`);
      assertError(bad, 'NotAuthorizedException', 'signing in with a wrong password');
      assert.match(bad.text, /wrong username or password/i, 'the hint for NotAuthorizedException');
      assert.equal(await page.getAttribute('body', 'data-state'), 'signed-out');

      const good = await signIn(page, user.username, PASSWORD);
      assertSuccess(good, 'signing in');
      await page.waitForSelector('#signed-in:not(.hidden)');
      assert.equal(await page.getAttribute('body', 'data-state'), 'signed-in');
      assert.equal(await page.isVisible('#signup-form'), false, 'sign-up form is hidden when signed in');

      assert.equal(await page.innerText('#whoami'), user.username);
      assert.equal(await claim(page, 'cognito:username'), user.username, 'claims table: cognito:username');
      assert.equal(await claim(page, 'email'), user.email, 'claims table: email');
      assert.equal(await claim(page, 'token_use'), 'id', 'claims table: token_use');
      assert.match((await claim(page, 'sub')) || '', /^[0-9a-f-]{36}$/i, 'claims table: sub is a UUID');

      const expiry = await page.innerText('#expiry');
      const expiresAt = Number(await page.getAttribute('#expiry', 'data-expires-at'));
      assert.ok(expiresAt > Date.now(), `expiresAt (${expiresAt}) should be in the future`);
      assert.match(expiry, /Tokens expire at .+ \(in (\d+ minutes?|less than a minute)\)/, `#expiry text: ${expiry}`);
      const minutes = Number(expiry.match(/in (\d+) minute/)?.[1]);
      assert.ok(minutes > 1 && minutes <= 24 * 60, `expiry should be minutes-to-hours away, got ${expiry}`);
      const exp = Number(await claim(page, 'exp'));
      assert.ok(Math.abs(exp * 1000 - expiresAt) <= 5 * 60_000, `exp claim ${exp} vs expiresAt ${expiresAt}`);

      await page.screenshot({ path: path.join(outDir, 'demo-signed-in.png'), fullPage: true });
      const idToken = await page.locator('#raw-id-token').textContent();
      assert.equal(idToken.split('.').length, 3, 'raw ID token is a JWT');

      // The session survives a reload (kept in localStorage).
      await page.reload();
      await page.waitForSelector('body[data-state="signed-in"], body[data-state="signed-out"]');
      assert.equal(await page.getAttribute('body', 'data-state'), 'signed-in', 'still signed in after reload');
      assert.equal(await page.innerText('#whoami'), user.username);
      assert.equal(await claim(page, 'email'), user.email, 'claims after reload');

      const out = await act(page, '#signout');
      assertSuccess(out, 'signing out');
      assert.equal(await page.getAttribute('body', 'data-state'), 'signed-out');
      assert.equal(await page.isVisible('#signed-in'), false, 'signed-in view is hidden after sign-out');
      assert.equal(await page.isVisible('#signin-form'), true, 'sign-in form is shown after sign-out');
      const leaked = await page.evaluate((tok) => Object.keys(localStorage).filter((k) => (localStorage.getItem(k) || '').includes(tok)), idToken);
      assert.deepEqual(leaked, [], 'signOut should remove the tokens from localStorage');

      await page.reload();
      await page.waitForSelector('body[data-state="signed-in"], body[data-state="signed-out"]');
      assert.equal(await page.getAttribute('body', 'data-state'), 'signed-out', 'still signed out after reload');
    });
  });

  it('malformed settings are refused and the previous ones kept', async (t) => {
    await withPage(t, async (page) => {
      await open(page);
      await configure(page);
      await page.click('#settings summary');
      await page.fill('#settings-pool-id', 'not-a-pool-id');
      assertError(await act(page, '#settings-save'), 'InvalidParameterException', 'saving a malformed pool id');
      await page.reload();
      await page.waitForSelector('body[data-state="signed-out"]');
      assert.equal(await page.inputValue('#settings-pool-id'), POOL_ID, 'the saved pool id is unchanged');
      assert.equal(await page.inputValue('#settings-endpoint'), endpoint, 'the saved endpoint is unchanged');
    });
  });

  it('an unreachable endpoint shows NetworkError with a hint', async (t) => {
    await withPage(t, async (page) => {
      await open(page);
      const deadPort = await freePort();
      await configure(page, `http://127.0.0.1:${deadPort}/`);
      const msg = await signIn(page, 'nobody', PASSWORD);
      assertError(msg, 'NetworkError', 'signing in against a closed port');
      assert.match(msg.text, /is the emulator running\?/i, 'the hint for NetworkError');
    }, /ERR_CONNECTION_REFUSED/);
  });
});
