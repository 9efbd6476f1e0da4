// A webpack 5 app: webpack.config.mjs names only the entry and output; nothing about WebAssembly.
import { CognitoAuth, isCognitoError } from 'cognito-wasm';
import { runPage, signUpToSignOut } from './flow.js';

runPage((endpoint) => signUpToSignOut({ CognitoAuth, isCognitoError }, { endpoint, label: 'webpack' }));
