package dev.batchwise.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.batchwise.generate.DecoderModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The tiny decoders made by scripts/make-test-decoders.py (decoders/NAME on the test class path, large
 * files gzip-compressed), unpacked once per build under target/, and their PyTorch references.
 */
public final class Decoders {

    public static final String GPT2 = "tiny-gpt2";
    public static final String QWEN3 = "tiny-qwen3";
    /** Made by scripts/make-test-llama.py: grouped-query attention with heads 8 wide, which runs in place. */
    public static final String LLAMA = "tiny-llama";
    private static final Path DIR = Path.of("target", "test-decoders").toAbsolutePath();

    /** One reference case: the prompt, its ids from transformers.js's tokenizer, PyTorch's greedy tokens. */
    public record Case(String prompt, int[] promptIds, int maxTokens, int[] tokens, String finishReason) {}

    private Decoders() {}

    /** The model's directory, unpacked. */
    public static synchronized Path dir(String name) {
        Path target = DIR.resolve(name);
        try {
            if (!Files.isRegularFile(target.resolve("model.onnx"))) {
                Files.createDirectories(target);
                for (String f : List.of("config.json", "generation_config.json", "tokenizer_config.json")) {
                    copy("decoders/" + name + "/" + f, target.resolve(f), false);
                }
                copy("decoders/" + name + "/tokenizer.json.gz", target.resolve("tokenizer.json"), true);
                copy("decoders/" + name + "/model.onnx.gz", target.resolve("model.onnx"), true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    public static DecoderModel open(String name) throws Exception {
        return DecoderModel.open(dir(name), Models.cache(), 1);
    }

    private static void copy(String resource, Path to, boolean gunzip) throws IOException {
        try (InputStream raw = Decoders.class.getClassLoader().getResourceAsStream(resource)) {
            if (raw == null) {
                throw new IOException(resource + " is not on the test class path");
            }
            InputStream in = gunzip ? new GZIPInputStream(raw) : raw;
            Path partial = Files.createTempFile(to.getParent(), to.getFileName().toString(), ".partial");
            try (OutputStream out = Files.newOutputStream(partial)) {
                in.transferTo(out);
            }
            Files.move(partial, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    public static List<Case> references(String name) throws IOException {
        JsonNode all;
        try (InputStream in = Decoders.class.getClassLoader().getResourceAsStream("decoders/references.json")) {
            all = JsonMapper.builder().build().readTree(in);
        }
        List<Case> out = new ArrayList<>();
        for (JsonNode c : all.get(name)) {
            out.add(new Case(c.get("prompt").asText(), ints(c.get("prompt_ids")), c.get("max_tokens").asInt(),
                    ints(c.get("tokens")), c.get("finish_reason").asText()));
        }
        return out;
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }
}
