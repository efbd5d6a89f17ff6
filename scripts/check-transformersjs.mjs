// Runs the tiny test decoders in transformers.js (npm @huggingface/transformers, which consumes Optimum
// exports) with greedy generate, one prompt at a time and in left-padded batches of 8, and checks its
// tokens against src/test/resources/decoders/references.json: the tokens PyTorch computed, which the
// Java engine's tests (ReferenceTokensTest) match too. Not run by the tests: docs/generation.md says how.
//
//   node scripts/check-transformersjs.mjs    (transformers.js in scripts/node_modules; see the doc)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { AutoModelForCausalLM, Tensor, env } from '@huggingface/transformers';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const decoders = path.join(root, 'src/test/resources/decoders');
const references = JSON.parse(fs.readFileSync(path.join(decoders, 'references.json'), 'utf8'));

// transformers.js's layout: NAME/onnx/model.onnx, the JSON files beside NAME
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'decoders-'));
for (const name of Object.keys(references)) {
  const from = path.join(decoders, name);
  const to = path.join(work, name);
  fs.mkdirSync(path.join(to, 'onnx'), { recursive: true });
  for (const f of fs.readdirSync(from)) {
    const data = fs.readFileSync(path.join(from, f));
    if (f === 'model.onnx.gz') fs.writeFileSync(path.join(to, 'onnx', 'model.onnx'), zlib.gunzipSync(data));
    else if (f.endsWith('.gz')) fs.writeFileSync(path.join(to, f.slice(0, -3)), zlib.gunzipSync(data));
    else fs.writeFileSync(path.join(to, f), data);
  }
}
env.allowRemoteModels = false;
env.localModelPath = work + '/';

const ids = (rows, width, pad) => {
  const data = new BigInt64Array(rows.length * width);
  const mask = new BigInt64Array(rows.length * width);
  rows.forEach((r, i) => r.forEach((t, j) => {
    data[i * width + width - r.length + j] = BigInt(t);
    mask[i * width + width - r.length + j] = 1n;
  }));
  for (let i = 0; i < rows.length; i++) for (let j = 0; j < width - rows[i].length; j++) data[i * width + j] = BigInt(pad);
  return { input_ids: new Tensor('int64', data, [rows.length, width]), attention_mask: new Tensor('int64', mask, [rows.length, width]) };
};

let failures = 0;
let checked = 0;
for (const [name, cases] of Object.entries(references)) {
  const model = await AutoModelForCausalLM.from_pretrained(name, { dtype: 'fp32' });
  const eos = [model.generation_config.eos_token_id].flat();
  const pad = model.generation_config.pad_token_id ?? eos[0];
  const compare = (c, out, how) => {
    const got = [];
    for (const t of out) {
      if (got.length === c.max_tokens) break;
      got.push(t);
      if (eos.includes(t)) break;
    }
    checked++;
    if (JSON.stringify(got) !== JSON.stringify(c.tokens)) {
      failures++;
      console.log(`${name} ${how} '${c.prompt}': transformers.js ${JSON.stringify(got)}, PyTorch ${JSON.stringify(c.tokens)}`);
    }
  };
  for (const c of cases) {
    const inputs = ids([c.prompt_ids], c.prompt_ids.length, pad);
    const out = await model.generate({ ...inputs, max_new_tokens: c.max_tokens, do_sample: false });
    compare(c, Array.from(out.data.slice(c.prompt_ids.length), Number), 'alone');
  }
  for (let from = 0; from < cases.length; from += 8) {
    const batch = cases.slice(from, from + 8);
    const width = Math.max(...batch.map((c) => c.prompt_ids.length));
    const inputs = ids(batch.map((c) => c.prompt_ids), width, pad);
    const maxNew = Math.max(...batch.map((c) => c.max_tokens));
    const out = await model.generate({ ...inputs, max_new_tokens: maxNew, do_sample: false });
    const total = out.dims[1];
    batch.forEach((c, i) => compare(c, Array.from(out.data.slice(i * total + width, (i + 1) * total), Number), 'batch of 8'));
  }
  await model.dispose();
}
fs.rmSync(work, { recursive: true, force: true });
console.log(JSON.stringify({ checked, failures }));
process.exit(failures === 0 ? 0 : 1);
