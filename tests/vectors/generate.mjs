#!/usr/bin/env node
// Known-answer vectors for Cognito's SRP (USER_SRP_AUTH / PASSWORD_VERIFIER), produced by the official client's
// own AuthenticationHelper (amazon-cognito-identity-js) with fixed inputs.
//
//   node tests/vectors/generate.mjs [outfile]     (default: tests/vectors/srp.json next to this script)
//
// Deterministic: every input is derived from SHA-256 of a fixed seed and a label/counter; the edge cases that need a
// search (values whose top 9 bits are zero, ...) walk the counter from 0 until the first hit. The output depends only
// on the pinned amazon-cognito-identity-js version. All big integers are written as BigInteger.toString(16): lowercase
// hex of the integer, no padding. Every vector is cross-checked against an independent BigInt/node:crypto
// implementation of the formulas in shared/notes/cognito-protocol.md; a mismatch aborts the script.

import { createHash, createHmac, createDiffieHellman } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { AuthenticationHelper, DateHelper } from 'amazon-cognito-identity-js';

const require = createRequire(import.meta.url);
const LIB_VERSION = require('amazon-cognito-identity-js/package.json').version;
// The library's own SHA-256/HMAC (what CognitoUser uses for PASSWORD_CLAIM_SIGNATURE).
const libRequire = createRequire(require.resolve('amazon-cognito-identity-js'));
const { Sha256 } = libRequire('@aws-crypto/sha256-js');
const { Buffer: LibBuffer } = libRequire('buffer');

const SEED = 'cognito-wasm srp known-answer vectors v1';

