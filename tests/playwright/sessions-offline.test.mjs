// Offline at expiry: with the emulator stopped, getSession() rejects with a retryable NetworkError, the session
// stays in storage (no tab is signed out) and tokenRefreshFailure fires; once the emulator is back on the same
// port with the same state, getSession() refreshes and succeeds.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  openTabs, poolWithUser, clientOptions, signIn, waitUntilExpired, tempDir, evidence, events, refreshesBetween,
  cognito, startEnvironment, stopEnvironment,
} from './pages/harness.mjs';

describe('offline at expiry', () => {
  let emulator;
  let server;
  let browser;
  let state;
  before(async () => {
    state = tempDir();
    ({ emulator, server, browser } = await startEnvironment({ accessTtl: 4, idTtl: 4, stateFile: path.join(state.dir, 'state.json') }));
  });
  after(async () => {
    await stopEnvironment({ emulator, server, browser });
    state?.remove();
  });

  test('emulator stopped at expiry → NetworkError (retryable), session kept; back again → refreshed', async (t) => {
    const pool = await poolWithUser(emulator);
    const context = await browser.newContext();
    const tabs = await openTabs(context, 2, `${server.url}sessions.html`, clientOptions(emulator, pool));
    const stored = () => tabs[0].evaluate((c) => Object.fromEntries(Object.entries(localStorage)
      .filter(([k]) => k.startsWith(`CognitoIdentityServiceProvider.${c}.`))), pool.clientId);
    try {
      const session = await signIn(tabs[0], pool.username);
      const storedBefore = await stored();
      assert.ok(Object.keys(storedBefore).some((k) => k.endsWith('.refreshToken')), 'the session is in localStorage');

      await emulator.stop();
      await waitUntilExpired(session.expiresAt);

      for (const [i, tab] of tabs.entries()) {
        const r = await tab.evaluate(() => window.tryGetSession());
        assert.equal(r.ok, false, `tab ${i}: getSession() rejects while offline: ${JSON.stringify(r)}`);
        assert.equal(r.error.name, 'NetworkError', `tab ${i}: a NetworkError: ${JSON.stringify(r.error)}`);
        assert.equal(r.error.retryable, true, `tab ${i}: retryable`);
        assert.equal(r.error.isCognitoError, true, `tab ${i}: isCognitoError`);
      }
      // Again, in case a second failure behaves differently from the first.
      const second = await tabs[0].evaluate(() => window.tryGetSession());
      assert.equal(second.error?.name, 'NetworkError', `a second attempt: ${JSON.stringify(second)}`);

      assert.deepEqual(await stored(), storedBefore, 'the session is still in localStorage, unchanged');
      for (const [i, tab] of tabs.entries()) {
        const all = await tab.evaluate(() => window.events);
        const seen = all.map((e) => e.event);
        assert.ok(!seen.includes('signedOut') && !seen.includes('sessionExpired'), `tab ${i} was not signed out: ${JSON.stringify(all)}`);
        const failure = all.find((e) => e.event === 'tokenRefreshFailure');
        assert.ok(failure, `tab ${i}: tokenRefreshFailure fired: ${JSON.stringify(all)}`);
        assert.equal(failure.error?.name, 'NetworkError', `tab ${i}: the event carries the NetworkError`);
        assert.equal(failure.error?.retryable, true);
      }
      t.diagnostic(`offline: tab 0 saw ${JSON.stringify(await events(tabs[0]))}, tab 1 saw ${JSON.stringify(await events(tabs[1]))}`);

      // Back online: same port, same state file.
      await emulator.start();
      const before = await emulator.counts(pool.poolId);
      const results = await Promise.all(tabs.map((tab) => tab.evaluate(() => window.tryGetSession())));
      const count = refreshesBetween(before, await emulator.counts(pool.poolId));
      t.diagnostic(`back online: ${count} refresh request(s) for 2 tabs`);
      for (const [i, r] of results.entries()) {
        assert.ok(r.ok && r.session, `tab ${i}: getSession() succeeds once the emulator is back: ${JSON.stringify(r)}\n${await evidence(tabs, emulator, pool.poolId)}`);
        assert.notEqual(r.session.accessToken, session.accessToken, `tab ${i}: refreshed`);
        assert.ok(r.session.expiresAt > Date.now(), `tab ${i}: the new tokens are valid`);
      }
      assert.equal(results[0].session.accessToken, results[1].session.accessToken, 'both tabs have the same tokens');
      assert.equal(count, 1, 'one refresh request');
      assert.equal((await cognito(emulator, 'GetUser', { AccessToken: results[0].session.accessToken })).status, 200, 'the new access token is valid');
      assert.ok((await events(tabs[0])).includes('tokenRefresh'), 'tokenRefresh fired');
    } finally {
      await context.close();
    }
  });
});
