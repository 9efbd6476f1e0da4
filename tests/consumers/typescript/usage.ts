// Every method of the package, typed as an app would write it; `tsc --strict` must accept this file as is.
import {
  CognitoAuth,
  init,
  isCognitoError,
  type AccessTokenPayload,
  type CognitoError,
  type CognitoErrorName,
  type AuthEvent,
  type Device,
  type KeyValueStorage,
  type IdTokenPayload,
  type MFAPreference,
  type PendingSignInStep,
  type Session,
  type SignInResult,
  type UserAttributes,
} from 'cognito-wasm';

const auth = new CognitoAuth({
  userPoolId: 'us-east-1_Ab12Cd34',
  clientId: '1example23456789',
  endpoint: 'http://127.0.0.1:9229/',
  storage: 'sessionStorage',
  deviceName: 'my laptop',
  appName: 'Example',
});

/** Sessions in cookies, in an app-supplied async store, refreshed in the background. */
const asyncStore: KeyValueStorage = {
  async getItem(key) { return localStorage.getItem(key); },
  async setItem(key, value) { localStorage.setItem(key, value); },
  async removeItem(key) { localStorage.removeItem(key); },
};
export const others = [
  new CognitoAuth({ userPoolId: 'us-east-1_Ab12Cd34', clientId: 'c', storage: { cookie: { secure: true, sameSite: 'lax', expires: 30 } } }),
  new CognitoAuth({ userPoolId: 'us-east-1_Ab12Cd34', clientId: 'c', storage: asyncStore, autoRefresh: true, refreshMarginSeconds: 120 }),
  new CognitoAuth({ userPoolId: 'us-east-1_Ab12Cd34', clientId: 'c', storage: new Map<string, string>() as unknown as KeyValueStorage }),
];

/** What the app shows for each step: the switch must be exhaustive. */
function describeStep(step: PendingSignInStep): string {
  switch (step.signInStep) {
    case 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED':
      return `new password; also ${step.missingAttributes.join(', ')}`;
    case 'CONFIRM_SIGN_IN_WITH_SMS_CODE':
    case 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE':
      return `code sent to ${step.codeDeliveryDetails.destination ?? 'you'}`;
    case 'CONFIRM_SIGN_IN_WITH_TOTP_CODE':
      return 'authenticator code';
    case 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION':
    case 'CONTINUE_SIGN_IN_WITH_MFA_SETUP_SELECTION':
      return `choose one of ${step.allowedMFATypes.join(', ')}`;
    case 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP':
      return `scan ${step.totpSetupDetails.setupUri}`;
    case 'CONTINUE_SIGN_IN_WITH_EMAIL_SETUP':
      return 'email address for codes';
    case 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE':
      return `answer ${JSON.stringify(step.additionalInfo)}`;
    case 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION':
      return `choose one of ${step.availableChallenges.join(', ')}`;
    case 'CONFIRM_SIGN_IN_WITH_PASSWORD':
      return 'password';
    default: {
      const unreachable: never = step;
      return unreachable;
    }
  }
}

function handle(result: SignInResult): string {
  if (result.isSignedIn) {
    const done: 'DONE' = result.nextStep.signInStep;
    return done;
  }
  return describeStep(result.nextStep);
}

function explain(e: unknown): string {
  if (isCognitoError(e, 'NotAuthorizedException')) {
    const name: 'NotAuthorizedException' = e.name;
    return `${name}: ${e.message}`;
  }
  if (isCognitoError(e)) {
    const name: CognitoErrorName = e.name;
    const retry: boolean = e.retryable;
    return retry ? `try again later (${name})` : e.message;
  }
  return String(e);
}

