// `make bench`'s section against the local Cognito emulator (target/release/cognito-emulator): getSession() on
// valid tokens, full SRP sign-in with its request count, ours against amazon-cognito-identity-js, in Node and in
// Chromium, and the package's wasm memory over many sign-ins in one page. The benchmarks themselves are in
// signin.mjs; this module starts the emulator, makes the pool and user, runs them and writes the tables.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { startEmulator } from '../playwright/pages/harness.mjs';
import { oursSrpOnce } from './harness.mjs';
import { getSessionBench, signInBench, signInCpuBench } from './signin.mjs';

export const PAGE = '/tests/bench/emulator.html';
const PASSWORD = 'Bench-Passw0rd!';
const SIGN_IN_REQUESTS = 2; // InitiateAuth (USER_SRP_AUTH) + RespondToAuthChallenge (PASSWORD_VERIFIER)

/**
 * Runs everything against one emulator; `chrome` (`{ browser, base }`, or nothing with --no-browser) is the
 * browser and the server of the repository that run.mjs has open.
 */
export async function emulatorBench({ root, benchPkg, quick, chrome }) {
  const n = quick
    ? { calls: 50, rounds: 5, checkpoints: [10, 100] }
    : { calls: 200, rounds: 20, checkpoints: [10, 100, 1000] };
  // Tokens that stay valid for the whole run: getSession() must never have a reason to refresh.
  const emulator = await startEmulator({ accessTtl: 3600, idTtl: 3600 });
  try {
    const created = await emulator.post('pools', {});
    const pool = { poolId: created.poolId, clientId: created.clients[0].clientId, username: 'bench', password: PASSWORD };
    await emulator.post('users', { poolId: pool.poolId, username: pool.username, password: PASSWORD, attributes: { email: 'bench@example.com' } });
    const common = { pool, endpoint: emulator.url };

    const { CognitoAuth } = await import(pathToFileURL(path.join(root, 'pkg/node.js')));
    const Official = createRequire(path.join(root, 'tests/package.json'))('amazon-cognito-identity-js');
    const envs = [[`Node ${process.versions.node}`, {
      getSession: await getSessionBench({ CognitoAuth, Official, ...common, storages: ['memory'], calls: n.calls }),
      signIn: await signInBench({ CognitoAuth, Official, ...common, storage: 'memory', rounds: n.rounds }),
    }]];
    const ours = await import(pathToFileURL(path.join(root, benchPkg, 'cognito_wasm.js')));
    await ours.default({ module_or_path: await readFile(path.join(root, benchPkg, 'cognito_wasm_bg.wasm')) });
    const cpu = await signInCpuBench({ CognitoAuth, srp: oursSrpOnce(ours), ...common, rounds: n.rounds * 2 });

    let memory;
    if (chrome) {
      const run = async (what, options) => {
        const page = await (await chrome.browser.newContext()).newPage();
        try {
          await page.goto(`${chrome.base}${PAGE}`);
          await page.waitForFunction(() => window.pageReady === true);
          return { result: await page.evaluate(([w, o]) => window.bench[w](o), [what, options]),
                   isolated: await page.evaluate(() => window.crossOriginIsolated) };
        } finally {
          await page.context().close();
        }
      };
      const getSession = await run('getSession', { ...common, storages: ['memory', 'localStorage'], calls: n.calls });
      const signIn = await run('signIn', { ...common, storage: 'localStorage', rounds: n.rounds });
      envs.push([`Chromium ${chrome.browser.version()}`, { getSession: getSession.result, signIn: signIn.result, isolated: getSession.isolated }]);
      // A fresh page, so that nothing but these rounds has run in it.
      memory = (await run('memory', { ...common, storage: 'localStorage', checkpoints: n.checkpoints })).result;
    }

    // Loud, after the tables' data is complete: a sign-in that is not exactly two requests is a regression.
    for (const [env, r] of envs) {
      const ours = r.signIn[0];
      const wrong = ours.requests.filter((x) => x !== SIGN_IN_REQUESTS);
      if (wrong.length) {
        throw new Error(`${env}: ours made ${JSON.stringify(ours.requests)} Cognito requests per sign-in, ` +
          `expected ${SIGN_IN_REQUESTS} each (counts so far: ${JSON.stringify(await emulator.counts(pool.poolId))})`);
      }
    }
    return { envs, memory, cpu, n };
  } catch (e) {
    e.message += `\nemulator output:\n${emulator.output.slice(-2000)}`;
    throw e;
  } finally {
    await emulator.stop();
  }
}

// ---------------------------------------------------------------------------------------------------- report
const f = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const us = (ms) => f(ms * 1000);
const counts = (xs) => {
  const distinct = [...new Set(xs)];
  return distinct.length === 1 ? String(distinct[0]) : `${Math.min(...xs)}–${Math.max(...xs)} (${xs.join(', ')})`;
};
const mib = (bytes) => `${(bytes / 1048576).toFixed(2)} MiB`;

/** A table with each environment's `columns` side by side, like run.mjs's; `cells(row, ours)` fills one. */
function sideBySide(envs, pick, columns, cells) {
  const names = [...new Set(envs.flatMap(([, r]) => pick(r).map((x) => x.name)))];
  const lines = [`| implementation | ${envs.map(([e]) => `${e} ${columns.join(' | ')}`).join(' | ')} |`,
    `|---|${envs.map(() => columns.map(() => '---:').join('|')).join('|')}|`];
  for (const name of names) {
    lines.push(`| ${name} | ${envs.map(([, r]) => {
      const rows = pick(r);
      const row = rows.find((x) => x.name === name);
      return row ? cells(row, rows[0]) : columns.map(() => '').join(' | ');
    }).join(' | ')} |`);
  }
  return lines;
}

