// Browsers, Web Workers and bundlers: wasm-bindgen's loader resolves the .wasm next to its own module URL,
// a pattern Vite, webpack 5 and esbuild understand.
import { createApi } from './loader.js';

const api = createApi(() => undefined);

export const CognitoAuth = api.CognitoAuth;
/** Optional: `await init({ module_or_path })` for apps that host the .wasm themselves. */
export const init = api.init;
