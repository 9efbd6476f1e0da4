// What the module asks the JavaScript engine to do, done in JavaScript: each call here is one wait on the Rust side
// (a Promise it awaits), where doing the same through wasm-bindgen's bindings took a binding per browser method
// and a wait per step. The module imports this file (`#[wasm_bindgen(module = …)]` in src/platform), so it ships
// in the package's `snippets/` and is there for the wasm-pack tests too.

/**
 * POSTs one Cognito request and reads the whole answer, within `timeoutMs` (an AbortController's abort, armed by
 * setTimeout, covers the body as well as the headers). Resolves with `[status, x-amzn-ErrorType, Retry-After,
 * body text]` for any HTTP answer; rejects with `[timedOut, stage, error]` when none came whole: `stage` 0 for
 * the request, 1 for reading its body.
 */
export async function send(url, target, userAgent, body, timeoutMs) {
  const controller = typeof AbortController === 'function' ? new AbortController() : undefined;
  const timer = controller && setTimeout(() => controller.abort(), timeoutMs);
  let stage = 0;
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.1', // protocol::CONTENT_TYPE
        'X-Amz-Target': target,
        'X-Amz-User-Agent': userAgent,
        'Cache-Control': 'no-store',
      },
      body,
      cache: 'no-store',
      signal: controller?.signal,
    });
    stage = 1;
    const text = await response.text();
    return [response.status, response.headers.get('x-amzn-ErrorType'), response.headers.get('Retry-After'), text];
  } catch (error) {
    throw [controller?.signal.aborted === true, stage, error];
  } finally {
    clearTimeout(timer);
  }
}

/** Waits `ms` (not at all where there are no timers). */
export function sleep(ms) {
  return new Promise((resolve) => (typeof setTimeout === 'function' ? setTimeout(resolve, ms) : resolve()));
}

/**
 * Takes the cross-tab lock `name`, waiting at most `timeoutMs` for another holder. Resolves with
 * `[release, waited]`: `release(after)` lets the lock go once the Promise `after` has settled (the writes made
 * under it, so that the next holder reads them), and `waited` says whether another holder had it first. Rejects
 * with `[timedOut, error]`.
 *
 * Web Locks where there are; where they are missing or refuse (a SecurityError in sandboxed frames and other
 * opaque origins) but localStorage is there, an entry in localStorage; where neither is (Node: no other tabs),
 * nothing.
 */
export async function lock(name, timeoutMs) {
  try {
    let locks;
    try {
      locks = globalThis.navigator?.locks;
    } catch {
      // A throwing getter: as if there were none.
    }
    if (typeof locks !== 'object' || locks === null) return await storageLock(name, timeoutMs);
    let release;
    try {
      release = await webLock(locks, name, true, timeoutMs);
    } catch {
      return await storageLock(name, timeoutMs); // Web Locks refused the request itself: take turns through storage
    }
    if (release) return [release, false];
    // Another tab holds the Web Lock: a storage lock now would let both refresh, so a failure here stands.
    release = await webLock(locks, name, false, timeoutMs);
    if (release) return [release, true];
    throw [false, new Error('the refresh lock was not granted')];
  } catch (failure) {
    throw Array.isArray(failure) ? failure : [false, failure]; // always the documented shape
  }
}

/**
 * One `navigator.locks.request`: resolves with the function that releases the lock once it is granted, or with
 * null if `ifAvailable` and another holder has it. A waiting request gives up after `timeoutMs` through its
 * `signal`, which cannot go with `ifAvailable` (that request does not wait anyway).
 */
function webLock(locks, name, ifAvailable, timeoutMs) {
  return new Promise((granted, refused) => {
    const controller = ifAvailable || typeof AbortController !== 'function' ? undefined : new AbortController();
    const timer = controller && setTimeout(() => controller.abort(), timeoutMs);
    const fail = (error) => {
      clearTimeout(timer);
      refused([controller?.signal.aborted === true, error]);
    };
    const options = controller ? { ifAvailable, signal: controller.signal } : { ifAvailable };
    try {
      // The lock is held until the callback's Promise settles: resolving it (with `after`) releases it. The
      // request's own Promise rejects if the request is refused or aborted before the grant.
      const outcome = locks.request(name, options, (held) => {
        clearTimeout(timer);
        if (!held) return granted(null);
        return new Promise((release) => granted(release));
      });
      Promise.resolve(outcome).catch(fail);
    } catch (error) {
      fail(`navigator.locks.request failed: ${error?.message ?? error}`);
    }
  });
}

