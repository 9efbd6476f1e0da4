// The fault matrix (tests/faults/matrix.mjs) in Node: every fault the emulator injects × every kind of call,
// through the built package against the emulator at COGNITO_ENDPOINT. Writes the table to
// tests/out/faults-node.md.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';

import { CALLS, FAULTS, runCell, table } from '../faults/matrix.mjs';

const ENDPOINT = process.env.COGNITO_ENDPOINT;
if (!ENDPOINT) throw new Error('COGNITO_ENDPOINT must name a running cognito-emulator (make test sets it)');

const pkgDir = new URL('../../pkg/', import.meta.url);
const manifest = JSON.parse(await readFile(new URL('package.json', pkgDir), 'utf8'));
const { CognitoAuth } = await import(new URL(manifest.exports['.'].node, pkgDir).href);

const records = [];
after(async () => {
  const out = new URL('../out/', import.meta.url);
  await mkdir(out, { recursive: true });
  await writeFile(new URL('faults-node.md', out), `${table(records, 'Node')}\n`);
});

for (const call of Object.keys(CALLS)) {
  for (const fault of Object.keys(FAULTS)) {
    test(`${call} × ${fault}`, { timeout: 60_000 }, async () => {
      const record = await runCell({ CognitoAuth, endpoint: ENDPOINT }, call, fault);
      records.push(record);
      assert.deepEqual(record.problems, [], JSON.stringify(record));
    });
  }
}

// ------------------------------------------------------------------ the retry policy's edges

const PASSWORD = 'Faults-Passw0rd!';

async function emulator(route, body, method = body ? 'POST' : 'GET') {
  const r = await fetch(`${ENDPOINT}__emulator__/${route}`, {
    method, headers: { 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await r.text();
  assert.ok(r.ok, `${method} /__emulator__/${route} → ${r.status} ${text}`);
  return text ? JSON.parse(text) : {};
}

/** A fresh pool with a signed-in user, and a client with `options`. */
async function signedIn(options = {}) {
  const pool = await emulator('pools', {});
  const username = `r${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  await emulator('users', { poolId: pool.poolId, username, password: PASSWORD, attributes: { email: `${username}@example.com` } });
  const auth = new CognitoAuth({ userPoolId: pool.poolId, clientId: pool.clients[0].clientId, endpoint: ENDPOINT, storage: 'memory', ...options });
  assert.equal((await auth.signIn({ username, password: PASSWORD })).isSignedIn, true);
  const getUsers = async () => (await emulator(`requests?poolId=${pool.poolId}`)).GetUser ?? 0;
  return { auth, poolId: pool.poolId, getUsers };
}

test('a failure on every attempt reaches the app after exactly maxAttempts requests', async () => {
  const { auth, poolId, getUsers } = await signedIn();
  await emulator('faults', { operation: 'GetUser', poolId, fault: 'http500', count: 3 });
  const before = await getUsers();
  const e = await auth.fetchUserAttributes().catch((err) => err);
  assert.equal(e.name, 'InternalErrorException', e.message);
  assert.equal(e.retryable, true);
  assert.equal((await getUsers()) - before, 3, 'three attempts (the default)');
  assert.ok((await auth.fetchUserAttributes()).email, 'works once the fault is gone');
});

test('retries: { maxAttempts: 1 } sends every request once', async () => {
  const { auth, poolId, getUsers } = await signedIn({ retries: { maxAttempts: 1 } });
  await emulator('faults', { operation: 'GetUser', poolId, fault: 'http500', count: 1 });
  const before = await getUsers();
  const e = await auth.fetchUserAttributes().catch((err) => err);
  assert.equal(e.name, 'InternalErrorException');
  assert.equal((await getUsers()) - before, 1);
});

test('a Retry-After beyond the 20 s cap is not waited for: the error carries it', async () => {
  const { auth, poolId, getUsers } = await signedIn();
  await emulator('faults', { operation: 'GetUser', poolId, fault: 'http503', count: 1, retryAfterSeconds: 30 });
  const before = await getUsers();
  const e = await auth.fetchUserAttributes().catch((err) => err);
  assert.equal(e.name, 'ServiceUnavailableException', e.message);
  assert.equal(e.retryAfterMs, 30_000);
  assert.equal((await getUsers()) - before, 1);
});

test('a request that gets no answer ends at requestTimeoutMs with TimeoutError', async () => {
  const { auth, poolId } = await signedIn({ requestTimeoutMs: 400, retries: { maxAttempts: 1 } });
  await emulator('faults', { operation: 'GetUser', poolId, fault: 'hang', count: 1, delayMs: 10_000 });
  const started = Date.now();
  const e = await auth.fetchUserAttributes().catch((err) => err);
  assert.equal(e.name, 'TimeoutError', e.message);
  assert.equal(e.retryable, true);
  assert.match(e.message, /GetUser got no answer within 400 ms/);
  assert.ok(Date.now() - started < 8000, 'ended long before the emulator would have closed the connection');
});

test('NetworkError names the operation and carries the cause', async () => {
  // A port that was free a moment ago: nothing listens there, so the connection is refused.
  const server = net.createServer();
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  const a = new CognitoAuth({ userPoolId: 'us-east-1_Emul4tor', clientId: 'emulatorclient0000000000000', endpoint: `http://127.0.0.1:${port}/`, retries: { maxAttempts: 1 } });
  const e = await a.signIn({ username: 'u', password: PASSWORD }).catch((err) => err);
  assert.equal(e.name, 'NetworkError');
  assert.match(e.message, /^InitiateAuth: fetch failed \(.*ECONNREFUSED/);
});

test('timeouts and retries options are checked', async () => {
  const base = { userPoolId: 'us-east-1_Emul4tor', clientId: 'emulatorclient0000000000000', endpoint: ENDPOINT };
  for (const bad of [{ requestTimeoutMs: 0 }, { requestTimeoutMs: 600_001 }, { retries: { maxAttempts: 0 } },
    { retries: { maxAttempts: 11 } }, { retries: { attempts: 2 } }, { refreshMarginSeconds: 86_401 }]) {
    const e = await new CognitoAuth({ ...base, ...bad }).getSession().catch((err) => err);
    assert.equal(e?.name, 'InvalidParameterException', JSON.stringify(bad));
  }
});
