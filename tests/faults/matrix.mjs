// The fault matrix: every fault the emulator can inject (POST /__emulator__/faults) against every kind of call
// the SDK makes, run through the real package against the emulator, in Node (tests/node/faults.test.mjs) and in
// Chromium (tests/playwright/faults.test.mjs, which loads this file into a page). Plain browser-and-Node JS: it
// uses only fetch and the CognitoAuth class it is given.
//
// Each cell makes its own pool, so its faults (matched by poolId) and request counts are its own and the cells
// of the two suites cannot disturb each other. A cell arms the fault for as many requests as the SDK should
// send into it, runs the call, and records: the outcome (`ok` or the error's name), `retryable`, the attempts the
// emulator saw, how long the call took to settle, and whether everything the user had survived (the call works
// once the fault is gone, the session is still there, no signedOut/sessionExpired event).

/** Faults the emulator injects; `transient` ones are worth repeating, the others are a broken answer. */
export const FAULTS = {
  http500: { transient: true, error: 'InternalErrorException' },
  http503: { transient: true, error: 'ServiceUnavailableException', arm: { retryAfterSeconds: 1 }, retryAfterMs: 1000 },
  throttle: { transient: true, error: 'TooManyRequestsException' },
  http502: { transient: true, error: 'InternalErrorException' },
  reset: { transient: true, error: 'NetworkError' },
  hang: { transient: true, error: 'TimeoutError', arm: { delayMs: 4000 } },
  truncate: { transient: true, error: 'NetworkError' },
  malformedJson: { transient: false, error: 'ProtocolError' },
  html200: { transient: false, error: 'ProtocolError' },
  delay: { delay: true, arm: { delayMs: 300 } },
};

/** The request timeout of the matrix's clients: short, so that a hung request settles quickly. */
export const TIMEOUT_MS = 1000;
export const MAX_ATTEMPTS = 3;
const PASSWORD = 'Faults-Passw0rd!';

/**
 * The calls, each `{ operation, authFlow?, challengeName?, repeatable, setUp(ctx), act(ctx), recover(ctx),
 * others? }`: setUp brings the user to just before the call, act makes it (its outcome is the cell's), recover
 * checks afterwards, with the fault gone, that nothing was lost; `others(ok)` counts the requests of the same
 * operation that act makes besides the faulted one.
 */
const signInWithPassword = (c) => c.auth.signIn({ username: c.username, password: PASSWORD });

/** After a failed sign-in the user signs in again (after one that got through, there is a session already). */
async function signedInAfterwards(c) {
  if (!(await c.auth.getSession())) c.check((await signInWithPassword(c)).isSignedIn, 'signs in');
  c.check(await c.auth.getSession(), 'has a session');
}

