// The built npm package (pkg/, from `make pkg`) imported in Node through its `exports` map, signing a user up
// and in against the emulator at COGNITO_ENDPOINT.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';

const ENDPOINT = process.env.COGNITO_ENDPOINT;
if (!ENDPOINT) throw new Error('COGNITO_ENDPOINT must name a running cognito-emulator (make test sets it)');
const POOL_ID = process.env.COGNITO_POOL_ID || 'us-east-1_Emul4tor';
const CLIENT_ID = process.env.COGNITO_CLIENT_ID || 'emulatorclient0000000000000';
const PASSWORD = 'Passw0rd!';

const pkgDir = new URL('../../pkg/', import.meta.url);
const manifest = JSON.parse(await readFile(new URL('package.json', pkgDir), 'utf8'));
const { CognitoAuth } = await import(new URL(manifest.exports['.'].node, pkgDir).href);

const unique = (prefix) => `${prefix}-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;

async function emulatorCode(username) {
  const response = await fetch(`${ENDPOINT}__emulator__/codes/${encodeURIComponent(username)}`);
  assert.equal(response.status, 200, `no confirmation code for ${username}`);
  return (await response.json()).code;
}

function auth(options = {}) {
  return new CognitoAuth({ userPoolId: POOL_ID, clientId: CLIENT_ID, endpoint: ENDPOINT, ...options });
}

test('the package signs up, confirms, signs in, refreshes and signs out in Node', async () => {
  const a = auth();
  const username = unique('node');
  const signedUp = await a.signUp({ username, password: PASSWORD, attributes: { email: `${username}@example.com` } });
  assert.equal(signedUp.userConfirmed, false);
  assert.match(signedUp.userSub, /^[0-9a-f-]{36}$/);
  await a.confirmSignUp({ username, code: await emulatorCode(username) });

  assert.deepEqual(await a.signIn({ username, password: PASSWORD }), { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  const session = await a.getSession();
  assert.equal(session.idTokenPayload['cognito:username'], username);
  assert.equal(session.accessTokenPayload.token_use, 'access');
  assert.ok(session.expiresAt > Date.now());

  const refreshed = await a.getSession({ forceRefresh: true });
  assert.notEqual(refreshed.accessToken, session.accessToken);
  assert.equal(refreshed.refreshToken, session.refreshToken);

  await a.signOut();
  assert.equal(await a.getSession(), null);
});

test('errors are Error objects named after Cognito exceptions', async () => {
  const a = auth();
  const wrong = await a.signIn({ username: unique('nobody'), password: PASSWORD }).catch((e) => e);
  assert.ok(wrong instanceof Error);
  assert.equal(wrong.name, 'UserNotFoundException');
  assert.equal(wrong.retryable, false);

  const bad = await auth({ userPoolId: 'not-a-pool' }).getSession().catch((e) => e);
  assert.equal(bad.name, 'InvalidParameterException');

  const offline = await auth({ endpoint: 'http://127.0.0.1:9/' }).signIn({ username: 'u', password: PASSWORD }).catch((e) => e);
  assert.equal(offline.name, 'NetworkError');
  assert.equal(offline.retryable, true);
});

test('storage defaults to memory in Node, where there is no localStorage', async () => {
  assert.equal(typeof globalThis.localStorage, 'undefined');
  assert.equal(await auth().getSession(), null);
  const err = await auth({ storage: 'localStorage' }).getSession().catch((e) => e);
  assert.equal(err.name, 'StorageError');
});

test('an engine without WebAssembly SIMD gets a typed error, not a CompileError', async () => {
  // A fresh instance of the Node entry (its own module state), imported while the engine "lacks" SIMD.
  const entry = new URL(manifest.exports['.'].node, pkgDir);
  const validate = WebAssembly.validate;
  WebAssembly.validate = () => false;
  try {
    const fresh = await import(`${entry.href}?without-simd`);
    const a = new fresh.CognitoAuth({ userPoolId: POOL_ID, clientId: CLIENT_ID, endpoint: ENDPOINT });
    await assert.rejects(a.getSession(), (e) => {
      assert.ok(fresh.isCognitoError(e, 'UnsupportedEnvironmentError'), `${e?.name}: ${e?.message}`);
      assert.equal(e.retryable, false);
      assert.match(e.message, /WebAssembly SIMD/);
      return true;
    });
  } finally {
    WebAssembly.validate = validate;
  }
});

test('the inline entry (the default condition) inflates the wasm it carries and works', async () => {
  const { decodeBase64, inflate } = await import(new URL('loader.js', pkgDir).href);
  const { default: deflated } = await import(new URL('cognito_wasm_bg.deflate.js', pkgDir).href);
  const wasm = await readFile(new URL('cognito_wasm_bg.wasm', pkgDir));
  const inflated = await inflate(decodeBase64(deflated));
  assert.equal(inflated.length, wasm.length);
  assert.ok(Buffer.from(inflated).equals(wasm), 'the inflated bytes are the .wasm file');

  const inline = await import(`${new URL(manifest.exports['.'].default, pkgDir).href}?inline`);
  const a = new inline.CognitoAuth({ userPoolId: POOL_ID, clientId: CLIENT_ID, endpoint: ENDPOINT, storage: 'memory' });
  assert.equal(await a.getSession(), null);
  const wrong = await a.signIn({ username: unique('inline'), password: PASSWORD }).catch((e) => e);
  assert.equal(wrong.name, 'UserNotFoundException');
});

test('an engine without DecompressionStream gets a typed error from the inline entry', async () => {
  const entry = new URL(manifest.exports['.'].default, pkgDir);
  const original = globalThis.DecompressionStream;
  delete globalThis.DecompressionStream;
  try {
    const fresh = await import(`${entry.href}?without-decompression-stream`);
    const a = new fresh.CognitoAuth({ userPoolId: POOL_ID, clientId: CLIENT_ID, endpoint: ENDPOINT, storage: 'memory' });
    await assert.rejects(a.getSession(), (e) => {
      assert.ok(fresh.isCognitoError(e, 'UnsupportedEnvironmentError'), `${e?.name}: ${e?.message}`);
      assert.equal(e.retryable, false);
      assert.match(e.message, /DecompressionStream/);
      return true;
    });
  } finally {
    globalThis.DecompressionStream = original;
  }
});

test('getSession() hands each caller its own copy, and sees tokens written behind its back', async () => {
  const username = unique('copies');
  const a = auth({ storage: 'memory' });
  await a.signUp({ username, password: PASSWORD, attributes: { email: `${username}@example.com` } });
  await a.confirmSignUp({ username, code: await emulatorCode(username) });
  await a.signIn({ username, password: PASSWORD });

  const first = await a.getSession();
  const second = await a.getSession();
  assert.notEqual(first, second);
  assert.deepEqual(first, second);
  first.idTokenPayload['cognito:username'] = 'changed';
  first.groups.push('admins');
  first.accessToken = 'changed';
  const third = await a.getSession();
  assert.equal(third.idTokenPayload['cognito:username'], username);
  assert.deepEqual(third.groups, second.groups);
  assert.equal(third.accessToken, second.accessToken);

  // Storage the app supplies, written by someone else between two calls (as another tab would): the next call
  // answers with what storage holds now, not with what it answered before.
  const items = new Map();
  const shared = { getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v), removeItem: (k) => void items.delete(k) };
  const b = auth({ storage: shared });
  await b.signIn({ username, password: PASSWORD });
  const before = await b.getSession();
  const c = auth({ storage: shared });
  const refreshed = await c.getSession({ forceRefresh: true });
  assert.notEqual(refreshed.accessToken, before.accessToken);
  assert.equal((await b.getSession()).accessToken, refreshed.accessToken);
  await b.signOut();
  assert.equal(await c.getSession(), null);
});

/** A storage object whose methods answer through Promises, later than at once, over a Map it exposes. */
function promiseStore() {
  const items = new Map();
  const later = () => new Promise((resolve) => setTimeout(resolve, 1));
  const store = {
    items,
    failWrites: false,
    async getItem(key) { await later(); return items.has(key) ? items.get(key) : null; },
    async setItem(key, value) {
      await later();
      if (store.failWrites) throw new Error('quota exceeded');
      items.set(key, value);
    },
    async removeItem(key) {
      await later();
      if (store.failWrites) throw new Error('quota exceeded');
      items.delete(key);
    },
  };
  return store;
}

async function emulatorPost(path, body) {
  const response = await fetch(`${ENDPOINT}__emulator__/${path}`, { method: 'POST', body: JSON.stringify(body) });
  assert.equal(response.status, 200, await response.clone().text());
  return response.json();
}

test('a storage object answering through Promises holds the session and the remembered device for every client on it', async () => {
  // Email as username: the device secrets go under the UUID and the typed email leads to them (deviceOwners).
  const pool = await emulatorPost('pools', { mfa: 'ON', mfaTypes: ['SMS_MFA'], deviceTracking: 'ALWAYS', usernameAttributes: ['email'] });
  const email = `${unique('promises')}@example.com`;
  const { username: uuid } = await emulatorPost('users', {
    poolId: pool.poolId, username: email, password: PASSWORD, attributes: { phone_number: '+14155550123' }, mfa: { sms: true },
  });
  const store = promiseStore();
  const client = () => new CognitoAuth({ userPoolId: pool.poolId, clientId: pool.clients[0].clientId, endpoint: ENDPOINT, storage: store });
  const code = async () => (await (await fetch(`${ENDPOINT}__emulator__/codes/${encodeURIComponent(email)}?poolId=${pool.poolId}`)).json()).code;
  const prefix = `CognitoIdentityServiceProvider.${pool.clients[0].clientId}`;

  const a = client();
  assert.equal((await a.signIn({ username: email, password: PASSWORD })).nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_SMS_CODE');
  assert.equal((await a.confirmSignIn({ challengeResponse: await code() })).isSignedIn, true);
  // Every write had finished when the call settled.
  assert.equal(store.items.get(`${prefix}.LastAuthUser`), uuid);
  assert.ok(store.items.get(`${prefix}.${uuid}.deviceKey`));
  assert.deepEqual(JSON.parse(store.items.get(`cognito-wasm.${pool.clients[0].clientId}.deviceOwners`)), { [email]: uuid });
  assert.equal((await a.fetchDevices()).length, 1);
  await a.signOut();
  assert.equal(store.items.has(`${prefix}.LastAuthUser`), false);

  // A new client (a reload) finds the device through the typed email, read ahead: no SMS code this time.
  const b = client();
  assert.deepEqual(await b.signIn({ username: email, password: PASSWORD }), { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  const before = await b.getSession();
  assert.equal(before.idTokenPayload['cognito:username'], uuid);

  // Another client refreshes; the first answers with what the store holds now.
  const c = client();
  const refreshed = await c.getSession({ forceRefresh: true });
  assert.notEqual(refreshed.accessToken, before.accessToken);
  assert.equal((await b.getSession()).accessToken, refreshed.accessToken);

  // A write the store refuses fails the call with a typed error, and what the store held stays.
  store.failWrites = true;
  const failed = await b.getSession({ forceRefresh: true }).catch((e) => e);
  assert.equal(failed.name, 'StorageError', String(failed));
  assert.match(failed.message, /quota exceeded/);
  store.failWrites = false;
  assert.equal((await c.getSession()).idTokenPayload['cognito:username'], uuid);
  await c.forgetDevice();
  assert.equal(store.items.has(`${prefix}.${uuid}.deviceKey`), false);
  await c.signOut();
  assert.equal(await b.getSession(), null);
});

test('each one-request method sends its own operation (loader.js numbers the methods for one wasm export)', async () => {
  const pool = await emulatorPost('pools', {});
  const username = unique('onerequest');
  await emulatorPost('users', { poolId: pool.poolId, username, password: PASSWORD, attributes: { email: `${username}@example.com` } });
  const a = new CognitoAuth({ userPoolId: pool.poolId, clientId: pool.clients[0].clientId, endpoint: ENDPOINT, storage: 'memory' });
  await a.signIn({ username, password: PASSWORD });
  const counts = async () => (await fetch(`${ENDPOINT}__emulator__/requests?poolId=${pool.poolId}`)).json();
  const calls = [
    ['fetchUserAttributes', 'GetUser', () => a.fetchUserAttributes()],
    ['fetchMFAPreference', 'GetUser', () => a.fetchMFAPreference()],
    ['updateUserAttributes', 'UpdateUserAttributes', () => a.updateUserAttributes({ userAttributes: { given_name: 'Ada' } })],
    ['sendUserAttributeVerificationCode', 'GetUserAttributeVerificationCode', () => a.sendUserAttributeVerificationCode({ userAttributeKey: 'email' })],
    ['confirmUserAttribute', 'VerifyUserAttribute', () => a.confirmUserAttribute({ userAttributeKey: 'email', confirmationCode: '000000' })],
    ['deleteUserAttributes', 'DeleteUserAttributes', () => a.deleteUserAttributes({ userAttributeKeys: ['given_name'] })],
    ['updateMFAPreference', 'SetUserMFAPreference', () => a.updateMFAPreference({ totp: 'DISABLED' })],
    ['verifyTOTPSetup', 'VerifySoftwareToken', () => a.verifyTOTPSetup({ code: '000000' })],
    ['updatePassword', 'ChangePassword', () => a.updatePassword({ oldPassword: PASSWORD, newPassword: PASSWORD })],
    ['resetPassword', 'ForgotPassword', () => a.resetPassword({ username })],
    ['confirmResetPassword', 'ConfirmForgotPassword', () => a.confirmResetPassword({ username, confirmationCode: '000000', newPassword: PASSWORD })],
    ['resendSignUpCode', 'ResendConfirmationCode', () => a.resendSignUpCode({ username })],
  ];
  for (const [method, operation, call] of calls) {
    const before = await counts();
    // Refusals count too (a wrong code): what matters is which operation reached the emulator.
    await call().catch(() => {});
    const after = await counts();
    const sent = Object.keys(after).filter((op) => (after[op] ?? 0) !== (before[op] ?? 0));
    assert.deepEqual(sent, [operation], `${method} sent ${sent.join(', ')}`);
  }
});

test("onAuthStateChange: a listener that throws does not stop the others, and one that unsubscribed hears nothing", { timeout: 30_000 }, async () => {
  const a = auth({ storage: 'memory' });
  const username = unique('listeners');
  await a.signUp({ username, password: PASSWORD, attributes: { email: `${username}@example.com` } });
  await a.confirmSignUp({ username, code: await emulatorCode(username) });
  const heard = { thrower: [], after: [], gone: [] };
  a.onAuthStateChange(({ event }) => {
    heard.thrower.push(event);
    throw new Error('an app bug');
  });
  a.onAuthStateChange(({ event, error }) => heard.after.push(error === undefined ? event : `${event}:${error.name}`));
  const unsubscribe = a.onAuthStateChange(({ event }) => heard.gone.push(event));
  await a.signIn({ username, password: PASSWORD });
  unsubscribe();
  await a.getSession({ forceRefresh: true });
  await a.signOut();
  assert.deepEqual(heard.thrower, ['signedIn', 'tokenRefresh', 'signedOut']);
  assert.deepEqual(heard.after, ['signedIn', 'tokenRefresh', 'signedOut'], 'the listener after the thrower heard each');
  assert.deepEqual(heard.gone, ['signedIn']);
});
