// pkg-template/driver.js's locks, as the built package ships it (pkg/snippets/): the localStorage fallback against
// a storage object, Web Locks' failures and the wait's bound against a stand-in LockManager. Browsers prove both
// with the real things (tests/browser_sessions.rs, tests/playwright/sessions-refresh.test.mjs); these are the
// edges that need a clock or a failure no browser gives on demand. No emulator needed.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';

const snippets = new URL('../../pkg/snippets/', import.meta.url);
const [crate] = await readdir(snippets);
const { lock, storageLock, heldByOther } = await import(new URL(`${crate}/pkg-template/driver.js`, snippets).href);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A localStorage of this process's own: globalThis.localStorage for the test. */
function useStorage() {
  const items = new Map();
  const storage = {
    getItem: (k) => (items.has(k) ? items.get(k) : null),
    setItem: (k, v) => void items.set(k, String(v)),
    removeItem: (k) => void items.delete(k),
  };
  Object.defineProperty(globalThis, 'localStorage', { value: storage, configurable: true, writable: true });
  return items;
}

/** `navigator.locks` for the test (Node 20 has no navigator; Node 21 to 24.4 one without locks, later ones with). */
function useLocks(locks) {
  Object.defineProperty(globalThis, 'navigator', { value: { locks }, configurable: true, writable: true });
}

afterEach(() => {
  delete globalThis.localStorage;
  delete globalThis.navigator;
});

test('only a live entry of another tab holds the storage lock', () => {
  const now = 1_000_000;
  assert.equal(heldByOther('other|1004000', 'mine', now), true);
  assert.equal(heldByOther('mine|1004000', 'mine', now), false, 'our own entry');
  assert.equal(heldByOther('other|999999', 'mine', now), false, 'expired');
  assert.equal(heldByOther('other|1006999', 'mine', now), true, 'within the clock slack');
  assert.equal(heldByOther('other|99999999999999', 'mine', now), false, 'an expiry no holder writes');
  assert.equal(heldByOther('other|1004000x', 'mine', now), false, 'not a number');
  assert.equal(heldByOther('other| 1004000', 'mine', now), false, 'not digits only');
  assert.equal(heldByOther('other|', 'mine', now), false);
  assert.equal(heldByOther('garbage', 'mine', now), false);
  assert.equal(heldByOther(null, 'mine', now), false);
  assert.equal(heldByOther('ab|1004000', 'ab7', now), true, "a prefix of our token is another tab's");
  assert.equal(heldByOther('ab7|1004000', 'ab', now), true, 'so is a longer token');
});

test('the storage lock: taken when free, renewed while held, removed by its holder only', async () => {
  const items = useStorage();
  const [release, waited] = await storageLock('L', 1000);
  assert.equal(waited, false);
  const [token, expiry] = items.get('L').split('|');
  assert.match(token, /^[0-9a-f]+$/);
  const first = Number(expiry);
  assert.ok(first > Date.now() && first <= Date.now() + 5000, `expiry ${first}`);
  await sleep(1300);
  const renewed = Number(items.get('L').split('|')[1]);
  assert.ok(renewed > first, `renewed: ${first} → ${renewed}`);
  release();
  assert.equal(items.has('L'), false, 'released');
  items.set('L', `${token}|${first}`); // our token again, as if written late: a renewal left running would move it
  await sleep(1100);
  assert.equal(items.get('L'), `${token}|${first}`, 'no renewal after the release');
  items.delete('L');

  const [again] = await storageLock('L', 1000);
  items.set('L', `other|${Date.now() + 4000}`); // another tab took it over (ours had lapsed there)
  again();
  assert.equal(items.get('L').split('|')[0], 'other', "another tab's entry is left alone");
  await sleep(1100);
  assert.equal(items.get('L').split('|')[0], 'other', 'and is not renewed as ours');
});

test("the storage lock waits for another tab's live entry, and gives up at its bound", { timeout: 10_000 }, async () => {
  const items = useStorage();
  items.set('L', `other|${Date.now() + 4000}`);
  const started = Date.now();
  const failure = await storageLock('L', 200).then(() => undefined, (e) => e);
  assert.ok(Array.isArray(failure) && failure[0] === true, `a timeout: ${failure}`);
  assert.ok(Date.now() - started >= 200, 'not before its bound');

  setTimeout(() => items.delete('L'), 150);
  const [release, waited] = await storageLock('L', 2000);
  assert.equal(waited, true, 'it waited for the other holder');
  release();

  items.set('L', `other|${Date.now() + 10 ** 9}`); // planted: no holder writes an expiry that far ahead
  const [planted, waitedPlanted] = await storageLock('L', 100);
  assert.equal(waitedPlanted, false);
  planted();
});

