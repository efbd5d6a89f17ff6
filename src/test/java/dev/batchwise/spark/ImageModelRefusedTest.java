package dev.batchwise.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.batchwise.run.ExitCodes;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Spark job refuses an image model before it starts a session, and says to run it with batchwise run. */
class ImageModelRefusedTest {

    @TempDir
    Path dir;

    @Test
    void anImageModelIsRefusedWithItsReason() throws Exception {
        Path in = Files.writeString(dir.resolve("pictures.csv"), "image\nphotos/cat.jpg\n");
        StringWriter err = new StringWriter();
        int code = Main.execute(() -> {
            throw new AssertionError("no session is started for a job that is refused");
        }, new PrintWriter(err, true), "run", "--model", "nsfw", in.toString(), "-o", dir.resolve("out").toString());
        assertEquals(ExitCodes.USAGE, code, err::toString);
        assertEquals("model 'nsfw' is an image model, which the Spark job does not run: its executors share one loaded "
                + "text model, and an image model has no shared form yet; run it with batchwise run",
                err.toString().lines().findFirst().orElse("").replaceFirst("^[^:]*: ", ""), err::toString);
    }
}
