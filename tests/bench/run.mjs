#!/usr/bin/env node
// `make bench`: the SRP and modexp benchmarks in Node 20 and headless Chromium in one run, plus the package's
// load time in Chromium, and getSession(), sign-in and memory against the emulator (emulator.mjs), written as
// Markdown to tests/bench/results.md (and printed).
//
//   node tests/bench/run.mjs [--quick] [--no-browser] [--bench-pkg target/bench-pkg] [--out tests/bench/results.md]
//
// Needs the bench build (`wasm-pack … --features bench` into target/bench-pkg), the shipped package in pkg/ and
// the emulator (target/release/cognito-emulator, `make emulator`).
import { createServer } from 'node:http';
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { execSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runAll } from './harness.mjs';
import { emulatorBench, emulatorTables, PAGE as EMULATOR_PAGE } from './emulator.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const quick = args.includes('--quick');
const benchPkg = opt('--bench-pkg', 'target/bench-pkg');
const out = opt('--out', 'tests/bench/results.md');
const require = createRequire(path.join(root, 'tests/package.json'));

async function inNode() {
  const ours = await import(pathToFileURL(path.join(root, benchPkg, 'cognito_wasm.js')));
  await ours.default({ module_or_path: await readFile(path.join(root, benchPkg, 'cognito_wasm_bg.wasm')) });
  const Official = require('amazon-cognito-identity-js'); // its Node entry (lib/); Chromium gets the dist bundle
  return runAll({ ours, Official, subtle: globalThis.crypto.subtle, quick });
}

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };

