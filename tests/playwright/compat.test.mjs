// Compatibility with amazon-cognito-identity-js in a real browser, both ways, on one origin and one
// localStorage: a session one library signs in is found (and refreshed) by the other without a new sign-in.
// Both keep tokens under CognitoIdentityServiceProvider.<clientId>.<LastAuthUser>.*, with LastAuthUser =
// USER_ID_FOR_SRP (the username as created, in this plain pool).

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  openTabs, poolWithUser, clientOptions, signIn, refreshesBetween, PASSWORD, startEnvironment, stopEnvironment,
} from './pages/harness.mjs';

describe('compatibility with amazon-cognito-identity-js', () => {
  let emulator;
  let server;
  let browser;
  before(async () => ({ emulator, server, browser } = await startEnvironment({ accessTtl: 60, idTtl: 60 })));
  after(() => stopEnvironment({ emulator, server, browser }));

  /** The official library, in the page: sign in, read the current user's session, refresh. */
  const official = {
    signIn: (tab, pool, username) => tab.evaluate(([p, u, password]) => new Promise((resolve, reject) => {
      const { CognitoUserPool, CognitoUser, AuthenticationDetails } = window.AmazonCognitoIdentity;
      const userPool = new CognitoUserPool({ UserPoolId: p.poolId, ClientId: p.clientId, endpoint: p.endpoint });
      const user = new CognitoUser({ Username: u, Pool: userPool });
      user.authenticateUser(new AuthenticationDetails({ Username: u, Password: password }), {
        onSuccess: (s) => resolve({ idToken: s.getIdToken().getJwtToken(), accessToken: s.getAccessToken().getJwtToken(), refreshToken: s.getRefreshToken().getToken() }),
        onFailure: (e) => reject(new Error(`${e.code || e.name}: ${e.message}`)),
        newPasswordRequired: () => reject(new Error('newPasswordRequired')),
      });
    }), [{ ...pool, endpoint: emulator.url }, username, PASSWORD]),

    currentSession: (tab, pool) => tab.evaluate((p) => new Promise((resolve, reject) => {
      const userPool = new window.AmazonCognitoIdentity.CognitoUserPool({ UserPoolId: p.poolId, ClientId: p.clientId, endpoint: p.endpoint });
      const user = userPool.getCurrentUser();
      if (!user) return resolve(null);
      user.getSession((err, s) => {
        if (err) return reject(new Error(`${err.code || err.name}: ${err.message}`));
        resolve({ username: user.getUsername(), valid: s.isValid(), idToken: s.getIdToken().getJwtToken(), accessToken: s.getAccessToken().getJwtToken(), refreshToken: s.getRefreshToken().getToken() });
      });
    }), { ...pool, endpoint: emulator.url }),

    refresh: (tab, pool) => tab.evaluate((p) => new Promise((resolve, reject) => {
      const userPool = new window.AmazonCognitoIdentity.CognitoUserPool({ UserPoolId: p.poolId, ClientId: p.clientId, endpoint: p.endpoint });
      const user = userPool.getCurrentUser();
      user.getSession((err, s) => {
        if (err) return reject(err);
        user.refreshSession(s.getRefreshToken(), (e, r) => (e ? reject(new Error(`${e.code}: ${e.message}`)) : resolve({ idToken: r.getIdToken().getJwtToken(), accessToken: r.getAccessToken().getJwtToken() })));
      });
    }), { ...pool, endpoint: emulator.url }),
  };

  const pageUrl = () => `${server.url}sessions.html?official`;

  test('the official library signs in → our SDK finds the session without a new sign-in and refreshes it', async () => {
    const pool = await poolWithUser(emulator);
    const context = await browser.newContext();
    try {
      const [tab] = await openTabs(context, 1, pageUrl());
      assert.equal(await tab.evaluate(() => typeof window.AmazonCognitoIdentity?.CognitoUserPool), 'function', 'the official bundle is loaded');
      const theirs = await official.signIn(tab, pool, pool.username);
      assert.equal(await tab.evaluate((c) => localStorage.getItem(`CognitoIdentityServiceProvider.${c}.LastAuthUser`), pool.clientId), pool.username,
        'the official library keeps LastAuthUser = USER_ID_FOR_SRP (the username)');

      // Our SDK, in the same page and in another tab.
      const [other] = await openTabs(context, 1, pageUrl(), clientOptions(emulator, pool));
      await tab.evaluate((o) => window.setUp(o), clientOptions(emulator, pool));
      const before = await emulator.counts(pool.poolId);
      for (const [where, page] of [['same page', tab], ['another tab', other]]) {
        const ours = await page.evaluate(() => window.tryGetSession());
        assert.ok(ours.ok && ours.session, `${where}: our getSession() finds the official library's session: ${JSON.stringify(ours)}`);
        assert.equal(ours.session.idToken, theirs.idToken, `${where}: same ID token`);
        assert.equal(ours.session.accessToken, theirs.accessToken, `${where}: same access token`);
        assert.equal(ours.session.refreshToken, theirs.refreshToken, `${where}: same refresh token`);
        assert.equal(ours.session.sub, pool.sub);
      }
      const after = await emulator.counts(pool.poolId);
      assert.equal(refreshesBetween(before, after), 0, 'no request: the session was simply read');
      assert.equal(after.RespondToAuthChallenge, before.RespondToAuthChallenge, 'no new sign-in');

      const refreshed = await tab.evaluate(() => window.tryGetSession({ forceRefresh: true }));
      assert.ok(refreshed.ok && refreshed.session, `our SDK refreshes the official library's session: ${JSON.stringify(refreshed)}`);
      assert.notEqual(refreshed.session.accessToken, theirs.accessToken, 'new tokens');
      assert.equal(refreshesBetween(after, await emulator.counts(pool.poolId)), 1, 'one refresh request');

      // …and the official library reads the refreshed session back.
      const back = await official.currentSession(tab, pool);
      assert.ok(back?.valid, `the official library still has a valid session: ${JSON.stringify(back)}`);
      assert.equal(back.accessToken, refreshed.session.accessToken, 'the official library sees our refreshed tokens');
      assert.equal(back.idToken, refreshed.session.idToken);
    } finally {
      await context.close();
    }
  });

  test("our SDK signs in → the official library's getCurrentUser().getSession() reads it", async () => {
    const pool = await poolWithUser(emulator);
    const context = await browser.newContext();
    try {
      const [tab] = await openTabs(context, 1, pageUrl(), clientOptions(emulator, pool));
      const ours = await signIn(tab, pool.username);
      assert.equal(await tab.evaluate((c) => localStorage.getItem(`CognitoIdentityServiceProvider.${c}.LastAuthUser`), pool.clientId), pool.username,
        'our SDK keeps LastAuthUser = USER_ID_FOR_SRP (the username), as the official library does');

      const [other] = await openTabs(context, 1, pageUrl());
      const before = await emulator.counts(pool.poolId);
      for (const [where, page] of [['same page', tab], ['another tab', other]]) {
        const theirs = await official.currentSession(page, pool);
        assert.ok(theirs, `${where}: getCurrentUser() is not null`);
        assert.equal(theirs.username, pool.username, `${where}: the current user is the username`);
        assert.equal(theirs.valid, true, `${where}: isValid()`);
        assert.equal(theirs.idToken, ours.idToken, `${where}: same ID token`);
        assert.equal(theirs.accessToken, ours.accessToken, `${where}: same access token`);
        assert.equal(theirs.refreshToken, ours.refreshToken, `${where}: same refresh token`);
      }
      assert.equal(refreshesBetween(before, await emulator.counts(pool.poolId)), 0, 'the official library made no request');

      // The official library refreshes our session (REFRESH_TOKEN_AUTH); our SDK reads its tokens.
      const theirRefresh = await official.refresh(other, pool);
      assert.notEqual(theirRefresh.accessToken, ours.accessToken);
      const after = await tab.evaluate(() => window.tryGetSession());
      assert.equal(after.session?.accessToken, theirRefresh.accessToken, "our SDK reads the official library's refreshed tokens");
      assert.equal(after.session?.idToken, theirRefresh.idToken);
    } finally {
      await context.close();
    }
  });
});
