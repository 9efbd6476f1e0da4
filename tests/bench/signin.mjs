// Benchmarks against the Cognito emulator, shared by Node and Chromium (tests/bench/emulator.mjs drives both).
// Everything environment-specific comes in as arguments: `CognitoAuth` (the shipped package's class), `Official`
// (amazon-cognito-identity-js), the pool `{ poolId, clientId, username, password }` and the emulator's URL.
// Request counts come from the emulator's own log (/__emulator__/requests), taken outside the timed calls.

/** Every Cognito operation the emulator has answered for `poolId` so far. */
export async function requestTotal(endpoint, poolId) {
  const counts = await (await fetch(`${endpoint}__emulator__/requests?poolId=${encodeURIComponent(poolId)}`)).json();
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const median = s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return { median, min: s[0], max: s[s.length - 1], n: s.length, mean: s.reduce((a, b) => a + b, 0) / s.length };
}

function officialPool(Official, pool, endpoint) {
  return new Official.CognitoUserPool({ UserPoolId: pool.poolId, ClientId: pool.clientId, endpoint });
}

/** amazon-cognito-identity-js's sign-in as apps write it: a CognitoUser, then authenticateUser (USER_SRP_AUTH). */
function officialSignIn(Official, userPool, { username, password }) {
  const user = new Official.CognitoUser({ Username: username, Pool: userPool });
  const details = new Official.AuthenticationDetails({ Username: username, Password: password });
  return new Promise((resolve, reject) => user.authenticateUser(details, {
    onSuccess: () => resolve(user),
    onFailure: reject,
    newPasswordRequired: () => reject(new Error('unexpected NEW_PASSWORD_REQUIRED')),
    mfaRequired: () => reject(new Error('unexpected MFA')),
  }));
}

function officialSession(userPool) {
  return new Promise((resolve, reject) => {
    const user = userPool.getCurrentUser();
    if (!user) return reject(new Error('the official client has no current user'));
    user.getSession((err, session) => (err ? reject(err) : resolve(session)));
  });
}

/**
 * Times `calls` getSession() calls on valid tokens for each of `clients` (`[{ name, getSession }]`), each call on
 * its own (plus the mean over each client's calls, which is finer than one call where the timer is coarse). The
 * clients take turns, ten calls each, so that a busy spell on the machine slows them alike rather than whichever
 * ran then. No call may reach Cognito: the request count must not move.
 */
async function timeGetSessions(clients, { endpoint, pool, calls }) {
  for (const { getSession } of clients) for (let i = 0; i < 20; i++) await getSession(); // warm-up
  const before = await requestTotal(endpoint, pool.poolId);
  const times = clients.map(() => []);
  const totals = clients.map(() => 0);
  const TURN = 10;
  for (let done = 0; done < calls; done += TURN) {
    for (const [k, { name, getSession }] of clients.entries()) {
      const start = performance.now();
      for (let i = 0; i < Math.min(TURN, calls - done); i++) {
        const t = performance.now();
        const session = await getSession();
        times[k].push(performance.now() - t);
        if (!session) throw new Error(`${name}: getSession() returned no session`);
      }
      totals[k] += performance.now() - start;
    }
  }
  const requests = (await requestTotal(endpoint, pool.poolId)) - before;
  if (requests !== 0) throw new Error(`${calls} getSession() calls per client on valid tokens made ${requests} Cognito requests`);
  return clients.map(({ name }, k) => ({ name, ...stats(times[k]), mean: totals[k] / calls, requests: 0 }));
}

/**
 * getSession() with valid tokens: ours with the first of `storages` and the official client's, in turns; then
 * ours with each other storage on its own. In a browser the official client keeps its session in localStorage
 * under the keys ours uses there too, so ours with localStorage must not be signed in beside it.
 */
export async function getSessionBench({ CognitoAuth, Official, pool, endpoint, storages, calls }) {
  const ours = async (storage) => {
    const auth = new CognitoAuth({ userPoolId: pool.poolId, clientId: pool.clientId, endpoint, storage });
    await auth.signIn({ username: pool.username, password: pool.password });
    return { auth, client: { name: `ours (${storage})`, getSession: () => auth.getSession() } };
  };
  const [first, ...rest] = storages;
  const a = await ours(first);
  const userPool = officialPool(Official, pool, endpoint);
  const user = await officialSignIn(Official, userPool, pool);
  const official = { name: 'official (getCurrentUser().getSession)', getSession: () => officialSession(userPool) };
  const [oursFirst, officialRow] = await timeGetSessions([a.client, official], { endpoint, pool, calls });
  user.signOut();
  await a.auth.signOut();
  const rows = [oursFirst];
  for (const storage of rest) {
    const b = await ours(storage);
    rows.push(...(await timeGetSessions([b.client], { endpoint, pool, calls })));
    await b.auth.signOut();
  }
  return [...rows, officialRow];
}

