// A Vite app with no Vite configuration: the package's wasm must load in the dev server and the build.
import { CognitoAuth, isCognitoError } from 'cognito-wasm';
import { runPage, signUpToSignOut } from './flow.js';

runPage((endpoint) => signUpToSignOut({ CognitoAuth, isCognitoError }, { endpoint, label: 'vite' }));
