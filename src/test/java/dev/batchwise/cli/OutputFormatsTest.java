package dev.batchwise.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.batchwise.run.ExitCodes;
import dev.batchwise.testing.Cli;
import dev.batchwise.testing.Duck;
import dev.batchwise.testing.NpyFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -o FILE.parquet} and {@code -o FILE.npy} through {@code batchwise run}, read back by DuckDB
 * and by a reader written from numpy's format specification; their resume rules; and an {@code -o}
 * extension that names no format.
 */
class OutputFormatsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    private Path texts() throws Exception {
        return Files.writeString(dir.resolve("in.txt"), "a red car\nthe sky is blue\nsoup\n");
    }

    /** The JSON Lines run's vectors, to compare the other formats' with. */
    private float[][] reference(Path in, String... options) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("run", "-q"));
        args.addAll(List.of(options));
        args.add(in.toString());
        Cli.Run run = Cli.run(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run::toString);
        float[][] v = new float[run.lines().size()][];
        for (int i = 0; i < v.length; i++) {
            JsonNode e = JSON.readTree(run.lines().get(i)).get("embedding");
            v[i] = new float[e.size()];
            for (int d = 0; d < v[i].length; d++) {
                v[i][d] = (float) e.get(d).asDouble();
            }
        }
        return v;
    }

    @Test
    void parquetHoldsTheIdTheKeptColumnsAndTheVectorAsAListOfFloat() throws Exception {
        Path csv = Files.writeString(dir.resolve("in.csv"), "ref,text\nA,a red car\nB,soup\n");
        Path out = dir.resolve("out.parquet");
        Cli.Run run = Cli.run("run", "-q", "--id", "ref", "--keep", "text", "-o", out.toString(), csv.toString());
        assertEquals(0, run.exitCode(), run::toString);
        assertFalse(Files.exists(dir.resolve("out.parquet.partial")));
        float[][] expected = reference(csv, "--id", "ref");
        assertEquals(List.of("id|VARCHAR", "text|VARCHAR", "embedding|FLOAT[]", "error|VARCHAR"),
                Duck.rows("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM '" + out + "')"));
        assertEquals(List.of("A|a red car|384|null", "B|soup|384|null"),
                Duck.rows("SELECT id, text, len(embedding), error FROM '" + out + "' ORDER BY id"));
        for (int row = 0; row < 2; row++) {
            List<String> values = Duck.rows("SELECT unnest(embedding) FROM '" + out + "' WHERE id = '"
                    + (row == 0 ? "A" : "B") + "'");
            for (int d = 0; d < 384; d++) {
                assertEquals(expected[row][d], Float.parseFloat(values.get(d)), "row " + row + " [" + d + "]");
            }
        }
        Path int8 = dir.resolve("int8.parquet");
        Cli.Run quantised = Cli.run("run", "-q", "--embedding-format", "int8", "-o", int8.toString(), csv.toString());
        assertEquals(0, quantised.exitCode(), quantised::toString);
        assertEquals(List.of("embedding|TINYINT[]"), Duck.rows("SELECT column_name, column_type FROM (DESCRIBE SELECT "
                + "embedding FROM '" + int8 + "')"));
    }

    @Test
    void npyIsAFloat32ArrayWithTheIdsBeside() throws Exception {
        Path in = texts();
        Path out = dir.resolve("vectors.npy");
        Cli.Run run = Cli.run("run", "-q", "-o", out.toString(), in.toString());
        assertEquals(0, run.exitCode(), run::toString);
        NpyFile npy = NpyFile.read(out);
        assertEquals("<f4", npy.descr);
        assertArrayEquals(new long[] {3, 384}, npy.shape);
        float[][] expected = reference(in);
        for (int row = 0; row < 3; row++) {
            assertArrayEquals(expected[row], java.util.Arrays.copyOfRange(npy.floats, row * 384, row * 384 + 384));
        }
        assertEquals(List.of("{\"id\":1}", "{\"id\":2}", "{\"id\":3}"),
                Files.readAllLines(dir.resolve("vectors.ids.jsonl")));
        try (var names = Files.list(dir)) {
            assertEquals(List.of("in.txt", "vectors.ids.jsonl", "vectors.npy"),
                    names.map(p -> p.getFileName().toString()).sorted().toList(), "no partial, meta or lock file left");
        }
        Path half = dir.resolve("half.npy");
        assertEquals(0, Cli.run("run", "-q", "--embedding-format", "float16", "-o", half.toString(), in.toString())
                .exitCode());
        assertEquals("<f2", NpyFile.read(half).descr);
    }

    @Test
    void aStoppedNpyRunIsContinuedByResume() throws Exception {
        Path in = Files.writeString(dir.resolve("in.jsonl"), "{\"text\": \"a red car\"}\n{oops\n"
                + "{\"text\": \"soup\"}\n{\"text\": \"the sky is blue\"}\n");
        Path out = dir.resolve("v.npy");
        Cli.Run stopped = Cli.run("run", "-q", "-b", "1", "-w", "1", "--on-error", "stop", "-o", out.toString(),
                in.toString());
        assertEquals(ExitCodes.RECORDS_FAILED, stopped.exitCode(), stopped::toString);
        assertFalse(Files.exists(out), "a stopped run's array must not have the final name");
        assertTrue(Files.exists(dir.resolve("v.npy.partial")), stopped::toString);

        Cli.Run resumed = Cli.run("run", "-q", "-b", "1", "-w", "1", "--resume", "-o", out.toString(), in.toString());
        assertEquals(ExitCodes.RECORDS_FAILED, resumed.exitCode(), resumed::toString);
        NpyFile npy = NpyFile.read(out);
        assertArrayEquals(new long[] {4, 384}, npy.shape);
        assertTrue(Float.isNaN(npy.floats[384]), "the failed record's row is NaN");
        List<String> ids = Files.readAllLines(dir.resolve("v.ids.jsonl"));
        assertEquals(4, ids.size(), ids::toString);
        assertEquals("{\"id\":1}", ids.get(0));
        assertTrue(ids.get(1).startsWith("{\"id\":2,\"error\":"), ids::toString);
        assertEquals(List.of("{\"id\":3}", "{\"id\":4}"), ids.subList(2, 4));
        Path clean = Files.writeString(dir.resolve("clean.txt"), "a red car\nsoup\nthe sky is blue\n");
        float[][] expected = reference(clean);
        int[] rows = {0, 2, 3};
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(expected[i], java.util.Arrays.copyOfRange(npy.floats, rows[i] * 384,
                    rows[i] * 384 + 384), "row " + rows[i]);
        }
    }

    @Test
    void parquetIsNeverContinuedAndAStoppedRunLeavesNoFileUnderTheFinalName() throws Exception {
        Path in = Files.writeString(dir.resolve("in.jsonl"), "{\"text\": \"a\"}\n{oops\n{\"text\": \"c\"}\n");
        Path out = dir.resolve("out.parquet");
        Cli.Run stopped = Cli.run("run", "-b", "1", "-w", "1", "--on-error", "stop", "-o", out.toString(),
                in.toString());
        assertEquals(ExitCodes.RECORDS_FAILED, stopped.exitCode(), stopped::toString);
        assertFalse(Files.exists(out));
        assertTrue(stopped.err().contains("cannot be continued (a Parquet file is complete or nothing): run the same "
                + "command again to start over"), stopped::toString);
        assertFalse(stopped.err().contains("--resume"), stopped::toString);

        Cli.Run resume = Cli.run("run", "-q", "--resume", "-o", out.toString(), in.toString());
        assertEquals(ExitCodes.USAGE, resume.exitCode(), resume::toString);
        assertTrue(resume.err().contains("--resume cannot continue " + out + ": a Parquet file is readable only once "
                + "complete"), resume::toString);
        assertFalse(Files.exists(out));
    }

    @Test
    void anExtensionThatNamesNoFormatIsRefusedUnlessAFormatIsGiven() throws Exception {
        Path in = texts();
        Path typo = dir.resolve("out.parqet");
        Cli.Run run = Cli.run("run", "--fn", "echo", "-o", typo.toString(), in.toString());
        assertEquals(ExitCodes.USAGE, run.exitCode(), run::toString);
        assertTrue(run.err().contains("-o " + typo + ": '.parqet' names no output format (.jsonl, .ndjson, .json, "
                + ".csv, .parquet, .npy); give --output-format to write it anyway"), run::toString);
        assertFalse(Files.exists(typo));

        Cli.Run given = Cli.run("run", "-q", "--fn", "echo", "--output-format", "jsonl", "-o", typo.toString(),
                in.toString());
        assertEquals(0, given.exitCode(), given::toString);
        assertEquals("{\"id\":1,\"text\":\"a red car\"}", Files.readAllLines(typo).get(0));
        Path bare = dir.resolve("out");
        assertEquals(0, Cli.run("run", "-q", "--fn", "echo", "-o", bare.toString(), in.toString()).exitCode());
        assertEquals("{\"id\":1,\"text\":\"a red car\"}", Files.readAllLines(bare).get(0), "no extension: JSON Lines");
    }

    @Test
    void binaryFormatsNeedAFileAndNumbers() throws Exception {
        Path in = texts();
        Cli.Run stdout = Cli.run("run", "--output-format", "npy", in.toString());
        assertEquals(ExitCodes.USAGE, stdout.exitCode(), stdout::toString);
        assertTrue(stdout.err().contains("npy is written to a file: give -o FILE"), stdout::toString);
        Cli.Run base64 = Cli.run("run", "--embedding-format", "base64", "-o", dir.resolve("x.parquet").toString(),
                in.toString());
        assertEquals(ExitCodes.USAGE, base64.exitCode(), base64::toString);
        assertTrue(base64.err().contains("--embedding-format base64 is text, for JSON Lines and CSV"), base64::toString);
        Cli.Run pieces = Cli.run("run", "--chunk", "8", "--chunk-output", "each", "-o", dir.resolve("p.npy").toString(),
                in.toString());
        assertEquals(ExitCodes.USAGE, pieces.exitCode(), pieces::toString);
        assertTrue(pieces.err().contains("--chunk-output each gives each record a list of pieces, and .npy holds one "
                + "vector per record"), pieces::toString);
        Path classifier = dev.batchwise.testing.Models.textModelDir("tiny-classifier-onnx", dir.resolve("m"));
        Path labels = dir.resolve("labels.npy");
        Cli.Run twoOutputs = Cli.run("run", "-m", classifier.toString(), "--task", "classify", "-o", labels.toString(),
                in.toString());
        assertEquals(ExitCodes.USAGE, twoOutputs.exitCode(), twoOutputs::toString);
        assertTrue(twoOutputs.err().contains("-o " + labels + ": .npy holds one vector per record, and the function "
                + "has 2 outputs (label, score); write JSON Lines, CSV or Parquet"), twoOutputs::toString);
        assertFalse(Files.exists(labels));
    }
}
