#!/usr/bin/env node
// Size of the npm package as shipped: raw and gzip -9 sizes of pkg/'s wasm and JS, their total, and the largest
// functions of the wasm (from its name section; `twiggy top` says more if installed).
//
//   node tests/bench/size.mjs [--pkg pkg] [--budget BYTES] [--top 20]
//
// With --budget, exits 1 when the gzipped total (wasm + JS, not the inline entry's base64 copy of the wasm) is
// above BYTES. Run `make pkg` first.
import { readFile, readdir } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const pkg = path.resolve(root, opt('--pkg', 'pkg'));
const budget = args.includes('--budget') ? Number(opt('--budget')) : undefined;
const top = Number(opt('--top', 20));

const files = (await readdir(pkg)).filter((f) => f.endsWith('.wasm') || f.endsWith('.js')).sort();
const rows = [];
for (const f of files) {
  const bytes = await readFile(path.join(pkg, f));
  rows.push({ f, raw: bytes.length, gz: gzipSync(bytes, { level: 9 }).length, bytes });
}
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(`Package ${path.relative(root, pkg) || pkg}:`);
console.log(`${'file'.padEnd(28)} ${'raw'.padStart(10)} ${'gzip -9'.padStart(10)}`);
for (const r of rows) console.log(`${r.f.padEnd(28)} ${kb(r.raw).padStart(10)} ${kb(r.gz).padStart(10)}`);
// The inline entry's base64 copy of the wasm replaces the .wasm, it is not loaded with it: not in the total.
const counted = rows.filter((r) => !r.f.includes('base64'));
const total = counted.reduce((s, r) => ({ raw: s.raw + r.raw, gz: s.gz + r.gz }), { raw: 0, gz: 0 });
console.log(`${'total (wasm + JS, no base64)'.padEnd(28)} ${kb(total.raw).padStart(10)} ${kb(total.gz).padStart(10)}  (${total.gz} bytes gzipped)`);

// ------------------------------------------------------------------ top contributors from the wasm's sections
function leb(buf, pos) {
  let result = 0, shift = 0, b;
  do {
    b = buf[pos++];
    result += (b & 0x7f) * 2 ** shift;
    shift += 7;
  } while (b & 0x80);
  return [result, pos];
}
function sections(buf) {
  const out = [];
  let pos = 8;
  while (pos < buf.length) {
    const id = buf[pos];
    const [size, start] = leb(buf, pos + 1);
    let name = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start', 'element', 'code', 'data', 'datacount'][id] ?? `#${id}`;
    if (id === 0) {
      const [len, p] = leb(buf, start);
      name = `custom "${buf.subarray(p, p + len).toString()}"`;
    }
    out.push({ id, name, start, size });
    pos = start + size;
  }
  return out;
}
for (const r of rows.filter((r) => r.f.endsWith('.wasm'))) {
  const buf = r.bytes;
  const secs = sections(buf);
  console.log(`\n${r.f} sections:`);
  for (const s of secs) console.log(`  ${s.name.padEnd(28)} ${String(s.size).padStart(9)} bytes`);
  const imports = (() => {
    const s = secs.find((x) => x.id === 2);
    if (!s) return 0;
    let [count, p] = leb(buf, s.start), funcs = 0;
    for (let i = 0; i < count; i++) {
      for (let k = 0; k < 2; k++) { const [len, q] = leb(buf, p); p = q + len; }
      const kind = buf[p++];
      if (kind === 0) { funcs++; p = leb(buf, p)[1]; }
      else if (kind === 1) { p++; const flags = buf[p++]; p = leb(buf, p)[1]; if (flags & 1) p = leb(buf, p)[1]; }
      else if (kind === 2) { const flags = buf[p++]; p = leb(buf, p)[1]; if (flags & 1) p = leb(buf, p)[1]; }
      else if (kind === 3) p += 2;
      else if (kind === 4) p += 2;
    }
    return funcs;
  })();
  const names = new Map();
  const nameSec = secs.find((x) => x.name === 'custom "name"');
  if (nameSec) {
    let p = leb(buf, nameSec.start)[1] + 4; // skip the section name "name"
    const end = nameSec.start + nameSec.size;
    while (p < end) {
      const kind = buf[p];
      const [size, q] = leb(buf, p + 1);
      if (kind === 1) {
        let [count, s] = leb(buf, q);
        for (let i = 0; i < count; i++) {
          const [idx, a] = leb(buf, s);
          const [len, b] = leb(buf, a);
          names.set(idx, buf.subarray(b, b + len).toString());
          s = b + len;
        }
      }
      p = q + size;
    }
  }
  const code = secs.find((x) => x.id === 10);
  if (!code) continue;
  let [count, p] = leb(buf, code.start);
  const bodies = [];
  for (let i = 0; i < count; i++) {
    const [size, q] = leb(buf, p);
    bodies.push({ index: imports + i, size });
    p = q + size;
  }
  bodies.sort((a, b) => b.size - a.size);
  console.log(`\nTop ${top} functions by body size (of ${count}; code section ${code.size} bytes)` +
    (names.size ? ':' : ' — no name section, wasm-opt stripped it; build without stripping or use twiggy for names:'));
  for (const b of bodies.slice(0, top)) {
    console.log(`  ${String(b.size).padStart(7)}  ${(100 * b.size / code.size).toFixed(1).padStart(5)}%  ${names.get(b.index) ?? `func[${b.index}]`}`);
  }
}

if (budget !== undefined) {
  if (total.gz > budget) {
    console.error(`\nOVER BUDGET: ${total.gz} bytes gzipped > ${budget}`);
    process.exit(1);
  }
  console.log(`\nwithin budget: ${total.gz} ≤ ${budget} bytes gzipped`);
}
