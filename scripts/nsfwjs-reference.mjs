// Runs nsfwjs on image files in node, for the comparison with batchwise's bundled nsfw model and
// for the throughput comparison. Not run by the tests; docs/images.md says how it was run.
//
// Set up, outside the repository (npm pack needs the registry once; nothing else does):
//   mkdir -p /tmp/nsfwjs-node && cd /tmp/nsfwjs-node && npm init -y
//   npm install nsfwjs@4.4.0 @tensorflow/tfjs@4.22.0 @tensorflow/tfjs-backend-wasm@4.22.0 jpeg-js@0.4.4 pngjs@7.0.0
// Run:
//   NODE_PATH=/tmp/nsfwjs-node/node_modules node scripts/nsfwjs-reference.mjs [options] FILE... > out.json
// Options:
//   --backend cpu|wasm   TensorFlow.js backend (default cpu: plain JavaScript, what the reference
//                        probabilities come from; wasm: XNNPACK with SIMD, the fastest here)
//   --list FILE          read the image paths from FILE, one a line, as well
//   --dump-pixels DIR    also write each image's decoded RGB bytes to DIR/<n>.rgb (to measure
//                        decoder differences)
//   --bench N            time N passes over the images (batch 1, as nsfwjs classifies), after one
//                        warm-up pass, and print images/s with the time in decoding and in the model
//
// Each image goes through what NSFWJS.classify does to a tensor: decode with a pure-JavaScript
// decoder (jpeg-js for JPEG, pngjs for PNG; alpha dropped, as tf.browser.fromPixels drops it),
// tf.tensor3d of the RGB bytes, then NSFWJS.infer: toFloat().div(255), resizeBilinear to 224x224
// with alignCorners=true unless it is 224x224 already, and the model. The output is JSON: the
// versions, and each image's five probabilities in nsfwjs's class order.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const require = createRequire(path.join(process.env.NODE_PATH || process.cwd(), 'x.js'));
const tf = require('@tensorflow/tfjs');
const nsfwjs = require('nsfwjs');
const { MobileNetV2Model } = require('nsfwjs/models/mobilenet_v2');
const jpeg = require('jpeg-js');
const { PNG } = require('pngjs');

const args = process.argv.slice(2);
let backend = 'cpu';
let dump = null;
let bench = 0;
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--backend') backend = args[++i];
  else if (args[i] === '--dump-pixels') dump = args[++i];
  else if (args[i] === '--bench') bench = parseInt(args[++i], 10);
  else if (args[i] === '--list') files.push(...fs.readFileSync(args[++i], 'utf8').split('\n').filter((l) => l.trim()));
  else files.push(args[i]);
}

if (backend === 'wasm') {
  const wasm = require('@tensorflow/tfjs-backend-wasm');
  const dir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  wasm.setWasmPaths(dir + path.sep);
}
await tf.setBackend(backend);
await tf.ready();

function decode(file) {
  const data = fs.readFileSync(file);
  const lower = file.toLowerCase();
  let width;
  let height;
  let rgba;
  if (lower.endsWith('.png')) {
    const png = PNG.sync.read(data);
    ({ width, height } = png);
    rgba = png.data;
  } else if (lower.endsWith('.jpg') || lower.endsWith('.jpeg')) {
    const img = jpeg.decode(data, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: 200, maxMemoryUsageInMB: 2048 });
    ({ width, height } = img);
    rgba = img.data;
  } else {
    throw new Error(`${file}: no pure-JavaScript decoder here`);
  }
  const rgb = new Uint8Array(width * height * 3);
  for (let p = 0, q = 0; p < rgba.length; p += 4, q += 3) {
    rgb[q] = rgba[p];
    rgb[q + 1] = rgba[p + 1];
    rgb[q + 2] = rgba[p + 2];
  }
  return { width, height, rgb };
}

const console_info = console.info;
console.info = () => {};
const model = await nsfwjs.load('MobileNetV2', { modelDefinitions: [MobileNetV2Model] });
console.info = console_info;

async function classify(image) {
  const probabilities = tf.tidy(() => model.infer(tf.tensor3d(image.rgb, [image.height, image.width, 3], 'int32')));
  const p = Array.from(await probabilities.data());
  probabilities.dispose();
  return p;
}

if (bench > 0) {
  for (const f of files) await classify(decode(f)); // warm-up
  let decodeMs = 0;
  let modelMs = 0;
  const start = performance.now();
  for (let pass = 0; pass < bench; pass++) {
    for (const f of files) {
      const t0 = performance.now();
      const image = decode(f);
      const t1 = performance.now();
      await classify(image);
      decodeMs += t1 - t0;
      modelMs += performance.now() - t1;
    }
  }
  const seconds = (performance.now() - start) / 1000;
  const n = bench * files.length;
  console.log(JSON.stringify({ backend, images: n, seconds, images_per_second: n / seconds,
    decode_ms_per_image: decodeMs / n, resize_and_model_ms_per_image: modelMs / n }));
} else {
  const out = { nsfwjs: '4.4.0', tfjs: tf.version.tfjs, backend: tf.getBackend(), decoders: 'jpeg-js 0.4.4, pngjs 7.0.0',
    classes: Object.values(require(path.join(path.dirname(require.resolve('nsfwjs')), 'nsfw_classes.js')).NSFW_CLASSES),
    images: [] };
  for (let i = 0; i < files.length; i++) {
    const image = decode(files[i]);
    if (dump) fs.writeFileSync(path.join(dump, `${i}.rgb`), image.rgb);
    out.images.push({ file: files[i], width: image.width, height: image.height, probabilities: await classify(image) });
  }
  console.log(JSON.stringify(out, null, 1));
}
