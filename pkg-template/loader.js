// The package's JS surface: wraps the wasm-bindgen class so that the module initialises itself on first use.
// `index.js` (browsers, workers, bundlers) and `node.js` (Node) differ only in how they fetch the .wasm bytes.
import initWasm, { CognitoAuth as WasmCognitoAuth } from './cognito_wasm.js';

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

  class CognitoAuth {
    #options;
    #inner;

    /** Options are checked when the module is ready: the first call rejects with InvalidParameterException. */
    constructor(options) {
      this.#options = options;
    }

    async #auth() {
      await init();
      this.#inner ??= new WasmCognitoAuth(this.#options);
      return this.#inner;
    }

    async signUp(input) { return (await this.#auth()).signUp(input); }
    async confirmSignUp(input) { return (await this.#auth()).confirmSignUp(input); }
    async resendSignUpCode(input) { return (await this.#auth()).resendSignUpCode(input); }
    async signIn(input) { return (await this.#auth()).signIn(input); }
    async getSession(input) { return (await this.#auth()).getSession(input); }
    async signOut() { return (await this.#auth()).signOut(); }
  }

  return { CognitoAuth, init };
}
