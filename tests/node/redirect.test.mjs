// Redirect sign-in (managed login, authorization code + PKCE) with the built package in Node, the server's way:
// buildAuthorizeUrl → the browser's part played here (redirects followed, the simulated provider answering at
// once) → exchangeAuthorizationCode with the flow kept. Against the emulator's managed login at COGNITO_ENDPOINT;
// amazon-cognito-identity-js then reads the federated session we stored.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { CognitoUserPool } from 'amazon-cognito-identity-js';

const ENDPOINT = process.env.COGNITO_ENDPOINT;
if (!ENDPOINT) throw new Error('COGNITO_ENDPOINT must name a running cognito-emulator (make test sets it)');
const DOMAIN = ENDPOINT.replace(/\/+$/, '');
const APP = 'http://localhost:3000';
const CALLBACK = `${APP}/auth/callback`;

const pkgDir = new URL('../../pkg/', import.meta.url);
const manifest = JSON.parse(await readFile(new URL('package.json', pkgDir), 'utf8'));
const { CognitoAuth } = await import(new URL(manifest.exports['.'].node, pkgDir).href);

async function createPool(clientOptions = {}) {
  const response = await fetch(`${ENDPOINT}__emulator__/pools`, {
    method: 'POST',
    body: JSON.stringify({
      identityProviders: [{ name: 'Google', type: 'Google' }, { name: 'Facebook', type: 'Facebook' }],
      clients: [{
        oauth: {
          callbackUrls: [CALLBACK],
          logoutUrls: [`${APP}/`],
          flows: ['code'],
          scopes: ['openid', 'email', 'profile', 'aws.cognito.signin.user.admin'],
          identityProviders: ['COGNITO', 'Google', 'Facebook'],
        },
        ...clientOptions,
      }],
    }),
  });
  assert.equal(response.status, 200, await response.clone().text());
  const { poolId, clients: [{ clientId, clientSecret }] } = await response.json();
  return { poolId, clientId, clientSecret };
}

function memoryStorage() {
  const data = new Map();
  return {
    data,
    getItem: (k) => (data.has(k) ? data.get(k) : null),
    setItem: (k, v) => data.set(k, String(v)),
    removeItem: (k) => data.delete(k),
  };
}

function client(pool, extra = {}) {
  return new CognitoAuth({
    userPoolId: pool.poolId,
    clientId: pool.clientId,
    clientSecret: pool.clientSecret ?? undefined,
    endpoint: ENDPOINT,
    oauth: { domain: DOMAIN, redirectSignIn: CALLBACK, redirectSignOut: `${APP}/` },
    ...extra,
  });
}

/** What a browser does between the authorize URL and the app's callback: follows redirects to the app's origin. */
async function browse(url) {
  for (let hops = 0; hops < 10; hops++) {
    if (url.startsWith(APP)) return url;
    const response = await fetch(url, { redirect: 'manual' });
    const location = response.headers.get('location');
    const body = await response.text(); // read, so that the connection is free again and Node can exit
    assert.ok(location, `${url} answered ${response.status} without a redirect: ${body}`);
    url = new URL(location, url).href;
  }
  throw new Error('too many redirects');
}

const base64url = (bytes) => Buffer.from(bytes).toString('base64url');

