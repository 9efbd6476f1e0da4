// Benchmarks shared by Node and Chromium (run.mjs drives both). Everything environment-specific comes in as
// arguments: `ours` (the bench build's wasm-bindgen exports), `Official` (amazon-cognito-identity-js's UMD
// global), and the Web Crypto `subtle` both environments have.

// RFC 3526 group 15, g = 2: Cognito's SRP group.
const N_HEX =
  'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
  'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
  'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
  '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
  'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
  '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
  'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C' +
  'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF';
const N = BigInt('0x' + N_HEX);

// Fixed inputs, so every run measures the same work (B and the exponents are arbitrary but fixed).
const POOL = 'Emul4tor';
const USER = '6f1c5a52-1f4e-4c1e-9a6e-0c3b7f2d9e11';
const PASSWORD = 'Correct-Horse-9';
const TIMESTAMP = 'Wed Nov 5 09:05:07 UTC 2025';
const SECRET_BLOCK = btoa('secret-block-'.repeat(40));
const SALT_HEX = '9a1122334455667788990011223344ff';
const A_BYTES = Uint8Array.from({ length: 32 }, (_, i) => (i * 37 + 11) & 0xff);
const B_HEX = ((N * 0x5deece66dn) / 0x1234567n % N).toString(16);
const E1024 = 'c' + 'b7e151628aed2a6abf7158809cf4f3c7'.repeat(8).slice(1);
const E256 = 'e' + '3f1a9c2b4d5e6f708192a3b4c5d6e7f8'.repeat(2).slice(1);

const hexOf = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const bytesOf = (hex) => Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16));
function padHex(n) {
  let h = n.toString(16);
  if (h.length % 2) h = '0' + h;
  return /^[89a-f]/.test(h) ? '00' + h : h;
}

/** The straightforward JS BigInt baseline: square-and-multiply, Web Crypto for the hashes. */
function modPow(base, exp, m) {
  let r = 1n;
  base %= m;
  while (exp > 0n) {
    if (exp & 1n) r = (r * base) % m;
    exp >>= 1n;
    base = (base * base) % m;
  }
  return r;
}

function bigIntSrp(subtle) {
  const sha = async (bytes) => new Uint8Array(await subtle.digest('SHA-256', bytes));
  const hexHash = async (hex) => hexOf(await sha(bytesOf(hex)));
  let k;
  return async function signature(aBytes) {
    k ??= BigInt('0x' + (await hexHash(padHex(N) + '02')));
    const a = BigInt('0x' + hexOf(aBytes));
    const A = modPow(2n, a, N);
    const B = BigInt('0x' + B_HEX);
    const u = BigInt('0x' + (await hexHash(padHex(A) + padHex(B))));
    const identity = hexOf(await sha(new TextEncoder().encode(`${POOL}${USER}:${PASSWORD}`)));
    const x = BigInt('0x' + (await hexHash(padHex(BigInt('0x' + SALT_HEX)) + identity)));
    const base = (((B - k * modPow(2n, x, N)) % N) + N) % N;
    const S = modPow(base, a + u * x, N);
    const ikm = await subtle.importKey('raw', bytesOf(padHex(S)), 'HKDF', false, ['deriveBits']);
    const info = new TextEncoder().encode('Caldera Derived Key');
    const key = new Uint8Array(
      await subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt: bytesOf(padHex(u)), info }, ikm, 128),
    );
    return `${A.toString(16)} ${await hmacBase64(subtle, key)}`;
  };
}

async function hmacBase64(subtle, key) {
  const hk = await subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const block = Uint8Array.from(atob(SECRET_BLOCK), (c) => c.charCodeAt(0));
  const enc = new TextEncoder();
  const msg = new Uint8Array([...enc.encode(POOL), ...enc.encode(USER), ...block, ...enc.encode(TIMESTAMP)]);
  const sig = new Uint8Array(await subtle.sign('HMAC', hk, msg));
  return btoa(String.fromCharCode(...sig));
}

/** amazon-cognito-identity-js as CognitoUser runs it: a new AuthenticationHelper (random 1024-bit a and A),
 * getPasswordAuthenticationKey, then the HMAC. `aBytes` (tests only) replaces its random a. */
function officialSrp(Official, subtle) {
  return async function signature(aBytes) {
    const helper = new Official.AuthenticationHelper(POOL);
    const BigInteger = helper.N.constructor;
    if (aBytes) {
      helper.smallAValue = new BigInteger(hexOf(aBytes), 16);
      helper.largeAValue = undefined;
      helper.getLargeAValue(() => {});
    }
    let key;
    helper.getPasswordAuthenticationKey(USER, PASSWORD, new BigInteger(B_HEX, 16), new BigInteger(SALT_HEX, 16),
      (err, hkdf) => { if (err) throw err; key = hkdf; });
    return `${helper.largeAValue.toString(16)} ${await hmacBase64(subtle, new Uint8Array(key))}`;
  };
}

/** One client-side SRP computation of ours (A, then S, the key and the signature) with a fresh random `a`. */
export function oursSrpOnce(ours) {
  const srp = oursSrp(ours);
  return () => srp(crypto.getRandomValues(new Uint8Array(32)));
}

function oursSrp(ours) {
  return async (aBytes) => ours.benchSrpClient(aBytes, SALT_HEX, B_HEX, SECRET_BLOCK, USER, POOL, PASSWORD, TIMESTAMP);
}

