// Node ≥ 20, ESM: `import` resolves the package's "node" export, which reads the .wasm from disk.
import { CognitoAuth, isCognitoError } from 'cognito-wasm';
import { signUpToSignOut } from './flow.js';

const endpoint = process.env.COGNITO_ENDPOINT;
const result = await signUpToSignOut({ CognitoAuth, isCognitoError }, { endpoint, label: 'node-esm' });
console.log(JSON.stringify(result));
