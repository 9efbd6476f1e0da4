// End-to-end test of the demo page (www/) against the local Cognito emulator, driven through a real
// headless Chromium with playwright-core: the basic flows on the emulator's default pool.
//
//   node --test tests/playwright/
//
// The harness and its environment variables are in lib.mjs. The screenshot of the signed-in view goes
// to tests/out/demo-signed-in.png.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  env, useEnvironment, withPage, open, act, configure, signUp, confirmSignUp, signIn, claim, latestCode, uniqueUser,
  message, assertSuccess, assertError, deadEndpoint, outDir, POOL_ID, PASSWORD,
} from './lib.mjs';

/** Read the latest confirmation code for `username` from the emulator's test-only endpoint. */
async function emulatorCode(username) {
  return (await latestCode(POOL_ID, username)).code;
}

// ------------------------------------------------------------------ suite

describe('demo page (www/) against the Cognito emulator', { timeout: 180_000 }, () => {
  useEnvironment();

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
      assert.equal(await page.inputValue('#settings-endpoint'), env.endpoint, 'the saved endpoint is unchanged');
    });
  });

  it('Sign in with Google and Facebook, and the managed login page, on the default pool as `make demo` has it', async (t) => {
    await withPage(t, async (page) => {
      assert.equal(await open(page), 'signed-out');
      await configure(page);
      assert.equal(await page.innerText('#redirect-url'), env.demoUrl, 'the page names its callback URL');
      for (const [button, provider] of [['#signin-google', 'Google'], ['#signin-facebook', 'Facebook']]) {
        await page.click(button);
        await page.waitForURL(new RegExp(`/__providers__/${provider}/authorize`));
        await page.fill('#email', `${provider.toLowerCase()}-demo@example.com`);
        await page.fill('#name', `${provider} Demo`);
        await page.click('#continue');
        await page.waitForSelector('body[data-state="signed-in"]');
        assert.equal(await page.url(), env.demoUrl, `${provider}: back on the page, code and state gone`);
        assert.match(await page.innerText('#whoami'), new RegExp(`^${provider}_`, 'i'));
        assert.match(await claim(page, 'identities'), new RegExp(`"providerName":\\s*"${provider}"`), `${provider}: the identities claim`);
        assertSuccess(await message(page), `${provider}: the page says so`);
        // Sign-out goes through managed login's /logout and back.
        await page.click('#signout');
        await page.waitForURL(/\/logout\?/).catch(() => {}); // passed through quickly
        await page.waitForURL(env.demoUrl);
        await page.waitForSelector('body[data-state="signed-out"]');
      }
      // The managed login page, with a pool user (the form's ids are the emulator's).
      const user = uniqueUser('hosted');
      await signUp(page, user);
      await confirmSignUp(page, await emulatorCode(user.username));
      await page.click('#signin-managed');
      await page.waitForSelector('#username');
      await page.fill('#username', user.username);
      await page.fill('#password', PASSWORD);
      await page.click('#signin');
      await page.waitForSelector('body[data-state="signed-in"]');
      assert.equal(await page.innerText('#whoami'), user.username);
      assert.equal(await claim(page, 'identities'), undefined, 'a pool user has no identities claim');
      // A forged return shows the typed error and keeps the user signed in.
      await page.goto(`${env.demoUrl}?code=forged&state=forged`);
      await page.waitForSelector('#message.error');
      const forged = await message(page);
      assert.equal(forged.name, 'OAuthStateMismatchException', forged.text);
      assert.equal(await page.getAttribute('body', 'data-state'), 'signed-in');
      assert.equal(await page.innerText('#whoami'), user.username);
      assert.equal(await page.url(), env.demoUrl, 'code and state are gone from the address bar');
    });
  });

  it('an unreachable endpoint shows NetworkError with a hint', async (t) => {
    await withPage(t, async (page) => {
      await open(page);
      const dead = await deadEndpoint();
      try {
        await configure(page, { endpoint: dead.url });
        assert.equal(await page.inputValue('#settings-endpoint'), dead.url);
        const msg = await signIn(page, 'nobody', PASSWORD);
        assertError(msg, 'NetworkError', 'signing in against an endpoint that drops connections');
        assert.match(msg.text, /is the emulator running\?/i, 'the hint for NetworkError');
      } finally {
        await dead.close();
      }
    }, { expectedLogs: /ERR_(CONNECTION_(REFUSED|RESET|CLOSED)|EMPTY_RESPONSE)/ });
  });
});
