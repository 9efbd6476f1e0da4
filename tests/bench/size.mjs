#!/usr/bin/env node
// Size of the npm package as shipped, and where it comes from.
//
//   node tests/bench/size.mjs [--pkg pkg] [--budget FILE] [--top 20] [--names WASM]
//
// What a browser downloads for `import { CognitoAuth } from 'cognito-wasm'`, gzip -9 per file, on the package's two
// paths: each is an esbuild bundle (minified, `--splitting`, ESM) of that one import, resolved with the package's
// export conditions:
// - production (the `production` condition: Vite's build, webpack): the JS chunks plus the .wasm file (an asset);
// - default (esbuild, Rollup, dev servers): the JS chunks, one of which holds the inlined wasm.
// Then the package's files one by one, and the top contributors: the largest functions, a per-crate sum, and
// cognito_wasm per module. The shipped wasm has no names (wasm-opt strips the name section), so those come from
// cargo's own output, --names (default target/wasm32-unknown-unknown/release/cognito_wasm.wasm): the same code
// before wasm-bindgen and wasm-opt, which keeps a "name" section.
//
// --budget FILE: exits 1 when a path is above its budget in FILE (lines `production BYTES` and `default BYTES`;
// `#` comments), as `make test` runs it with tests/bench/size-budget. The issue's targets (TARGETS below) are
// printed with the distance to them and never fail.
import { mkdtemp, mkdir, readFile, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const pkg = path.resolve(root, opt('--pkg', 'pkg'));
const budgetFile = opt('--budget');
const top = Number(opt('--top', 20));
const namesWasm = path.resolve(root, opt('--names',
  path.join(process.env.CARGO_TARGET_DIR ?? 'target', 'wasm32-unknown-unknown/release/cognito_wasm.wasm')));

const n = (x) => x.toLocaleString('en-US');
const kb = (x) => `${(x / 1024).toFixed(1)} KB`;
const pct = (x, of) => `${((100 * x) / of).toFixed(1).padStart(5)}%`;

// ------------------------------------------------------------------ the package
const files = (await readdir(pkg)).filter((f) => f.endsWith('.wasm') || f.endsWith('.js')).sort();
const rows = [];
for (const f of files) {
  const bytes = await readFile(path.join(pkg, f));
  rows.push({ f, raw: bytes.length, gz: gzipSync(bytes, { level: 9 }).length, bytes });
}
console.log(`Package ${path.relative(root, pkg) || pkg}:`);
console.log(`${'file'.padEnd(28)} ${'raw'.padStart(10)} ${'gzip -9'.padStart(10)}`);
for (const r of rows) console.log(`${r.f.padEnd(28)} ${kb(r.raw).padStart(10)} ${kb(r.gz).padStart(10)}`);

// ------------------------------------------------------------------ what a browser downloads, per path
/** The issue's goals for each path (bytes gzipped), printed with the distance to them. */
const TARGETS = { production: 65_536, default: 73_728 };

/** esbuild's bundle of one `import { CognitoAuth } from 'cognito-wasm'` with the export `condition`, per file. */
async function bundle(condition) {
  const esbuild = await import(pathToFileURL(path.join(root, 'tests/node_modules/esbuild/lib/main.js')).href);
  const dir = await mkdtemp(path.join(tmpdir(), 'cognito-wasm-size-'));
  try {
    await mkdir(path.join(dir, 'node_modules'));
    await symlink(pkg, path.join(dir, 'node_modules', 'cognito-wasm'), 'dir');
    await writeFile(path.join(dir, 'app.js'), "import { CognitoAuth } from 'cognito-wasm';\nglobalThis.CognitoAuth = CognitoAuth;\n");
    const result = await esbuild.build({
      entryPoints: [path.join(dir, 'app.js')], bundle: true, minify: true, splitting: true, format: 'esm',
      platform: 'browser', conditions: condition === 'default' ? [] : [condition], outdir: path.join(dir, 'out'),
      write: false, logLevel: 'error',
    });
    const files = result.outputFiles.map((f) => ({
      f: path.basename(f.path), raw: f.contents.length, gz: gzipSync(f.contents, { level: 9 }).length,
    }));
    // The production path leaves `new URL('cognito_wasm_bg.wasm', import.meta.url)` to the bundler's asset handling:
    // the browser fetches the file itself.
    if (condition === 'production') {
      const wasm = rows.find((r) => r.f.endsWith('.wasm'));
      if (!wasm) throw new Error('no .wasm in the package');
      files.push({ f: `${wasm.f} (asset)`, raw: wasm.raw, gz: wasm.gz });
    }
    return files;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const paths = {};
for (const condition of ['production', 'default']) {
  const files = await bundle(condition);
  paths[condition] = files.reduce((t, f) => ({ raw: t.raw + f.raw, gz: t.gz + f.gz }), { raw: 0, gz: 0 });
  console.log(`\n${condition} path (esbuild --bundle --minify --splitting${condition === 'default' ? '' : ` --conditions=${condition}`}):`);
  for (const f of files) console.log(`  ${f.f.padEnd(40)} ${kb(f.raw).padStart(10)} ${kb(f.gz).padStart(10)}`);
  const t = paths[condition];
  console.log(`  ${'downloaded'.padEnd(40)} ${kb(t.raw).padStart(10)} ${kb(t.gz).padStart(10)}  (${n(t.gz)} bytes gzipped)`);
}

// ------------------------------------------------------------------ reading wasm
function leb(buf, pos) {
  let result = 0, shift = 0, b;
  do {
    b = buf[pos++];
    result += (b & 0x7f) * 2 ** shift;
    shift += 7;
  } while (b & 0x80);
  return [result, pos];
}
const str = (buf, pos) => {
  const [len, p] = leb(buf, pos);
  return [buf.subarray(p, p + len).toString(), p + len];
};
const SECTION = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start', 'element', 'code', 'data', 'datacount'];

// Sections, imported function count (they come first in the function index space), code body sizes by function
// index, function names (name section, subsection 1) and exported function names.
function readWasm(buf) {
  const w = { sections: [], imports: 0, bodies: [], names: new Map(), exports: [] };
  for (let pos = 8; pos < buf.length;) {
    const id = buf[pos];
    const [size, start] = leb(buf, pos + 1);
    const s = { id, name: SECTION[id] ?? `#${id}`, start, size };
    if (id === 0) s.name = `custom "${str(buf, start)[0]}"`;
    w.sections.push(s);
    pos = start + size;
  }
  const sec = (pred) => w.sections.find(pred);
  const imp = sec((s) => s.id === 2);
  if (imp) {
    let [count, p] = leb(buf, imp.start);
    for (let i = 0; i < count; i++) {
      p = str(buf, str(buf, p)[1])[1]; // module, field
      const kind = buf[p++];
      if (kind === 0) { w.imports++; p = leb(buf, p)[1]; }
      else if (kind === 1) { p++; const flags = buf[p++]; p = leb(buf, p)[1]; if (flags & 1) p = leb(buf, p)[1]; }
      else if (kind === 2) { const flags = buf[p++]; p = leb(buf, p)[1]; if (flags & 1) p = leb(buf, p)[1]; }
      else if (kind === 3) p += 2; // global: valtype, mutability
      else if (kind === 4) p += 2; // tag: attribute, type index (single-byte in practice)
    }
  }
  const exp = sec((s) => s.id === 7);
  if (exp) {
    let [count, p] = leb(buf, exp.start);
    for (let i = 0; i < count; i++) {
      let name;
      [name, p] = str(buf, p);
      const kind = buf[p++];
      p = leb(buf, p)[1];
      if (kind === 0) w.exports.push(name);
    }
  }
  const code = sec((s) => s.id === 10);
  if (code) {
    let [count, p] = leb(buf, code.start);
    for (let i = 0; i < count; i++) {
      const [size, q] = leb(buf, p);
      w.bodies.push({ index: w.imports + i, size });
      p = q + size;
    }
  }
  const nameSec = sec((s) => s.name === 'custom "name"');
  if (nameSec) {
    const end = nameSec.start + nameSec.size;
    for (let p = str(buf, nameSec.start)[1]; p < end;) {
      const kind = buf[p];
      const [size, q] = leb(buf, p + 1);
      if (kind === 1) {
        let [count, s] = leb(buf, q);
        for (let i = 0; i < count; i++) {
          const [idx, a] = leb(buf, s);
          const [name, b] = str(buf, a);
          w.names.set(idx, name);
          s = b;
        }
      }
      p = q + size;
    }
  }
  w.size = (id) => sec((s) => s.id === id)?.size ?? 0;
  return w;
}

// ------------------------------------------------------------------ Rust symbol names
// Legacy mangling: _ZN, length-prefixed path segments, E; `$LT$`-style and `$u7b$`-style escapes, `..` for `::`;
// the last segment is the h<16 hex> hash, dropped.
const LEGACY_ESCAPES = { SP: '@', BP: '*', RF: '&', LT: '<', GT: '>', LP: '(', RP: ')', C: ',' };
function demangleLegacy(sym) {
  const parts = [];
  let p = 3;
  while (p < sym.length && sym[p] !== 'E') {
    const digits = /^\d+/.exec(sym.slice(p));
    if (!digits) return null;
    p += digits[0].length;
    parts.push(sym.slice(p, p + Number(digits[0])));
    p += Number(digits[0]);
  }
  if (sym[p] !== 'E') return null;
  if (parts.length > 1 && /^h[0-9a-f]{16}$/.test(parts.at(-1))) parts.pop();
  return parts.map((s) => (s.startsWith('_$') ? s.slice(1) : s)
    .replace(/\$(SP|BP|RF|LT|GT|LP|RP|C|u[0-9a-f]+)\$/g, (_, e) =>
      LEGACY_ESCAPES[e] ?? String.fromCodePoint(parseInt(e.slice(1), 16)))
    .replaceAll('..', '::')).join('::');
}

// v0 mangling (_R…), which this build uses for some of core and alloc: enough of the grammar for readable paths
// (https://doc.rust-lang.org/rustc/symbol-mangling/v0.html). Crate disambiguators are dropped, closures print as
// {{closure}} like the legacy names. Returns { name, crate }, crate being the first crate root met, which for an
// inherent impl on a primitive (`<str>::to_ascii_lowercase`) says whose code it is when the name does not.
const V0_BASIC = { a: 'i8', b: 'bool', c: 'char', d: 'f64', e: 'str', f: 'f32', h: 'u8', i: 'isize', j: 'usize', l: 'i32', m: 'u32', n: 'i128', o: 'u128', s: 'i16', t: 'u16', u: '()', v: '...', x: 'i64', y: 'u64', z: '!', p: '_' };
const B62 = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
function demangleV0(sym) {
  let p = 2, steps = 0, crate = null;
  const fail = () => { throw new Error(`cannot demangle ${sym}`); };
  const eat = (c) => (sym[p] === c ? (p++, true) : false);
  const b62 = () => {
    if (eat('_')) return 0;
    let v = 0;
    while (!eat('_')) {
      const d = B62.indexOf(sym[p++]);
      if (d < 0) fail();
      v = v * 62 + d;
    }
    return v + 1;
  };
  const disambiguator = () => (eat('s') ? b62() : 0);
  const ident = () => {
    const puny = eat('u');
    let len = 0;
    if (!eat('0')) {
      const digits = /^\d+/.exec(sym.slice(p)) ?? fail();
      p += digits[0].length;
      len = Number(digits[0]);
    }
    eat('_');
    const id = sym.slice(p, p + len);
    p += len;
    return puny ? `{punycode ${id}}` : id;
  };
  const backref = (parse) => {
    const to = 2 + b62(), back = p;
    p = to;
    const r = parse();
    p = back;
    return r;
  };
  const path = () => {
    if (++steps > 10000) fail();
    switch (sym[p++]) {
      case 'C': { disambiguator(); const c = ident(); crate ??= c; return c; }
      case 'M': { disambiguator(); path(); return `<${type()}>`; }
      case 'X': { disambiguator(); path(); const t = type(); return `<${t} as ${path()}>`; }
      case 'Y': { const t = type(); return `<${t} as ${path()}>`; }
      case 'N': {
        const ns = sym[p++], parent = path();
        disambiguator();
        const name = ident();
        if (ns === 'C') return `${parent}::{{closure}}`;
        if (ns >= 'A' && ns <= 'Z') return `${parent}::{${ns === 'S' ? 'shim' : ns}${name ? `:${name}` : ''}}`;
        return name ? `${parent}::${name}` : parent;
      }
      case 'I': {
        const base = path(), generics = [];
        while (!eat('E')) generics.push(genericArg());
        return `${base}<${generics.join(', ')}>`;
      }
      case 'B': return backref(path);
      default: return fail();
    }
  };
  const lifetime = () => (eat('L') ? (b62(), "'_ ") : '');
  const constant = () => {
    if (eat('p')) return '_';
    if (eat('B')) return backref(constant);
    const ty = sym[p++];
    const neg = eat('n');
    let hex = '';
    while (!eat('_')) hex += sym[p++] ?? fail();
    if (ty === 'b') return hex === '1' ? 'true' : 'false';
    return `${neg ? '-' : ''}${BigInt(`0x${hex || '0'}`)}`;
  };
  const genericArg = () => {
    if (eat('L')) { b62(); return "'_"; }
    if (eat('K')) return constant();
    return type();
  };
  const type = () => {
    if (++steps > 10000) fail();
    const c = sym[p];
    if (V0_BASIC[c]) { p++; return V0_BASIC[c]; }
    p++;
    switch (c) {
      case 'R': { const l = lifetime(); return `&${l}${type()}`; }
      case 'Q': { const l = lifetime(); return `&${l}mut ${type()}`; }
      case 'P': return `*const ${type()}`;
      case 'O': return `*mut ${type()}`;
      case 'A': { const t = type(); return `[${t}; ${constant()}]`; }
      case 'S': return `[${type()}]`;
      case 'T': { const ts = []; while (!eat('E')) ts.push(type()); return `(${ts.join(', ')}${ts.length === 1 ? ',' : ''})`; }
      case 'F': {
        if (eat('G')) b62();
        const unsafe = eat('U') ? 'unsafe ' : '';
        let abi = '';
        if (eat('K')) abi = `extern "${eat('C') ? 'C' : ident()}" `;
        const params = [];
        while (!eat('E')) params.push(type());
        const ret = type();
        return `${unsafe}${abi}fn(${params.join(', ')})${ret === '()' ? '' : ` -> ${ret}`}`;
      }
      case 'D': {
        if (eat('G')) b62();
        const traits = [];
        while (!eat('E')) {
          let t = path();
          const bindings = [];
          while (eat('p')) { const name = ident(); bindings.push(`${name} = ${type()}`); }
          if (bindings.length) t += `<${bindings.join(', ')}>`;
          traits.push(t);
        }
        lifetime();
        return `dyn ${traits.join(' + ')}`;
      }
      case 'B': return backref(type);
      default: p--; return path();
    }
  };
  if (/\d/.test(sym[p])) while (/\d/.test(sym[p])) p++; // encoding version
  return { name: path(), crate };
}

function demangle(sym) {
  try {
    if (sym.startsWith('_ZN')) return { name: demangleLegacy(sym) ?? sym, crate: null };
    if (sym.startsWith('_R')) return demangleV0(sym);
  } catch {}
  // Already readable (some toolchains demangle into the name section): only the hash suffix to drop.
  return { name: sym.replace(/::h[0-9a-f]{16}$/, ''), crate: null };
}

// ------------------------------------------------------------------ whose code a function is
const ASYNC_API = 'async API methods (inlined into js_sys::futures::future_to_promise)';

// The path a function belongs to: for `<T as Trait>::f` the implementing type's when it is a path (the impl is
// generated for that type: `<&mut serde_json::de::Deserializer<R> as serde_core::de::Deserializer>` is serde_json's
// code), else the trait's (`<[T] as wasm_bindgen::describe::WasmDescribe>`); drop glue is the dropped type's.
function ownerPath(name) {
  const drop = /^core::ptr::drop_in_place<(.*)>$/.exec(name);
  // A tuple's drop glue goes with its last element, e.g. the value of (String, cognito_wasm::…::AttributeUpdate).
  if (drop) return ownerPath(drop[1].startsWith('(') ? lastTupleElement(drop[1]) : drop[1]);
  if (!name.startsWith('<')) return name;
  let depth = 0, close = -1, as = -1;
  for (let i = 0; i < name.length && close < 0; i++) {
    if (name[i] === '<') depth++;
    else if (name[i] === '>' && name[i - 1] !== '-' && --depth === 0) close = i;
    else if (depth === 1 && as < 0 && name.startsWith(' as ', i)) as = i;
  }
  if (close < 0) return name;
  const self = name.slice(1, as >= 0 ? as : close).replace(/^(&(mut )?|\*(const|mut) |dyn )+/, '');
  if (/^[A-Za-z_]\w*::/.test(self)) return self;
  return as >= 0 ? name.slice(as + 4, close) : '';
}

function lastTupleElement(tuple) {
  let depth = 0, last = 1;
  for (let i = 1; i < tuple.length - 1; i++) {
    if ('<(['.includes(tuple[i])) depth++;
    else if ('>)]'.includes(tuple[i]) && tuple[i - 1] !== '-') depth--;
    else if (tuple[i] === ',' && depth === 0 && tuple[i + 1] !== ')') last = i + 1;
  }
  return tuple.slice(last, -1).replace(/,$/, '').trim();
}

function group(sym, name, crateHint) {
  const owner = ownerPath(name);
  // The API's async methods are futures handed to future_to_promise; their bodies get inlined into its
  // instantiations, one per method, so they show up under js_sys rather than cognito_wasm::api.
  if (owner.startsWith('js_sys::futures::future_to_promise')) return { crate: ASYNC_API };
  const segs = owner.split(/::|<|>/);
  // Failing a path (`<str>::…`, drop glue of `(u8,)`), the crate the name itself starts in.
  let crate = /^[A-Za-z_]\w*$/.test(segs[0]) && owner.includes('::') ? segs[0] : crateHint ?? /^(\w+)::/.exec(name)?.[1];
  if (!crate) {
    // Symbols without a path: wasm-bindgen's export shims (named after the JS class) and glue, and C symbols.
    if (/^(__wbg_)?cognitoauth_/.test(sym)) return { crate: 'cognito_wasm', module: 'cognito_wasm::api' };
    // The rest (memcpy, __multi3, fmin, round…) is compiler_builtins, which brings libm's functions on this target.
    crate = /^__(wbindgen|wbg|externref)_/.test(sym) ? 'wasm_bindgen' : 'compiler_builtins';
  }
  return { crate, module: crate === 'cognito_wasm' && segs[1] ? `cognito_wasm::${segs[1]}` : undefined };
}

// wasm-bindgen runs the describe functions at build time to learn the exported types, then removes them: they are
// in cargo's output, not in the package. (By their wasm-bindgen names: cognito_wasm has a `describe` of its own.)
const removedByBindgen = (sym, name) =>
  sym.startsWith('__wbindgen_describe') || sym === '__wbindgen_skip_interpret_calls' ||
  /WasmDescribe|::describe_(invoke|closure)$/.test(name);

// ------------------------------------------------------------------ top contributors
const shipped = rows.find((r) => r.f.endsWith('.wasm'));
const shippedWasm = shipped && readWasm(shipped.bytes);
async function printBreakdown() {
  if (!shippedWasm) { console.log('\nNo .wasm in the package.'); return; }
  console.log(`\n${shipped.f} sections (as shipped):`);
  for (const s of shippedWasm.sections) console.log(`  ${s.name.padEnd(28)} ${n(s.size).padStart(9)} bytes`);
  await breakdownFromCargo(shippedWasm.size(10));
}

async function breakdownFromCargo(shippedCode) {
  const rel = namesWasm.startsWith(root + path.sep) ? path.relative(root, namesWasm) : namesWasm;
  let buf;
  try {
    buf = await readFile(namesWasm);
  } catch {
    console.log(`\nNo ${rel}, so no function names: the shipped wasm has none (wasm-opt strips them).` +
      '\n`make pkg` builds it (cargo\'s output, before wasm-bindgen and wasm-opt); then run this again.');
    return;
  }
  const w = readWasm(buf);
  if (!w.names.size) {
    console.log(`\n${rel} has no name section: no function names.`);
    return;
  }
  // It is only the package's code if it is the build pkg/ was made from: `make bench` (--features bench) and any
  // later cargo build write the same file. The check: the same exported functions, leaving out wasm-bindgen's own
  // (`__…`, closure shims) and the hash suffix wasm-bindgen drops from the API's names.
  const api = (exports) => exports.filter((e) => !/^(__|wasm_bindgen__)/.test(e)).map((e) => e.replace(/_[0-9a-f]{16}$/, ''));
  const [cargoApi, pkgApi] = [api(w.exports), api(shippedWasm.exports)];
  const differ = [...cargoApi.filter((e) => !pkgApi.includes(e)).map((e) => `+${e}`),
    ...pkgApi.filter((e) => !cargoApi.includes(e)).map((e) => `-${e}`)];
  const [tCargo, tPkg] = [(await stat(namesWasm)).mtime, (await stat(path.join(pkg, shipped.f))).mtime];
  if (differ.length) {
    console.log(`\nWARNING: ${rel} is not the build pkg/ was made from; its exports differ from the package's` +
      ` (${differ.slice(0, 4).join(' ')}${differ.length > 4 ? ' …' : ''}). \`make bench\` builds with --features bench` +
      ' into the same file; `make pkg` rebuilds both.');
  } else if (Math.abs(tCargo - tPkg) > 10 * 60e3) {
    console.log(`\nNote: ${rel} (${tCargo.toISOString()}) and pkg/ (${tPkg.toISOString()}) were built at different` +
      ' times; the breakdown is of the former.');
  }

  const fns = [];
  const removed = { count: 0, size: 0 };
  for (const { index, size } of w.bodies) {
    const sym = w.names.get(index) ?? `func[${index}]`;
    const { name, crate: hint } = demangle(sym);
    if (removedByBindgen(sym, name)) { removed.count++; removed.size += size; continue; }
    fns.push({ name, size, ...group(sym, name, hint) });
  }
  const kept = fns.reduce((s, f) => s + f.size, 0);
  console.log(`\nTop contributors, from ${rel}: the same code before wasm-bindgen and wasm-opt -Os, with names.` +
    '\nSizes are of that build, so read them as proportions, not as shipped bytes.');
  console.log(`  code: ${n(kept)} bytes in ${n(fns.length)} functions (shipped after wasm-opt: ${n(shippedCode)});` +
    ` not counted: ${n(removed.count)} describe functions (${n(removed.size)} bytes) wasm-bindgen removes`);
  console.log(`  data (rodata: strings, tables): ${n(w.size(11))} bytes (shipped: ${n(shippedWasm.size(11))})`);

  console.log(`\n  Top ${top} functions by body size:`);
  for (const f of [...fns].sort((x, y) => y.size - x.size).slice(0, top)) {
    const name = f.name.length > 150 ? `${f.name.slice(0, 149)}…` : f.name;
    console.log(`  ${n(f.size).padStart(8)} ${pct(f.size, kept)}  ${name}${f.crate === ASYNC_API ? '  (an async API method)' : ''}`);
  }

  const sum = (key, list) => {
    const m = new Map();
    for (const f of list) {
      const e = m.get(f[key]) ?? { size: 0, count: 0 };
      e.size += f.size;
      e.count++;
      m.set(f[key], e);
    }
    return [...m].sort((x, y) => y[1].size - x[1].size);
  };
  const line = (label, e, indent) =>
    console.log(`  ${n(e.size).padStart(8)} ${pct(e.size, kept)}  ${indent}${label} (${n(e.count)} fn)`);
  console.log('\n  By crate (cognito_wasm by module):');
  for (const [crate, e] of sum('crate', fns)) {
    line(crate, e, '');
    if (crate === 'cognito_wasm') {
      for (const [mod, m] of sum('module', fns.filter((f) => f.crate === 'cognito_wasm'))) line(mod ?? 'cognito_wasm (crate root)', m, '    ');
    }
  }
}

// ------------------------------------------------------------------ verdict
await printBreakdown();
console.log();
for (const [name, goal] of Object.entries(TARGETS)) {
  const d = paths[name].gz - goal;
  console.log(d > 0
    ? `target, ${name} path: ${n(goal)} bytes gzipped; ${n(d)} above it (${(paths[name].gz / goal).toFixed(2)}× the target)`
    : `target, ${name} path: ${n(goal)} bytes gzipped; met, ${n(-d)} below it`);
}
if (budgetFile !== undefined) {
  // An empty or mistyped budget file must not pass silently: both paths need a number.
  const budgets = {};
  for (const line of (await readFile(path.resolve(root, budgetFile), 'utf8')).split('\n')) {
    const m = /^\s*(\w+)\s+(\d+)\s*$/.exec(line.replace(/#.*/, ''));
    if (m) budgets[m[1]] = Number(m[2]);
  }
  let over = false;
  for (const name of Object.keys(TARGETS)) {
    const budget = budgets[name];
    if (budget === undefined) {
      console.error(`size.mjs: ${budgetFile} has no line \`${name} BYTES\``);
      process.exit(2);
    }
    const size = paths[name].gz;
    if (size > budget) {
      console.error(`OVER BUDGET: the ${name} path downloads ${n(size)} bytes gzipped, ${n(size - budget)} above its budget of ${n(budget)}`);
      over = true;
    } else {
      console.log(`budget, ${name} path: ${n(size)} ≤ ${n(budget)} bytes gzipped (${n(budget - size)} to spare)`);
    }
  }
  if (over) process.exit(1);
}
