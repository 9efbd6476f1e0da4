// Storage adapters in a real browser: sessionStorage, cookies (a session larger than one 4 KB cookie, split
// over several) and an app-supplied storage object with Promise-returning methods. Each: sign in, then a reload
// or a new client finds the session; a refresh is written back to the same storage; nothing lands in
// localStorage.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  openTabs, poolWithUser, clientOptions, signIn, startEnvironment, stopEnvironment,
} from './pages/harness.mjs';

describe('storage adapters', () => {
  let emulator;
  let server;
  let browser;
  before(async () => ({ emulator, server, browser } = await startEnvironment({ accessTtl: 60, idTtl: 60 })));
  after(() => stopEnvironment({ emulator, server, browser }));

  const ourKeys = (clientId) => (store) => Object.keys(store).filter((k) => k.startsWith(`CognitoIdentityServiceProvider.${clientId}.`));
  const localKeys = (tab, clientId) => tab.evaluate((c) => Object.keys(localStorage).filter((k) => k.startsWith(`CognitoIdentityServiceProvider.${c}.`)), clientId);

  async function reloadAndSetUp(tab, options) {
    await tab.reload();
    await tab.waitForFunction(() => window.pageReady === true);
    await tab.evaluate((o) => window.setUp(o), options);
  }

  test("'sessionStorage': survives a reload, stays in its tab", async () => {
    const pool = await poolWithUser(emulator);
    const options = clientOptions(emulator, pool, { storage: 'sessionStorage' });
    const context = await browser.newContext();
    try {
      const [tab] = await openTabs(context, 1, `${server.url}sessions.html`, options);
      const session = await signIn(tab, pool.username);
      const inSession = await tab.evaluate((c) => Object.keys(sessionStorage).filter((k) => k.startsWith(`CognitoIdentityServiceProvider.${c}.`)), pool.clientId);
      assert.ok(inSession.some((k) => k.endsWith('.accessToken')), `the tokens are in sessionStorage: ${inSession}`);
      assert.deepEqual(await localKeys(tab, pool.clientId), [], 'nothing in localStorage');

      await reloadAndSetUp(tab, options);
      const after = await tab.evaluate(() => window.tryGetSession());
      assert.ok(after.ok && after.session, `getSession() after a reload: ${JSON.stringify(after)}`);
      assert.equal(after.session.accessToken, session.accessToken, 'the same session, no new sign-in');

      const refreshed = await tab.evaluate(() => window.tryGetSession({ forceRefresh: true }));
      assert.ok(refreshed.ok && refreshed.session && refreshed.session.accessToken !== session.accessToken, `forceRefresh: ${JSON.stringify(refreshed)}`);
      await reloadAndSetUp(tab, options);
      const again = await tab.evaluate(() => window.tryGetSession());
      assert.equal(again.session?.accessToken, refreshed.session.accessToken, 'the refreshed tokens were written to sessionStorage');

      const [other] = await openTabs(context, 1, `${server.url}sessions.html`, options);
      assert.deepEqual(await other.evaluate(() => window.tryGetSession()), { ok: true, session: null }, 'another tab has its own sessionStorage');
    } finally {
      await context.close();
    }
  });

  test('cookie storage: a session larger than 4 KB is split over several cookies and survives a reload', async (t) => {
    // The emulator puts every attribute into the ID token: four long custom attributes make it ~9 KB.
    const long = (c) => Array.from({ length: 1500 }, (_, i) => String.fromCharCode(97 + ((i * 7 + c) % 26))).join('');
    const attributes = { 'custom:profile1': long(1), 'custom:profile2': long(2), 'custom:profile3': long(3), 'custom:profile4': long(4), address: `1 ${long(5).slice(0, 200)} Street` };
    const pool = await poolWithUser(emulator, {}, attributes);
    const options = clientOptions(emulator, pool, { storage: { cookie: { path: '/', sameSite: 'Lax' } } });
    const context = await browser.newContext();
    try {
      const [tab] = await openTabs(context, 1, `${server.url}sessions.html`, options);
      const session = await signIn(tab, pool.username);
      const total = session.idToken.length + session.accessToken.length + (session.refreshToken?.length ?? 0);
      t.diagnostic(`cookie storage: ID token ${session.idToken.length} chars, session ${total} chars`);
      assert.ok(session.idToken.length > 4096, `the ID token alone exceeds one cookie (${session.idToken.length} chars)`);
      assert.deepEqual(await localKeys(tab, pool.clientId), [], 'nothing in localStorage');

      const cookies = await context.cookies(server.url);
      const ours = cookies.filter((c) => c.name.startsWith(`CognitoIdentityServiceProvider.${pool.clientId}.`));
      const chunks = ours.filter((c) => /\.idToken\.\d+$/.test(c.name));
      t.diagnostic(`cookie storage: ${ours.length} cookies, the ID token in ${chunks.length} chunks; largest cookie ${Math.max(...ours.map((c) => c.name.length + c.value.length))} bytes`);
      assert.ok(chunks.length >= 2, `the ID token is split over several cookies: ${ours.map((c) => c.name)}`);
      for (const c of ours) assert.ok(c.name.length + c.value.length <= 4096, `cookie ${c.name} fits the 4 KB limit`);

      await reloadAndSetUp(tab, options);
      const after = await tab.evaluate(() => window.tryGetSession());
      assert.ok(after.ok && after.session, `getSession() after a reload: ${JSON.stringify(after).slice(0, 500)}`);
      assert.equal(after.session.idToken, session.idToken, 'the whole ID token came back');
      assert.equal(after.session.accessToken, session.accessToken);
      assert.equal(after.session.refreshToken, session.refreshToken);
      const claim = await tab.evaluate(async () => (await window.auth.getSession()).idTokenPayload['custom:profile4']);
      assert.equal(claim, attributes['custom:profile4'], 'the long claim is intact');

      // A refresh rewrites the chunks; a reload finds the new tokens.
      const refreshed = await tab.evaluate(() => window.tryGetSession({ forceRefresh: true }));
      assert.ok(refreshed.ok && refreshed.session && refreshed.session.accessToken !== session.accessToken, `forceRefresh: ${JSON.stringify(refreshed).slice(0, 500)}`);
      await reloadAndSetUp(tab, options);
      const again = await tab.evaluate(() => window.tryGetSession());
      assert.equal(again.session?.idToken, refreshed.session.idToken, 'the refreshed ID token was written to the cookies');
      assert.equal(again.session?.accessToken, refreshed.session.accessToken);

      // Signing out removes every chunk.
      await tab.evaluate(() => window.auth.signOut());
      const left = (await context.cookies(server.url)).filter((c) => c.name.startsWith(`CognitoIdentityServiceProvider.${pool.clientId}.`) && !/\.(deviceKey|deviceGroupKey|randomPasswordKey)$/.test(c.name));
      assert.deepEqual(left.map((c) => c.name), [], 'no token cookies left after sign-out');
    } finally {
      await context.close();
    }
  });

  test('an app-supplied storage object with Promise-returning methods', async () => {
    const pool = await poolWithUser(emulator);
    const options = clientOptions(emulator, pool, { storage: 'async-map' });
    const context = await browser.newContext();
    try {
      const [tab] = await openTabs(context, 1, `${server.url}sessions.html`, options);
      const session = await signIn(tab, pool.username);
      const mapKeys = await tab.evaluate(() => [...window.asyncMap.keys()]);
      assert.ok(ourKeys(pool.clientId)(Object.fromEntries(mapKeys.map((k) => [k, 1]))).some((k) => k.endsWith('.refreshToken')), `the tokens are in the app's store: ${mapKeys}`);
      assert.deepEqual(await localKeys(tab, pool.clientId), [], 'nothing in localStorage');
      assert.equal(await tab.evaluate((c) => window.asyncMap.get(`CognitoIdentityServiceProvider.${c}.LastAuthUser`), pool.clientId), pool.username, 'LastAuthUser is the username (USER_ID_FOR_SRP)');

      // A new client over the same store (as after a reload with a persistent store).
      await tab.evaluate((o) => window.setUp(o), options);
      const after = await tab.evaluate(() => window.tryGetSession());
      assert.ok(after.ok && after.session, `a new client finds the session: ${JSON.stringify(after)}`);
      assert.equal(after.session.accessToken, session.accessToken);

      const refreshed = await tab.evaluate(() => window.tryGetSession({ forceRefresh: true }));
      assert.ok(refreshed.ok && refreshed.session && refreshed.session.accessToken !== session.accessToken, `forceRefresh: ${JSON.stringify(refreshed)}`);
      await tab.evaluate((o) => window.setUp(o), options);
      const again = await tab.evaluate(() => window.tryGetSession());
      assert.equal(again.session?.accessToken, refreshed.session.accessToken, 'the refreshed tokens were written to the store');

      await tab.evaluate(() => window.auth.signOut());
      const left = await tab.evaluate(() => [...window.asyncMap.keys()]);
      assert.deepEqual(left.filter((k) => /\.(idToken|accessToken|refreshToken|LastAuthUser)$/.test(k)), [], 'sign-out removed the tokens from the store');
      await tab.evaluate((o) => window.setUp(o), options);
      assert.deepEqual(await tab.evaluate(() => window.tryGetSession()), { ok: true, session: null });
    } finally {
      await context.close();
    }
  });
});
