// No bundler, no import map (an inline import map would need 'unsafe-inline' under the CSP): the page imports
// the package's browser entry by path, as served from node_modules.
import { CognitoAuth, isCognitoError } from './node_modules/cognito-wasm/index.js';
import { runPage, signUpToSignOut } from './flow.js';

runPage((endpoint) => signUpToSignOut({ CognitoAuth, isCognitoError }, { endpoint, label: 'nobundler' }));
