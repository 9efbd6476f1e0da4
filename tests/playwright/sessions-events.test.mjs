// Sign-in and sign-out reach the other tabs of the origin: their onAuthStateChange listeners fire and their
// getSession() agrees.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  openTabs, poolWithUser, clientOptions, signIn, evidence, events, startEnvironment, stopEnvironment,
} from './pages/harness.mjs';

const TABS = 3;

describe('auth events across tabs', () => {
  let emulator;
  let server;
  let browser;
  before(async () => ({ emulator, server, browser } = await startEnvironment({ accessTtl: 60, idTtl: 60 })));
  after(() => stopEnvironment({ emulator, server, browser }));

  /** Waits until tab `i` saw `event` (listeners are called asynchronously, through BroadcastChannel). */
  async function waitForEvent(tabs, i, event, what) {
    try {
      await tabs[i].waitForFunction((e) => window.events.some((x) => x.event === e), event, { timeout: 5_000 });
    } catch {
      assert.fail(`${what}: tab ${i} never saw ${event}\n${await evidence(tabs, emulator, '')}`);
    }
  }

  const clearEvents = (tabs) => Promise.all(tabs.map((t) => t.evaluate(() => { window.events.length = 0; })));
  const sessions = (tabs) => Promise.all(tabs.map((t) => t.evaluate(() => window.tryGetSession())));
  const storedKeys = (tab, clientId) => tab.evaluate((c) => Object.keys(localStorage).filter((k) => k.startsWith(`CognitoIdentityServiceProvider.${c}.`)), clientId);

  test('sign-in in one tab → signedIn in the others; sign-out in one tab → signedOut in the others, getSession() null everywhere', async () => {
    const pool = await poolWithUser(emulator);
    const context = await browser.newContext();
    const tabs = await openTabs(context, TABS, `${server.url}sessions.html`, clientOptions(emulator, pool));
    try {
      for (const r of await sessions(tabs)) assert.deepEqual(r, { ok: true, session: null }, 'nobody is signed in at first');

      // Sign in in tab 0.
      const session = await signIn(tabs[0], pool.username);
      for (let i = 1; i < TABS; i++) await waitForEvent(tabs, i, 'signedIn', 'sign-in in tab 0');
      for (const [i, r] of (await sessions(tabs)).entries()) {
        assert.ok(r.ok && r.session, `tab ${i} has the session after the sign-in in tab 0: ${JSON.stringify(r)}`);
        assert.equal(r.session.accessToken, session.accessToken, `tab ${i} has tab 0's tokens`);
      }

      // Sign out in tab 1.
      await clearEvents(tabs);
      await tabs[1].evaluate(() => window.auth.signOut());
      for (const i of [0, 2]) await waitForEvent(tabs, i, 'signedOut', 'sign-out in tab 1');
      for (const [i, r] of (await sessions(tabs)).entries()) {
        assert.deepEqual(r, { ok: true, session: null }, `tab ${i}: getSession() is null after the sign-out in tab 1\n${await evidence(tabs, emulator, pool.poolId)}`);
      }
      assert.deepEqual(await storedKeys(tabs[0], pool.clientId), [], 'no tokens are left in localStorage');
      for (const [i, tab] of tabs.entries()) {
        const seen = await events(tab);
        assert.ok(!seen.includes('signedIn'), `tab ${i}: no signedIn after the sign-out: ${seen}`);
      }

      // Sign in again, in tab 2 this time.
      await clearEvents(tabs);
      const again = await signIn(tabs[2], pool.username);
      for (const i of [0, 1]) await waitForEvent(tabs, i, 'signedIn', 'sign-in in tab 2');
      for (const [i, r] of (await sessions(tabs)).entries()) {
        assert.ok(r.ok && r.session, `tab ${i} has the session after the sign-in in tab 2: ${JSON.stringify(r)}`);
        assert.equal(r.session.accessToken, again.accessToken);
      }
      for (const [i, tab] of tabs.entries()) {
        const seen = await events(tab);
        assert.ok(!seen.includes('signedOut') && !seen.includes('sessionExpired'), `tab ${i}: no sign-out after the sign-in: ${seen}`);
      }

      // A listener that unsubscribed hears nothing more.
      await tabs[0].evaluate(() => { window.unsubscribe(); window.events.length = 0; });
      await tabs[1].evaluate(() => window.auth.signOut());
      await waitForEvent(tabs, 2, 'signedOut', 'second sign-out, in tab 1');
      assert.deepEqual(await events(tabs[0]), [], 'tab 0 unsubscribed: no events');
    } finally {
      await context.close();
    }
  });

  // A tab sees another tab's localStorage writes late (each tab is a process of its own), and the BroadcastChannel
  // message that announces them can arrive first. A listener that asks for the session at once must still get the
  // one the event is about: repeated, as the race does not lose every time.
  test("a listener's getSession() at the event agrees with it: the new session on signedIn, none on signedOut", async () => {
    const pool = await poolWithUser(emulator);
    const context = await browser.newContext();
    const tabs = await openTabs(context, TABS, `${server.url}sessions.html`, clientOptions(emulator, pool));
    const others = tabs.slice(1);
    try {
      await Promise.all(others.map((t) => t.evaluate(() => {
        window.atEvent = [];
        window.auth.onAuthStateChange(({ event }) => {
          window.auth.getSession().then(
            (s) => window.atEvent.push([event, s ? s.accessToken : null]),
            (e) => window.atEvent.push([event, `error ${e.name}`]));
        });
      })));
      const expected = [];
      // Each change is awaited in the other tabs before the next: a listener called after the session has
      // changed again rightly gets the newer state.
      const seen = async (round) => {
        for (const [i, t] of others.entries()) {
          await t.waitForFunction((n) => window.atEvent.length >= n, expected.length, { timeout: 5_000 }).catch(() => {});
          assert.deepEqual(await t.evaluate(() => window.atEvent), expected, `tab ${i + 1}, round ${round}: what getSession() gave each listener`);
        }
      };
      for (let round = 0; round < 8; round++) {
        const session = await signIn(tabs[0], pool.username);
        expected.push(['signedIn', session.accessToken]);
        await seen(round);
        await tabs[0].evaluate(() => window.auth.signOut());
        expected.push(['signedOut', null]);
        await seen(round);
      }
    } finally {
      await context.close();
    }
  });
});
