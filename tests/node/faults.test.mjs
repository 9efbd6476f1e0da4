// The fault matrix (tests/faults/matrix.mjs) in Node: every fault the emulator injects × every kind of call,
// through the built package against the emulator at COGNITO_ENDPOINT. Writes the table to
// tests/out/faults-node.md.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';

import { CALLS, FAULTS, runCell, table } from '../faults/matrix.mjs';

const ENDPOINT = process.env.COGNITO_ENDPOINT;
if (!ENDPOINT) throw new Error('COGNITO_ENDPOINT must name a running cognito-emulator (make test sets it)');

const pkgDir = new URL('../../pkg/', import.meta.url);
const manifest = JSON.parse(await readFile(new URL('package.json', pkgDir), 'utf8'));
const { CognitoAuth } = await import(new URL(manifest.exports['.'].node, pkgDir).href);

const records = [];
after(async () => {
  const out = new URL('../out/', import.meta.url);
  await mkdir(out, { recursive: true });
  await writeFile(new URL('faults-node.md', out), `${table(records, 'Node')}\n`);
});

for (const call of Object.keys(CALLS)) {
  for (const fault of Object.keys(FAULTS)) {
    test(`${call} × ${fault}`, { timeout: 60_000 }, async () => {
      const record = await runCell({ CognitoAuth, endpoint: ENDPOINT }, call, fault);
      records.push(record);
      assert.deepEqual(record.problems, [], JSON.stringify(record));
    });
  }
}