/** Serves the repository read-only on 127.0.0.1 (the page imports the harness, the packages and the UMD bundle). */
function serve() {
  const server = createServer(async (req, res) => {
    const file = path.join(root, decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (!file.startsWith(root + path.sep)) return res.writeHead(403).end();
    try {
      const body = await readFile(file);
      const headers = { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' };
      // Cross-origin isolation gives that page a 5 µs performance.now() instead of 100 µs: one getSession()
      // call is well under 100 µs. The other pages keep the setting their published numbers were taken with.
      if (req.url.startsWith(EMULATOR_PAGE)) {
        Object.assign(headers, { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' });
      }
      res.writeHead(200, headers);
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Chromium and the server of the repository, for every browser benchmark: `{ browser, base, close() }`. */
async function openChromium() {
  const { chromium } = require('playwright-core');
  const server = await serve();
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
           '--disable-component-update', '--no-first-run'],
  });
  return {
    browser,
    base: `http://127.0.0.1:${server.address().port}`,
    close: async () => { await browser.close(); server.close(); },
  };
}

async function inChromium({ browser, base }) {
  const result = async (url) => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(url);
    await page.waitForFunction(() => window.__result !== undefined, null, { timeout: 300_000 });
    const r = await page.evaluate(() => window.__result);
    await page.context().close();
    if (r.error) throw new Error(`in Chromium: ${r.error}`);
    return r;
  };
  // Load first, in a fresh context, so nothing is cached or warmed up.
  const loads = [];
  for (let i = 0; i < (quick ? 3 : 7); i++) loads.push((await result(`${base}/tests/bench/page.html?mode=load`)).load);
  const run = await result(`${base}/tests/bench/page.html?benchPkg=${benchPkg}${quick ? '&quick' : ''}`);
  return { ...run, loads, version: browser.version() };
}

// ---------------------------------------------------------------------------------------------------- report
const f = (ms) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));
const TITLES = {
  srp: 'SRP client computation (A, then the password claim signature), ms',
  modpow1024: 'One 3072-bit modexp, 1024-bit exponent, ms',
  modpow256: 'One 3072-bit modexp, 256-bit exponent, ms',
  mont: 'Primitive',
};

function table(envs, section) {
  const names = [...new Set(envs.flatMap(([, r]) => r.rows.filter((x) => x.section === section).map((x) => x.name)))];
  const lines = [`### ${TITLES[section]}`, ''];
  lines.push(`| implementation | ${envs.map(([e]) => `${e} median | min–max | n | ÷ ours`).join(' | ')} |`);
  lines.push(`|---|${envs.map(() => '---:|---:|---:|---:').join('|')}|`);
  for (const name of names) {
    const cells = envs.map(([, r]) => {
      const rows = r.rows.filter((x) => x.section === section);
      const row = rows.find((x) => x.name === name);
      const ours = rows[0];
      if (!row) return ' | | | ';
      const ratio = section === 'mont' ? '' : `${(row.median / ours.median).toFixed(1)}×`;
      return `${f(row.median)} | ${f(row.min)}–${f(row.max)} | ${row.n} | ${ratio}`;
    });
    lines.push(`| ${name} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

const envs = [];
const node = await inNode();
envs.push([`Node ${process.versions.node}`, node]);
let chromium;
let emulator;
const chrome = args.includes('--no-browser') ? undefined : await openChromium();
try {
  if (chrome) {
    chromium = await inChromium(chrome);
    envs.push([`Chromium ${chromium.version}`, chromium]);
  }
  emulator = await emulatorBench({ root, benchPkg, quick, chrome });
} finally {
  await chrome?.close();
}

let commit = 'unknown';
try { commit = execSync('git rev-parse --short HEAD', { cwd: root }).toString().trim(); } catch {}
const md = [
  '# cognito-wasm benchmarks',
  '',
  `Generated by \`make bench\` (tests/bench/run.mjs) on ${new Date().toISOString().slice(0, 10)}, commit ${commit}` +
    `${quick ? ', quick mode' : ''}. Absolute times depend on the machine; compare runs by the ratios.`,
  '"÷ ours" is that implementation\'s median divided by ours (2.0× = ours takes half the time). Every',
  'implementation\'s result is checked against the others before it is timed. Ours is the release build with the',
  '`bench` feature (the same code as the shipped package plus benchmark exports), after `wasm-opt -Os --enable-simd`.',
  'The official client draws a 1024-bit a (its generateRandomSmallA), ours and the BigInt baseline a 256-bit one.',
  '',
  ...['srp', 'modpow1024', 'modpow256', 'mont'].flatMap((s) => [table(envs, s), '']),
  `First call of ours (cold: wasm not yet optimised, group constants not yet built): ` +
    envs.map(([e, r]) => `${e} ${f(r.rows.find((x) => x.section === 'srp').first)} ms`).join(', ') + '.',
  '',
];
if (chromium) {
  const L = chromium.loads;
  md.push('### Package load in Chromium (pkg/, fresh browser context each time), ms', '',
    `| wasm bytes | fetch | compile | import the JS | instantiate (init) | first call (getSession, memory storage) | total |`,
    `|---:|---:|---:|---:|---:|---:|---:|`,
    `| ${L[0].bytes} | ${f(median(L.map((l) => l.fetch)))} | ${f(median(L.map((l) => l.compile)))} | ` +
      `${f(median(L.map((l) => l.importJs)))} | ${f(median(L.map((l) => l.instantiate)))} | ` +
      `${f(median(L.map((l) => l.firstCall)))} | ` +
      `${f(median(L.map((l) => l.fetch + l.compile + l.importJs + l.instantiate + l.firstCall)))} |`,
    '', `Medians of ${L.length} page loads. For scale, fetching package.json (a few hundred bytes) from the same ` +
      `server first took ${f(median(L.map((l) => l.smallFetch)))} ms: most of "fetch" is what any request costs ` +
      'in this headless Chromium here. "import the JS" loads index.js, loader.js and cognito_wasm.js one after ' +
      'the other (an app\'s bundler puts them in its own bundle).', '');
}
md.push(emulatorTables(emulator));
const text = md.join('\n');
await writeFile(path.resolve(root, out), text);
console.log(text);