export async function everyMethod(): Promise<string[]> {
  const log: string[] = [];
  await init();
  await init({ module_or_path: '/assets/cognito_wasm_bg.wasm' });
  await init({ module_or_path: new URL('https://cdn.example.com/cognito_wasm_bg.wasm') });
  await init({ module_or_path: fetch('/assets/cognito_wasm_bg.wasm') });

  const signedUp = await auth.signUp({
    username: 'alice',
    password: 'Correct-horse-1',
    attributes: { email: 'alice@example.com', name: 'Alice', 'custom:plan': 'pro' },
    autoSignIn: true,
    clientMetadata: { source: 'web' },
  });
  const confirmedAlready: boolean = signedUp.userConfirmed;
  const sub: string = signedUp.userSub;
  log.push(`${confirmedAlready} ${sub} ${signedUp.codeDeliveryDetails?.deliveryMedium ?? 'no code'}`);
  const confirmed = await auth.confirmSignUp({ username: 'alice', code: '123456' });
  if (confirmed.autoSignIn) log.push(handle(confirmed.autoSignIn));
  const resent = await auth.resendSignUpCode({ username: 'alice' });
  log.push(resent.codeDeliveryDetails?.destination ?? '');

  log.push(handle(await auth.signIn({ username: 'alice', password: 'Correct-horse-1' })));
  log.push(handle(await auth.signIn({ username: 'alice', password: 'pw', authFlow: 'USER_PASSWORD_AUTH' })));
  log.push(handle(await auth.signIn({ username: 'alice', authFlow: 'CUSTOM_WITHOUT_SRP' })));
  log.push(handle(await auth.signIn({ username: 'alice', authFlow: 'USER_AUTH', preferredChallenge: 'EMAIL_OTP' })));
  log.push(handle(await auth.confirmSignIn({ challengeResponse: '123456' })));
  log.push(handle(await auth.confirmSignIn({
    challengeResponse: 'New-Passw0rd!',
    options: { userAttributes: { name: 'Alice' }, friendlyDeviceName: 'phone', clientMetadata: { a: 'b' } },
  })));
  const pending = await auth.getPendingSignIn();
  if (pending) log.push(describeStep(pending.nextStep));
  await auth.cancelSignIn();

  const session: Session | null = await auth.getSession();
  if (session) {
    const id: IdTokenPayload = session.idTokenPayload;
    const access: AccessTokenPayload = session.accessTokenPayload;
    const username: string = id['cognito:username'];
    const groups: string[] = access['cognito:groups'] ?? [];
    const scopes: string[] = access.scope.split(' ');
    const expiresInMs: number = session.expiresAt - Date.now();
    const custom: unknown = id['custom:plan'];
    log.push(`${username} ${groups.length} ${scopes.length} ${expiresInMs} ${String(custom)} ${id.email_verified === true}`);
    await fetch('/api', { headers: { Authorization: `Bearer ${session.accessToken}` } });
  }
  await auth.getSession({ forceRefresh: true });

  const reset = await auth.resetPassword({ username: 'alice' });
  log.push(reset.nextStep.resetPasswordStep);
  await auth.confirmResetPassword({ username: 'alice', confirmationCode: '123456', newPassword: 'New-Passw0rd!' });
  await auth.updatePassword({ oldPassword: 'Correct-horse-1', newPassword: 'New-Passw0rd!' });

  const attributes: UserAttributes = await auth.fetchUserAttributes();
  log.push(`${attributes.email ?? ''} ${attributes['custom:plan'] ?? ''}`);
  const updates = await auth.updateUserAttributes({ userAttributes: { email: 'new@example.com' } });
  const email = updates.email;
  if (email && !email.isUpdated) log.push(email.nextStep.codeDeliveryDetails.attributeName ?? '');
  await auth.sendUserAttributeVerificationCode({ userAttributeKey: 'email' });
  await auth.confirmUserAttribute({ userAttributeKey: 'email', confirmationCode: '123456' });
  await auth.deleteUserAttributes({ userAttributeKeys: ['custom:plan', 'nickname'] });

  const totp = await auth.setUpTOTP();
  log.push(totp.sharedSecret, totp.setupUri);
  await auth.verifyTOTPSetup({ code: '123456', friendlyDeviceName: 'authenticator' });
  await auth.updateMFAPreference({ totp: 'PREFERRED', sms: 'DISABLED' });
  const mfa: MFAPreference = await auth.fetchMFAPreference();
  log.push(mfa.preferred ?? 'none', ...mfa.enabled);

  await auth.rememberDevice();
  const devices: Device[] = await auth.fetchDevices();
  for (const device of devices) log.push(`${device.id} ${device.name ?? ''} ${device.lastAuthenticatedAt ?? 0}`);
  await auth.forgetDevice(devices[0]?.id);
  await auth.forgetDevice();

  const header: string | null = await auth.authorizationHeader();
  log.push(header ?? 'signed out');
  const current = await auth.getSession();
  if (current) log.push(...current.groups, ...current.scopes);
  const unsubscribe = auth.onAuthStateChange((e: AuthEvent) => {
    if (e.event === 'tokenRefreshFailure') log.push(e.error.name, String(e.error.retryable));
    else log.push(e.event);
  });
  unsubscribe();

  await auth.signOut();
  await auth.signOut({ global: true });
  await auth.deleteUser();

  try {
    await auth.signIn({ username: 'alice', password: 'wrong' });
  } catch (e) {
    log.push(explain(e));
    const typed: CognitoError | null = isCognitoError(e) ? e : null;
    log.push(typed?.name ?? '');
  }
  return log;
}
