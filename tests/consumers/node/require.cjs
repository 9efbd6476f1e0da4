// CommonJS: `require` of the ES module package, which Node supports from 20.19 and 22.12 (require(esm)).
const { CognitoAuth, isCognitoError } = require('cognito-wasm');

(async () => {
  const { signUpToSignOut } = await import('./flow.js');
  const endpoint = process.env.COGNITO_ENDPOINT;
  const result = await signUpToSignOut({ CognitoAuth, isCognitoError }, { endpoint, label: 'node-cjs' });
  console.log(JSON.stringify(result));
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