test('without Web Locks or localStorage (Node) there is nothing to take turns with', async () => {
  useLocks(undefined);
  const [release, waited] = await lock('L', 100);
  assert.equal(typeof release, 'function');
  assert.equal(waited, false);
  release(Promise.resolve());
  // A localStorage that is not a storage (no methods) is none either.
  Object.defineProperty(globalThis, 'localStorage', { value: {}, configurable: true, writable: true });
  assert.equal((await lock('L', 100))[1], false);
});

test('a storage that refuses every write gives up at the bound with a timeout, not for ever', { timeout: 10_000 }, async () => {
  const items = useStorage();
  globalThis.localStorage.setItem = () => {
    throw new DOMException('full', 'QuotaExceededError');
  };
  items.set('L', `other|${Date.now() + 10 ** 9}`); // a planted entry no live holder wrote, which stays
  const started = Date.now();
  const failure = await lock('L', 200).then(() => undefined, (e) => e);
  assert.ok(Array.isArray(failure) && failure[0] === true, `a timeout: ${failure}`);
  assert.ok(Date.now() - started >= 200 && Date.now() - started < 2000, `${Date.now() - started} ms`);
});

test('a navigator.locks getter that throws is taken for no Web Locks', async () => {
  const items = useStorage();
  Object.defineProperty(globalThis, 'navigator', {
    get() {
      throw new Error('denied');
    },
    configurable: true,
  });
  const [release] = await lock('L', 1000);
  assert.ok(items.has('L'), 'the storage lock holds it');
  release();
});

test('whatever fails inside lock, it rejects with [timedOut, error]', async () => {
  let call = 0;
  useLocks({
    request: (name, options, callback) => {
      if (call++ === 0) return Promise.resolve(callback(null));
      throw new TypeError('a broken polyfill');
    },
  });
  const failure = await lock('L', 1000).then(() => undefined, (e) => e);
  assert.ok(Array.isArray(failure) && failure[0] === false, `${failure}`);
  assert.match(String(failure[1]), /navigator\.locks\.request failed: a broken polyfill/);
});

test('Web Locks refusing the request falls back to the storage lock', async () => {
  const items = useStorage();
  useLocks({ request: () => Promise.reject(new Error('SecurityError')) });
  const [release] = await lock('L', 1000);
  assert.ok(items.has('L'), 'the storage entry holds it');
  release();
  assert.equal(items.has('L'), false);
  useLocks({}); // no request function at all (a partial polyfill)
  const [again] = await lock('L', 1000);
  assert.ok(items.has('L'));
  again();
});

/** A LockManager with one lock, held by "another tab" until `freeAt()` is called; honours ifAvailable and signal. */
function heldLocks() {
  let free;
  const freed = new Promise((resolve) => (free = resolve));
  let held = true;
  freed.then(() => (held = false));
  const requests = [];
  const locks = {
    request(name, options, callback) {
      requests.push(options);
      if (!held) return Promise.resolve(callback({ name })).then(() => undefined);
      if (options.ifAvailable) return Promise.resolve(callback(null));
      return new Promise((resolve, reject) => {
        options.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
        freed.then(() => {
          locks.held = Promise.resolve(callback({ name })); // the lock is ours until this settles
          locks.held.then(resolve, reject);
        });
      });
    },
  };
  return { locks, free, requests };
}

test('a held Web Lock is waited for, within the bound, and released only once the writes have settled', async () => {
  const { locks, free, requests } = heldLocks();
  useLocks(locks);
  setTimeout(free, 100);
  const [release, waited] = await lock('L', 1000);
  assert.equal(waited, true);
  assert.equal(requests[0].ifAvailable, true);
  assert.equal(requests[0].signal, undefined, 'no signal with ifAvailable');
  assert.ok(requests[1].signal, 'the waiting request is bounded by a signal');
  let released = false;
  locks.held.then(() => (released = true));
  let writesDone;
  release(new Promise((resolve) => (writesDone = resolve)));
  await sleep(30);
  assert.equal(released, false, 'held while the writes are pending');
  writesDone();
  await sleep(0);
  assert.equal(released, true, 'released once they have settled');
});

test('waiting for a Web Lock ends at the bound with a timeout, not for ever', { timeout: 10_000 }, async () => {
  const { locks } = heldLocks();
  useLocks(locks);
  const started = Date.now();
  const failure = await lock('L', 150).then(() => undefined, (e) => e);
  assert.ok(Array.isArray(failure) && failure[0] === true, `a timeout: ${failure}`);
  assert.ok(Date.now() - started >= 150);
});

test('a Web Lock request failing while it waits is a failure, not a storage lock beside it', async () => {
  const items = useStorage();
  let call = 0;
  useLocks({
    request: (name, options, callback) => (call++ === 0 ? Promise.resolve(callback(null)) : Promise.reject(new Error('broken'))),
  });
  const failure = await lock('L', 1000).then(() => undefined, (e) => e);
  assert.ok(Array.isArray(failure) && failure[0] === false && /broken/.test(failure[1].message), `${failure}`);
  assert.equal(items.has('L'), false);
});
