// The package's JS surface: wraps the wasm-bindgen class so that the module initialises itself on first use.
// The entry points (`index.js`, `inline.js`, `node.js`) differ only in how they obtain the .wasm by default.
import initWasm, { CognitoAuth as WasmCognitoAuth } from './cognito_wasm.js';
import { readAhead } from './read_ahead.js';
import * as redirect from './redirect.js';

/**
 * Every async method of CognitoAuth. The module exports them as one, `call(number, input)`: the numbers are the
 * positions here, in the order of `CognitoAuth::call` in src/api/mod.rs. Each waits for the module, then calls it.
 */
const METHODS = [
  'signUp', 'confirmSignUp', 'resendSignUpCode',
  'signIn', 'confirmSignIn', 'cancelSignIn', 'getPendingSignIn',
  'getSession', 'signOut',
  'resetPassword', 'confirmResetPassword', 'updatePassword',
  'fetchUserAttributes', 'updateUserAttributes', 'sendUserAttributeVerificationCode', 'confirmUserAttribute',
  'deleteUserAttributes', 'deleteUser',
  'setUpTOTP', 'verifyTOTPSetup', 'updateMFAPreference', 'fetchMFAPreference',
  'rememberDevice', 'forgetDevice', 'fetchDevices',
  'authorizationHeader',
];
const GET_SESSION = METHODS.indexOf('getSession');
const SIGN_OUT = METHODS.indexOf('signOut');

/**
 * The smallest module using a SIMD instruction (a function returning `v128.const 0`). The package's wasm uses
 * SIMD128 for its SRP arithmetic, and an engine without SIMD would refuse the whole module with a bare
 * CompileError; checking this first turns that into an error that says what is missing.
 */
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 22, 1, 20, 0, 253, 12,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11,
]);

const unsupported = (message) => redirect.fail('UnsupportedEnvironmentError', message);

/**
 * `defaultSource()` returns what `init` passes to wasm-bindgen when the app gave nothing: `undefined` (fetch the
 * .wasm next to `cognito_wasm.js`), or `{ module_or_path }` with the bytes.
 */
