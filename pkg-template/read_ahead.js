// The app's own storage object as the module uses it: synchronously. The module reads and writes storage
// without waiting (each wait is wasm code in every flow that contains it), which Web Storage, memory and cookies
// allow. A store whose methods return Promises (React Native's AsyncStorage, an encrypted store) is wrapped here:
// - reads are done ahead: `begin`, before each operation, loads what an operation may read before it has heard
//   from Cognito (below), the module asks to `load` keys it learns on the way, and while operations run
//   `getItem` answers what was loaded, or written since;
// - writes are started at once, in order; `end` waits for them (an operation settles only once its writes have,
//   and fails if one failed), and a cross-tab lock is released only once `settled()` has, so that the next holder
//   reads them; `reread` loads again what is known, once the lock is ours.
// A store that answers at once is read ahead the same way, and called straight through outside operations.

const isThenable = (value) =>
  value !== null && (typeof value === 'object' || typeof value === 'function') && typeof value.then === 'function';

function text(key, value) {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') throw new TypeError(`getItem("${key}") returned something that is not a string`);
  return value;
}

// The keys, as src/session/keys.rs, src/session/store.rs (SESSION_ITEMS), src/flows/device_secrets.rs (ITEMS) and
// src/flows/redirect.rs (`oauthSignIn`) write them: the session of the user LastAuthUser names, whether it came
// from managed login, and the device secrets of that user and of every username a typed name leads to (the
// `deviceOwners` item: a JSON object from typed name to username).
const SESSION_ITEMS = ['idToken', 'accessToken', 'refreshToken', 'clockDrift'];
const DEVICE_ITEMS = ['deviceKey', 'deviceGroupKey', 'randomPasswordKey'];

/**
 * Wraps `store` when it has the three methods; anything else is left for the module to refuse. `clientId` names
 * the keys to read ahead.
 */
export function readAhead(store, clientId) {
  if (!store || ['getItem', 'setItem', 'removeItem'].some((m) => typeof store[m] !== 'function')) return store;
  /** Key → value (null: absent), kept while operations run; emptied when the last ends. */
  const known = new Map();
  let running = 0;
  let writes = [];
  /** Whether the store has answered a read through a Promise: from then on reads outside operations are not
   *  made (getSession()'s synchronous attempt then gives way to its asynchronous path at once). */
  let promises = false;

  async function load(keys) {
    if (running === 0) return;
    const waits = [];
    for (const key of keys) {
      const answer = store.getItem(key);
      if (isThenable(answer)) {
        promises = true;
        waits.push(Promise.resolve(answer).then((value) => known.set(key, text(key, value))));
      } else {
        known.set(key, text(key, answer));
      }
    }
    await Promise.all(waits);
  }

  function write(key, value, answer) {
    if (isThenable(answer)) writes.push(Promise.resolve(answer));
    if (running > 0) known.set(key, value);
  }

  return {
    getItem(key) {
      if (known.has(key)) return known.get(key);
      // Outside an operation (getSession()'s synchronous attempt) or a key no flow loaded (a bug in the SDK).
      const unread = () => new Error(`getItem("${key}") answers through a Promise, and it was not read ahead`);
      if (promises) throw unread();
      const answer = store.getItem(key);
      if (isThenable(answer)) {
        promises = true;
        Promise.resolve(answer).catch(() => {});
        throw unread();
      }
      return text(key, answer);
    },
    setItem(key, value) {
      write(key, value, store.setItem(key, value));
    },
    removeItem(key) {
      write(key, null, store.removeItem(key));
    },
    async begin() {
      running += 1;
      const prefix = `CognitoIdentityServiceProvider.${clientId}.`;
      const [last, owners] = [`${prefix}LastAuthUser`, `cognito-wasm.${clientId}.deviceOwners`];
      await load([last, owners, `${prefix}oauthSignIn`]);
      const read = (key) => known.get(key) ?? null;
      let names = [];
      try {
        names = Object.values(JSON.parse(read(owners)) ?? {}).filter((n) => typeof n === 'string');
      } catch {
        // An unreadable item leads nowhere, as in the module.
      }
      const user = read(last);
      const keys = [];
      if (user !== null) {
        names.push(user);
        for (const item of SESSION_ITEMS) keys.push(prefix + user + '.' + item);
      }
      for (const name of names) for (const item of DEVICE_ITEMS) keys.push(prefix + name + '.' + item);
      await load(keys);
    },
    load,
    /** Waits for the writes started so far (the first failure rejects); the last operation to end forgets. */
    async end() {
      const started = writes;
      writes = [];
      try {
        await Promise.all(started);
      } finally {
        running = Math.max(0, running - 1);
        if (running === 0) known.clear();
      }
    },
    /** Settles (never rejects) once the writes started so far have. */
    settled() {
      return Promise.allSettled(writes);
    },
    async reread() {
      await Promise.allSettled(writes);
      await load([...known.keys()]);
    },
  };
}
