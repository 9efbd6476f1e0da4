// Every other bundler and dev server (Vite's dev server, esbuild, Rollup…): the .wasm's bytes come from a JS
// module, imported only when the module is first needed, so nothing has to understand
// `new URL('….wasm', import.meta.url)` (Vite's dependency pre-bundling moves the JS away from the .wasm, and
// esbuild does not copy it). Costs base64's third more bytes before compression.
import { createApi, decodeBase64 } from './loader.js';

const api = createApi(async () => {
  const { default: base64 } = await import('./cognito_wasm_bg.base64.js');
  return { module_or_path: decodeBase64(base64) };
});

export const CognitoAuth = api.CognitoAuth;
/** Optional: `await init({ module_or_path })` for apps that host the .wasm themselves. */
export const init = api.init;
export { isCognitoError } from './loader.js';
