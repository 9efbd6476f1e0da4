// The app's own storage object as the module uses it: synchronously. The module reads and writes storage
// without waiting (each wait is wasm code in every flow that contains it), which Web Storage, memory and cookies
// allow. A store whose methods return Promises (React Native's AsyncStorage, an encrypted store) is wrapped here:
// - reads are done ahead: before each operation the module asks to `load` the keys it may read (and again for a
//   key it learns on the way), and while operations run `getItem` answers what was loaded, or written since;
// - writes are started at once, in order; `end` waits for them (an operation settles only once its writes have,
//   and fails if one failed), and a cross-tab lock is released only once `settled()` has, so that the next holder
//   reads them; `reread` loads again what is known, once the lock is ours.
// A store that answers at once is called straight through, as if unwrapped.

const isThenable = (value) =>
  value !== null && (typeof value === 'object' || typeof value === 'function') && typeof value.then === 'function';

function text(key, value) {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') throw new TypeError(`getItem("${key}") returned something that is not a string`);
  return value;
}

/** Wraps `store` when it has the three methods; anything else is left for the module to refuse. */
export function readAhead(store) {
  if (!store || ['getItem', 'setItem', 'removeItem'].some((m) => typeof store[m] !== 'function')) return store;
  /** Key → value (null: absent), kept while operations run; emptied when the last ends. */
  const known = new Map();
  let running = 0;
  let writes = [];

  async function load(keys) {
    if (running === 0) return;
    const waits = [];
    for (const key of keys) {
      const answer = store.getItem(key);
      if (isThenable(answer)) waits.push(Promise.resolve(answer).then((value) => known.set(key, text(key, value))));
    }
    await Promise.all(waits);
  }

  function write(key, value, answer) {
    if (isThenable(answer)) {
      writes.push(Promise.resolve(answer));
      if (running > 0) known.set(key, value);
    } else {
      known.delete(key);
    }
  }

  return {
    getItem(key) {
      if (known.has(key)) return known.get(key);
      const answer = store.getItem(key);
      // A flow read a key nobody loaded: a bug in the SDK, not something the app can fix.
      if (isThenable(answer)) throw new Error(`getItem("${key}") answered with a Promise the SDK had not read ahead`);
      return text(key, answer);
    },
    setItem(key, value) {
      write(key, value, store.setItem(key, value));
    },
    removeItem(key) {
      write(key, null, store.removeItem(key));
    },
    begin() {
      running += 1;
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