/**
 * How long a storage lock entry counts past its last renewal: a tab that died holding it blocks the others no
 * longer than this, while a live holder renews it every STORAGE_LOCK_RENEW_MS however long it holds it.
 */
const STORAGE_LOCK_MS = 5000;
/** How often a holder renews its entry: well within STORAGE_LOCK_MS, so that a late timer does not let it lapse. */
const STORAGE_LOCK_RENEW_MS = 1000;
/** How long a tab waits after writing its entry before trusting it: other tabs' competing writes arrive within it. */
const STORAGE_LOCK_SETTLE_MS = 40;
/** How far past STORAGE_LOCK_MS an entry's expiry may lie (clocks of tabs differ a little) and still count. */
const CLOCK_SLACK_MS = 2000;

/**
 * The owner token of a storage lock entry `<token>|<expiry, epoch ms>`. The whole token is compared, never a
 * prefix: an owner whose token began with another's (`ab`, `ab7`) would release or renew the other tab's lock.
 */
function ownerOf(entry) {
  const bar = typeof entry === 'string' ? entry.indexOf('|') : -1;
  return bar < 0 ? undefined : entry.slice(0, bar);
}

/**
 * Whether `entry` is another tab's live lock at `now`. An expiry further ahead than a holder could have written (a
 * planted entry, or one written before the clock was set back) does not count: it would block every refresh.
 */
export function heldByOther(entry, token, now) {
  const owner = ownerOf(entry);
  if (owner === undefined || owner === token) return false;
  const expiry = entry.slice(owner.length + 1);
  const expires = /^[0-9]{1,16}$/.test(expiry) ? Number(expiry) : NaN;
  return expires > now && expires <= now + STORAGE_LOCK_MS + CLOCK_SLACK_MS;
}

/**
 * The fallback lock: an entry in localStorage. Write it, wait for competing writes to arrive, then read it back:
 * whoever's token is there holds the lock, renews it while held, and removes it when done. Not as strict as Web
 * Locks (two tabs may both win when storage is slow), but it keeps refreshes to one in the common case.
 */
export async function storageLock(name, timeoutMs) {
  let storage;
  try {
    storage = globalThis.localStorage;
  } catch {
    // A SecurityError: storage is turned off for this page.
  }
  if (typeof storage?.getItem !== 'function' || typeof storage.setItem !== 'function') return [() => {}, false];
  const read = () => {
    try {
      return storage.getItem(name);
    } catch {
      return null;
    }
  };
  const write = () => {
    try {
      storage.setItem(name, `${token}|${Date.now() + STORAGE_LOCK_MS}`);
    } catch {
      // Full or refused: the read-back shows no entry, and the wait ends at its bound.
    }
  };
  const token = Math.floor(Math.random() * 9e15).toString(16);
  const deadline = Date.now() + timeoutMs;
  let waited = false;
  for (;;) {
    const now = Date.now();
    if (heldByOther(read(), token, now)) {
      if (now >= deadline) throw [true, new Error('the storage lock stayed taken')];
      waited = true;
      await sleep(25);
      continue;
    }
    write();
    await sleep(STORAGE_LOCK_SETTLE_MS);
    if (ownerOf(read()) !== token) {
      // Another tab wrote after us, or our entry never shows (storage full, or refusing writes): try again
      // within the bound.
      if (Date.now() >= deadline) throw [true, new Error('the storage lock was not ours within the bound')];
      waited = true;
      continue;
    }
    // Renewed while held: a holder busy past STORAGE_LOCK_MS (a refresh with retries) keeps it.
    const renewal = setInterval(() => ownerOf(read()) === token && write(), STORAGE_LOCK_RENEW_MS);
    const release = () => {
      clearInterval(renewal);
      if (ownerOf(read()) === token) {
        try {
          storage.removeItem(name);
        } catch {
          // It expires.
        }
      }
    };
    return [release, waited];
  }
}

