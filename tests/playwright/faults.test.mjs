// The fault matrix (tests/faults/matrix.mjs) in Chromium: every fault the emulator injects × every kind of call,
// through the package loaded in a page. Then the cross-tab case: a tab whose refresh hangs releases the refresh
// lock when its requests time out, and a second tab waiting on that lock goes on and refreshes. Writes the
// matrix to tests/out/faults-chromium.md.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  repo, openTabs, poolWithUser, clientOptions, signIn, waitUntilExpired, evidence, startEnvironment, stopEnvironment,
} from './pages/harness.mjs';
import { CALLS, FAULTS, TIMEOUT_MS, table } from '../faults/matrix.mjs';

describe('faults in Chromium', () => {
  let env;
  let page;
  const records = [];
  before(async () => {
    env = await startEnvironment({ accessTtl: 4, idTtl: 4 });
    const context = await env.browser.newContext();
    [page] = await openTabs(context, 1, `${env.server.url}sessions.html`);
  });
  after(async () => {
    mkdirSync(path.join(repo, 'tests', 'out'), { recursive: true });
    writeFileSync(path.join(repo, 'tests', 'out', 'faults-chromium.md'), `${table(records, 'Chromium')}\n`);
    await stopEnvironment(env);
  });

  for (const call of Object.keys(CALLS)) {
    for (const fault of Object.keys(FAULTS)) {
      test(`${call} × ${fault}`, { timeout: 60_000 }, async () => {
        const record = await page.evaluate(async ([c, f, endpoint]) => {
          const matrix = await import('/faults/matrix.mjs');
          return matrix.runCell({ CognitoAuth: window.CognitoAuth, endpoint, browser: true }, c, f);
        }, [call, fault, env.emulator.url]);
        records.push(record);
        assert.deepEqual(record.problems, [], JSON.stringify(record));
      });
    }
  }

  test('a tab whose refresh hangs releases the lock; the tab waiting on it refreshes', { timeout: 60_000 }, async () => {
    const pool = await poolWithUser(env.emulator);
    const context = await env.browser.newContext();
    const options = clientOptions(env.emulator, pool, { requestTimeoutMs: TIMEOUT_MS, retries: { maxAttempts: 3 } });
    const tabs = await openTabs(context, 2, `${env.server.url}sessions.html`, options);
    try {
      const session = await signIn(tabs[0], pool.username);
      await waitUntilExpired(session.expiresAt);
      await env.emulator.post('faults', { operation: 'GetTokensFromRefreshToken', poolId: pool.poolId, fault: 'hang', count: 3, delayMs: 5000 });
      const run = (tab, waitMs) => tab.evaluate(async (w) => {
        await new Promise((r) => setTimeout(r, w));
        const calledAt = Date.now();
        const r = await window.tryGetSession();
        return { ...r, calledAt, doneAt: Date.now() };
      }, waitMs);
      const [first, second] = await Promise.all([run(tabs[0], 0), run(tabs[1], 300)]);
      const ev = await evidence(tabs, env.emulator, pool.poolId);
      const why = () => `${JSON.stringify({ first, second })}\n${ev}`;
      assert.equal(first.ok, false, why());
      assert.equal(first.error.name, 'TimeoutError', why());
      assert.equal(first.error.retryable, true, why());
      assert.equal(second.ok, true, why());
      assert.notEqual(second.session.accessToken, session.accessToken, why());
      assert.ok(second.doneAt >= first.doneAt, `the second tab waited for the first to let go of the lock: ${why()}`);
      const again = await tabs[0].evaluate(() => window.tryGetSession());
      assert.equal(again.ok, true, why());
      assert.equal(again.session.accessToken, second.session.accessToken, 'the first tab now uses the tokens the second stored');
      for (const tab of tabs) {
        const seen = await tab.evaluate(() => window.events.map((e) => e.event));
        assert.ok(!seen.includes('signedOut') && !seen.includes('sessionExpired'), `no sign-out: ${seen}`);
      }
    } finally {
      await context.close();
    }
  });
});
