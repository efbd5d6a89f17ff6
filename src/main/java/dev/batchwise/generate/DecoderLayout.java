package dev.batchwise.generate;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.batchwise.model.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a decoder export in Hugging Face Optimum's {@code text-generation-with-past} layout says about
 * itself, read from its own files and checked against each other, never guessed:
 * {@code config.json} (layers, heads, key/value heads, head size, vocabulary, positions),
 * {@code generation_config.json} (stop tokens) and the graph's inputs and outputs
 * ({@code input_ids}, {@code attention_mask}, {@code position_ids} when declared,
 * {@code past_key_values.N.key/value} in; {@code logits}, {@code present.N.key/value} out).
 *
 * @param layers transformer layers: one past key and value input, and one present key and value
 *     output, each
 * @param heads query heads
 * @param kvHeads key/value heads (grouped-query attention has fewer than query heads)
 * @param headDim the size of one head; a cache tensor is [batch, kvHeads, tokens, headDim] float32
 * @param vocab the logits' last dimension
 * @param maxPositions the longest sequence, prompt and generated tokens together
 * @param eosIds the stop tokens: generation_config.json's {@code eos_token_id} (a number or a list),
 *     else config.json's
 * @param positionIds whether the graph takes {@code position_ids}
 * @param useCacheBranch whether the graph takes {@code use_cache_branch} (older merged exports)
 * @param padId the id fed at padded positions (masked, so any valid id): {@code pad_token_id}, else
 *     the first stop token, else 0
 */
