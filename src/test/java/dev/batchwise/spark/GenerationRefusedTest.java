package dev.batchwise.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.run.ExitCodes;
import dev.batchwise.testing.Decoders;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark job refuses a decoder, whose default task is generate, before it starts a session, and
 * says why and what to run instead; so it does a generation option.
 */
class GenerationRefusedTest {

    @TempDir
    Path dir;

    private String refusal(String... args) throws Exception {
        StringWriter err = new StringWriter();
        int code = Main.execute(() -> {
            throw new AssertionError("no session is started for a job that is refused");
        }, new PrintWriter(err, true), args);
        assertEquals(ExitCodes.USAGE, code, err::toString);
        return err.toString().lines().findFirst().orElse("");
    }

    @Test
    void aDecoderIsRefusedWithTheReasonAndWhatToRun() throws Exception {
        Path in = Files.writeString(dir.resolve("prompts.txt"), "Hello\n");
        String line = refusal("run", "--model", Decoders.dir(Decoders.GPT2).toString(), in.toString(), "-o",
                dir.resolve("out").toString());
        assertTrue(line.contains("does not run --task generate"), line);
        assertTrue(line.contains("its position in its partition"), line);
        assertTrue(line.endsWith("use batchwise run --task generate"), line);
    }

    @Test
    void aGenerationOptionIsRefusedWithTheReason() throws Exception {
        Path in = Files.writeString(dir.resolve("prompts.txt"), "Hello\n");
        String line = refusal("run", "--model", Decoders.dir(Decoders.GPT2).toString(), "--max-tokens", "8",
                in.toString(), "-o", dir.resolve("out").toString());
        assertTrue(line.contains("--max-tokens"), line);
        assertTrue(line.contains("change with the partitioning"), line);
    }
}