async function measure(fn, { warmup, iterations }) {
  const first = performance.now();
  await fn();
  const firstMs = performance.now() - first;
  for (let i = 1; i < warmup; i++) await fn();
  const xs = [];
  for (let i = 0; i < iterations; i++) {
    const t = performance.now();
    await fn();
    xs.push(performance.now() - t);
  }
  xs.sort((a, b) => a - b);
  const median = xs.length % 2 ? xs[xs.length >> 1] : (xs[xs.length / 2 - 1] + xs[xs.length / 2]) / 2;
  return { median, min: xs[0], max: xs[xs.length - 1], n: iterations, first: firstMs };
}

/** Runs every benchmark; returns { rows: [{ section, name, median, min, max, n, first }], checks }. */
export async function runAll({ ours, Official, subtle, quick = false }) {
  const scale = quick ? 0.3 : 1;
  const it = (n) => Math.max(3, Math.round(n * scale));
  const rows = [];
  const impls = { ours: oursSrp(ours), bigint: bigIntSrp(subtle), official: officialSrp(Official, subtle) };

  // Same a in all three: they must agree before anything is timed.
  const results = {};
  for (const [name, f] of Object.entries(impls)) results[name] = await f(A_BYTES);
  const checks = {
    srpAgree: results.ours === results.bigint && results.ours === results.official,
  };
  if (!checks.srpAgree) throw new Error(`SRP implementations disagree: ${JSON.stringify(results)}`);

  // The first call of ours is the cold one (baseline-compiled wasm, group constants not yet built).
  const random = () => crypto.getRandomValues(new Uint8Array(32));
  rows.push({ section: 'srp', name: 'ours (cognito-wasm)', ...(await measure(() => impls.ours(random()), { warmup: 5, iterations: it(40) })) });
  rows.push({ section: 'srp', name: 'JS BigInt (256-bit a)', ...(await measure(() => impls.bigint(random()), { warmup: 3, iterations: it(20) })) });
  rows.push({ section: 'srp', name: 'amazon-cognito-identity-js 6.3.21', ...(await measure(() => impls.official(), { warmup: 2, iterations: it(10) })) });

  const base = B_HEX;
  const jsbn = new Official.AuthenticationHelper('x').N.constructor;
  const jsbnPow = (e) => {
    let r;
    new jsbn(base, 16).modPow(new jsbn(e, 16), new jsbn(N_HEX, 16), (err, v) => { if (err) throw err; r = v; });
    return r.toString(16);
  };
  for (const [bits, e] of [[1024, E1024], [256, E256]]) {
    const expected = modPow(BigInt('0x' + base), BigInt('0x' + e), N).toString(16);
    const impl = {
      'ours (constant-time window)': () => ours.benchModpow(base, e),
      'ours, num-bigint modpow (before)': () => ours.benchModpowNumBigint(base, e),
      'JS BigInt': () => modPow(BigInt('0x' + base), BigInt('0x' + e), N).toString(16),
      'amazon-cognito-identity-js (jsbn)': () => jsbnPow(e),
    };
    for (const [name, f] of Object.entries(impl)) {
      if (f() !== expected) throw new Error(`modpow ${name} disagrees`);
      const slow = name.includes('jsbn') || name.includes('num-bigint');
      rows.push({ section: `modpow${bits}`, name, ...(await measure(f, { warmup: 2, iterations: it(slow ? 10 : 30) })) });
    }
    if (bits === 256) {
      const gExpected = modPow(2n, BigInt('0x' + e), N).toString(16);
      if (ours.benchModpowG(e) !== gExpected) throw new Error('g^e disagrees');
      rows.push({ section: 'modpow256', name: 'ours, base g = 2 (comb, as for A and g^x)', ...(await measure(() => ours.benchModpowG(e), { warmup: 2, iterations: it(30) })) });
    }
  }
  const sqr = await measure(() => ours.benchMontLoop(100, true), { warmup: 2, iterations: it(20) });
  const mul = await measure(() => ours.benchMontLoop(100, false), { warmup: 2, iterations: it(20) });
  rows.push({ section: 'mont', name: 'ours: one 3072-bit Montgomery squaring (µs)', median: sqr.median * 10, min: sqr.min * 10, max: sqr.max * 10, n: sqr.n * 100 });
  rows.push({ section: 'mont', name: 'ours: one 3072-bit Montgomery multiplication (µs)', median: mul.median * 10, min: mul.min * 10, max: mul.max * 10, n: mul.n * 100 });
  return { rows, checks };
}

/**
 * Package load in a browser: fetch and compile the shipped package's wasm, import its JS modules, instantiate,
 * and its first call (all in ms).
 */
export async function packageLoad(pkgUrl) {
  // What any request costs in this browser here: a file of a few hundred bytes, fetched first.
  const f0 = performance.now();
  await (await fetch(new URL('package.json', pkgUrl))).arrayBuffer();
  const smallFetch = performance.now() - f0;
  const t0 = performance.now();
  const bytes = await (await fetch(new URL('cognito_wasm_bg.wasm', pkgUrl))).arrayBuffer();
  const t1 = performance.now();
  const module = await WebAssembly.compile(bytes);
  const t2 = performance.now();
  const pkg = await import(new URL('index.js', pkgUrl));
  const t3 = performance.now();
  await pkg.init({ module_or_path: module });
  const t4 = performance.now();
  const auth = new pkg.CognitoAuth({ userPoolId: 'us-east-1_Emul4tor', clientId: 'emulatorclient0000000000000', storage: 'memory' });
  try { await auth.getSession(); } catch { /* no session: the call's latency is what counts */ }
  const t5 = performance.now();
  return {
    bytes: bytes.byteLength, smallFetch, fetch: t1 - t0, compile: t2 - t1, importJs: t3 - t2, instantiate: t4 - t3, firstCall: t5 - t4,
  };
}
