// The demo page's second factors, each against a fresh pool made through the emulator's test-only
// endpoint and configured in the page's settings panel: TOTP set-up then TOTP sign-in, SMS MFA (with a
// reload half-way), email-OTP sign-in through USER_AUTH's first-factor choice, and a remembered device
// that skips MFA. TOTP codes are computed here (RFC 6238), so the emulator's check is a real one.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import qrcode from 'qrcode-generator';
import { qrPath } from '../../www/qr.js';
import {
  useEnvironment, withPage, open, settled, act, configurePool, signUp, confirmSignUp, signIn, signOut, enterCode,
  createPool, createUser, latestCode, freshTotp, uniqueUser, claim, view, assertStep, assertSignedIn,
  assertSuccess, assertError, screenshot, PASSWORD,
} from './lib.mjs';

const PHONE = '+15555550123';

describe('demo page: MFA, passwordless codes and remembered devices', { timeout: 240_000 }, () => {
  useEnvironment();

  it('TOTP: set-up during sign-in (QR code and secret), then signing in with a TOTP code', async (t) => {
    const pool = await createPool({ mfa: 'ON', mfaTypes: ['SOFTWARE_TOKEN_MFA'] });
    await withPage(t, async (page) => {
      await open(page);
      await configurePool(page, pool);
      const user = uniqueUser('totp');
      await signUp(page, user);
      await confirmSignUp(page, (await latestCode(pool.poolId, user.username, { purpose: 'SIGN_UP' })).code);

      // The pool requires MFA and the user has none: the first sign-in sets up an authenticator app.
      await signIn(page, user.username, PASSWORD);
      await assertStep(page, 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP', 'first sign-in');
      await page.waitForSelector('#step-totp-qr[data-rendered="true"] svg path');
      const secret = await page.getAttribute('#step-totp-secret', 'data-secret');
      assert.match(secret, /^[A-Z2-7]{16,}$/, 'the shared secret is base32');
      assert.equal((await page.innerText('#step-totp-secret')).replace(/\s/g, ''), secret, 'the secret is shown as text');
      const uri = await page.textContent('#step-totp-uri');
      assert.ok(uri.startsWith('otpauth://totp/'), `set-up URI: ${uri}`);
      assert.ok(uri.includes(`secret=${secret}`), `the URI carries the secret: ${uri}`);
      assert.ok(uri.includes(encodeURIComponent(user.username)), `the URI names the user: ${uri}`);
      // The QR code drawn is the URI's: rebuild its modules here with the same encoder.
      assert.equal(await page.getAttribute('#step-totp-qr', 'data-text'), uri);
      const drawn = await page.getAttribute('#step-totp-qr svg path', 'd');
      const expected = qrPath(qrcode, uri);
      assert.equal(drawn, expected.d, 'the QR code encodes the set-up URI');
      assert.equal(Number(await page.getAttribute('#step-totp-qr', 'data-modules')), expected.modules);
      const box = await page.locator('#step-totp-qr svg').boundingBox();
      assert.ok(box && box.width >= 150 && box.height >= 150, `the QR code is big enough to scan: ${JSON.stringify(box)}`);
      await screenshot(page, 'totp-setup');
      await page.setViewportSize({ width: 390, height: 844 });
      await screenshot(page, 'totp-setup-mobile');
      await page.setViewportSize({ width: 1200, height: 900 });

      const used = new Set();
      await page.fill('#step-totp-code', await freshTotp(secret, used));
      await page.fill('#step-totp-device-name', 'Test phone');
      assertSuccess(await act(page, '#step-totp-submit'), 'verifying the first TOTP code');
      await assertSignedIn(page, user.username, 'after TOTP set-up');
      await page.waitForSelector('#mfa[data-loaded]');
      assert.match((await page.getAttribute('#mfa', 'data-enabled')) || '', /TOTP/, 'the MFA panel shows TOTP enabled');
      await screenshot(page, 'totp-signed-in');

      await signOut(page);

      // Signing in again asks for a code from the app.
      await signIn(page, user.username, PASSWORD);
      await assertStep(page, 'CONFIRM_SIGN_IN_WITH_TOTP_CODE', 'second sign-in');
      assert.match(await page.innerText('#step-code-where'), /authenticator app/i);
      assert.equal(await page.isVisible('#step-code-emulator'), false, 'no emulator code link for TOTP');
      await screenshot(page, 'totp-code');
      const current = await freshTotp(secret, used);
      const wrong = String((Number(current) + 500_000) % 1_000_000).padStart(6, '0');
      assertError(await enterCode(page, wrong), 'CodeMismatchException', 'a wrong TOTP code');
      await assertStep(page, 'CONFIRM_SIGN_IN_WITH_TOTP_CODE', 'after a wrong code');
      assertSuccess(await enterCode(page, current), 'the right TOTP code');
      await assertSignedIn(page, user.username, 'after the TOTP code');
    });
  });

  it('SMS MFA: the code form says where the code went, survives a reload, refuses a wrong code', async (t) => {
    const pool = await createPool({ mfa: 'ON', mfaTypes: ['SMS_MFA'] });
    const user = uniqueUser('sms');
    await createUser({
      poolId: pool.poolId, username: user.username, password: PASSWORD,
      attributes: { email: user.email, phone_number: PHONE }, mfa: { sms: true },
    });
    await withPage(t, async (page) => {
      await open(page);
      await configurePool(page, pool);
      await signIn(page, user.username, PASSWORD);
      await assertStep(page, 'CONFIRM_SIGN_IN_WITH_SMS_CODE', 'sign-in');
      const where = await page.innerText('#step-code-where');
      assert.match(where, /by SMS to \S*0123/, `the form says where the code went: ${where}`);
      const sent = await latestCode(pool.poolId, user.username, { purpose: 'SMS_MFA' });
      assert.equal(sent.deliveryMedium, 'SMS');
      assert.ok(where.includes(sent.destination), `the destination Cognito gave (${sent.destination}) is shown: ${where}`);
      assert.match(await page.getAttribute('#step-code-link', 'href'), new RegExp(`/__emulator__/codes/${user.username}\\?poolId=${pool.poolId}$`));
      await screenshot(page, 'sms-code');

      // The pending sign-in survives a reload: the page shows the same step again.
      await page.reload();
      assert.equal(await settled(page), 'challenge', 'after a reload the pending step is shown');
      await assertStep(page, 'CONFIRM_SIGN_IN_WITH_SMS_CODE', 'after reload');
      assert.match(await page.innerText('#step-code-where'), /by SMS to \S*0123/, 'where the code went, after reload');
      assert.match(await page.innerText('#challenge-user'), new RegExp(user.username));

      const wrong = sent.code === '000000' ? '111111' : '000000';
      assertError(await enterCode(page, wrong), 'CodeMismatchException', 'a wrong SMS code');
      await assertStep(page, 'CONFIRM_SIGN_IN_WITH_SMS_CODE', 'after a wrong code');

      assertSuccess(await enterCode(page, sent.code), 'the SMS code');
      await assertSignedIn(page, user.username, 'after the SMS code');
      assert.equal(await claim(page, 'phone_number'), PHONE);
    });
  });

  it('email OTP: passwordless sign-in (USER_AUTH), choosing EMAIL_OTP; cancelling a sign-in', async (t) => {
    const pool = await createPool({ firstAuthFactors: ['PASSWORD', 'EMAIL_OTP'] });
    const user = uniqueUser('otp');
    await createUser({ poolId: pool.poolId, username: user.username, password: PASSWORD, attributes: { email: user.email } });
    await withPage(t, async (page) => {
      await open(page);
      await configurePool(page, pool);
      await page.fill('#signin-username', user.username);

      // Start, then cancel: back to the sign-in form.
      await act(page, '#signin-choose');
      await assertStep(page, 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION', 'passwordless sign-in');
      assertSuccess(await act(page, '#cancel-signin'), 'cancelling the sign-in');
      assert.deepEqual(await view(page), { state: 'signed-out', step: null });
      await page.reload();
      assert.equal(await settled(page), 'signed-out', 'a cancelled sign-in does not come back after a reload');

      await page.fill('#signin-username', user.username);
      await act(page, '#signin-choose');
      await assertStep(page, 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION', 'passwordless sign-in, again');
      const offered = await page.$$eval('#step-factor-options button[data-factor]', (bs) => bs.map((b) => b.dataset.factor));
      assert.ok(offered.includes('EMAIL_OTP'), `EMAIL_OTP is offered: ${offered}`);
      assert.ok(offered.some((f) => f.startsWith('PASSWORD')), `a password factor is offered: ${offered}`);
      assert.ok(!offered.includes('SMS_OTP'), `SMS_OTP is not offered by this pool: ${offered}`);
      await screenshot(page, 'first-factor-selection');

      await act(page, '#step-factor-options button[data-factor="EMAIL_OTP"]');
      await assertStep(page, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE', 'after choosing EMAIL_OTP');
      const sent = await latestCode(pool.poolId, user.username, { purpose: 'EMAIL_OTP' });
      assert.equal(sent.deliveryMedium, 'EMAIL');
      const where = await page.innerText('#step-code-where');
      assert.ok(where.includes(`by email to ${sent.destination}`), `the form says where the code went: ${where}`);
      await screenshot(page, 'email-code');
      assertSuccess(await enterCode(page, sent.code), 'the email code');
      await assertSignedIn(page, user.username, 'after the email code');
      assert.equal(await claim(page, 'email'), user.email);
    });
  });

  it('a remembered device skips MFA on the next sign-in; forgetting it brings MFA back', async (t) => {
    const pool = await createPool({ mfa: 'ON', mfaTypes: ['SMS_MFA'], deviceTracking: 'ALWAYS' });
    const user = uniqueUser('device');
    await createUser({
      poolId: pool.poolId, username: user.username, password: PASSWORD,
      attributes: { email: user.email, phone_number: PHONE }, mfa: { sms: true },
    });
    await withPage(t, async (page) => {
      await open(page);
      await configurePool(page, pool);

      await signIn(page, user.username, PASSWORD);
      await assertStep(page, 'CONFIRM_SIGN_IN_WITH_SMS_CODE', 'first sign-in on this device');
      const first = await latestCode(pool.poolId, user.username, { purpose: 'SMS_MFA' });
      assertSuccess(await enterCode(page, first.code), 'the SMS code');
      await assertSignedIn(page, user.username, 'after the SMS code');
      await page.waitForSelector('#device-list[data-loaded]');
      assert.equal(await page.getAttribute('#device-list', 'data-count'), '1', 'one device is listed');
      const key = await page.getAttribute('#device-list li[data-device-key]', 'data-device-key');
      assert.match(key, /^us-east-1_/, `device key: ${key}`);
      assert.equal(await page.getAttribute('#device-list li[data-device-key]', 'data-this-device'), 'true', 'it is marked as this device');
      await screenshot(page, 'device-remembered');
      await signOut(page);

      // Same browser context (the device's keys are in its localStorage): no code this time.
      const again = await signIn(page, user.username, PASSWORD);
      assertSuccess(again, 'signing in on the remembered device');
      await assertSignedIn(page, user.username, 'second sign-in skips MFA');
      const latest = await latestCode(pool.poolId, user.username, { purpose: 'SMS_MFA' });
      assert.deepEqual([latest.code, latest.sentAt], [first.code, first.sentAt], 'no new SMS code was sent');
      await page.waitForSelector('#device-list[data-loaded]');
      assert.equal(await page.getAttribute(`#device-list li[data-device-key="${key}"]`, 'data-this-device'), 'true', 'the same device');

      // Forget it: the next sign-in asks for a code again.
      assertSuccess(await act(page, `#device-list button[data-forget="${key}"]`), 'forgetting the device');
      assert.equal(await page.getAttribute('#device-list', 'data-count'), '0', 'no device is listed after forgetting it');
      await signOut(page);
      await signIn(page, user.username, PASSWORD);
      await assertStep(page, 'CONFIRM_SIGN_IN_WITH_SMS_CODE', 'sign-in after forgetting the device');
      const third = await latestCode(pool.poolId, user.username, { purpose: 'SMS_MFA', newerThan: first });
      assertSuccess(await enterCode(page, third.code), 'the new SMS code');
      await assertSignedIn(page, user.username, 'after the new SMS code');
    });
  });
  it('MFA selection: a user with SMS and TOTP chooses the authenticator app', async (t) => {
    const pool = await createPool({ mfa: 'OPTIONAL', mfaTypes: ['SMS_MFA', 'SOFTWARE_TOKEN_MFA'] });
    const user = uniqueUser('choose');
    const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    await createUser({
      poolId: pool.poolId, username: user.username, password: PASSWORD,
      attributes: { email: user.email, phone_number: PHONE }, mfa: { sms: true, totpSecret: secret },
    });
    await withPage(t, async (page) => {
      await open(page);
      await configurePool(page, pool);
      await signIn(page, user.username, PASSWORD);
      await assertStep(page, 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION', 'sign-in with two factors');
      const offered = await page.$$eval('#step-mfa-options button[data-mfa]', (bs) => bs.map((b) => b.dataset.mfa));
      assert.deepEqual([...offered].sort(), ['SMS', 'TOTP'], 'both factors are offered');
      await screenshot(page, 'mfa-selection');
      await act(page, '#step-mfa-options button[data-mfa="TOTP"]');
      await assertStep(page, 'CONFIRM_SIGN_IN_WITH_TOTP_CODE', 'after choosing TOTP');
      assertSuccess(await enterCode(page, await freshTotp(secret)), 'the TOTP code');
      await assertSignedIn(page, user.username, 'after choosing TOTP');
    });
  });

  it('MFA set-up selection, then email set-up: the user picks email and gives an address', async (t) => {
    const pool = await createPool({ mfa: 'ON', mfaTypes: ['SOFTWARE_TOKEN_MFA', 'EMAIL_OTP'] });
    const user = uniqueUser('setup');
    await createUser({ poolId: pool.poolId, username: user.username, password: PASSWORD, attributes: { phone_number: PHONE } });
    await withPage(t, async (page) => {
      await open(page);
      await configurePool(page, pool);
      await signIn(page, user.username, PASSWORD);
      await assertStep(page, 'CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION', 'sign-in without a second factor');
      const offered = await page.$$eval('#step-mfa-options button[data-mfa]', (bs) => bs.map((b) => b.dataset.mfa));
      assert.deepEqual([...offered].sort(), ['EMAIL', 'TOTP'], 'the factors the pool offers for set-up');
      await screenshot(page, 'mfa-setup-selection');
      await act(page, '#step-mfa-options button[data-mfa="EMAIL"]');
      await assertStep(page, 'CONTINUE_SIGN_IN_WITH_EMAIL_SETUP', 'after choosing email');
      await page.fill('#step-email', user.email);
      await screenshot(page, 'email-setup');
      await act(page, '#step-email-submit');
      await assertStep(page, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE', 'after giving the address');
      const sent = await latestCode(pool.poolId, user.username, { purpose: 'EMAIL_OTP' });
      assert.ok((await page.innerText('#step-code-where')).includes(sent.destination), 'where the code went');
      assertSuccess(await enterCode(page, sent.code), 'the email code');
      await assertSignedIn(page, user.username, 'after email set-up');
      await page.waitForSelector('#mfa[data-loaded]');
      assert.match((await page.getAttribute('#mfa', 'data-enabled')) || '', /EMAIL/, 'email MFA is enabled');
    });
  });

  it('USER_AUTH with a password: choosing PASSWORD_SRP asks for it; the USER_AUTH setting signs in directly', async (t) => {
    const pool = await createPool({ firstAuthFactors: ['PASSWORD', 'EMAIL_OTP'] });
    const user = uniqueUser('pwfactor');
    await createUser({ poolId: pool.poolId, username: user.username, password: PASSWORD, attributes: { email: user.email } });
    await withPage(t, async (page) => {
      await open(page);
      await configurePool(page, pool);
      await page.fill('#signin-username', user.username);
      await act(page, '#signin-choose');
      await assertStep(page, 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION', 'passwordless sign-in');
      await act(page, '#step-factor-options button[data-factor="PASSWORD_SRP"]');
      await assertStep(page, 'CONFIRM_SIGN_IN_WITH_PASSWORD', 'after choosing PASSWORD_SRP');
      await page.fill('#step-password', 'Wrong-Passw0rd!');
      assertError(await act(page, '#step-password-submit'), 'NotAuthorizedException', 'a wrong password');
      if ((await view(page)).state === 'challenge') {
        await page.fill('#step-password', PASSWORD);
        assertSuccess(await act(page, '#step-password-submit'), 'the password');
      } else {
        // The wrong password ended the sign-in (the page says so): start again.
        t.diagnostic('a wrong password at CONFIRM_SIGN_IN_WITH_PASSWORD ended the sign-in');
        await page.fill('#signin-username', user.username);
        await act(page, '#signin-choose');
        await act(page, '#step-factor-options button[data-factor="PASSWORD_SRP"]');
        await page.fill('#step-password', PASSWORD);
        assertSuccess(await act(page, '#step-password-submit'), 'the password, after starting again');
      }
      await assertSignedIn(page, user.username, 'with the password factor');
      await signOut(page);

      await configurePool(page, pool, { authFlow: 'USER_AUTH' });
      assertSuccess(await signIn(page, user.username, PASSWORD), 'USER_AUTH with a password typed');
      await assertSignedIn(page, user.username, 'USER_AUTH with PASSWORD_SRP preferred');
    });
  });
});
