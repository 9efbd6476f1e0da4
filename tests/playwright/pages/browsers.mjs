// Chromium and Firefox behind one small interface, for tests that must run in both: Chromium through Playwright
// (playwright-core with the system's /usr/bin/chromium), Firefox through W3C WebDriver and geckodriver, because
// Playwright drives only its own patched Firefox builds and nothing may be downloaded here.
//
//   const browser = await launch('firefox');          // or 'chromium'
//   const profile = await browser.newProfile();        // own cookies and storage, like a browser profile
//   const tab = await profile.newTab();                // tabs of one profile share them
//   await tab.goto(url); await tab.click('#id'); await tab.fill('#id', 'text');
//   await tab.evaluate((arg) => …, arg);               // in the page, awaited; the value must be JSON
//   await tab.waitFor((arg) => …, arg, 'what');        // polled through navigations until truthy
//   tab.url(); tab.close(); profile.close(); browser.close();
//
// Environment: CHROMIUM_PATH (default /usr/bin/chromium), FIREFOX_PATH (default /usr/bin/firefox),
// GECKODRIVER (default: geckodriver on PATH).

import { spawn } from 'node:child_process';
import net from 'node:net';
import { chromium } from 'playwright-core';

const STEP_TIMEOUT = 20_000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe()` until it returns something truthy; errors meanwhile (a page navigating) count as not yet. */
async function poll(probe, what, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (e) {
      last = e;
    }
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${last.message})` : ''}`);
}

/** `launch('chromium' | 'firefox')` → the browser, with `name`. */
export function launch(name) {
  if (name === 'chromium') return launchChromium();
  if (name === 'firefox') return launchFirefox();
  throw new Error(`no such browser: ${name}`);
}

// ------------------------------------------------------------------ Chromium: Playwright

async function launchChromium() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync'],
  });
  return {
    name: 'Chromium',
    async newProfile() {
      const context = await browser.newContext();
      return {
        async newTab() {
          const page = await context.newPage();
          page.setDefaultTimeout(STEP_TIMEOUT);
          const logs = [];
          page.on('console', (m) => logs.push(`console.${m.type()}: ${m.text()}`));
          page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
          return {
            logs,
            goto: (url) => page.goto(url).then(() => undefined),
            click: (selector) => page.click(selector),
            fill: (selector, text) => page.fill(selector, text),
            evaluate: (fn, arg) => page.evaluate(fn, arg),
            waitFor: (fn, arg, what, timeoutMs = STEP_TIMEOUT) => poll(() => page.evaluate(fn, arg), what, timeoutMs),
            url: async () => page.url(),
            close: () => page.close(),
          };
        },
        close: () => context.close(),
      };
    },
    close: () => browser.close(),
  };
}

// ------------------------------------------------------------------ Firefox: WebDriver (geckodriver)

const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** One geckodriver and its one session (geckodriver runs a single session): a Firefox profile of its own. */
async function geckoSession() {
  const port = await freePort();
  const child = spawn(process.env.GECKODRIVER || 'geckodriver', ['--host', '127.0.0.1', '--port', String(port)],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => { output = (output + d).slice(-8000); });
  child.stderr.on('data', (d) => { output = (output + d).slice(-8000); });
  child.on('exit', (code, signal) => { child.exited = { code, signal }; });
  const base = `http://127.0.0.1:${port}`;
  const send = async (method, path, body) => {
    const res = await fetch(base + path, {
      method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = await res.json();
    if (!res.ok) {
      const e = answer.value ?? {};
      throw new Error(`WebDriver ${method} ${path}: ${e.error}: ${e.message}`);
    }
    return answer.value;
  };
  await poll(async () => {
    if (child.exited) throw new Error(`geckodriver exited ${JSON.stringify(child.exited)}: ${output}`);
    return (await send('GET', '/status')).ready;
  }, 'geckodriver to start', 15_000).catch((e) => { child.kill('SIGKILL'); throw e; });
  const { sessionId } = await send('POST', '/session', {
    capabilities: {
      alwaysMatch: {
        browserName: 'firefox',
        pageLoadStrategy: 'normal',
        timeouts: { script: STEP_TIMEOUT, pageLoad: STEP_TIMEOUT, implicit: 0 },
        'moz:firefoxOptions': {
          binary: process.env.FIREFOX_PATH || '/usr/bin/firefox',
          args: ['-headless'],
          // No first-run pages, updates or telemetry: nothing but the test's own traffic.
          prefs: {
            'app.update.enabled': false, 'browser.shell.checkDefaultBrowser': false,
            'datareporting.policy.dataSubmissionEnabled': false, 'toolkit.telemetry.enabled': false,
            'network.captive-portal-service.enabled': false, 'network.connectivity-service.enabled': false,
          },
        },
      },
    },
  }).catch((e) => { child.kill('SIGKILL'); throw new Error(`${e.message}\n${output}`); });
  const session = (method, path = '', body) => send(method, `/session/${sessionId}${path}`, body);
  return {
    session,
    async close() {
      await session('DELETE').catch(() => {});
      if (!child.exited) {
        const gone = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([gone, sleep(5000)]);
        if (!child.exited) child.kill('SIGKILL');
      }
    },
  };
}

/**
 * The script WebDriver runs for `evaluate(fn, arg)`: `fn`'s source called with the argument, awaited, its value
 * or its error handed back (a thrown error would come back as WebDriver's "javascript error" without the name).
 */
function asyncScript(fn) {
  return `const [arg, done] = arguments;
    Promise.resolve().then(() => (${fn.toString()})(arg)).then(
      (value) => done({ value: value === undefined ? null : value }),
      (e) => done({ error: e instanceof Error ? e.name + ': ' + e.message + '\\n' + e.stack : String(e) }));`;
}

async function launchFirefox() {
  const profiles = new Set();
  return {
    name: 'Firefox',
    async newProfile() {
      const gecko = await geckoSession();
      profiles.add(gecko);
      const { session } = gecko;
      let current = await session('GET', '/window');
      let first = true;
      const focus = async (handle) => {
        if (current !== handle) {
          await session('POST', '/window', { handle });
          current = handle;
        }
      };
      const find = async (selector) => {
        const found = await poll(async () => session('POST', '/element', { using: 'css selector', value: selector }), `element ${selector}`, STEP_TIMEOUT);
        return found[ELEMENT];
      };
      return {
        async newTab() {
          // The session's first window is the first tab; later ones are opened beside it.
          const handle = first ? current : (await session('POST', '/window/new', { type: 'tab' })).handle;
          first = false;
          const evaluate = async (fn, arg) => {
            await focus(handle);
            const answer = await session('POST', '/execute/async', { script: asyncScript(fn), args: [arg ?? null] });
            if (answer?.error) throw new Error(answer.error);
            return answer?.value;
          };
          return {
            logs: [],
            goto: async (url) => { await focus(handle); await session('POST', '/url', { url }); },
            click: async (selector) => { await focus(handle); await session('POST', `/element/${await find(selector)}/click`, {}); },
            fill: async (selector, text) => {
              await focus(handle);
              const id = await find(selector);
              await session('POST', `/element/${id}/clear`, {});
              await session('POST', `/element/${id}/value`, { text });
            },
            evaluate,
            waitFor: (fn, arg, what, timeoutMs = STEP_TIMEOUT) => poll(() => evaluate(fn, arg), what, timeoutMs),
            url: async () => { await focus(handle); return session('GET', '/url'); },
            close: async () => { await focus(handle); await session('DELETE', '/window'); current = null; },
          };
        },
        async close() {
          profiles.delete(gecko);
          await gecko.close();
        },
      };
    },
    async close() {
      await Promise.all([...profiles].map((p) => p.close()));
    },
  };
}
