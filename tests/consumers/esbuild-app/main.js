// An esbuild app: `esbuild main.js --bundle --format=esm --outdir=dist`, no loaders or plugins.
import { CognitoAuth, isCognitoError } from 'cognito-wasm';
import { runPage, signUpToSignOut } from './flow.js';

runPage((endpoint) => signUpToSignOut({ CognitoAuth, isCognitoError }, { endpoint, label: 'esbuild' }));
