// transformers.js on the benchmark decoder and workload that GenerationBench wrote (its workloadOut):
// the same ONNX file, prompts and lengths, with its batched greedy generate in batches of the same max
// batch size, taken in input order (static batching: a batch runs to its longest max_tokens; only each
// record's own max_tokens count as output). Prints JSON. Run by scripts/bench-generation.
//
//   node scripts/bench-transformersjs.mjs MODEL_DIR WORKLOAD_JSON BATCH THREADS [BATCH1_PROMPTS]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AutoModelForCausalLM, Tensor, env } from '@huggingface/transformers';

const [modelDir, workloadFile, batchArg, threadsArg, b1Arg] = process.argv.slice(2);
const batch = Number(batchArg);
const workload = JSON.parse(fs.readFileSync(workloadFile, 'utf8'));
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-decoder-'));
const name = 'model';
fs.mkdirSync(path.join(work, name, 'onnx'), { recursive: true });
for (const f of ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json']) {
  fs.symlinkSync(path.join(modelDir, f), path.join(work, name, f));
}
fs.symlinkSync(path.join(modelDir, 'model.onnx'), path.join(work, name, 'onnx', 'model.onnx'));
env.allowRemoteModels = false;
env.localModelPath = work + '/';
const model = await AutoModelForCausalLM.from_pretrained(name, {
  dtype: 'fp32', session_options: { intraOpNumThreads: Number(threadsArg), interOpNumThreads: 1 },
});

function inputs(rows) {
  const width = Math.max(...rows.map((r) => r.length));
  const ids = new BigInt64Array(rows.length * width);
  const mask = new BigInt64Array(rows.length * width);
  rows.forEach((r, i) => r.forEach((t, j) => {
    ids[i * width + width - r.length + j] = BigInt(t);
    mask[i * width + width - r.length + j] = 1n;
  }));
  return { input_ids: new Tensor('int64', ids, [rows.length, width]), attention_mask: new Tensor('int64', mask, [rows.length, width]) };
}

async function run(indices, size) {
  const latency = [];
  let tokens = 0;
  const start = performance.now();
  for (let from = 0; from < indices.length; from += size) {
    const part = indices.slice(from, from + size);
    const maxNew = Math.max(...part.map((i) => workload.max_tokens[i]));
    await model.generate({ ...inputs(part.map((i) => workload.prompt_ids[i])), max_new_tokens: maxNew, min_new_tokens: maxNew, do_sample: false });
    const done = (performance.now() - start) / 1000;
    for (const i of part) {
      latency.push(done);
      tokens += workload.max_tokens[i];
    }
  }
  const seconds = (performance.now() - start) / 1000;
  latency.sort((a, b) => a - b);
  const pick = (q) => latency[Math.min(latency.length - 1, Math.ceil(q * (latency.length - 1)))];
  return { max_batch_size: size, records: indices.length, output_tokens: tokens, seconds: +seconds.toFixed(3),
    output_tokens_per_s: +(tokens / seconds).toFixed(3), latency_p50_s: +pick(0.5).toFixed(3), latency_p99_s: +pick(0.99).toFixed(3) };
}

await run([0], 1); // warm-up
const all = workload.prompt_ids.map((_, i) => i);
const out = { batch_1: await run(all.slice(0, Number(b1Arg ?? 8)), 1), static: await run(all, batch) };
await model.dispose();
fs.rmSync(work, { recursive: true, force: true });
console.log(JSON.stringify(out, null, 2));