export const CALLS = {
  signIn: {
    operation: 'InitiateAuth', authFlow: 'USER_SRP_AUTH', repeatable: true,
    setUp: async (c) => { await c.user(); },
    act: signInWithPassword,
    recover: signedInAfterwards,
  },
  passwordVerifier: {
    operation: 'RespondToAuthChallenge', challengeName: 'PASSWORD_VERIFIER', repeatable: false,
    setUp: async (c) => { await c.user(); },
    act: signInWithPassword,
    recover: signedInAfterwards,
  },
  mfaAnswer: {
    operation: 'RespondToAuthChallenge', challengeName: 'EMAIL_OTP', repeatable: false,
    pool: { mfa: 'OPTIONAL', mfaTypes: ['EMAIL_OTP'] },
    setUp: async (c) => {
      await c.user({ mfa: { email: true } });
      const step = await signInWithPassword(c);
      c.check(step.nextStep?.signInStep === 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE', `an email code is asked: ${JSON.stringify(step)}`);
      c.code = await c.latestCode('EMAIL_OTP');
    },
    act: (c) => c.auth.confirmSignIn({ challengeResponse: c.code }),
    recover: (c) => c.answerAgain('CONFIRM_SIGN_IN_WITH_EMAIL_CODE', c.code),
  },
  smsMfa: {
    operation: 'RespondToAuthChallenge', challengeName: 'SMS_MFA', repeatable: false,
    pool: { mfa: 'OPTIONAL', mfaTypes: ['SMS_MFA'] },
    setUp: async (c) => {
      await c.user({ attributes: { email: `${c.username}@example.com`, phone_number: '+14155550123' }, mfa: { sms: true } });
      const step = await signInWithPassword(c);
      c.check(step.nextStep?.signInStep === 'CONFIRM_SIGN_IN_WITH_SMS_CODE', `an SMS code is asked: ${JSON.stringify(step)}`);
      c.code = await c.latestCode('SMS_MFA');
    },
    act: (c) => c.auth.confirmSignIn({ challengeResponse: c.code }),
    recover: (c) => c.answerAgain('CONFIRM_SIGN_IN_WITH_SMS_CODE', c.code),
  },
  newPassword: {
    operation: 'RespondToAuthChallenge', challengeName: 'NEW_PASSWORD_REQUIRED', repeatable: false,
    setUp: async (c) => {
      await c.user({ password: undefined, temporaryPassword: 'Temporary-Passw0rd!' });
      const step = await c.auth.signIn({ username: c.username, password: 'Temporary-Passw0rd!' });
      c.check(step.nextStep?.signInStep === 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED', `a new password is asked: ${JSON.stringify(step)}`);
    },
    act: (c) => c.auth.confirmSignIn({ challengeResponse: PASSWORD }),
    recover: (c) => c.answerAgain('CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED', PASSWORD),
  },
  customChallenge: {
    operation: 'RespondToAuthChallenge', challengeName: 'CUSTOM_CHALLENGE', repeatable: false,
    pool: { customAuth: { challenges: [{ parameters: { question: 'What is 2+2?' }, answer: '4' }], maxAttempts: 3 } },
    setUp: async (c) => {
      await c.user();
      const step = await c.auth.signIn({ username: c.username, authFlow: 'CUSTOM_WITHOUT_SRP' });
      c.check(step.nextStep?.signInStep === 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE', `a custom challenge: ${JSON.stringify(step)}`);
    },
    act: (c) => c.auth.confirmSignIn({ challengeResponse: '4' }),
    recover: (c) => c.answerAgain('CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE', '4'),
  },
  deviceSrp: {
    operation: 'RespondToAuthChallenge', challengeName: 'DEVICE_SRP_AUTH', repeatable: false,
    pool: { deviceTracking: 'ALWAYS' },
    setUp: async (c) => {
      await c.user();
      c.check((await signInWithPassword(c)).isSignedIn, 'signed in');
      c.check((await c.auth.fetchDevices()).length === 1, 'the device is remembered');
      await c.auth.signOut();
    },
    // The remembered device answers DEVICE_SRP_AUTH inside signIn, without the user: after PASSWORD_VERIFIER, and
    // before DEVICE_PASSWORD_VERIFIER when it gets through, both RespondToAuthChallenge too.
    act: signInWithPassword,
    others: (ok) => (ok ? 2 : 1),
    recover: async (c) => {
      await signedInAfterwards(c);
      c.check((await c.auth.fetchDevices()).length === 1, 'the device is still remembered');
    },
  },
  refresh: {
    operation: 'GetTokensFromRefreshToken', repeatable: true,
    setUp: async (c) => {
      await c.user();
      c.check((await signInWithPassword(c)).isSignedIn, 'signed in');
      c.before = await c.auth.getSession();
    },
    act: (c) => c.auth.getSession({ forceRefresh: true }),
    recover: async (c) => {
      const kept = await c.auth.getSession();
      c.check(kept && kept.refreshToken === c.before.refreshToken, 'the stored session (its refresh token) is kept');
      const fresh = await c.auth.getSession({ forceRefresh: true });
      c.check(fresh && fresh.accessToken !== c.before.accessToken, 'refreshes once the fault is gone');
    },
  },
  signUp: {
    operation: 'SignUp', repeatable: false,
    setUp: async () => {},
    act: (c) => c.auth.signUp({ username: c.username, password: PASSWORD, attributes: { email: `${c.username}@example.com` } }),
    recover: async (c) => {
      const again = await c.auth.signUp({ username: c.username, password: PASSWORD, attributes: { email: `${c.username}@example.com` } })
        .catch((e) => e);
      // A sign-up the fault let through (a delay, or a throttle that was repeated) already made the user.
      c.check(again.userSub || (c.outcome === 'ok' && again.name === 'UsernameExistsException'), `signs up: ${again.name ?? ''} ${again.message ?? ''}`);
    },
  },
  confirmSignUp: {
    operation: 'ConfirmSignUp', repeatable: false,
    setUp: async (c) => {
      await c.auth.signUp({ username: c.username, password: PASSWORD, attributes: { email: `${c.username}@example.com` } });
      c.code = await c.latestCode('SIGN_UP');
    },
    act: (c) => c.auth.confirmSignUp({ username: c.username, code: c.code }),
    recover: async (c) => {
      if (c.outcome !== 'ok') await c.auth.confirmSignUp({ username: c.username, code: c.code });
      c.check((await signInWithPassword(c)).isSignedIn, 'the confirmed user signs in');
    },
  },
  account: {
    operation: 'GetUser', repeatable: true,
    setUp: async (c) => {
      await c.user();
      c.check((await signInWithPassword(c)).isSignedIn, 'signed in');
    },
    act: (c) => c.auth.fetchUserAttributes(),
    recover: async (c) => {
      c.check(await c.auth.getSession(), 'the session is kept');
      c.check((await c.auth.fetchUserAttributes()).email === `${c.username}@example.com`, 'reads the attributes');
    },
  },
};

/**
 * What a cell must end in: `{ outcome, attempts, retryable }`. Passing faults of repeatable calls are repeated
 * until the third attempt gets through; the others are repeated only after throttling (Cognito refused them
 * unprocessed); a broken 200 answer is never repeated.
 *
 * `browser`: Chromium re-sends a request by itself, POSTs included, when a kept-alive connection it reused is
 * closed before any byte of the answer (it takes that for the server closing an idle connection just as the
 * request went out). So in a page a reset of a call the SDK never repeats ends, on a warm connection, in the
 * browser's own second request, which gets through: `ok` after 2 attempts; on a fresh connection it is the
 * NetworkError of Node. The SDK cannot see or prevent this; Cognito would see the request twice.
 */
export function expected(callName, faultName, { browser = false } = {}) {
  const call = CALLS[callName];
  if (browser && faultName === 'reset' && !call.repeatable) {
    return { ...expectedInNode(callName, faultName), alternative: { outcome: 'ok', attempts: 2, faulted: 1 } };
  }
  return expectedInNode(callName, faultName);
}

function expectedInNode(callName, faultName) {
  const call = CALLS[callName];
  const fault = FAULTS[faultName];
  if (fault.delay) return { outcome: 'ok', attempts: 1, faulted: 1 };
  if (!fault.transient) return { outcome: fault.error, attempts: 1, faulted: 1, retryable: false };
  if (call.repeatable || faultName === 'throttle') return { outcome: 'ok', attempts: MAX_ATTEMPTS, faulted: MAX_ATTEMPTS - 1 };
  return { outcome: fault.error, attempts: 1, faulted: 1, retryable: true, retryAfterMs: fault.retryAfterMs };
}

const unique = () => `f${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;

/** Runs one cell; returns its record (never throws for the call's own failure; `problems` lists what was wrong). */
export async function runCell({ CognitoAuth, endpoint, browser = false }, callName, faultName) {
  const call = CALLS[callName];
  const fault = FAULTS[faultName];
  let want = expected(callName, faultName, { browser });
  const emulator = (route, init) => fetch(`${endpoint}__emulator__/${route}`, init).then(async (r) => {
    const text = await r.text();
    if (!r.ok) throw new Error(`${init?.method ?? 'GET'} /__emulator__/${route} → ${r.status} ${text}`);
    return text ? JSON.parse(text) : {};
  });
  const post = (route, body) => emulator(route, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const pool = await post('pools', call.pool ?? {});
  const poolId = pool.poolId;
  const events = [];
  const problems = [];
  const c = {
    username: unique(),
    auth: new CognitoAuth({
      userPoolId: poolId, clientId: pool.clients[0].clientId, endpoint, storage: 'memory',
      requestTimeoutMs: TIMEOUT_MS, retries: { maxAttempts: MAX_ATTEMPTS }, refreshMarginSeconds: 0,
    }),
    sink: problems,
    check: (ok, what) => { if (!ok) c.sink.push(what); },
    user: (extra = {}) => post('users', { poolId, username: c.username, password: PASSWORD, attributes: { email: `${c.username}@example.com` }, ...extra }),
    /** After a failed answer: the sign-in still waits at `step` (unless the answer got through) and `answer` ends it. */
    answerAgain: async (step, answer) => {
      if (!(await c.auth.getSession())) {
        const pending = await c.auth.getPendingSignIn();
        c.check(pending?.nextStep?.signInStep === step, `the sign-in still waits at ${step}: ${JSON.stringify(pending)}`);
        c.check((await c.auth.confirmSignIn({ challengeResponse: answer })).isSignedIn, 'the same answer signs in');
      }
      c.check(await c.auth.getSession(), 'has a session');
    },
    latestCode: async (purpose) => (await emulator(`codes/${encodeURIComponent(c.username)}?poolId=${poolId}&purpose=${purpose}`)).code,
  };
  const unsubscribe = c.auth.onAuthStateChange((e) => events.push(e.event));
  const counts = async () => (await emulator(`requests?poolId=${encodeURIComponent(poolId)}`))[call.operation] ?? 0;
  try {
    await call.setUp(c);
  } catch (e) {
    return { call: callName, fault: faultName, want, problems: [`set-up failed: ${e.name}: ${e.message}`] };
  }
  events.length = 0;
  const armed = await post('faults', {
    operation: call.operation, poolId, fault: faultName, count: want.faulted,
    ...(call.authFlow ? { authFlow: call.authFlow } : {}), ...(call.challengeName ? { challengeName: call.challengeName } : {}),
    ...(fault.arm ?? {}),
  });
  const before = await counts();
  const started = Date.now();
  let error = null;
  try {
    await call.act(c);
  } catch (e) {
    error = e;
  }
  const ms = Date.now() - started;
  // The same operation's other requests in the call (see `others`) are not attempts of the faulted one.
  const attempts = (await counts()) - before - (call.others?.(!error) ?? 0);
  const faults = (await emulator('faults')).faults ?? [];
  const fired = faults.find((f) => f.id === armed.id)?.fired;
  c.outcome = error ? error.name : 'ok';
  if (want.alternative && c.outcome === want.alternative.outcome && attempts === want.alternative.attempts) {
    want = { ...want.alternative, note: 'the browser re-sent it' };
  }
  const record = {
    call: callName, fault: faultName, want, outcome: c.outcome, retryable: error?.retryable, retryAfterMs: error?.retryAfterMs,
    message: error?.message, attempts, fired, ms, problems,
  };
  if (error && !(error instanceof Error)) problems.push(`rejected with a non-Error: ${String(error)}`);
  if (record.outcome !== want.outcome) problems.push(`outcome ${record.outcome} (${error?.message ?? ''}), expected ${want.outcome}`);
  if (attempts !== want.attempts) problems.push(`${attempts} attempts, expected ${want.attempts}`);
  if (fired !== want.faulted) problems.push(`the fault hit ${fired} requests, expected ${want.faulted}`);
  if (want.retryable !== undefined && record.retryable !== want.retryable) problems.push(`retryable ${record.retryable}, expected ${want.retryable}`);
  if (want.retryAfterMs !== undefined && record.retryAfterMs !== want.retryAfterMs) problems.push(`retryAfterMs ${record.retryAfterMs}, expected ${want.retryAfterMs}`);
  // Every call ends within its attempts' timeouts plus backoff (a Retry-After of 1 s included), with room for a
  // loaded machine; a call that hangs never gets here and fails by the test's own timeout.
  // A Retry-After of 1 s is waited for before each repeat: at least 2 s for the two of a call that got through.
  if (faultName === 'http503' && want.outcome === 'ok' && want.attempts === MAX_ATTEMPTS && ms < 2000) {
    problems.push(`settled in ${ms} ms: the two Retry-After waits of 1 s were not both made`);
  }
  const bound = MAX_ATTEMPTS * (TIMEOUT_MS + 1000) + 5000;
  if (ms > bound) problems.push(`took ${ms} ms, more than ${bound}`);
  const lost = [];
  c.sink = lost;
  try {
    await call.recover(c);
  } catch (e) {
    lost.push(`${e.name}: ${e.message}`);
  }
  if (events.includes('signedOut') || events.includes('sessionExpired')) lost.push(`events: ${events.join(', ')}`);
  record.sessionKept = lost.length === 0;
  problems.push(...lost.map((p) => `after the fault: ${p}`));
  record.events = events;
  unsubscribe();
  return record;
}

/** A Markdown table of records, for the test output and the closing notes. */
export function table(records, title) {
  const lines = [`### ${title}`, '', '| call | fault | outcome | retryable | attempts | settled in | session kept |', '|---|---|---|---|---:|---:|---|'];
  for (const r of records) {
    const outcome = (r.outcome === 'ok' ? 'ok' : `${r.outcome}${r.retryAfterMs ? ` (retryAfterMs ${r.retryAfterMs})` : ''}`)
      + (r.want?.note ? ` (${r.want.note})` : '');
    const kept = r.sessionKept ? 'yes' : 'NO';
    const wrong = r.problems?.length ? ` — wrong: ${r.problems.join('; ')}` : '';
    lines.push(`| ${r.call} | ${r.fault} | ${outcome}${wrong} | ${r.retryable ?? ''} | ${r.attempts} | ${r.ms} ms | ${kept} |`);
  }
  return lines.join('\n');
}
