// Fidelity test: the official client (amazon-cognito-identity-js) against the Cognito emulator.
//
//   COGNITO_ENDPOINT=http://127.0.0.1:9339/ node --test tests/node/
//
// Environment: COGNITO_ENDPOINT (required: the suite fails without it), COGNITO_POOL_ID (default
// us-east-1_Emul4tor), COGNITO_CLIENT_ID (default emulatorclient0000000000000). The emulator's test-only
// `GET /__emulator__/codes/<username>` gives the latest confirmation code.
//
// Every request the client makes goes through a recording wrapper around global fetch, so a failing assertion
// names the operation, the request and the emulator's answer.

import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, createVerify, randomBytes } from 'node:crypto';
import {
	CognitoUserPool,
	CognitoUser,
	AuthenticationDetails,
	CognitoUserAttribute,
	CognitoRefreshToken,
} from 'amazon-cognito-identity-js';

const ENDPOINT = process.env.COGNITO_ENDPOINT;
const POOL_ID = process.env.COGNITO_POOL_ID || 'us-east-1_Emul4tor';
const CLIENT_ID = process.env.COGNITO_CLIENT_ID || 'emulatorclient0000000000000';
if (!ENDPOINT) throw new Error('COGNITO_ENDPOINT is not set (start the emulator and point it there; make test does)');
const BASE = (ENDPOINT || '').replace(/\/+$/, '');

const PASSWORD = 'Passw0rd!';
const RUN = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;

