package dev.batchwise.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.testing.Cli;
import dev.batchwise.testing.Models;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Models that cannot run: one clear line each, the documented exit code, no stack trace. */
class ModelErrorsTest {

    @TempDir
    static Path dir;

    static Path input;

    @BeforeAll
    static void input() throws Exception {
        input = dir.resolve("in.txt");
        Files.writeString(input, "hello\n");
    }

    private static Cli.Run run(String model) {
        return Cli.run("run", "--model", model, "--cache-dir", Models.CACHE_DIR.toString(), input.toString());
    }

    private static void assertOneCleanLine(Cli.Run run) {
        assertEquals("", run.out());
        assertFalse(run.err().contains("\tat "), run.err());
        assertEquals(1, run.err().lines().filter(l -> l.startsWith("batchwise")).count(), run.err());
    }

    /**
     * A cache directory that cannot be written (here a file is in the way; the same for a directory
     * without permission) is one line with the file system's reason and what to do, exit 5.
     */
    @Test
    void aCacheThatCannotBeWrittenSaysWhyAndWhatToDo() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "");
        Cli.Run run = Cli.run("run", "--cache-dir", file.resolve("cache").toString(), input.toString());
        assertEquals(5, run.exitCode(), run::toString);
        assertTrue(run.err().contains("cannot extract the bundled model 'minilm' into " + file.resolve("cache") + ": "
                + file.resolve("cache/models") + ": Not a directory (choose a writable place with --cache-dir or "
                + "BATCHWISE_CACHE_DIR)"), run::toString);
        assertOneCleanLine(run);
        assertEquals("/x/models: permission denied",
                ModelCache.describe(new java.nio.file.AccessDeniedException("/x/models")));
    }

    @Test
    void aMissingModelPathIsAUsageError() {
        Cli.Run run = run(dir.resolve("no-such-model").toString());
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("not a bundled model and no such file or directory; bundled: minilm, minilm-q"), run.err());
        assertOneCleanLine(run);
    }

    @Test
    void aDirectoryWithoutTokenizerJson() throws Exception {
        Path model = Models.textModelDir("tiny-classifier", dir.resolve("no-tokenizer"));
        Files.delete(model.resolve("tokenizer.json"));
        Cli.Run run = run(model.toString());
        assertEquals(5, run.exitCode(), run::toString);
        assertTrue(run.err().contains("no tokenizer.json beside the model in " + model), run.err());
        assertOneCleanLine(run);
    }

    @Test
    void aDirectoryWithoutAModelFile() throws Exception {
        Path empty = dir.resolve("empty-model");
        Files.createDirectories(empty);
        Cli.Run run = run(empty.toString());
        assertEquals(5, run.exitCode(), run::toString);
        assertTrue(run.err().contains("no model file in " + empty), run.err());
    }

    @Test
    void anOnnxModelWhoseInputsDoNotMatch() throws Exception {
        Path model = Models.textModelDir("image-model", dir.resolve("mismatch"));
        Cli.Run run = run(model.toString());
        assertEquals(5, run.exitCode(), run::toString);
        assertTrue(run.err().contains("takes an input 'pixel_values'"), run.err());
        assertTrue(run.err().contains("batchwise feeds text models input_ids, attention_mask and token_type_ids"),
                run.err());
        assertOneCleanLine(run);
    }

    @Test
    void aTorchScriptModelWhoseInputsDoNotMatch() throws Exception {
        Path model = Models.textModelDir("four-inputs", dir.resolve("four-inputs"));
        Cli.Run run = run(model.toString());
        assertEquals(5, run.exitCode(), run::toString);
        assertTrue(run.err().contains("does not run for embed when fed (input_ids, attention_mask) or (input_ids, "
                + "attention_mask, token_type_ids) or (input_ids) as int64 [batch, tokens]"), run.err());
        assertOneCleanLine(run);
    }

    @Test
    void aCorruptTorchScriptFile() throws Exception {
        Path model = Models.textModelDir("tiny-classifier", dir.resolve("corrupt-pt"));
        Files.write(model.resolve("model.pt"), new byte[] {1, 2, 3});
        Cli.Run run = run(model.toString());
        assertEquals(5, run.exitCode(), run::toString);
        assertTrue(run.err().contains("cannot load " + model.resolve("model.pt") + " on PyTorch"), run.err());
        assertOneCleanLine(run);
    }

    @Test
    void aCorruptOnnxFile() throws Exception {
        Path model = Models.textModelDir("tiny-classifier-onnx", dir.resolve("corrupt"));
        Files.writeString(model.resolve("model.onnx"), "not a model");
        Cli.Run run = run(model.toString());
        assertEquals(5, run.exitCode(), run::toString);
        assertTrue(run.err().contains("cannot load " + model.resolve("model.onnx") + " on OnnxRuntime"), run.err());
        assertOneCleanLine(run);
    }
}