export function createApi(defaultSource) {
  let ready;

  /** Loads and instantiates the module once; a failed load may be retried by the next call. */
  function init(options) {
    if (!WebAssembly.validate(SIMD_PROBE)) {
      return Promise.reject(unsupported(
        'cognito-wasm needs WebAssembly SIMD, which this JavaScript engine lacks (Safari before 16.4, or SIMD ' +
          'turned off); every current Chrome, Edge, Firefox, Safari and Node has it',
      ));
    }
    ready ??= Promise.resolve(options === undefined ? defaultSource() : options)
      .then((opts) => initWasm(opts))
      .catch((error) => {
        ready = undefined;
        throw error;
      });
    return ready;
  }

  const options = new WeakMap();
  const instances = new WeakMap();
  /** Every listener, with its unsubscribe function once attached to the module (added before it was ready). */
  const listeners = new WeakMap();
  /** The redirect sign-in a client completes by itself, made on a return from managed login: its outcome. */
  const returns = new WeakMap();

  /** The instance, after the sign-in the page came back with (a method called meanwhile sees its session). */
  async function afterReturn(auth) {
    await returns.get(auth)?.catch(() => {});
    return instance(auth);
  }

  /** An event of this tab's own (customState, signInWithRedirectFailure) to the client's listeners. */
  function emit(auth, detail) {
    for (const { listener } of listeners.get(auth)) {
      try {
        listener(detail);
      } catch (error) {
        setTimeout(() => { throw error; }); // reported, as an event listener's exception is, without stopping the rest
      }
    }
  }

  /** A redirect sign-in's return completed: the events, the address bar cleaned, the outcome. */
  async function complete(auth, href, flow) {
    const opts = options.get(auth);
    try {
      if (typeof window !== 'undefined' && href === window.location.href) redirect.clearReturn();
      const inner = await instance(auth);
      const result = await redirect.exchangeAuthorizationCode(opts, (n, input) => inner.call(n, input), href, flow);
      if (result.customState !== undefined) emit(auth, { event: 'customState', customState: result.customState });
      return result;
    } catch (error) {
      emit(auth, { event: 'signInWithRedirectFailure', error });
      throw error;
    }
  }

  async function instance(auth) {
    await init();
    let inner = instances.get(auth);
    if (!inner) {
      inner = new WasmCognitoAuth(withReadAhead(options.get(auth)));
      instances.set(auth, inner);
      for (const entry of listeners.get(auth) ?? []) entry.unsubscribe ??= inner.onAuthStateChange(entry.listener);
    }
    return inner;
  }

  class CognitoAuth {
    /** Options are checked when the module is ready: the first call rejects with InvalidParameterException. */
    constructor(opts) {
      options.set(this, opts);
      listeners.set(this, []);
      // With autoRefresh the timer must run without waiting for a first call.
      if (opts && opts.autoRefresh) instance(this).catch(() => {});
      // Back from managed login: complete the sign-in, as Amplify does (the outcome also reaches listeners).
      if (typeof window !== 'undefined' && redirect.isReturn(opts, window.location.href)) {
        const outcome = complete(this, window.location.href);
        outcome.catch(() => {});
        returns.set(this, outcome);
      }
    }

    /** `signInWithRedirect({ provider?, customState?, loginHint?, lang?, prompt?, nonce? })`: to managed login. */
    async signInWithRedirect(args) {
      await afterReturn(this);
      return redirect.signInWithRedirect(options.get(this), args);
    }

    /**
     * `completeSignInWithRedirect(url = location.href)` → `{ customState }`. On a return page the client has
     * started this itself: the same outcome.
     */
    async completeSignInWithRedirect(url) {
      const started = returns.get(this);
      if (started && (url === undefined || url === window.location.href)) return started;
      if (url === undefined && typeof window !== 'undefined') url = window.location.href;
      await afterReturn(this);
      return complete(this, url);
    }

    /** `buildAuthorizeUrl(args)` → `{ url, flow }`: the first half of a redirect sign-in, for servers. */
    async buildAuthorizeUrl(args) {
      await afterReturn(this);
      return redirect.buildAuthorizeUrl(options.get(this), args);
    }

    /** `exchangeAuthorizationCode(url, flow)` → `{ customState }`: the second half, with the flow kept. */
    async exchangeAuthorizationCode(url, flow) {
      await afterReturn(this);
      if (typeof flow !== 'object' || flow === null) throw redirect.fail('InvalidParameterException', 'exchangeAuthorizationCode needs the flow buildAuthorizeUrl returned');
      return complete(this, url, flow);
    }

    /** `fetchUserInfo()` → the signed-in user's attributes from `/oauth2/userInfo`. */
    async fetchUserInfo() {
      const inner = await afterReturn(this);
      const call = (n, input) => inner.call(n, input);
      return redirect.fetchUserInfo(options.get(this), call, await this.authorizationHeader());
    }

    /**
     * `signOut({ global?, redirect? })` → `{ logoutUrl }`: after a managed-login sign-in (and with a
     * `redirectSignOut`), managed login's `/logout`, which ends its own session too; a page goes there unless
     * `redirect` is false. `logoutUrl` is null otherwise.
     */
    async signOut(input) {
      const logoutUrl = (await (await afterReturn(this)).call(SIGN_OUT, input)) ?? null;
      if (logoutUrl && input?.redirect !== false && typeof window !== 'undefined') window.location.assign(logoutUrl);
      return { logoutUrl };
    }

    /**
     * `onAuthStateChange(listener)` → unsubscribe. Synchronous, so it works before the module has loaded; the
     * listener is attached as soon as it has, and this starts the loading: a tab that only listens still hears
     * the other tabs' sign-ins and sign-outs.
     */
    onAuthStateChange(listener) {
      if (typeof listener !== 'function') throw new TypeError('onAuthStateChange needs a function');
      const entry = { listener, unsubscribe: undefined };
      const inner = instances.get(this);
      if (inner) entry.unsubscribe = inner.onAuthStateChange(listener);
      else instance(this).catch(() => {}); // bad options are reported by the first call
      const all = listeners.get(this);
      all.push(entry);
      return () => {
        entry.unsubscribe?.();
        entry.unsubscribe = () => {}; // not attached later either
        const i = all.indexOf(entry);
        if (i >= 0) all.splice(i, 1);
      };
    }
  }
  /**
   * `getSession(args?)`. It runs before each of an app's API requests, so with tokens that need no refresh it is
   * answered synchronously (`freshSession`), without the async path's promise plumbing. Both answers are the
   * module's object for these tokens, which it keeps: each caller gets a copy of its own.
   */
  Object.defineProperty(CognitoAuth.prototype, 'getSession', {
    value: async function getSession(args) {
      const inner = (!returns.has(this) && instances.get(this)) || (await afterReturn(this));
      if (args === undefined) {
        const fresh = inner.freshSession();
        if (fresh !== undefined) return copy(fresh);
      }
      const session = await inner.call(GET_SESSION, args);
      return session === null ? null : copy(session);
    },
    writable: true,
    configurable: true,
  });
  METHODS.forEach((name, number) => {
    if (name === 'getSession' || name === 'signOut') return;
    Object.defineProperty(CognitoAuth.prototype, name, {
      value: { async [name](input) { return (await afterReturn(this)).call(number, input); } }[name],
      writable: true,
      configurable: true,
    });
  });

  return { CognitoAuth, init };
}

/** The options with a storage object the app supplies wrapped by `readAhead` (the module reads synchronously). */
function withReadAhead(opts) {
  const store = opts?.storage;
  if (typeof store !== 'object' || store === null || typeof store.getItem !== 'function') return opts;
  return { ...opts, storage: readAhead(store, opts.clientId) };
}

/**
 * A deep copy of JSON data (not null). Spread defines members, so a `__proto__` member (a JWT may have one) stays
 * a member; an own `__proto__` data member is then also what assigning to it sets.
 */
function copy(value) {
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'object' && v !== null ? copy(v) : v));
  const out = { ...value };
  for (const key in out) {
    const v = out[key];
    if (typeof v === 'object' && v !== null) out[key] = copy(v);
  }
  return out;
}

/** Whether `e` is an error this package threw (optionally: with this `name`). */
export function isCognitoError(e, name) {
  return e instanceof Error && typeof e.retryable === 'boolean' && (name === undefined || e.name === name);
}

/** Base64 → bytes, with `Uint8Array.fromBase64` where the platform has it. */
export function decodeBase64(text) {
  if (typeof Uint8Array.fromBase64 === 'function') return Uint8Array.fromBase64(text);
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * zlib-deflated bytes → the bytes, with the platform's DecompressionStream (every engine with wasm SIMD has it,
 * except Firefox 89 to 112, which the package's other entries still serve).
 */
export async function inflate(bytes) {
  if (typeof DecompressionStream !== 'function') {
    throw unsupported(
      "cognito-wasm's inline entry needs DecompressionStream, which this JavaScript engine lacks (Firefox before " +
        "113): load the .wasm as a file instead (the 'production' export condition, or init({ module_or_path }))",
    );
  }
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
