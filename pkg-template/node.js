// Node ≥ 20: read the .wasm from the package directory (Node's fetch cannot load file: URLs).
import { readFile } from 'node:fs/promises';
import { createApi } from './loader.js';

const api = createApi(async () => ({
  module_or_path: await readFile(new URL('./cognito_wasm_bg.wasm', import.meta.url)),
}));

export const CognitoAuth = api.CognitoAuth;
/** Optional: `await init({ module_or_path })` to load the .wasm from elsewhere. */
export const init = api.init;
export { isCognitoError } from './loader.js';