/**
 * Times one sign-in after another: `signIn` timed, the emulator's request count read around it, then
 * `signOut` (not timed). Returns the times and each sign-in's request count.
 */
async function timeSignIns(signIn, signOut, { endpoint, pool, rounds, warmup = 2 }) {
  const xs = [];
  const requests = [];
  for (let i = 0; i < warmup + rounds; i++) {
    const before = await requestTotal(endpoint, pool.poolId);
    const t = performance.now();
    await signIn();
    const ms = performance.now() - t;
    const n = (await requestTotal(endpoint, pool.poolId)) - before;
    await signOut();
    if (i >= warmup) {
      xs.push(ms);
      requests.push(n);
    }
  }
  return { ...stats(xs), requests };
}

/** Full SRP sign-in (USER_SRP_AUTH), ours and the official client's, against the same pool and user. */
export async function signInBench({ CognitoAuth, Official, pool, endpoint, storage, rounds }) {
  const auth = new CognitoAuth({ userPoolId: pool.poolId, clientId: pool.clientId, endpoint, storage });
  const ours = await timeSignIns(async () => {
    const r = await auth.signIn({ username: pool.username, password: pool.password });
    if (!r.isSignedIn) throw new Error(`ours: not signed in: ${JSON.stringify(r)}`);
  }, () => auth.signOut(), { endpoint, pool, rounds });

  const userPool = officialPool(Official, pool, endpoint);
  let user;
  const official = await timeSignIns(async () => { user = await officialSignIn(Official, userPool, pool); },
    () => user.signOut(), { endpoint, pool, rounds });
  return [{ name: 'ours (signIn)', ...ours }, { name: 'official (authenticateUser)', ...official }];
}

/**
 * The package's wasm linear memory (bytes) before any sign-in and after each of `checkpoints` (cumulative
 * counts) of sign-in + sign-out rounds, all on one CognitoAuth object in one page.
 */
export async function memoryBench({ CognitoAuth, memory, pool, endpoint, storage, checkpoints }) {
  const auth = new CognitoAuth({ userPoolId: pool.poolId, clientId: pool.clientId, endpoint, storage });
  await auth.getSession(); // the module is instantiated and the client built: the baseline
  const points = [{ signIns: 0, bytes: memory.buffer.byteLength }];
  let done = 0;
  const start = performance.now();
  for (const target of checkpoints) {
    for (; done < target; done++) {
      const r = await auth.signIn({ username: pool.username, password: pool.password });
      if (!r.isSignedIn) throw new Error(`sign-in ${done + 1}: not signed in: ${JSON.stringify(r)}`);
      await auth.signOut();
    }
    points.push({ signIns: done, bytes: memory.buffer.byteLength, seconds: (performance.now() - start) / 1000 });
  }
  return points;
}

/** CPU time (user + system, every thread of this process) of one call of `fn`, ms. */
async function cpuOf(fn) {
  const before = process.cpuUsage();
  await fn();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

/**
 * Node only: the client's CPU time for a full SRP sign-in against the emulator (its requests included: fetch and
 * the loopback socket's work in this process), next to the CPU time of the SRP computation alone (`srp`, one
 * client computation from the bench build), both measured the same way in the same process, in turns.
 */
export async function signInCpuBench({ CognitoAuth, srp, pool, endpoint, rounds }) {
  const auth = new CognitoAuth({ userPoolId: pool.poolId, clientId: pool.clientId, endpoint, storage: 'memory' });
  const signIn = async () => {
    const r = await auth.signIn({ username: pool.username, password: pool.password });
    if (!r.isSignedIn) throw new Error(`ours: not signed in: ${JSON.stringify(r)}`);
  };
  // Interleaved, one sign-in then one SRP computation per round: on a machine shared with other work, a busy
  // spell then slows both alike, not only whichever was being measured then.
  const warmup = Math.max(10, rounds >> 1);
  const math = [];
  const signIns = [];
  for (let i = 0; i < warmup + rounds; i++) {
    const s = await cpuOf(signIn);
    await auth.signOut();
    const m = await cpuOf(srp);
    if (i >= warmup) {
      signIns.push(s);
      math.push(m);
    }
  }
  return { math: stats(math), signIn: stats(signIns) };
}