public record DecoderLayout(String modelType, int layers, int heads, int kvHeads, int headDim, int vocab, int maxPositions,
        Set<Integer> eosIds, boolean positionIds, boolean useCacheBranch, int padId) {

    static final String IDS = "input_ids";
    static final String MASK = "attention_mask";
    static final String POSITIONS = "position_ids";
    static final String CACHE_BRANCH = "use_cache_branch";
    static final String LOGITS = "logits";

    public DecoderLayout {
        eosIds = Set.copyOf(eosIds);
    }

    static String past(int layer, boolean value) {
        return "past_key_values." + layer + (value ? ".value" : ".key");
    }

    static String present(int layer, boolean value) {
        return "present." + layer + (value ? ".value" : ".key");
    }

    /** Bytes of KV cache one token takes: every layer's key and value. */
    public long kvBytesPerToken() {
        return 2L * layers * kvHeads * headDim * Float.BYTES;
    }

    /**
     * Reads the layout of the model in {@code dir} and checks it against the graph's declared inputs
     * and outputs.
     *
     * @throws ModelLoadException naming the file and what is wrong or missing
     */
    public static DecoderLayout read(Path dir, Map<String, NodeInfo> inputs, Map<String, NodeInfo> outputs)
            throws ModelLoadException {
        JsonNode config = json(dir.resolve("config.json"), true);
        JsonNode generation = json(dir.resolve("generation_config.json"), false);
        String type = config.path("model_type").asText("");
        int layers = positive(config, dir, "num_hidden_layers", "n_layer", "num_layers");
        int heads = positive(config, dir, "num_attention_heads", "n_head", "num_heads");
        int kvHeads = config.has("num_key_value_heads") ? positive(config, dir, "num_key_value_heads") : heads;
        int headDim;
        if (config.hasNonNull("head_dim")) {
            headDim = positive(config, dir, "head_dim");
        } else {
            int hidden = positive(config, dir, "hidden_size", "n_embd", "d_model");
            if (hidden % heads != 0) {
                throw new ModelLoadException(dir.resolve("config.json") + ": the hidden size " + hidden
                        + " is not a multiple of the " + heads + " attention heads, and there is no head_dim");
            }
            headDim = hidden / heads;
        }
        int vocab = positive(config, dir, "vocab_size");
        int maxPositions = positive(config, dir, "max_position_embeddings", "n_positions", "n_ctx");
        Set<Integer> eos = ids(generation != null && generation.has("eos_token_id") ? generation.get("eos_token_id")
                : config.get("eos_token_id"));
        JsonNode pad = generation != null && generation.hasNonNull("pad_token_id") ? generation.get("pad_token_id")
                : config.get("pad_token_id");
        int padId = pad != null && pad.canConvertToInt() ? pad.asInt() : eos.isEmpty() ? 0 : eos.iterator().next();
        if (padId < 0 || padId >= vocab) {
            padId = 0; // a stop token past the vocabulary (it is never generated) cannot be fed
        }

        String graph = dir.resolve("model.onnx") + ": ";
        for (String required : List.of(IDS, MASK)) {
            if (!inputs.containsKey(required)) {
                throw new ModelLoadException(graph + "no input '" + required + "'; a decoder exported by Optimum with "
                        + "--task text-generation-with-past takes input_ids, attention_mask and past_key_values.N.key/value");
            }
        }
        if (!outputs.containsKey(LOGITS)) {
            throw new ModelLoadException(graph + "no output 'logits'");
        }
        Set<String> expectedIn = new LinkedHashSet<>(List.of(IDS, MASK, POSITIONS, CACHE_BRANCH));
        Set<String> expectedOut = new LinkedHashSet<>(List.of(LOGITS));
        for (int l = 0; l < layers; l++) {
            for (boolean v : new boolean[] {false, true}) {
                checkCache(graph, inputs, past(l, v), kvHeads, headDim, "config.json");
                checkCache(graph, outputs, present(l, v), kvHeads, headDim, "config.json");
                expectedIn.add(past(l, v));
                expectedOut.add(present(l, v));
            }
        }
        List<String> unknown = new ArrayList<>();
        for (String name : inputs.keySet()) {
            if (!expectedIn.contains(name)) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            throw new ModelLoadException(graph + "inputs " + unknown + " are not in Optimum's decoder layout for "
                    + layers + " layers (config.json); batchwise feeds input_ids, attention_mask, position_ids and "
                    + "past_key_values.0-" + (layers - 1) + ".key/value");
        }
        long[] logits = ((TensorInfo) outputs.get(LOGITS).getInfo()).getShape();
        if (logits.length != 3 || (logits[2] > 0 && logits[2] != vocab)) {
            throw new ModelLoadException(graph + "logits have shape " + java.util.Arrays.toString(logits)
                    + "; expected [batch, tokens, " + vocab + "] (vocab_size in config.json)");
        }
        return new DecoderLayout(type, layers, heads, kvHeads, headDim, vocab, maxPositions, eos,
                inputs.containsKey(POSITIONS), inputs.containsKey(CACHE_BRANCH), padId);
    }

    private static void checkCache(String graph, Map<String, NodeInfo> nodes, String name, int kvHeads, int headDim,
            String config) throws ModelLoadException {
        NodeInfo info = nodes.get(name);
        if (info == null) {
            throw new ModelLoadException(graph + "no '" + name + "', which the " + config
                    + " layer count calls for (is this an export with past, --task text-generation-with-past?)");
        }
        long[] shape = ((TensorInfo) info.getInfo()).getShape();
        if (shape.length != 4 || (shape[1] > 0 && shape[1] != kvHeads) || (shape[3] > 0 && shape[3] != headDim)) {
            throw new ModelLoadException(graph + "'" + name + "' has shape " + java.util.Arrays.toString(shape)
                    + "; " + config + " says [batch, " + kvHeads + " key/value heads, tokens, " + headDim + "]");
        }
    }

    private static Set<Integer> ids(JsonNode node) {
        Set<Integer> out = new LinkedHashSet<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (node.isArray()) {
            node.forEach(n -> out.add(n.asInt()));
        } else {
            out.add(node.asInt());
        }
        return out;
    }

    private static int positive(JsonNode config, Path dir, String... keys) throws ModelLoadException {
        for (String key : keys) {
            JsonNode n = config.get(key);
            if (n != null && !n.isNull()) {
                if (!n.canConvertToInt() || n.asInt() < 1) {
                    throw new ModelLoadException(dir.resolve("config.json") + ": " + key + " is " + n
                            + "; expected a positive whole number");
                }
                return n.asInt();
            }
        }
        throw new ModelLoadException(dir.resolve("config.json") + ": no " + String.join(" or ", keys));
    }

    static JsonNode json(Path file, boolean required) throws ModelLoadException {
        if (!Files.isRegularFile(file)) {
            if (required) {
                throw new ModelLoadException("no " + file.getFileName() + " in " + file.getParent()
                        + "; a decoder export has config.json, generation_config.json, tokenizer.json and "
                        + "tokenizer_config.json beside model.onnx");
            }
            return null;
        }
        try {
            JsonNode n = JsonMapper.builder().build().readTree(file.toFile());
            if (n == null || !n.isObject()) {
                throw new ModelLoadException(file + ": expected a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new ModelLoadException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
