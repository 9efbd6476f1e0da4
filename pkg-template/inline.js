// Every other bundler and dev server (Vite's dev server, esbuild, Rollup…): the .wasm's bytes come from a JS
// module, imported only when the module is first needed, so nothing has to understand
// `new URL('….wasm', import.meta.url)` (Vite's dependency pre-bundling moves the JS away from the .wasm, and
// esbuild does not copy it). The bytes are deflated before base64 (see pkg-template/assemble.mjs), so this
// costs about what the .wasm file does; DecompressionStream inflates them.
import { createApi, decodeBase64, inflate } from './loader.js';

const api = createApi(async () => {
  const { default: deflated } = await import('./cognito_wasm_bg.deflate.js');
  return { module_or_path: await inflate(decodeBase64(deflated)) };
});

export const CognitoAuth = api.CognitoAuth;
/** Optional: `await init({ module_or_path })` for apps that host the .wasm themselves. */
export const init = api.init;
export { isCognitoError } from './loader.js';
