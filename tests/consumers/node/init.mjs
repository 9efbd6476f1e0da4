// An app that loads the .wasm itself: explicit `init({ module_or_path })`, here with a compiled module of the
// file the package exports as `cognito-wasm/cognito_wasm_bg.wasm`.
import { readFile } from 'node:fs/promises';
import { CognitoAuth, init, isCognitoError } from 'cognito-wasm';
import { signUpToSignOut } from './flow.js';

const wasm = await WebAssembly.compile(await readFile(new URL(import.meta.resolve('cognito-wasm/cognito_wasm_bg.wasm'))));
await init({ module_or_path: wasm });
const endpoint = process.env.COGNITO_ENDPOINT;
const result = await signUpToSignOut({ CognitoAuth, isCognitoError }, { endpoint, label: 'node-init' });
console.log(JSON.stringify(result));
