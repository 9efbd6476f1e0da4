// Amplify v6 (aws-amplify, in Node) reads the session of a redirect sign-in we stored — the same keys as for
// SRP sessions, plus Amplify's managed-login marker `oauthSignIn` — refreshes it, and we read its refresh; its
// signOut ends the session for us too. Against the emulator's managed login at COGNITO_ENDPOINT.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { Amplify } from 'aws-amplify';
import { fetchAuthSession, getCurrentUser, signOut } from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';

const ENDPOINT = process.env.COGNITO_ENDPOINT;
if (!ENDPOINT) throw new Error('COGNITO_ENDPOINT must name a running cognito-emulator (make test sets it)');
const DOMAIN = ENDPOINT.replace(/\/+$/, '');
const APP = 'http://localhost:3000';
const CALLBACK = `${APP}/auth/callback`;

const pkgDir = new URL('../../pkg/', import.meta.url);
const manifest = JSON.parse(await readFile(new URL('package.json', pkgDir), 'utf8'));
const { CognitoAuth } = await import(new URL(manifest.exports['.'].node, pkgDir).href);

/** Follows redirects from the authorize URL to the app's callback, as a browser would. */
async function browse(url) {
  for (let hops = 0; hops < 10; hops++) {
    if (url.startsWith(APP)) return url;
    const response = await fetch(url, { redirect: 'manual' });
    await response.text();
    const location = response.headers.get('location');
    assert.ok(location, `${url} answered ${response.status} without a redirect`);
    url = new URL(location, url).href;
  }
  throw new Error('too many redirects');
}

test('Amplify v6 reads, refreshes and signs out of a federated session we stored', async () => {
  const response = await fetch(`${ENDPOINT}__emulator__/pools`, {
    method: 'POST',
    body: JSON.stringify({
      identityProviders: [{ name: 'Google', type: 'Google' }],
      clients: [{ oauth: { callbackUrls: [CALLBACK], logoutUrls: [`${APP}/`], identityProviders: ['COGNITO', 'Google'] } }],
    }),
  });
  assert.equal(response.status, 200);
  const { poolId, clients: [{ clientId }] } = await response.json();

  // One store for both libraries, as localStorage is in a page: ours synchronous, Amplify's KeyValueStorage async.
  const data = new Map();
  const ours = new CognitoAuth({
    userPoolId: poolId,
    clientId,
    endpoint: ENDPOINT,
    storage: { getItem: (k) => data.get(k) ?? null, setItem: (k, v) => data.set(k, String(v)), removeItem: (k) => data.delete(k) },
    oauth: { domain: DOMAIN, redirectSignIn: CALLBACK, redirectSignOut: `${APP}/` },
  });
  const { url, flow } = await ours.buildAuthorizeUrl({ provider: 'Google', loginHint: 'amplify@example.com' });
  await ours.exchangeAuthorizationCode(await browse(url), flow);
  const session = await ours.getSession();
  assert.equal(data.get(`CognitoIdentityServiceProvider.${clientId}.oauthSignIn`), 'true,false', "Amplify's marker");

  Amplify.configure({
    Auth: {
      Cognito: {
        userPoolId: poolId,
        userPoolClientId: clientId,
        userPoolEndpoint: ENDPOINT,
        loginWith: {
          oauth: {
            domain: DOMAIN.replace(/^https?:\/\//, ''),
            scopes: ['openid', 'email', 'profile'],
            redirectSignIn: [CALLBACK],
            redirectSignOut: [`${APP}/`],
            responseType: 'code',
          },
        },
      },
    },
  });
  cognitoUserPoolsTokenProvider.setKeyValueStorage({
    getItem: async (k) => data.get(k) ?? null,
    setItem: async (k, v) => { data.set(k, v); },
    removeItem: async (k) => { data.delete(k); },
    clear: async () => data.clear(),
  });

  const theirs = await fetchAuthSession();
  assert.equal(theirs.tokens.accessToken.toString(), session.accessToken, 'Amplify reads our tokens');
  assert.equal(theirs.tokens.idToken.payload.identities[0].providerName, 'Google');
  const user = await getCurrentUser();
  assert.equal(user.username, session.accessTokenPayload.username);
  assert.equal(user.userId, session.idTokenPayload.sub);

  // Amplify refreshes the federated session; we then hold its new tokens.
  const refreshed = await fetchAuthSession({ forceRefresh: true });
  assert.notEqual(refreshed.tokens.accessToken.toString(), session.accessToken);
  assert.equal((await ours.getSession()).accessToken, refreshed.tokens.accessToken.toString(), "we read Amplify's refresh");

  // Amplify's sign-out (in Node it has no window to send to /logout) ends the session for us too. It keeps its
  // marker, which our next password sign-in drops (a unit test of flows::sign_in covers that).
  await signOut();
  assert.equal(await ours.getSession(), null);
});
