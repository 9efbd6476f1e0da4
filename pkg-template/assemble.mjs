// Builds the npm package directory: wasm-pack's output plus this folder's files, with the version from
// Cargo.toml. Usage: node pkg-template/assemble.mjs <wasm-pack-out-dir> <pkg-dir>
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const [built, out] = process.argv.slice(2);
if (!built || !out) {
  console.error('usage: node pkg-template/assemble.mjs <wasm-pack-out-dir> <pkg-dir>');
  process.exit(2);
}
const here = new URL('.', import.meta.url).pathname;
const cargo = await readFile(join(here, '..', 'Cargo.toml'), 'utf8');
const version = cargo.match(/^\[package\][^[]*?^version\s*=\s*"([^"]+)"/ms)?.[1];
if (!version) throw new Error('no [package] version in Cargo.toml');

const manifest = JSON.parse(await readFile(join(here, 'package.json'), 'utf8'));
manifest.version = version;

await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
for (const file of manifest.files) {
  const from = file.startsWith('cognito_wasm') ? join(built, file) : join(here, file);
  await copyFile(from, join(out, file));
}
await writeFile(join(out, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
console.log(`assembled cognito-wasm@${version} in ${out}`);