// ---------------------------------------------------------------------------------------------------------------
// Deterministic byte streams
// ---------------------------------------------------------------------------------------------------------------
function sha256(data) {
	return createHash('sha256').update(data).digest();
}
/** n bytes derived from (label): SHA-256(SEED | label | 0) ‖ SHA-256(SEED | label | 1) ‖ … */
function bytes(label, n) {
	const parts = [];
	for (let i = 0; parts.length * 32 < n; i++) parts.push(sha256(`${SEED}|${label}|${i}`));
	return Buffer.concat(parts).subarray(0, n);
}
function bigFrom(label, nBytes) {
	return BigInt('0x' + bytes(label, nBytes).toString('hex'));
}
function pick(label, list) {
	return list[bytes(label, 4).readUInt32BE(0) % list.length];
}
function uuidFrom(label) {
	const b = Buffer.from(bytes(label, 16));
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	const h = b.toString('hex');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
function alnum(label, n) {
	return [...bytes(label, n)].map(x => ALNUM[x % ALNUM.length]).join('');
}

// ---------------------------------------------------------------------------------------------------------------
// Independent reference implementation (native BigInt + node:crypto), used for cross-checks and searches
// ---------------------------------------------------------------------------------------------------------------
const probe = new AuthenticationHelper('probe');
const BigInteger = probe.N.constructor; // the library's jsbn BigInteger (not exported by the package)
const N_HEX = probe.N.toString(16);
const N = BigInt('0x' + N_HEX);
const g = 2n;
const N_BITS = 3072n;

function hex(n) {
	return n.toString(16);
}
function padHex(n) {
	let h = n.toString(16);
	if (h.length % 2) h = '0' + h;
	if (/^[89a-f]/.test(h)) h = '00' + h;
	return h;
}
function H(hexStr) {
	return sha256(Buffer.from(hexStr, 'hex')).toString('hex');
}
function modPowRef(b, e, m) {
	let r = 1n;
	b %= m;
	if (b < 0n) b += m;
	while (e > 0n) {
		if (e & 1n) r = (r * b) % m;
		e >>= 1n;
		b = (b * b) % m;
	}
	return r;
}
// Fast modPow through OpenSSL's DH (other^priv mod N), for the searches only; checked against modPowRef below.
const dh = createDiffieHellman(Buffer.from(N_HEX.padStart(768, '0'), 'hex'), Buffer.from([2]));
function modPowFast(base, e) {
	let eh = e.toString(16);
	if (eh.length % 2) eh = '0' + eh;
	dh.setPrivateKey(Buffer.from(eh, 'hex'));
	let bh = base.toString(16);
	if (bh.length % 2) bh = '0' + bh;
	return BigInt('0x' + dh.computeSecret(Buffer.from(bh, 'hex')).toString('hex'));
}
const k = BigInt('0x' + H(padHex(N) + padHex(g)));
if (k !== BigInt('0x' + probe.k.toString(16))) throw new Error('k mismatch between library and reference');

function refX(poolName, userId, password, salt) {
	const inner = sha256(Buffer.from(`${poolName}${userId}:${password}`, 'utf8')).toString('hex');
	return BigInt('0x' + H(padHex(salt) + inner));
}
function refU(A, B) {
	return BigInt('0x' + H(padHex(A) + padHex(B)));
}
function refS(a, B, u, x, pow = modPowRef) {
	let base = (B - k * pow(g, x, N)) % N;
	if (base < 0n) base += N;
	return pow(base, a + u * x, N);
}
function refKey(S, u) {
	const prk = createHmac('sha256', Buffer.from(padHex(u), 'hex')).update(Buffer.from(padHex(S), 'hex')).digest();
	return createHmac('sha256', prk)
		.update(Buffer.concat([Buffer.from('Caldera Derived Key', 'utf8'), Buffer.from([1])]))
		.digest()
		.subarray(0, 16);
}
function refSignature(key, poolName, userId, secretBlock, timestamp) {
	return createHmac('sha256', key)
		.update(
			Buffer.concat([
				Buffer.from(poolName, 'utf8'),
				Buffer.from(userId, 'utf8'),
				Buffer.from(secretBlock, 'base64'),
				Buffer.from(timestamp, 'utf8'),
			])
		)
		.digest('base64');
}
{
	const e = (1n << 1299n) + 12345n;
	if (modPowFast(0x1234567n, e) !== modPowRef(0x1234567n, e, N)) throw new Error('DH modPow disagrees');
}
const fastPow = (b, e) => modPowFast(b, e);

// ---------------------------------------------------------------------------------------------------------------
// Fixed clock for the library's DateHelper
// ---------------------------------------------------------------------------------------------------------------
const RealDate = globalThis.Date;
function formatAt(unixMs) {
	class FixedDate extends RealDate {
		constructor(...args) {
			if (args.length === 0) super(unixMs);
			else super(...args);
		}
		static now() {
			return unixMs;
		}
	}
	globalThis.Date = FixedDate;
	try {
		return new DateHelper().getNowString();
	} finally {
		globalThis.Date = RealDate;
	}
}

// ---------------------------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------------------------
const topBitsZero = (v, width, bits) => v < 1n << (BigInt(width) - BigInt(bits)); // top `bits` bits of a `width`-bit field are 0
// even-length hex whose first nibble is >= 8: the byte-aligned value has its MSB set and padHex prepends "00"
const firstNibbleHigh = v => hex(v).length % 2 === 0 && /^[89a-f]/.test(hex(v));

function smallA(label) {
	return bigFrom(`a/${label}`, 128) || 1n; // 1024-bit, as generateRandomSmallA (128 random bytes)
}
function serverB(label) {
	// uniform in [1, N): rejection sampling of 384-byte strings
	for (let i = 0; ; i++) {
		const v = bigFrom(`B/${label}/${i}`, 384);
		if (v >= 1n && v < N) return v;
	}
}
function saltOf(label) {
	return bigFrom(`salt/${label}`, 16); // Cognito's SALT: 16 random bytes
}
function secretBlockOf(label, n) {
	return bytes(`secret/${label}`, n).toString('base64');
}
const TS_FROM = RealDate.UTC(2000, 0, 1);
const TS_TO = RealDate.UTC(2099, 11, 31, 23, 59, 59);
function instantOf(label) {
	const span = BigInt(Math.floor((TS_TO - TS_FROM) / 1000));
	return TS_FROM + Number(bigFrom(`ts/${label}`, 8) % span) * 1000;
}

function search(what, from, test) {
	for (let i = from; i < from + 200000; i++) if (test(i)) return i;
	throw new Error(`search for ${what} failed`);
}

const specs = [];
function add(name, over = {}) {
	const label = `v${specs.length}`;
	const spec = {
		name,
		pool_name: over.pool_name ?? alnum(`pool/${label}`, 9),
		user_id_for_srp: over.user_id_for_srp ?? uuidFrom(`uid/${label}`),
		password: over.password ?? `P@ss-${alnum(`pw/${label}`, 10)}1`,
		a: over.a ?? smallA(label),
		B: over.B ?? serverB(label),
		salt: over.salt ?? saltOf(label),
		secret_block: over.secret_block ?? secretBlockOf(label, 1140),
		unix_ms: over.unix_ms ?? instantOf(label),
	};
	specs.push(spec);
	return spec;
}

// --- plain vectors with varied realistic inputs
const plainUsers = ['alice', 'bob_smith', 'user+tag@example.com', '+14155550123', 'Mixed.Case-User_01'];
for (let i = 0; i < 16; i++) {
	const user = i % 3 === 0 ? plainUsers[(i / 3) | 0] : undefined;
	add(`plain random inputs #${i + 1}${user ? ` (user id '${user}')` : ' (UUID user id)'}`, {
		user_id_for_srp: user,
	});
}

// --- a
{
	const i = search('a high nibble', 0, j => firstNibbleHigh(smallA(`hi/${j}`)));
	add('a whose hex starts with a nibble >= 8', { a: smallA(`hi/${i}`) });
	const j = search('a top 9 bits zero', 0, j => topBitsZero(smallA(`lo/${j}`), 1024n, 9));
	add('a whose top 9 bits (of 1024) are zero: short hex', { a: smallA(`lo/${j}`) });
}

// --- A = g^a mod N
{
	const i = search('A high nibble', 0, j => firstNibbleHigh(fastPow(g, smallA(`Ahi/${j}`))));
	add('A whose hex starts with a nibble >= 8', { a: smallA(`Ahi/${i}`) });
	const j = search('A odd hex length', 0, j => {
		const A = fastPow(g, smallA(`Aodd/${j}`));
		return hex(A).length % 2 === 1 && !topBitsZero(A, N_BITS, 9);
	});
	add('A with an odd-length hex (top nibble zero) sent unpadded as SRP_A', { a: smallA(`Aodd/${j}`) });
	for (let n = 0, from = 0; n < 2; n++) {
		const m = search('A top 9 bits zero', from, j => topBitsZero(fastPow(g, smallA(`Alo/${j}`)), N_BITS, 9));
		add(`A whose top 9 bits (of 3072) are zero #${n + 1}: padHex(A) shorter than 384 bytes`, {
			a: smallA(`Alo/${m}`),
		});
		from = m + 1;
	}
}

// --- B
{
	const i = search('B high nibble', 0, j => firstNibbleHigh(serverB(`Bhi/${j}`)));
	add('B whose hex starts with a nibble >= 8', { B: serverB(`Bhi/${i}`) });
	for (let n = 0, from = 0; n < 2; n++) {
		const m = search('B top 9 bits zero', from, j => topBitsZero(serverB(`Blo/${j}`), N_BITS, 9));
		add(`B whose top 9 bits (of 3072) are zero #${n + 1}: SRP_B hex shorter than 768 chars`, {
			B: serverB(`Blo/${m}`),
		});
		from = m + 1;
	}
	add('B = 1 (smallest legal B; B - k*g^x is far below zero)', { B: 1n });
	add('B = N - 1 (largest legal B)', { B: N - 1n });
	add('B = 2 (tiny B)', { B: 2n });
}

// --- salt
{
	const i = search('salt high nibble', 0, j => firstNibbleHigh(saltOf(`shi/${j}`)));
	add('salt whose hex starts with a nibble >= 8: padHex adds 00', { salt: saltOf(`shi/${i}`) });
	for (let n = 0, from = 0; n < 2; n++) {
		const m = search('salt top 9 bits zero', from, j => topBitsZero(saltOf(`slo/${j}`), 128n, 9));
		add(`salt with a leading zero byte and top 9 bits zero #${n + 1}: SALT hex shorter than 32 chars`, {
			salt: saltOf(`slo/${m}`),
		});
		from = m + 1;
	}
	const m = search('salt top 16 bits zero', 0, j => topBitsZero(saltOf(`s16/${j}`), 128n, 16));
	add('salt whose first two bytes are zero (top 16 bits zero)', { salt: saltOf(`s16/${m}`) });
	add('salt = 1', { salt: 1n });
	add('salt = 0x80 (single byte with MSB set: padHex gives 0080)', { salt: 0x80n });
}

// --- x (depends on pool, user id, password, salt): search over the salt
{
	const base = { pool_name: 'Xq9Zr2Lm4', user_id_for_srp: uuidFrom('x/uid'), password: 'Passw0rd!' };
	const xOf = j => refX(base.pool_name, base.user_id_for_srp, base.password, saltOf(`x/${j}`));
	const i = search('x high nibble', 0, j => firstNibbleHigh(xOf(j)));
	add('x whose hex starts with a nibble >= 8', { ...base, salt: saltOf(`x/${i}`) });
	const m = search('x top 9 bits zero', 0, j => topBitsZero(xOf(j), 256n, 9));
	add('x whose top 9 bits (of 256) are zero: short hex', { ...base, salt: saltOf(`x/${m}`) });
}

// --- u = H(padHex(A) | padHex(B)): search over B
{
	const a = smallA('u/fixed');
	const A = fastPow(g, a);
	const uOf = j => refU(A, serverB(`u/${j}`));
	const i = search('u high nibble', 0, j => firstNibbleHigh(uOf(j)));
	add('u whose hex starts with a nibble >= 8', { a, B: serverB(`u/${i}`) });
	const o = search('u short hex', 0, j => hex(uOf(j)).length < 64 && !topBitsZero(uOf(j), 256n, 9));
	add('u with a short (odd-length) hex: top nibble zero', { a, B: serverB(`u/${o}`) });
	for (let n = 0, from = 0; n < 2; n++) {
		const m = search('u top 9 bits zero', from, j => topBitsZero(uOf(j), 256n, 9));
		add(`u whose top 9 bits (of 256) are zero #${n + 1}: padHex(u) is 31 bytes (HKDF salt)`, {
			a,
			B: serverB(`u/${m}`),
		});
		from = m + 1;
	}
}

// --- S: search over B with everything else fixed (one modPow per try). Also catches a key with a leading 00 byte.
{
	const base = {
		pool_name: 'Sr4Ch7Ng9',
		user_id_for_srp: uuidFrom('S/uid'),
		password: 'Passw0rd!',
		a: smallA('S/fixed'),
		salt: saltOf('S/fixed'),
	};
	const A = fastPow(g, base.a);
	const x = refX(base.pool_name, base.user_id_for_srp, base.password, base.salt);
	const kgx = (k * fastPow(g, x)) % N;
	const cache = new Map();
	const sOf = j => {
		if (!cache.has(j)) {
			const B = serverB(`S/${j}`);
			const u = refU(A, B);
			let b = (B - kgx) % N;
			if (b < 0n) b += N;
			const S = fastPow(b, base.a + u * x);
			cache.set(j, { S, key: refKey(S, u) });
		}
		return cache.get(j);
	};
	const hi = search('S high nibble', 0, j => firstNibbleHigh(sOf(j).S));
	add('S whose hex starts with a nibble >= 8', { ...base, B: serverB(`S/${hi}`) });
	const odd = search('S odd hex', 0, j => /^[1-7]/.test(hex(sOf(j).S)) && hex(sOf(j).S).length % 2 === 1);
	add('S with an odd-length hex (top nibble zero): padHex prepends a single 0', { ...base, B: serverB(`S/${odd}`) });
	const oddHi = search('S odd hex high', 0, j => /^[89a-f]/.test(hex(sOf(j).S)) && hex(sOf(j).S).length % 2 === 1);
	add('S with an odd-length hex starting with a nibble >= 8: padHex gives 0x.., not 00', {
		...base,
		B: serverB(`S/${oddHi}`),
	});
	let key00 = -1;
	const lo = search('S top 9 bits zero', 0, j => {
		if (key00 < 0 && sOf(j).key[0] === 0) key00 = j;
		return topBitsZero(sOf(j).S, N_BITS, 9);
	});
	add('S whose top 9 bits (of 3072) are zero: padHex(S) shorter than 384 bytes (HKDF ikm)', {
		...base,
		B: serverB(`S/${lo}`),
	});
	if (key00 < 0) key00 = search('key 00', lo + 1, j => sOf(j).key[0] === 0);
	add('derived key whose first byte is 00 (key hex must stay 32 chars)', { ...base, B: serverB(`S/${key00}`) });
}

// --- passwords
add("unicode password: precomposed 'é' (U+00E9)", { password: 'Mot-de-passé1' });
add("unicode password: decomposed 'é' (e + U+0301), no normalisation", { password: 'Mot-de-passe\u03011' });
add('unicode password: CJK 中文', { password: '密码中文Passw0rd' });
add('unicode password: emoji outside the BMP (surrogate pair in UTF-16)', { password: 'P4ss😀🔑w0rd!' });
add("password containing ':' and spaces", { password: 'a:b c:d  e' });
add('long password (256 chars)', { password: alnum('pw/long', 256) });
add('empty password', { password: '' });

// --- user ids
add('UUID user id (sub), upper-case hex', { user_id_for_srp: uuidFrom('uid/upper').toUpperCase() });
add('user id with unicode (José_中文)', { user_id_for_srp: 'José_中文' });
add("user id containing ':'", { user_id_for_srp: 'we:ird' });
add('one-character user id', { user_id_for_srp: 'z' });

// --- pool names
add('one-character pool name', { pool_name: 'Q' });
add('40-character pool name', { pool_name: alnum('pool/long', 40) });
add('typical 9-character pool name with digits only', { pool_name: '123456789' });

// --- secret blocks
add('empty secret block', { secret_block: '' });
add('one-byte secret block (base64 with ==)', { secret_block: secretBlockOf('one', 1) });
add('two-byte secret block (base64 with =)', { secret_block: secretBlockOf('two', 2) });
add('secret block of ~1 KB (1024 bytes)', { secret_block: secretBlockOf('1k', 1024) });
add('secret block of ~2 KB (2047 bytes)', { secret_block: secretBlockOf('2k', 2047) });

// --- timestamps in the signature
add('timestamp on a single-digit day (no zero padding)', { unix_ms: RealDate.UTC(2026, 10, 5, 9, 5, 7) });
add('timestamp at midnight on the 31st', { unix_ms: RealDate.UTC(2030, 11, 31, 0, 0, 0) });
add('timestamp on a leap day at 23:59:59', { unix_ms: RealDate.UTC(2028, 1, 29, 23, 59, 59) });

// --- everything at once
add('combined: 1-char pool, emoji password, empty secret block, B=N-1', {
	pool_name: 'x',
	password: '🙂',
	secret_block: '',
	B: N - 1n,
});

// ---------------------------------------------------------------------------------------------------------------
// Run the library
// ---------------------------------------------------------------------------------------------------------------
function libVector(spec) {
	const helper = new AuthenticationHelper(spec.pool_name);
	helper.smallAValue = new BigInteger(hex(spec.a), 16);
	helper.largeAValue = undefined;
	let A;
	helper.getLargeAValue((err, v) => {
		if (err) throw err;
		A = v;
	});
	const B = new BigInteger(hex(spec.B), 16);
	const salt = new BigInteger(hex(spec.salt), 16);
	let key;
	helper.getPasswordAuthenticationKey(spec.user_id_for_srp, spec.password, B, salt, (err, hkdf) => {
		if (err) throw err;
		key = hkdf;
	});
	if (key === undefined) throw new Error('getPasswordAuthenticationKey did not call back synchronously');
	// x exactly as getPasswordAuthenticationKey computes it
	const x = new BigInteger(
		helper.hexHash(
			helper.padHex(salt) + helper.hash(`${spec.pool_name}${spec.user_id_for_srp}:${spec.password}`)
		),
		16
	);
	let S;
	helper.calculateS(x, B, (err, v) => {
		if (err) throw err;
		S = v;
	});
	const timestamp = formatAt(spec.unix_ms);
	// PASSWORD_CLAIM_SIGNATURE as CognitoUser.authenticateUserDefaultAuth builds it
	const concat = LibBuffer.concat([
		LibBuffer.from(spec.pool_name, 'utf8'),
		LibBuffer.from(spec.user_id_for_srp, 'utf8'),
		LibBuffer.from(spec.secret_block, 'base64'),
		LibBuffer.from(timestamp, 'utf8'),
	]);
	const mac = new Sha256(key);
	mac.update(concat);
	const signature = LibBuffer.from(mac.digestSync()).toString('base64');
	return {
		name: spec.name,
		pool_name: spec.pool_name,
		user_id_for_srp: spec.user_id_for_srp,
		password: spec.password,
		a: helper.smallAValue.toString(16),
		A: A.toString(16),
		B: B.toString(16),
		salt: salt.toString(16),
		u: helper.UValue.toString(16),
		x: x.toString(16),
		S: S.toString(16),
		key: Buffer.from(key).toString('hex').padStart(32, '0'),
		secret_block: spec.secret_block,
		timestamp,
		signature,
	};
}

function check(v, spec) {
	const fail = what => {
		throw new Error(`vector '${v.name}': library and reference disagree on ${what}`);
	};
	const big = h => BigInt('0x' + h);
	const A = modPowRef(g, spec.a, N);
	if (big(v.A) !== A) fail('A');
	if (big(v.a) !== spec.a || big(v.B) !== spec.B || big(v.salt) !== spec.salt) fail('inputs');
	if (!(spec.B >= 1n && spec.B < N)) fail('B range');
	const u = refU(A, spec.B);
	if (big(v.u) !== u) fail('u');
	const x = refX(spec.pool_name, spec.user_id_for_srp, spec.password, spec.salt);
	if (big(v.x) !== x) fail('x');
	const S = refS(spec.a, spec.B, u, x);
	if (big(v.S) !== S) fail('S');
	const key = refKey(S, u);
	if (v.key !== key.toString('hex') || v.key.length !== 32) fail('key');
	if (v.signature !== refSignature(key, spec.pool_name, spec.user_id_for_srp, spec.secret_block, v.timestamp))
		fail('signature');
	for (const f of ['a', 'A', 'B', 'salt', 'u', 'x', 'S'])
		if (!/^[0-9a-f]+$/.test(v[f]) || (v[f].length > 1 && v[f][0] === '0')) fail(`${f} hex format`);
}

const srp = specs.map(spec => {
	const v = libVector(spec);
	check(v, spec);
	return v;
});

// Coverage assertions: the edge cases the vectors promise are really there.
{
	const hi = f => srp.some(v => v[f].length % 2 === 0 && /^[89a-f]/.test(v[f]));
	for (const f of ['a', 'A', 'B', 'salt', 'u', 'S', 'x']) if (!hi(f)) throw new Error(`no ${f} with high nibble`);
	// a value of a `width`-bit field whose top 9 bits are zero but that is not tiny: hex length in [w/4 - 8, (w-9)/4]
	const nineZero = (f, width) =>
		srp.some(v => v[f].length >= width / 4 - 8 && v[f].length <= Math.ceil((width - 9) / 4) && BigInt('0x' + v[f]) < 1n << BigInt(width - 9));
	for (const [f, w] of [['salt', 128], ['A', 3072], ['B', 3072], ['S', 3072], ['u', 256], ['x', 256], ['a', 1024]])
		if (!nineZero(f, w)) throw new Error(`no ${f} with top 9 bits zero`);
	if (!srp.some(v => v.key.startsWith('00'))) throw new Error('no key with a leading zero byte');
	if (srp.length < 60) throw new Error(`only ${srp.length} vectors`);
}

// ---------------------------------------------------------------------------------------------------------------
// Timestamps: DateHelper().getNowString() at fixed instants
// ---------------------------------------------------------------------------------------------------------------
const instants = [
	RealDate.UTC(2025, 10, 5, 9, 5, 7), // the example in the notes: Wed Nov 5 09:05:07 UTC 2025
	RealDate.UTC(2000, 0, 1, 0, 0, 0), // year 2000, midnight, day 1
	RealDate.UTC(2000, 1, 29, 12, 30, 45), // leap day in 2000 (divisible by 400)
	RealDate.UTC(2024, 1, 29, 23, 59, 59), // leap day, 23:59:59
	RealDate.UTC(2099, 11, 31, 23, 59, 59), // year 2099, last second
	RealDate.UTC(2099, 0, 9, 0, 0, 0),
	RealDate.UTC(1970, 0, 1, 0, 0, 0), // the epoch
	RealDate.UTC(2038, 0, 19, 3, 14, 8), // past the 32-bit time_t limit
	RealDate.UTC(2026, 2, 1, 0, 0, 1), // the day after Feb 28 in a common year
];
// Every month, days 1-9 and 10-31, all seven weekdays, assorted single-digit and double-digit times.
const days = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 15, 20, 21, 28, 30, 31];
for (let m = 0; m < 12; m++) {
	for (const d of [days[m % days.length], days[(m * 5 + 9) % days.length]]) {
		const year = 2025 + (m % 3);
		const dim = new RealDate(RealDate.UTC(year, m + 1, 0)).getUTCDate();
		instants.push(RealDate.UTC(year, m, Math.min(d, dim), (m * 7) % 24, (m * 13 + d) % 60, (m * 17 + d * 3) % 60));
	}
}
instants.push(RealDate.UTC(2025, 0, 31, 0, 0, 0), RealDate.UTC(2025, 3, 30, 23, 59, 59), RealDate.UTC(2025, 6, 31, 10, 9, 8));
const timestamps = [...new Set(instants)].map(unix_ms => ({ unix_ms, formatted: formatAt(unix_ms) }));
{
	const wd = new Set(timestamps.map(t => t.formatted.slice(0, 3)));
	const mo = new Set(timestamps.map(t => t.formatted.slice(4, 7)));
	if (wd.size !== 7 || mo.size !== 12) throw new Error('timestamps miss a weekday or a month');
	if (!timestamps.some(t => / [1-9] /.test(t.formatted)) || !timestamps.some(t => / [0-9]{2} \d\d:/.test(t.formatted)))
		throw new Error('timestamps miss single- or double-digit days');
	if (timestamps[0].formatted !== 'Wed Nov 5 09:05:07 UTC 2025') throw new Error(timestamps[0].formatted);
}

const out = {
	generator: `amazon-cognito-identity-js ${LIB_VERSION} AuthenticationHelper`,
	srp,
	timestamps,
};
const here = path.dirname(fileURLToPath(import.meta.url));
const outFile = process.argv[2] ? path.resolve(process.argv[2]) : path.join(here, 'srp.json');
writeFileSync(outFile, JSON.stringify(out, null, '\t') + '\n');
console.error(`wrote ${srp.length} SRP vectors and ${timestamps.length} timestamps to ${outFile}`);
