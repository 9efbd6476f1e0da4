// Redirect sign-in (managed login, authorization code + PKCE) in real browsers, Chromium through Playwright and
// Firefox through WebDriver (pages/browsers.mjs): an app page (pages/redirect.html, served from
// http://localhost:PORT — the callback URL, as Cognito allows http only on localhost) whose buttons go to the
// emulator's managed login and simulated providers, clicked through as a person would; the return completed by
// the client the page constructs on load. Then the session's life (reload, forced refresh, a second tab, sign-out
// through /logout) and the returns that must fail, each with its typed name and the session kept.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './pages/browsers.mjs';
import { PASSWORD, startEmulator, startStaticServer } from './pages/harness.mjs';

const PROVIDERS = ['Google', 'Facebook', 'SignInWithApple', 'LoginWithAmazon', 'Corp'];
const SESSION_PREFIX = 'CognitoIdentityServiceProvider.';

for (const browserName of ['chromium', 'firefox']) {
  describe(`redirect sign-in in ${browserName}`, () => {
    let emulator;
    let server;
    let browser;
    let app;

    before(async () => {
      // Tokens that outlive the test: a failed return must leave them byte for byte, so no refresh may happen.
      emulator = await startEmulator({ accessTtl: 3600, idTtl: 3600 });
      server = await startStaticServer();
      app = `${server.url.replace('//127.0.0.1:', '//localhost:')}redirect.html`;
      browser = await launch(browserName);
    });
    after(async () => {
      await browser?.close();
      await server?.close();
      await emulator?.stop();
    });

    /** A pool whose client lists every simulated provider, with the app page as callback and sign-out URL. */
    async function createPool() {
      const pool = await emulator.post('pools', {
        identityProviders: [
          ...PROVIDERS.slice(0, 4).map((name) => ({ name, type: name })),
          { name: 'Corp', type: 'OIDC', attributeMapping: { email: 'email', name: 'name' } },
        ],
        clients: [{
          oauth: {
            callbackUrls: [app],
            logoutUrls: [app],
            flows: ['code'],
            scopes: ['openid', 'email', 'profile', 'aws.cognito.signin.user.admin'],
            identityProviders: ['COGNITO', ...PROVIDERS],
          },
        }],
      });
      return { poolId: pool.poolId, clientId: pool.clients[0].clientId };
    }

    /** A browser profile with a tab on the app page, its client set up for `pool` (the options in localStorage). */
    async function openApp(pool) {
      const profile = await browser.newProfile();
      const tab = await profile.newTab();
      await tab.goto(app);
      await tab.evaluate((o) => localStorage.setItem('redirect-test-options', JSON.stringify(o)), {
        userPoolId: pool.poolId,
        clientId: pool.clientId,
        endpoint: emulator.url,
        oauth: { domain: emulator.url.replace(/\/$/, ''), redirectSignIn: app, redirectSignOut: app },
      });
      await load(tab);
      return { profile, tab };
    }

    /** Loads `url` (the app page by default) and waits until the page has settled on a state. */
    async function load(tab, url = app) {
      await tab.goto(url);
      return settled(tab);
    }

    /**
     * Waits until the app page has settled on one of `states`; after `leaving(tab)`, only a page loaded since (the
     * page that was there may show the state before it navigates away).
     */
    function settled(tab, states = ['signed-in', 'signed-out', 'held']) {
      return tab.waitFor((s) => !window.leaving && window.pageReady && location.pathname === '/redirect.html' &&
        s.includes(document.body.dataset.state) && document.body.dataset.state, states, `the app page to settle (${states.join(' or ')})`);
    }

    const leaving = (tab) => tab.evaluate(() => { window.leaving = true; return true; });

    const view = (tab) => tab.evaluate(() => ({
      state: document.body.dataset.state,
      username: document.getElementById('whoami').textContent,
      provider: document.getElementById('provider').textContent,
      search: location.search,
    }));

    const events = (tab) => tab.evaluate(() => window.events ?? []);

    /** What this origin keeps of the session (the tokens and the user's name, under the acij/Amplify keys). */
    const stored = (tab, prefix = SESSION_PREFIX) => tab.evaluate((p) => Object.fromEntries(
      Object.keys(localStorage).filter((k) => k.startsWith(p)).sort().map((k) => [k, localStorage.getItem(k)])), prefix);

    const pendingFlow = (tab, pool) => tab.evaluate((k) => sessionStorage.getItem(k), `cognito-wasm.${pool.clientId}.pendingRedirect`);

    /** Waits for `path` (a path on the emulator) to show `selector`. */
    const atEmulator = (tab, path, selector) => tab.waitFor(([p, s]) => location.pathname.startsWith(p) && document.querySelector(s) !== null,
      [path, selector], `${path} with ${selector}`);

    async function signInAt(tab, provider, email) {
      await tab.click(`#signin-${provider}`);
      await atEmulator(tab, `/__providers__/${provider}/authorize`, '#email');
      await tab.fill('#email', email);
      await tab.fill('#name', `Name of ${email}`);
      await tab.click('#continue');
      return settled(tab, ['signed-in']);
    }

    async function signOutThroughLogout(tab) {
      await leaving(tab);
      await tab.click('#signout');
      await settled(tab, ['signed-out']);
      assert.deepEqual(await stored(tab), {}, 'nothing of the session is left in storage');
    }

    test('each provider, clicked through, signs in with its identities claim; reload, refresh, /logout', async () => {
      const pool = await createPool();
      const { profile, tab } = await openApp(pool);
      try {
        assert.equal((await view(tab)).state, 'signed-out');
        const users = new Set();
        for (const provider of PROVIDERS) {
          const email = `${provider.toLowerCase()}-user@example.com`;
          // customState is handed back, never navigated to.
          await tab.evaluate((c) => sessionStorage.setItem('redirect-test-custom-state', c), `https://evil.example/${provider}`);
          await signInAt(tab, provider, email);
          const shown = await view(tab);
          assert.equal(shown.provider, provider, `${provider}: the identities claim names the provider`);
          assert.match(shown.username, new RegExp(`^${provider}_`, 'i'), `${provider}: a federated user's name`);
          assert.equal(shown.search, '', `${provider}: code and state are gone from the address bar`);
          assert.equal(await tab.url(), app, `${provider}: still on the app page`);
          const seen = await events(tab);
          assert.deepEqual(seen.map((e) => e.event), ['signedIn', 'customState'], `${provider}: ${JSON.stringify(seen)}`);
          assert.equal(seen[1].customState, `https://evil.example/${provider}`);
          assert.equal(await pendingFlow(tab, pool), null, `${provider}: the flow is gone once used`);
          users.add(shown.username);

          if (provider === 'Google') {
            const session = await tab.evaluate(async () => {
              const s = await window.auth.getSession();
              return { access: s.accessToken, email: s.idTokenPayload.email, groups: s.idTokenPayload['cognito:groups'] };
            });
            assert.equal(session.email, email);
            assert.ok(session.groups.includes(`${pool.poolId}_Google`), `the provider's group: ${session.groups}`);
            // A reload keeps the session, without a request.
            assert.equal(await load(tab), 'signed-in');
            assert.equal((await view(tab)).username, shown.username, 'the same user after a reload');
            assert.deepEqual(await events(tab), [], 'a reload is not a sign-in');
            const refreshed = await tab.evaluate(async () => {
              const s = await window.auth.getSession({ forceRefresh: true });
              return { access: s.accessToken, username: s.accessTokenPayload.username };
            });
            assert.notEqual(refreshed.access, session.access, 'forced refresh: new tokens');
            assert.equal(refreshed.username.toLowerCase(), shown.username.toLowerCase());
            const info = await tab.evaluate(() => window.auth.fetchUserInfo());
            assert.equal(info.email, email, 'userInfo of the federated user');
          }

          await signOutThroughLogout(tab);
          if (provider === 'Google') {
            // /logout ended managed login's own session too: the next visit asks for a sign-in again.
            await tab.click('#signin-hosted');
            await atEmulator(tab, '/login', '#username');
            await load(tab);
          }
        }
        assert.equal(users.size, PROVIDERS.length, 'one user per provider');
        // The same identity again is the same user.
        await tab.evaluate(() => sessionStorage.removeItem('redirect-test-custom-state'));
        await signInAt(tab, 'Facebook', 'facebook-user@example.com');
        assert.ok(users.has((await view(tab)).username), 'Facebook a second time: the same user');
      } finally {
        await profile.close();
      }
    });

    test('managed login with a password; a second tab sees the sign-in and the sign-out', async () => {
      const pool = await createPool();
      const username = `pw${Date.now().toString(36)}`;
      await emulator.post('users', { poolId: pool.poolId, username, password: PASSWORD, attributes: { email: `${username}@example.com` } });
      const { profile, tab } = await openApp(pool);
      try {
        const other = await profile.newTab();
        assert.equal(await load(other), 'signed-out');

        await tab.click('#signin-hosted');
        await atEmulator(tab, '/login', '#username');
        await tab.fill('#username', username);
        await tab.fill('#password', 'not-the-password');
        await tab.click('#signin');
        await atEmulator(tab, '/login', '#error');
        assert.equal(await tab.evaluate(() => document.getElementById('error').textContent), 'Incorrect username or password.');
        await tab.fill('#password', PASSWORD);
        await tab.click('#signin');
        await settled(tab, ['signed-in']);
        const shown = await view(tab);
        assert.equal(shown.username, username);
        assert.equal(shown.provider, '', 'no identities claim for a pool user');

        // The other tab learns of it without reloading.
        await other.waitFor(() => document.body.dataset.state === 'signed-in', null, 'the other tab to see the sign-in');
        assert.equal((await view(other)).username, username);
        assert.ok((await events(other)).some((e) => e.event === 'signedIn'));

        await signOutThroughLogout(tab);
        await other.waitFor(() => document.body.dataset.state === 'signed-out', null, 'the other tab to see the sign-out').catch(async (e) => {
          throw new Error(`${e.message}: ${JSON.stringify(await events(other))} ${JSON.stringify(await view(other))} ${JSON.stringify(await stored(other))}`);
        });
        assert.ok((await events(other)).some((e) => e.event === 'signedOut'));

        // The login page's provider buttons lead to the provider too.
        await tab.click('#signin-hosted');
        await atEmulator(tab, '/login', '#provider-Google');
        await tab.click('#provider-Google');
        await atEmulator(tab, '/__providers__/Google/authorize', '#email');
        await tab.fill('#email', 'from-login-page@example.com');
        await tab.click('#continue');
        await settled(tab, ['signed-in']);
        assert.equal((await view(tab)).provider, 'Google');
      } finally {
        await profile.close();
      }
    });

    test('a failed return is a typed error, keeps the signed-in user and leaves no flow behind', async () => {
      const pool = await createPool();
      const username = `kept${Date.now().toString(36)}`;
      await emulator.post('users', { poolId: pool.poolId, username, password: PASSWORD, attributes: { email: `${username}@example.com` } });
      const { profile, tab } = await openApp(pool);
      try {
        const result = await tab.evaluate(([u, p]) => window.auth.signIn({ username: u, password: p }), [username, PASSWORD]);
        assert.equal(result.isSignedIn, true);
        assert.equal(await load(tab), 'signed-in');
        let before = await stored(tab);
        assert.ok(Object.keys(before).length >= 4, `a stored session: ${Object.keys(before)}`);

        /** Starts a flow and stops at its return (the page holds the URL): the URL. */
        const held = async (t, args = { provider: 'Google', loginHint: 'mallory@example.com' }) => {
          await t.evaluate(() => sessionStorage.setItem('redirect-test-hold', '1'));
          await t.evaluate((a) => { window.auth.signInWithRedirect(a).catch(() => {}); return true; }, args);
          await settled(t, ['held']);
          return t.evaluate(() => { sessionStorage.removeItem('redirect-test-hold'); return window.held; });
        };
        /** Loads a return and checks that it failed with `name`, keeping what was stored and no flow. */
        const fails = async (t, url, name, what) => {
          await t.goto(url);
          const failure = await t.waitFor(() => window.events?.find((e) => e.event === 'signInWithRedirectFailure' || e.event === 'signedIn'),
            null, `${what}: the return's outcome`);
          assert.equal(failure.event, 'signInWithRedirectFailure', `${what}: ${JSON.stringify(failure)}`);
          assert.equal(failure.error.name, name, `${what}: ${failure.error.message}`);
          assert.equal(await settled(t, ['signed-in']), 'signed-in', `${what}: still signed in`);
          assert.deepEqual(await stored(t), before, `${what}: the stored session is byte for byte the same`);
          assert.equal(await pendingFlow(t, pool), null, `${what}: no flow (and no verifier) left behind`);
          assert.equal((await view(t)).search, '', `${what}: the address bar is cleaned`);
          const shown = await t.evaluate(() => document.querySelector('#events li[data-error]')?.dataset.error);
          assert.equal(shown, name, `${what}: the page's listener got the error`);
        };
        const editFlow = (t, changes) => t.evaluate(([k, c]) => {
          sessionStorage.setItem(k, JSON.stringify({ ...JSON.parse(sessionStorage.getItem(k)), ...c }));
          return true;
        }, [`cognito-wasm.${pool.clientId}.pendingRedirect`, changes]);

        // A tampered state, then the genuine one again: the flow was used up by the failure.
        const genuine = await held(tab);
        const tampered = new URL(genuine);
        tampered.searchParams.set('state', `${tampered.searchParams.get('state').slice(0, -2)}xx`);
        await fails(tab, tampered.href, 'OAuthStateMismatchException', 'a tampered state');
        await fails(tab, genuine, 'OAuthStateMismatchException', 'a state already used');

        // Another tab's flow: tabs have their own sessionStorage, so its return does not match this tab's flow.
        const second = await profile.newTab();
        await load(second);
        const theirs = await held(second);
        await held(tab);
        await fails(tab, theirs, 'OAuthStateMismatchException', "another tab's flow");
        await second.close();

        // The flow in sessionStorage changed before the return: the token endpoint refuses, or the SDK does.
        let url = await held(tab);
        await editFlow(tab, { verifier: 'v'.repeat(43) });
        await fails(tab, url, 'invalid_grant', 'a wrong verifier');
        url = await held(tab);
        await editFlow(tab, { redirectUri: app.replace('redirect.html', 'elsewhere.html') });
        await fails(tab, url, 'invalid_grant', 'a redirect_uri mismatch');
        url = await held(tab);
        await editFlow(tab, { expiresAt: Date.now() - 1 });
        await fails(tab, url, 'OAuthFlowExpiredException', 'an expired flow');

        // At the provider: the user cancels; the provider reports an error.
        await tab.evaluate(() => sessionStorage.setItem('redirect-test-hold', '1'));
        await tab.click('#signin-Google');
        await atEmulator(tab, '/__providers__/Google/authorize', '#cancel');
        const providerPage = await tab.url();
        await tab.click('#cancel');
        await settled(tab, ['held']);
        url = await tab.evaluate(() => { sessionStorage.removeItem('redirect-test-hold'); return window.held; });
        await fails(tab, url, 'access_denied', 'the user cancels at the provider');
        await tab.evaluate(() => sessionStorage.setItem('redirect-test-hold', '1'));
        await tab.click('#signin-Google');
        await atEmulator(tab, '/__providers__/Google/authorize', '#cancel');
        const withError = new URL(await tab.url());
        withError.searchParams.set('error', 'temporarily_unavailable');
        withError.searchParams.set('error_description', 'The provider is down');
        assert.notEqual(withError.searchParams.get('state'), new URL(providerPage).searchParams.get('state'));
        await tab.goto(withError.href);
        await settled(tab, ['held']);
        url = await tab.evaluate(() => { sessionStorage.removeItem('redirect-test-hold'); return window.held; });
        await fails(tab, url, 'temporarily_unavailable', "the provider's error");

        // A code is good once: a return that succeeds, then the same URL with its flow put back.
        url = await held(tab);
        const flow = await pendingFlow(tab, pool);
        await tab.goto(url);
        await tab.waitFor(() => window.events?.some((e) => e.event === 'signedIn'), null, 'the genuine return to sign in');
        assert.match((await view(tab)).username, /^google_/i, 'the genuine return signed Mallory in');
        before = await stored(tab);
        await tab.evaluate(([k, f]) => { sessionStorage.setItem(k, f); return true; }, [`cognito-wasm.${pool.clientId}.pendingRedirect`, flow]);
        await fails(tab, url, 'invalid_grant', 'a reused code');
        await fails(tab, url, 'OAuthStateMismatchException', 'a reused callback URL');
      } finally {
        await profile.close();
      }
    });
  });
}