/** The events other tabs may send (AuthEvent::is_shared in src/flows/events.rs): their session's changes. */
const SHARED_EVENTS = ['signedIn', 'signedOut', 'tokenRefresh', 'sessionExpired'];

/**
 * How long a tab told of another tab's change waits for its own view of localStorage to show that change before
 * telling its listeners anyway. The tabs of one origin see each other's localStorage writes late, each in its own
 * process (measured: a BroadcastChannel message posted after the write arrives before the write shows, in
 * Chromium and Firefox), so a listener that calls getSession() on `signedOut` could otherwise still be handed the
 * old session, and on `signedIn` none.
 */
const STORAGE_CATCH_UP_MS = 1000;

/**
 * What localStorage holds of client `clientId`'s session: its user and the end of its access token ('' when
 * none, or when there is no localStorage). A client with another storage writes nothing there, and then sender
 * and receiver both see ''.
 */
function storedSession(clientId) {
  try {
    const prefix = `CognitoIdentityServiceProvider.${clientId}`;
    const user = globalThis.localStorage?.getItem(`${prefix}.LastAuthUser`);
    if (!user) return '';
    return `${user}|${(globalThis.localStorage.getItem(`${prefix}.${user}.accessToken`) ?? '').slice(-24)}`;
  } catch {
    return ''; // storage turned off for this page
  }
}

/** Resolves once `storedSession(clientId)` is `expected`, or after STORAGE_CATCH_UP_MS. */
function storageShows(clientId, expected) {
  if (storedSession(clientId) === expected) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearInterval(poll);
      clearTimeout(limit);
      globalThis.removeEventListener?.('storage', check);
      resolve();
    };
    const check = () => storedSession(clientId) === expected && done();
    // The storage event is the prompt answer; polling covers a write that shows without one (same process).
    globalThis.addEventListener?.('storage', check);
    const poll = setInterval(check, 25);
    const limit = setTimeout(done, STORAGE_CATCH_UP_MS);
  });
}

/**
 * The app's onAuthStateChange listeners, and the BroadcastChannel `cognito-wasm.<clientId>` to the other tabs of
 * this origin and client where there is one. `emit(event, shared, error)` calls each listener with
 * `{ event, error? }` (a listener that throws does not stop the others) and, if `shared`, tells the other tabs,
 * with what localStorage then holds of the session: a receiving tab tells its listeners once its own
 * localStorage shows the same (STORAGE_CATCH_UP_MS at most), in the order the events came.
 * `subscribe(listener)` returns the function that unsubscribes it; `close()` closes the channel.
 */
export function events(clientId) {
  let listeners = [];
  const dispatch = (event, error) => {
    const payload = error === undefined ? { event } : { event, error };
    for (const { listener } of listeners) {
      try {
        listener(payload);
      } catch {
        // The app's listener failed; the others still hear of it.
      }
    }
  };
  let channel;
  try {
    channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(`cognito-wasm.${clientId}`) : undefined;
  } catch {
    // No channel (an opaque origin): this tab's listeners still hear this tab's events.
  }
  let received = Promise.resolve();
  if (channel) {
    channel.onmessage = ({ data }) => {
      // A tab of an older version of the package sends the bare name.
      const { event, stored } = typeof data === 'string' ? { event: data } : (data ?? {});
      if (!SHARED_EVENTS.includes(event)) return;
      received = received
        .then(() => (typeof stored === 'string' ? storageShows(clientId, stored) : undefined))
        .then(() => dispatch(event));
    };
  }
  // Node: a listening channel would keep the process alive until the client is collected; other tabs do not
  // outlive the page, so the channel need not either.
  channel?.unref?.();
  return {
    subscribe(listener) {
      const entry = { listener };
      listeners = [...listeners, entry];
      return () => {
        listeners = listeners.filter((e) => e !== entry);
      };
    },
    emit(event, shared, error) {
      try {
        if (shared) channel?.postMessage({ event, stored: storedSession(clientId) });
      } catch {
        // A closed channel: the other tabs miss this one; this tab's listeners still hear it.
      }
      dispatch(event, error);
    },
    close() {
      if (channel) channel.onmessage = null;
      channel?.close();
    },
  };
}