test('a Google sign-in through managed login becomes a session like any other', async () => {
  const pool = await createPool();
  const storage = memoryStorage();
  const auth = client(pool, { storage });
  const { url, flow } = await auth.buildAuthorizeUrl({ provider: 'Google', loginHint: 'ann@example.com', customState: '/orders/7' });

  const sent = new URL(url);
  assert.equal(sent.origin + sent.pathname, `${DOMAIN}/oauth2/authorize`);
  const q = sent.searchParams;
  assert.equal(q.get('response_type'), 'code');
  assert.equal(q.get('client_id'), pool.clientId);
  assert.equal(q.get('redirect_uri'), CALLBACK);
  assert.equal(q.get('scope'), 'openid email profile');
  assert.equal(q.get('identity_provider'), 'Google');
  assert.equal(q.get('login_hint'), 'ann@example.com');
  assert.equal(q.get('state'), flow.state);
  assert.equal(q.get('nonce'), flow.nonce);
  assert.equal(q.get('customState'), null, 'customState stays here');
  assert.equal(q.get('code_challenge_method'), 'S256');
  assert.match(flow.verifier, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(q.get('code_challenge'), base64url(createHash('sha256').update(flow.verifier).digest()));
  const other = await auth.buildAuthorizeUrl();
  assert.notEqual(other.flow.state, flow.state);
  assert.notEqual(other.flow.verifier, flow.verifier);
  assert.equal(new URL(other.url).searchParams.get('identity_provider'), null);

  const events = [];
  auth.onAuthStateChange((e) => events.push(e.event));
  const back = await browse(url);
  assert.deepEqual(await auth.exchangeAuthorizationCode(back, flow), { customState: '/orders/7' });
  assert.deepEqual(events, ['signedIn', 'customState']);

  const session = await auth.getSession();
  assert.match(session.accessTokenPayload.username, /^google_\d+$/);
  assert.equal(session.idTokenPayload.email, 'ann@example.com');
  assert.equal(session.idTokenPayload.identities[0].providerName, 'Google');
  assert.ok(session.idTokenPayload['cognito:groups'].includes(`${pool.poolId}_Google`));
  assert.equal(session.idTokenPayload.nonce, flow.nonce);
  assert.equal(storage.data.get(`CognitoIdentityServiceProvider.${pool.clientId}.oauthSignIn`), 'true,false');

  // Refreshed through the same single-flight refresh as SRP sessions.
  const refreshed = await auth.getSession({ forceRefresh: true });
  assert.notEqual(refreshed.accessToken, session.accessToken);
  assert.equal(refreshed.accessTokenPayload.username, session.accessTokenPayload.username);

  const info = await auth.fetchUserInfo();
  assert.equal(info.email, 'ann@example.com');
  assert.equal(info.sub, session.idTokenPayload.sub);

  // The official client reads the session we stored.
  const official = new CognitoUserPool({ UserPoolId: pool.poolId, ClientId: pool.clientId, endpoint: ENDPOINT, Storage: storage });
  const user = official.getCurrentUser();
  assert.equal(user.getUsername(), session.accessTokenPayload.username);
  const theirs = await new Promise((resolve, reject) => user.getSession((e, s) => (e ? reject(e) : resolve(s))));
  assert.ok(theirs.isValid());
  assert.equal(theirs.getIdToken().payload.identities[0].providerName, 'Google');

  // Signing out in Node hands back the /logout URL instead of navigating.
  const { logoutUrl } = await auth.signOut();
  assert.equal(logoutUrl, `${DOMAIN}/logout?client_id=${pool.clientId}&logout_uri=${encodeURIComponent(`${APP}/`)}`);
  assert.equal(await browse(logoutUrl), `${APP}/`);
  assert.equal(await auth.getSession(), null);
  assert.equal(storage.data.size, 0, 'nothing is left behind');
  assert.deepEqual(await auth.signOut(), { logoutUrl: null });
  const signedOut = await auth.fetchUserInfo().catch((e) => e);
  assert.equal(signedOut.name, 'UserUnAuthenticatedException');
});

test('the same provider identity is the same user; a client with a secret authenticates with Basic', async () => {
  const pool = await createPool({ secret: true });
  assert.ok(pool.clientSecret);
  const subs = [];
  for (let i = 0; i < 2; i++) {
    const auth = client(pool, { storage: 'memory' });
    const { url, flow } = await auth.buildAuthorizeUrl({ provider: 'Facebook', loginHint: 'bo@example.com' });
    await auth.exchangeAuthorizationCode(await browse(url), flow);
    subs.push((await auth.getSession()).idTokenPayload.sub);
  }
  assert.equal(subs[0], subs[1]);
  const wrong = client({ ...pool, clientSecret: 'not-the-secret' }, { storage: 'memory' });
  const { url, flow } = await wrong.buildAuthorizeUrl({ provider: 'Facebook', loginHint: 'bo@example.com' });
  const refused = await wrong.exchangeAuthorizationCode(await browse(url), flow).catch((e) => e);
  assert.equal(refused.name, 'invalid_client');
  assert.equal(refused.retryable, false);
});

test('every failed return is a typed error and keeps the user who was signed in', async () => {
  const pool = await createPool();
  const storage = memoryStorage();
  const auth = client(pool, { storage });
  const first = await auth.buildAuthorizeUrl({ provider: 'Google', loginHint: 'kept@example.com' });
  await auth.exchangeAuthorizationCode(await browse(first.url), first.flow);
  const kept = (await auth.getSession()).accessTokenPayload.username;
  const tokens = () => [...storage.data].filter(([k]) => !k.endsWith('.oauthSignIn'));
  const before = JSON.stringify(tokens());
  const failures = [];
  auth.onAuthStateChange((e) => e.event === 'signInWithRedirectFailure' && failures.push(e.error.name));

  const attempt = async (change, args = { provider: 'Google', loginHint: 'eve@example.com' }) => {
    const { url, flow } = await auth.buildAuthorizeUrl(args);
    const back = await browse(url);
    const [href, used] = change(back, flow);
    return auth.exchangeAuthorizationCode(href, used).catch((e) => e);
  };
  const cases = {
    'a tampered state': [(b, f) => [b.replace(/state=[^&]+/, 'state=forged'), f], 'OAuthStateMismatchException'],
    'another flow\'s state': [(b, f) => [b, { ...f, state: 'x'.repeat(43) }], 'OAuthStateMismatchException'],
    'a wrong verifier': [(b, f) => [b, { ...f, verifier: 'v'.repeat(43) }], 'invalid_grant'],
    'another redirect_uri': [(b, f) => [b, { ...f, redirectUri: `${APP}/elsewhere` }], 'invalid_grant'],
    'an expired flow': [(b, f) => [b, { ...f, expiresAt: Date.now() - 1 }], 'OAuthFlowExpiredException'],
    'another flow\'s nonce': [(b, f) => [b, { ...f, nonce: 'n'.repeat(22) }], 'OAuthNonceMismatchException'],
  };
  for (const [what, [change, name]] of Object.entries(cases)) {
    const error = await attempt(change);
    assert.equal(error.name, name, `${what}: ${error.message}`);
    assert.equal(error.retryable, false, what);
    assert.equal(JSON.stringify(tokens()), before, `${what}: the stored session is untouched`);
  }

  // A code is good once.
  const { url, flow } = await auth.buildAuthorizeUrl({ provider: 'Google', loginHint: 'eve@example.com' });
  const back = await browse(url);
  await auth.exchangeAuthorizationCode(back, flow);
  assert.equal((await auth.exchangeAuthorizationCode(back, flow).catch((e) => e)).name, 'invalid_grant');
  const eve = (await auth.getSession()).accessTokenPayload.username;
  assert.notEqual(eve, kept);

  // The provider's error, and a user who cancels at the provider.
  const denied = await (async () => {
    const { url, flow } = await auth.buildAuthorizeUrl({ provider: 'Google' });
    const answer = await fetch(url, { redirect: 'manual' });
    await answer.text();
    const provider = new URL(answer.headers.get('location'), url);
    provider.searchParams.set('cancel', '1');
    return auth.exchangeAuthorizationCode(await browse(provider.href), flow).catch((e) => e);
  })();
  assert.equal(denied.name, 'access_denied');
  // prompt=none without a managed-login session (no cookie here): Cognito's login_required.
  assert.equal((await attempt((b, f) => [b, f], { prompt: 'none' })).name, 'login_required');

  assert.equal((await auth.getSession()).accessTokenPayload.username, eve, 'no failure changed the session');
  assert.ok(failures.length >= Object.keys(cases).length + 2, `failures announced: ${failures}`);
  assert.ok(!storage.data.has(`cognito-wasm.${pool.clientId}.pendingRedirect`));
});

test('options and arguments are checked before anything is sent', async () => {
  const pool = await createPool();
  const bad = (oauth) => new CognitoAuth({ userPoolId: pool.poolId, clientId: pool.clientId, endpoint: ENDPOINT, oauth })
    .buildAuthorizeUrl().catch((e) => e);
  assert.equal((await bad({ domain: 'http://auth.example.com', redirectSignIn: CALLBACK })).name, 'InvalidParameterException');
  assert.equal((await bad({ domain: DOMAIN, redirectSignIn: '/cb' })).name, 'InvalidParameterException');
  assert.equal((await bad({ domain: DOMAIN, redirectSignIn: CALLBACK, scopes: ['email'] })).name, 'InvalidParameterException');
  const none = new CognitoAuth({ userPoolId: pool.poolId, clientId: pool.clientId, endpoint: ENDPOINT });
  assert.equal((await none.buildAuthorizeUrl().catch((e) => e)).name, 'InvalidParameterException');
  const auth = client(pool);
  assert.equal((await auth.buildAuthorizeUrl({ provder: 'Google' }).catch((e) => e)).name, 'InvalidParameterException');
  assert.equal((await auth.buildAuthorizeUrl({ provider: 7 }).catch((e) => e)).name, 'InvalidParameterException');
  const custom = await auth.buildAuthorizeUrl({ provider: { custom: 'Corp' } });
  assert.equal(new URL(custom.url).searchParams.get('identity_provider'), 'Corp');
  // Amplify's names for two providers.
  for (const [amplify, cognito] of [['Apple', 'SignInWithApple'], ['Amazon', 'LoginWithAmazon']]) {
    const { url } = await auth.buildAuthorizeUrl({ provider: amplify });
    assert.equal(new URL(url).searchParams.get('identity_provider'), cognito);
  }
  const named = await auth.buildAuthorizeUrl({ provider: { custom: 'Apple' } });
  assert.equal(new URL(named.url).searchParams.get('identity_provider'), 'Apple', 'a custom provider keeps its name');
  assert.equal((await auth.signInWithRedirect().catch((e) => e)).name, 'UnsupportedEnvironmentError');
  assert.equal((await auth.exchangeAuthorizationCode(`${CALLBACK}?code=c&state=s`).catch((e) => e)).name, 'InvalidParameterException');
  const offline = new CognitoAuth({
    userPoolId: pool.poolId, clientId: pool.clientId, endpoint: ENDPOINT, storage: 'memory',
    oauth: { domain: 'http://127.0.0.1:9', redirectSignIn: CALLBACK },
  });
  const { flow } = await offline.buildAuthorizeUrl();
  const unreachable = await offline.exchangeAuthorizationCode(`${CALLBACK}?code=c&state=${flow.state}`, flow).catch((e) => e);
  assert.equal(unreachable.name, 'NetworkError');
});
