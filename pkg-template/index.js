// Plain `<script type="module">` pages, Web Workers, webpack 5 and production builds (the `production` export
// condition: Vite's build, webpack, Rspack): wasm-bindgen's loader fetches `cognito_wasm_bg.wasm` from next to its
// own module (`new URL(…, import.meta.url)`), which these bundlers emit as an asset. Streaming compilation, and the
// .wasm is cached apart from the app's JS.
import { createApi } from './loader.js';

const api = createApi(() => undefined);

export const CognitoAuth = api.CognitoAuth;
/** Optional: `await init({ module_or_path })` for apps that host the .wasm themselves. */
export const init = api.init;
export { isCognitoError } from './loader.js';
