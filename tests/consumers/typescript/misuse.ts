// Misuse the types must reject: each `@ts-expect-error` fails the build if its line type-checks.
import { CognitoAuth, isCognitoError, type SignInResult } from 'cognito-wasm';

// @ts-expect-error clientId is required
new CognitoAuth({ userPoolId: 'us-east-1_Ab12Cd34' });
// @ts-expect-error storage is one of three names
new CognitoAuth({ userPoolId: 'us-east-1_Ab12Cd34', clientId: 'c', storage: 'indexedDB' });
// @ts-expect-error unknown options are refused (at runtime too)
new CognitoAuth({ userPoolId: 'us-east-1_Ab12Cd34', clientId: 'c', region: 'us-east-1' });

const auth = new CognitoAuth({ userPoolId: 'us-east-1_Ab12Cd34', clientId: 'c' });

export async function misuse(result: SignInResult, e: unknown): Promise<void> {
  // @ts-expect-error the password flows (SRP by default) need a password
  await auth.signIn({ username: 'alice' });
  // @ts-expect-error preferredChallenge belongs to USER_AUTH only
  await auth.signIn({ username: 'alice', password: 'pw', preferredChallenge: 'EMAIL_OTP' });
  // @ts-expect-error not a flow
  await auth.signIn({ username: 'alice', password: 'pw', authFlow: 'ADMIN_NO_SRP_AUTH' });
  // @ts-expect-error no password with CUSTOM_WITHOUT_SRP
  await auth.signIn({ username: 'alice', password: 'pw', authFlow: 'CUSTOM_WITHOUT_SRP' });
  // @ts-expect-error a misspelt attribute name
  await auth.signUp({ username: 'alice', password: 'pw', attributes: { emial: 'a@example.com' } });
  // @ts-expect-error attribute values are strings
  await auth.signUp({ username: 'alice', password: 'pw', attributes: { 'custom:age': 42 } });
  // @ts-expect-error confirmSignUp takes `code`, not `confirmationCode`
  await auth.confirmSignUp({ username: 'alice', confirmationCode: '123456' });
  // @ts-expect-error the answer is challengeResponse
  await auth.confirmSignIn({ code: '123456' });
  // @ts-expect-error forceRefresh is a boolean
  await auth.getSession({ forceRefresh: 'yes' });
  // @ts-expect-error not an MFA preference
  await auth.updateMFAPreference({ totp: 'ON' });
  // @ts-expect-error sub cannot be deleted
  await auth.deleteUserAttributes({ userAttributeKeys: ['sub'] });
  // @ts-expect-error not a method
  await auth.currentUser();

  // @ts-expect-error the session may be null
  (await auth.getSession()).accessToken;

  if (!result.isSignedIn) {
    // @ts-expect-error a pending sign-in is never DONE
    result.nextStep.signInStep === 'DONE';
    if (result.nextStep.signInStep === 'CONFIRM_SIGN_IN_WITH_TOTP_CODE') {
      // @ts-expect-error the TOTP step has no codeDeliveryDetails
      result.nextStep.codeDeliveryDetails;
    }
  }

  // @ts-expect-error not a known exception name
  isCognitoError(e, 'NotAuthorisedException');
  if (isCognitoError(e, 'NetworkError')) {
    // @ts-expect-error narrowed to NetworkError
    e.name === 'UserNotFoundException';
  }
  // @ts-expect-error without the guard, e is unknown
  e.retryable;

  const session = await auth.getSession();
  if (session) {
    // @ts-expect-error the access token's token_use is 'access'
    session.accessTokenPayload.token_use === 'id';
    // @ts-expect-error exp is a number
    session.idTokenPayload.exp.toUpperCase();
  }

  // @ts-expect-error storage must be a known name, cookie options or a storage object
  new CognitoAuth({ userPoolId: 'us-east-1_Ab12Cd34', clientId: 'c', storage: 'indexedDB' });
  // @ts-expect-error listeners receive an event object, not a string
  auth.onAuthStateChange((e: string) => e);
  // @ts-expect-error sameSite is strict, lax or none
  new CognitoAuth({ userPoolId: 'us-east-1_Ab12Cd34', clientId: 'c', storage: { cookie: { sameSite: 'sometimes' } } });
}
