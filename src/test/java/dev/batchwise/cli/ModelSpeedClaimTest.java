package dev.batchwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.model.BundledModel;
import dev.batchwise.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How much faster minilm-q is than minilm is said in one wording everywhere it is said: in
 * {@code batchwise models}, in the README and in docs/models.md, as docs/benchmarks.md measured it.
 */
class ModelSpeedClaimTest {

    @Test
    void theModelsListAndThePagesGiveTheMeasuredFigure() throws Exception {
        Cli.Run models = Cli.run("models");
        assertEquals(0, models.exitCode(), models::toString);
        String line = models.out().lines().filter(l -> l.strip().startsWith("minilm-q ")).findFirst().orElseThrow();
        assertTrue(line.contains(BundledModel.MINILM_Q_SPEED), line);
        assertTrue(BundledModel.MINILM_Q_SPEED.contains("1.9x") && BundledModel.MINILM_Q_SPEED.contains("VNNI")
                && BundledModel.MINILM_Q_SPEED.contains("1.3-1.5x"), BundledModel.MINILM_Q_SPEED);
        for (String page : List.of("README.md", "docs/models.md", "docs/benchmarks.md")) {
            String text = Files.readString(Path.of(page)).replaceAll("\\s+", " ");
            assertTrue(text.contains(BundledModel.MINILM_Q_SPEED), page + " says: " + BundledModel.MINILM_Q_SPEED);
        }
    }

    @Test
    void noPageGivesAnotherFigure() throws Exception {
        List<String> others = new ArrayList<>();
        List<Path> pages = new ArrayList<>(DocsExamplesTest.pages());
        for (Path page : pages) {
            String text = Files.readString(page).replaceAll("\\s+", " ");
            for (String other : List.of("about 2x faster", "2x faster", "faster (1.3x")) {
                if (text.contains(other)) {
                    others.add(page + ": " + other);
                }
            }
        }
        assertEquals(List.of(), others);
    }
}
