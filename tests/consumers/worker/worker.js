// No localStorage in a worker: sessions live in memory by default.
import { CognitoAuth, isCognitoError } from 'cognito-wasm';
import { signUpToSignOut } from './flow.js';

self.onmessage = async ({ data: { endpoint } }) => {
  try {
    const result = await signUpToSignOut({ CognitoAuth, isCognitoError }, { endpoint, label: 'worker' });
    self.postMessage({ ok: true, result: { ...result, inWorker: typeof window === 'undefined' } });
  } catch (e) {
    self.postMessage({ ok: false, error: `${e.name}: ${e.message}` });
  }
};