/** The section's Markdown. */
export function emulatorTables({ envs, memory, cpu, n }) {
  const md = ['### getSession() with valid tokens against the emulator (no request), µs', ''];
  md.push(...sideBySide(envs, (r) => r.getSession,
    ['median', 'min–max', 'mean', 'n', '÷ ours'],
    (row, ours) => `${us(row.median)} | ${us(row.min)}–${us(row.max)} | ${us(row.mean)} | ${row.n} | ${(row.median / ours.median).toFixed(1)}×`));
  const isolated = envs.find(([e]) => e.startsWith('Chromium'))?.[1].isolated;
  md.push('', `The shipped package (pkg/) after one sign-in; every run of calls made 0 Cognito requests (the emulator's ` +
    'request log, checked: the bench fails otherwise). Ours with memory storage and the official client take ' +
    'turns, ten calls each; ours with localStorage runs on its own (in a browser it would share the official ' +
    'client\'s keys). "mean" is each client\'s calls\' total time divided by n. ' +
    (isolated === undefined ? '' : isolated
      ? 'The Chromium page is cross-origin isolated, so performance.now() is fine (5 µs), not 100 µs.'
      : 'The Chromium page was NOT cross-origin isolated: its times are coarse (100 µs).'), '');

  md.push('### Full SRP sign-in against the emulator (USER_SRP_AUTH, wall time), ms', '');
  md.push(...sideBySide(envs, (r) => r.signIn,
    ['median', 'min–max', 'n', 'requests per sign-in', '÷ ours'],
    (row, ours) => `${f(row.median)} | ${f(row.min)}–${f(row.max)} | ${row.n} | ${counts(row.requests)} | ${(row.median / ours.median).toFixed(1)}×`));
  md.push('', 'Ours is `signIn({ username, password })`, the official client `CognitoUser.authenticateUser` (a new ' +
    'CognitoUser each time, as apps do). Both against the same emulator, pool and user, one after the other, ' +
    'after 2 warm-up sign-ins; each is followed by an untimed sign-out. Requests are the Cognito operations in the ' +
    `emulator's log during the sign-in; ours must make ${SIGN_IN_REQUESTS} (InitiateAuth + RespondToAuthChallenge) ` +
    'or the bench fails. The wall time includes the emulator\'s side of SRP and its token signing (native code, ' +
    'the same for both clients, a few ms), and no network latency: real Cognito adds a round trip per request, ' +
    'so the ratio shows the difference in client work, not what a user waits for.', '');

  if (cpu) {
    const { math, signIn } = cpu;
    md.push(`### Client CPU of a full SRP sign-in (Node ${process.versions.node}, against the emulator), ms`, '',
      '| | median | min–max | n |', '|---|---:|---:|---:|',
      `| ours: signIn (USER_SRP_AUTH: two requests, SRP, storing the session) | ${f(signIn.median)} | ${f(signIn.min)}–${f(signIn.max)} | ${signIn.n} |`,
      `| the SRP computation alone (A, S, the key, the signature) | ${f(math.median)} | ${f(math.min)}–${f(math.max)} | ${math.n} |`,
      `| ratio of the medians | ${(signIn.median / math.median).toFixed(2)}× | | |`, '',
      'CPU time of this process (`process.cpuUsage()`, user + system, all its threads) around each call, after ' +
      'warm-up, a sign-in and an SRP computation in turn: the sign-in\'s requests count (fetch, and the work the ' +
      'loopback socket does in this process), the emulator\'s does not (another process). The SRP computation is ' +
      'the bench build\'s, on fixed inputs.', '');
  }
  if (memory) {
    md.push('### The package\'s wasm memory over sign-in + sign-out rounds (Chromium, one page, localStorage)', '',
      `| sign-ins | ${memory.map((p) => p.signIns).join(' | ')} |`,
      `|---|${memory.map(() => '---:').join('|')}|`,
      `| wasm linear memory, bytes | ${memory.map((p) => p.bytes).join(' | ')} |`,
      `| | ${memory.map((p) => mib(p.bytes)).join(' | ')} |`,
      `| elapsed, s | ${memory.map((p) => (p.seconds === undefined ? '' : p.seconds.toFixed(1))).join(' | ')} |`, '');
    // Growth between the first checkpoint after sign-ins began and the last is what would show a leak; the first
    // rounds also allocate what is kept for the page's lifetime (caches, the SRP tables), reported apart.
    const subject = "`WebAssembly.Memory.buffer.byteLength` of the package's module (`(await init()).memory`)";
    const warm = memory.find((p) => p.signIns > 0) ?? memory[0];
    const last = memory.at(-1);
    const grew = last.bytes - warm.bytes;
    md.push(`${subject} ${grew === 0 ? 'is flat' : `grew by ${grew} bytes (${mib(grew)})`} from ${warm.signIns} to ` +
      `${last.signIns} rounds` + (warm.bytes === memory[0].bytes ? '.' :
      `; it grew by ${warm.bytes - memory[0].bytes} bytes during the first ${warm.signIns}.`), '');
  }
  md.push(`n = ${n.calls} getSession() calls, ${n.rounds} sign-ins per implementation.`, '');
  return md.join('\n');
}
