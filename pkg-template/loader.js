// The package's JS surface: wraps the wasm-bindgen class so that the module initialises itself on first use.
// `index.js` (browsers, workers, bundlers) and `node.js` (Node) differ only in how they fetch the .wasm bytes.
import initWasm, { CognitoAuth as WasmCognitoAuth } from './cognito_wasm.js';

/** Every method of CognitoAuth; each waits for the module, then calls the Rust implementation. */
const METHODS = [
  'signUp', 'confirmSignUp', 'resendSignUpCode',
  'signIn', 'confirmSignIn', 'cancelSignIn', 'getPendingSignIn',
  'getSession', 'signOut',
  'resetPassword', 'confirmResetPassword', 'updatePassword',
  'fetchUserAttributes', 'updateUserAttributes', 'sendUserAttributeVerificationCode', 'confirmUserAttribute',
  'deleteUserAttributes', 'deleteUser',
  'setUpTOTP', 'verifyTOTPSetup', 'updateMFAPreference', 'fetchMFAPreference',
  'rememberDevice', 'forgetDevice', 'fetchDevices',
];

export function createApi(defaultSource) {
  let ready;

  /** Loads and instantiates the module once; a failed load may be retried by the next call. */
  function init(options) {
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

  async function instance(auth) {
    await init();
    let inner = instances.get(auth);
    if (!inner) {
      inner = new WasmCognitoAuth(options.get(auth));
      instances.set(auth, inner);
    }
    return inner;
  }

  class CognitoAuth {
    /** Options are checked when the module is ready: the first call rejects with InvalidParameterException. */
    constructor(opts) {
      options.set(this, opts);
    }
  }
  for (const name of METHODS) {
    Object.defineProperty(CognitoAuth.prototype, name, {
      value: { async [name](...args) { return (await instance(this))[name](...args); } }[name],
      writable: true,
      configurable: true,
    });
  }

  return { CognitoAuth, init };
}
