// Refresh-token rotation with a retry grace period of 0 (the old refresh token dies the moment it is used) and
// five tabs refreshing at once, several rounds: nobody is signed out.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  openTabs, poolWithUser, clientOptions, signIn, waitUntilExpired, getSessionEverywhereAtOnce,
  refreshesBetween, cognito, evidence, events, startEnvironment, stopEnvironment,
} from './pages/harness.mjs';

const TABS = 5;
const ROUNDS = Number(process.env.SESSIONS_ROUNDS) || 5;

describe('refresh-token rotation, grace period 0, five tabs', () => {
  let emulator;
  let server;
  let browser;
  before(async () => ({ emulator, server, browser } = await startEnvironment({ accessTtl: 4, idTtl: 4 })));
  after(() => stopEnvironment({ emulator, server, browser }));

  for (const forceRefresh of [false, true]) {
    const how = forceRefresh ? 'getSession({ forceRefresh: true }) before expiry' : 'getSession() after expiry';
    test(`five tabs, ${how}, ${ROUNDS} rounds: nobody is signed out`, async (t) => {
      const pool = await poolWithUser(emulator, { clients: [{ refreshTokenRotation: true, retryGracePeriodSeconds: 0 }] });
      const context = await browser.newContext();
      const tabs = await openTabs(context, TABS, `${server.url}sessions.html`, clientOptions(emulator, pool));
      try {
        let session = await signIn(tabs[0], pool.username);
        const firstRefreshToken = session.refreshToken;
        const perRound = [];
        for (let round = 1; round <= ROUNDS; round++) {
          if (!forceRefresh) await waitUntilExpired(session.expiresAt);
          const before = await emulator.counts(pool.poolId);
          const results = await getSessionEverywhereAtOnce(tabs, forceRefresh ? { forceRefresh: true } : undefined);
          const count = refreshesBetween(before, await emulator.counts(pool.poolId));
          perRound.push(count);
          t.diagnostic(`rotation, ${how}, round ${round}: ${count} refresh request(s)`);
          const t0 = Math.min(...results.map((r) => r.calledAt));
          const why = async () => `round ${round} (before it: access …${session.accessToken.slice(-12)}, refresh …${session.refreshToken.slice(-8)}): ` +
            `${JSON.stringify(results.map((r) => (r.ok ? { token: r.session?.accessToken.slice(-12), refresh: r.session?.refreshToken?.slice(-8), called: r.calledAt - t0, done: r.doneAt - t0 } : r)))}\n${await evidence(tabs, emulator, pool.poolId)}`;
          assert.ok(results.every((r) => r.ok && r.session), `every tab still has a session: ${await why()}`);
          for (const [i, tab] of tabs.entries()) {
            const seen = await events(tab);
            assert.ok(!seen.includes('sessionExpired') && !seen.includes('signedOut'), `tab ${i} was not signed out: ${await why()}`);
          }
          // A tab that read storage while another tab's refresh was still arriving there must not pair the new
          // access token with the old (with grace period 0: revoked) refresh token, or the new ID token.
          const pairs = new Map();
          for (const r of results) pairs.set(r.session.accessToken, [...(pairs.get(r.session.accessToken) || []), `${r.session.idToken} ${r.session.refreshToken}`]);
          for (const group of pairs.values()) assert.equal(new Set(group).size, 1, `tabs with the same access token have the same ID and refresh tokens: ${await why()}`);
          if (!forceRefresh) {
            assert.equal(pairs.size, 1, `every tab has the same tokens: ${await why()}`);
            // The emulator's grace period is counted in whole seconds (a reuse within the same second passes),
            // so a duplicate refresh would not sign anyone out here: count them.
            assert.equal(count, 1, `one refresh request in round ${round}: ${await why()}`);
          } else if (count !== 1 || pairs.size !== 1) {
            // forceRefresh refreshes even fresh tokens: a tab whose call starts after another tab's refresh has
            // finished rightly refreshes again.
            t.diagnostic(`round ${round}: ${count} refreshes, ${pairs.size} different access tokens: ${(await why()).split('\n')[0]}`);
          }
          // The tokens every later step starts from: the newest in storage.
          const stored = await tabs[0].evaluate(() => window.tryGetSession());
          assert.notEqual(stored.session?.refreshToken, session.refreshToken, `the refresh token rotated: ${await why()}`);
          session = stored.session;
        }
        t.diagnostic(`rotation, ${how}: refresh requests per round: ${perRound.join(', ')}`);
        // The refresh token the tabs kept is the live one: Cognito still accepts it.
        const check = await cognito(emulator, 'GetTokensFromRefreshToken', { ClientId: pool.clientId, RefreshToken: session.refreshToken });
        assert.equal(check.status, 200, `the stored refresh token is the current one: ${JSON.stringify(check.body)}`);
        // And rotation really is on: the sign-in's refresh token, rotated seconds ago, is refused.
        const stale = await cognito(emulator, 'GetTokensFromRefreshToken', { ClientId: pool.clientId, RefreshToken: firstRefreshToken });
        assert.equal(stale.body.__type, 'NotAuthorizedException', `a rotated refresh token is refused: ${JSON.stringify(stale.body)}`);
      } finally {
        await context.close();
      }
    });
  }
});