// ---------------------------------------------------------------------------------------------------------------
// Recording fetch
// ---------------------------------------------------------------------------------------------------------------
const exchanges = [];
const realFetch = globalThis.fetch;
globalThis.fetch = async (url, options = {}) => {
	const headers = { ...(options.headers || {}) };
	const target = headers['X-Amz-Target'] || '';
	const entry = {
		operation: target.replace(/^AWSCognitoIdentityProviderService\./, ''),
		url: String(url),
		requestHeaders: headers,
		request: safeJson(options.body),
	};
	exchanges.push(entry);
	const resp = await realFetch(url, options);
	entry.status = resp.status;
	entry.responseHeaders = Object.fromEntries(resp.headers.entries());
	entry.responseText = await resp.clone().text();
	entry.response = safeJson(entry.responseText);
	return resp;
};
function safeJson(s) {
	try {
		return JSON.parse(s);
	} catch {
		return s;
	}
}
function mark() {
	return exchanges.length;
}
function since(m) {
	return exchanges.slice(m);
}
/** A short account of the exchanges since `m`, for assertion messages. */
function trace(m) {
	return since(m)
		.map(e => {
			const req = JSON.stringify(redact(e.request));
			const res = e.responseText === undefined ? '(no response)' : e.responseText.slice(0, 600);
			return `  ${e.operation || e.url} ${req.slice(0, 400)}\n    -> HTTP ${e.status} ${res}`;
		})
		.join('\n');
}
function redact(body) {
	if (!body || typeof body !== 'object') return body;
	const out = JSON.parse(JSON.stringify(body));
	for (const k of ['AuthParameters', 'ChallengeResponses'])
		if (out[k]) for (const f of ['SRP_A', 'PASSWORD_CLAIM_SECRET_BLOCK', 'REFRESH_TOKEN']) if (out[k][f]) out[k][f] = '…';
	if (out.AccessToken) out.AccessToken = '…';
	return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------------------
function memoryStorage() {
	const data = new Map();
	return {
		data,
		setItem: (k, v) => data.set(k, String(v)),
		getItem: k => (data.has(k) ? data.get(k) : null),
		removeItem: k => data.delete(k),
		clear: () => data.clear(),
	};
}
const storage = memoryStorage();
let pool;

function newUser(username) {
	return new CognitoUser({ Username: username, Pool: pool, Storage: storage });
}
function signUp(username, password, email) {
	const attrs = [new CognitoUserAttribute({ Name: 'email', Value: email })];
	return new Promise((resolve, reject) =>
		pool.signUp(username, password, attrs, null, (err, data) => (err ? reject(err) : resolve(data)))
	);
}
function confirm(user, code) {
	return new Promise((resolve, reject) =>
		user.confirmRegistration(code, true, (err, data) => (err ? reject(err) : resolve(data)))
	);
}
function authenticate(user, password) {
	const details = new AuthenticationDetails({ Username: user.getUsername(), Password: password });
	return new Promise((resolve, reject) =>
		user.authenticateUser(details, {
			onSuccess: session => resolve(session),
			onFailure: err => reject(err),
			newPasswordRequired: () => reject(new Error('unexpected newPasswordRequired')),
			mfaRequired: () => reject(new Error('unexpected mfaRequired')),
			totpRequired: () => reject(new Error('unexpected totpRequired')),
			customChallenge: () => reject(new Error('unexpected customChallenge')),
			mfaSetup: () => reject(new Error('unexpected mfaSetup')),
			selectMFAType: () => reject(new Error('unexpected selectMFAType')),
		})
	);
}
function refresh(user, refreshToken) {
	return new Promise((resolve, reject) =>
		user.refreshSession(refreshToken, (err, session) => (err ? reject(err) : resolve(session)))
	);
}
function getUserAttributes(user) {
	return new Promise((resolve, reject) =>
		user.getUserAttributes((err, attrs) => (err ? reject(err) : resolve(attrs)))
	);
}
function globalSignOut(user) {
	return new Promise((resolve, reject) => user.globalSignOut({ onSuccess: resolve, onFailure: reject }));
}
async function latestCode(username) {
	const resp = await realFetch(`${BASE}/__emulator__/codes/${encodeURIComponent(username)}`);
	const text = await resp.text();
	assert.equal(resp.status, 200, `GET /__emulator__/codes/${username} -> HTTP ${resp.status} ${text}`);
	const body = JSON.parse(text);
	assert.equal(body.username, username, `codes endpoint answered for another user: ${text}`);
	assert.match(String(body.code), /^\d{6}$/, `confirmation code is not 6 digits: ${text}`);
	return body;
}
/** Awaits `promise`, expecting a rejection with Cognito error `code`; the message tells what was exchanged. */
async function expectCognitoError(promise, code, m, t) {
	let err;
	try {
		const value = await promise;
		assert.fail(`expected ${code}, but the call succeeded (${JSON.stringify(value)?.slice(0, 200)})\n${trace(m)}`);
	} catch (e) {
		if (e instanceof assert.AssertionError) throw e;
		err = e;
	}
	assert.equal(err.code, code, `expected ${code}, got code=${err.code} name=${err.name} message=${err.message}\n${trace(m)}`);
	assert.equal(err.name, code, `err.name should be ${code}\n${trace(m)}`);
	const last = since(m).at(-1);
	if (t && last) t.diagnostic(`${code} came from ${last.operation} (HTTP ${last.status}, x-amzn-errortype: ${last.responseHeaders?.['x-amzn-errortype']})`);
	return err;
}
function jwtParts(token) {
	const [h, p, s] = token.split('.');
	return {
		header: JSON.parse(Buffer.from(h, 'base64url').toString('utf8')),
		payload: JSON.parse(Buffer.from(p, 'base64url').toString('utf8')),
		signed: `${h}.${p}`,
		signature: Buffer.from(s, 'base64url'),
	};
}
let jwksCache;
async function verifyJwtSignature(t, token) {
	const { header, payload, signed, signature } = jwtParts(token);
	assert.equal(header.alg, 'RS256', `JWT alg: ${JSON.stringify(header)}`);
	if (jwksCache === undefined) {
		const url = `${payload.iss}/.well-known/jwks.json`;
		try {
			const resp = await realFetch(url);
			jwksCache = resp.ok ? await resp.json() : null;
			if (!resp.ok) t.diagnostic(`JWKS not served at ${url} (HTTP ${resp.status}); JWT signatures not checked`);
		} catch (e) {
			jwksCache = null;
			t.diagnostic(`JWKS fetch from ${url} failed (${e.message}); JWT signatures not checked`);
		}
	}
	if (!jwksCache) return;
	t.diagnostic(`${payload.token_use} token signature verified with the JWK from ${payload.iss}/.well-known/jwks.json`);
	const jwk = jwksCache.keys.find(k => k.kid === header.kid);
	assert.ok(jwk, `no JWK with kid ${header.kid} in ${JSON.stringify(jwksCache).slice(0, 300)}`);
	const ok = createVerify('RSA-SHA256')
		.update(signed)
		.verify(createPublicKey({ key: jwk, format: 'jwk' }), signature);
	assert.ok(ok, `JWT signature does not verify with the published JWK (kid ${header.kid})`);
}

// ---------------------------------------------------------------------------------------------------------------
// The flow
// ---------------------------------------------------------------------------------------------------------------
describe('amazon-cognito-identity-js against the emulator', { timeout: 120_000 }, () => {
	const username = `ocl_${RUN}`;
	const email = `${username}@example.com`;
	let user;
	let session;
	let userIdForSrp;

	before(() => {
		pool = new CognitoUserPool({ UserPoolId: POOL_ID, ClientId: CLIENT_ID, endpoint: ENDPOINT, Storage: storage });
	});

	test('signUp with an email attribute creates an unconfirmed user and sends a code', async t => {
		const m = mark();
		const data = await signUp(username, PASSWORD, email).catch(e => {
			throw new Error(`signUp failed: ${e.code || e.name}: ${e.message}\n${trace(m)}`);
		});
		assert.equal(data.userConfirmed, false, trace(m));
		assert.match(data.userSub, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, trace(m));
		assert.equal(data.codeDeliveryDetails?.DeliveryMedium, 'EMAIL', trace(m));
		assert.equal(data.codeDeliveryDetails?.AttributeName, 'email', trace(m));
		const code = await latestCode(username);
		assert.equal(code.purpose === undefined || typeof code.purpose === 'string', true);
		user = data.user;
	});

	test('signing in before confirmation fails with UserNotConfirmedException', async t => {
		const m = mark();
		await expectCognitoError(authenticate(newUser(username), PASSWORD), 'UserNotConfirmedException', m, t);
	});

	test('confirmRegistration with a wrong code fails with CodeMismatchException', async t => {
		const { code } = await latestCode(username);
		const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
		const m = mark();
		await expectCognitoError(confirm(newUser(username), wrong), 'CodeMismatchException', m, t);
	});

	test('confirmRegistration with the code from the emulator succeeds', async t => {
		const { code } = await latestCode(username);
		const m = mark();
		const result = await confirm(user, code).catch(e => {
			throw new Error(`confirmRegistration failed: ${e.code}: ${e.message}\n${trace(m)}`);
		});
		assert.equal(result, 'SUCCESS');
	});

	test('signUp of an existing username fails with UsernameExistsException', async t => {
		const m = mark();
		await expectCognitoError(signUp(username, PASSWORD, email), 'UsernameExistsException', m, t);
	});

	test('signUp with a weak password fails with InvalidPasswordException', async t => {
		const m = mark();
		await expectCognitoError(signUp(`${username}_weak`, 'password', `w${email}`), 'InvalidPasswordException', m, t);
	});

	test('authenticateUser (USER_SRP_AUTH) returns valid tokens', async t => {
		user = newUser(username);
		const m = mark();
		session = await authenticate(user, PASSWORD).catch(e => {
			throw new Error(`authenticateUser failed: ${e.code || e.name}: ${e.message}\n${trace(m)}`);
		});
		const [init, respond] = since(m);
		assert.equal(init.operation, 'InitiateAuth');
		assert.equal(init.request.AuthFlow, 'USER_SRP_AUTH');
		assert.equal(init.response.ChallengeName, 'PASSWORD_VERIFIER', trace(m));
		const cp = init.response.ChallengeParameters;
		for (const f of ['SALT', 'SRP_B', 'SECRET_BLOCK', 'USER_ID_FOR_SRP', 'USERNAME'])
			assert.equal(typeof cp[f], 'string', `ChallengeParameters.${f} missing\n${trace(m)}`);
		assert.ok(init.response.Session, `no Session in the PASSWORD_VERIFIER challenge\n${trace(m)}`);
		userIdForSrp = cp.USER_ID_FOR_SRP;
		assert.equal(respond.operation, 'RespondToAuthChallenge');
		assert.equal(respond.request.ChallengeResponses.USERNAME, userIdForSrp);
		assert.equal(user.getUsername(), userIdForSrp, 'the client switches its username to USER_ID_FOR_SRP');
		t.diagnostic(`USER_ID_FOR_SRP=${userIdForSrp} ChallengeParameters.USERNAME=${cp.USERNAME}`);

		assert.ok(session.isValid(), 'session.isValid()');
		const id = session.getIdToken().decodePayload();
		assert.equal(id['cognito:username'], username, JSON.stringify(id));
		assert.equal(id.email, email, JSON.stringify(id));
		assert.equal(id.token_use, 'id', JSON.stringify(id));
		assert.equal(id.aud, CLIENT_ID, JSON.stringify(id));
		assert.ok(id.iss.endsWith(`/${POOL_ID}`), `iss ${id.iss}`);
		assert.equal(id.email_verified, true, `email_verified after confirming with the emailed code: ${JSON.stringify(id)}`);

		const access = session.getAccessToken().decodePayload();
		assert.equal(access.token_use, 'access', JSON.stringify(access));
		assert.equal(access.client_id, CLIENT_ID, JSON.stringify(access));
		assert.equal(access.username, username, JSON.stringify(access));
		assert.equal(access.sub, id.sub, 'access and ID token sub differ');
		assert.equal(access.iss, id.iss);
		const now = Math.floor(Date.now() / 1000);
		assert.ok(access.exp > now && access.iat <= now + 5, `access exp/iat: ${access.exp}/${access.iat}, now ${now}`);
		assert.ok(session.getRefreshToken().getToken(), 'no refresh token');
		await verifyJwtSignature(t, session.getIdToken().getJwtToken());
		await verifyJwtSignature(t, session.getAccessToken().getJwtToken());

		const prefix = `CognitoIdentityServiceProvider.${CLIENT_ID}`;
		assert.equal(storage.getItem(`${prefix}.LastAuthUser`), userIdForSrp);
		assert.equal(storage.getItem(`${prefix}.${userIdForSrp}.accessToken`), session.getAccessToken().getJwtToken());
	});

	test('a wrong password fails with NotAuthorizedException', async t => {
		const m = mark();
		await expectCognitoError(authenticate(newUser(username), 'Wr0ng-Passw0rd!'), 'NotAuthorizedException', m, t);
		const respond = since(m).find(e => e.operation === 'RespondToAuthChallenge');
		assert.ok(respond, `the wrong password should be rejected at RespondToAuthChallenge\n${trace(m)}`);
	});

	test('getUserAttributes returns the email and sub', async t => {
		const m = mark();
		const attrs = await getUserAttributes(user).catch(e => {
			throw new Error(`getUserAttributes failed: ${e.code}: ${e.message}\n${trace(m)}`);
		});
		const byName = Object.fromEntries(attrs.map(a => [a.getName(), a.getValue()]));
		assert.equal(byName.email, email, JSON.stringify(byName));
		assert.equal(byName.sub, session.getIdToken().decodePayload().sub, JSON.stringify(byName));
	});

	test('refreshSession with the refresh token returns new ID and access tokens', async t => {
		const old = session;
		const m = mark();
		const fresh = await refresh(user, old.getRefreshToken()).catch(e => {
			throw new Error(`refreshSession failed: ${e.code}: ${e.message}\n${trace(m)}`);
		});
		const [init] = since(m);
		assert.equal(init.request.AuthFlow, 'REFRESH_TOKEN_AUTH');
		assert.equal(init.status, 200, trace(m));
		assert.ok(!('RefreshToken' in init.response.AuthenticationResult), `REFRESH_TOKEN_AUTH returned a new refresh token\n${trace(m)}`);
		assert.ok(fresh.isValid());
		assert.notEqual(fresh.getAccessToken().getJwtToken(), old.getAccessToken().getJwtToken());
		assert.notEqual(fresh.getIdToken().getJwtToken(), old.getIdToken().getJwtToken());
		assert.equal(fresh.getRefreshToken().getToken(), old.getRefreshToken().getToken());
		assert.equal(fresh.getIdToken().decodePayload()['cognito:username'], username);
		assert.equal(fresh.getAccessToken().decodePayload().token_use, 'access');
		session = fresh;
	});

	test('globalSignOut, then refreshing fails with NotAuthorizedException', { timeout: 60_000 }, async t => {
		const refreshToken = new CognitoRefreshToken({ RefreshToken: session.getRefreshToken().getToken() });
		let m = mark();
		const result = await globalSignOut(user).catch(e => {
			throw new Error(`globalSignOut failed: ${e.code}: ${e.message}\n${trace(m)}`);
		});
		assert.equal(result, 'SUCCESS');
		m = mark();
		// refreshSession retries every error with jittered backoff (~6 s in all) before giving up
		await expectCognitoError(refresh(newUser(username), refreshToken), 'NotAuthorizedException', m, t);
		t.diagnostic(`refreshSession sent InitiateAuth ${since(m).length} times before giving up`);
		// the revoked access token no longer works either
		m = mark();
		const revoked = newUser(username);
		revoked.setSignInUserSession(session);
		await expectCognitoError(getUserAttributes(revoked), 'NotAuthorizedException', m, t);
	});
});
