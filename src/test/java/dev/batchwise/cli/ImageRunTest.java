package dev.batchwise.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batchwise.run.ExitCodes;
import dev.batchwise.testing.Cli;
import dev.batchwise.testing.Models;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pictures through {@code batchwise run} with the bundled image model: a folder, a quoted glob, one
 * file and a list of paths in; labels keyed by the picture's path out; bad files failing alone, the
 * errors file and {@code --resume} working on pictures; and the messages for a text model given
 * pictures, an image model given text, and a folder with nothing in it.
 */
class ImageRunTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static Cli.Run run(String... args) {
        List<String> all = new ArrayList<>(List.of("run", "--cache-dir", Models.CACHE_DIR.toString()));
        all.addAll(List.of(args));
        return Cli.run(all.toArray(new String[0]));
    }

    /** A folder holding some of the test pictures, as a path relative to the working directory. */
    private Path photos(String... names) throws IOException {
        Path photos = Files.createDirectories(dir.resolve("photos"));
        for (String name : names) {
            try (InputStream in = ImageRunTest.class.getResourceAsStream("/images/nsfw/" + name)) {
                Files.copy(in, photos.resolve(name));
            }
        }
        return Path.of("").toAbsolutePath().relativize(photos);
    }

    private static List<JsonNode> lines(String text) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isEmpty()) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    private static Map<String, JsonNode> byId(List<JsonNode> lines) {
        Map<String, JsonNode> m = new TreeMap<>();
        lines.forEach(l -> m.put(l.get("id").asText(), l));
        return m;
    }

    @Test
    void aFolderIsClassifiedKeyedByPathsWithTheTopKAndBadFilesFailAlone() throws Exception {
        Path photos = photos("horse.png", "bunny.png", "wine.jpg");
        Files.writeString(photos.resolve("notes.jpg"), "not a picture\n");
        Files.writeString(photos.resolve("readme.txt"), "pictures\n");
        Path stats = dir.resolve("stats.json");

        Cli.Run run = run("--model", "nsfw", "--top-k", "2", "--stats-json", stats.toString(), photos + "/");

        assertEquals(ExitCodes.RECORDS_FAILED, run.exitCode(), run::toString);
        List<JsonNode> lines = lines(run.out());
        String p = photos + "/";
        assertEquals(List.of(p + "bunny.png", p + "horse.png", p + "notes.jpg", p + "wine.jpg"),
                lines.stream().map(l -> l.get("id").asText()).toList(), run::toString);
        assertEquals("Drawing", lines.get(1).get("label").asText()); // horse.png, as nsfwjs says
        assertEquals("Sexy", lines.get(3).get("label").asText()); // wine.jpg, as nsfwjs says
        assertEquals(2, lines.get(3).get("top_k").size());
        assertEquals("Sexy", lines.get(3).at("/top_k/0/label").asText());
        assertEquals(p + "notes.jpg: is text, not an image", lines.get(2).at("/error/message").asText());
        assertTrue(run.err().contains(photos + ": passed over 1 file that is not an image by its name (readme.txt)"),
                run::toString);
        JsonNode settings = JSON.readTree(stats.toFile()).get("settings");
        assertEquals("nsfw", settings.get("model").asText(), settings::toString);
        assertEquals("classify", settings.get("task").asText());
        // 64 MiB of 224 x 224 x 3 floats, not the 1024 records that would hold 600 MB of them
        assertEquals((64 << 20) / (224 * 224 * 3 * 4), settings.get("queue_capacity").asInt());
    }

    @Test
    void aQuotedGlobAndASinglePictureAreInputsToo() throws Exception {
        Path photos = photos("horse.png", "bunny.png", "wine.jpg");

        Cli.Run glob = run("--model", "nsfw", photos + "/*.png");
        assertEquals(0, glob.exitCode(), glob::toString);
        assertEquals(List.of(photos + "/bunny.png", photos + "/horse.png"),
                lines(glob.out()).stream().map(l -> l.get("id").asText()).toList());

        Cli.Run one = run("--model", "nsfw", "--task", "embed", photos.resolve("wine.jpg").toString());
        assertEquals(0, one.exitCode(), one::toString);
        JsonNode line = lines(one.out()).get(0);
        assertEquals(photos + "/wine.jpg", line.get("id").asText());
        assertEquals(1280, line.get("embedding").size());
    }

    @Test
    void aListsRelativePathsResolveAgainstItsOwnDirectory() throws Exception {
        photos("horse.png", "wine.jpg");
        Path lists = Files.createDirectories(dir.resolve("lists"));
        Files.writeString(lists.resolve("pics.csv"), "name,path\nh,../photos/horse.png\nw,../photos/wine.jpg\n");
        Files.writeString(lists.resolve("pics.jsonl"), "{\"name\": \"w\", \"file\": \"../photos/wine.jpg\"}\n");

        Cli.Run csv = run("--model", "nsfw", "--input", "image=path", "--id", "name", lists.resolve("pics.csv")
                .toString());
        assertEquals(0, csv.exitCode(), csv::toString);
        List<JsonNode> lines = lines(csv.out());
        assertEquals(List.of("h", "w"), lines.stream().map(l -> l.get("id").asText()).toList());
        assertEquals(List.of("Drawing", "Sexy"), lines.stream().map(l -> l.get("label").asText()).toList());

        Cli.Run jsonl = run("--model", "nsfw", "--input", "image=file", lists.resolve("pics.jsonl").toString());
        assertEquals(0, jsonl.exitCode(), jsonl::toString);
        // without --id, a line is keyed by the picture's path, as the run resolved it
        assertEquals(lists.resolve("../photos/wine.jpg").toString(), lines(jsonl.out()).get(0).get("id").asText());
    }

    @Test
    void aFolderRunAgainFromItsErrorsFileKeepsItsPathsAndIds() throws Exception {
        Path photos = photos("horse.png", "wine.jpg");
        Files.writeString(photos.resolve("broken.png"), "");
        Path errors = Files.createDirectories(dir.resolve("out")).resolve("errors.jsonl");

        Cli.Run first = run("--model", "nsfw", "--errors", errors.toString(), photos.toString());
        assertEquals(ExitCodes.RECORDS_FAILED, first.exitCode(), first::toString);
        assertEquals(1, Files.readAllLines(errors).size());

        try (InputStream in = ImageRunTest.class.getResourceAsStream("/images/nsfw/horse.png")) {
            Files.copy(in, photos.resolve("broken.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Cli.Run again = run("--model", "nsfw", errors.toString());
        assertEquals(0, again.exitCode(), again::toString);
        JsonNode line = lines(again.out()).get(0);
        assertEquals(photos + "/broken.png", line.get("id").asText(), again::toString);
        assertEquals("Drawing", line.get("label").asText());
    }

    @Test
    void aFolderRunStoppedAtItsFirstFailureIsResumed() throws Exception {
        Path photos = photos("bunny.png", "horse.png", "wine.jpg");
        Files.writeString(photos.resolve("cut.jpg"), "");
        Path out = dir.resolve("labels.jsonl");

        Cli.Run first = run("--model", "nsfw", "--on-error", "stop", "--max-batch-size", "1", "-o", out.toString(),
                photos.toString());
        assertEquals(ExitCodes.RECORDS_FAILED, first.exitCode(), first::toString);
        assertTrue(first.err().contains("--resume"), first::toString);

        Cli.Run resumed = run("--model", "nsfw", "--on-error", "stop", "--max-batch-size", "1", "-o",
                out.toString(), "--resume", photos.toString());
        // the failed record stays done, as for any input: its error is in the output
        assertEquals(ExitCodes.RECORDS_FAILED, resumed.exitCode(), resumed::toString);
        assertTrue(resumed.err().contains("2 records are done; running from record 3"), resumed::toString);
        List<JsonNode> lines = lines(Files.readString(out));
        String p = photos + "/";
        assertEquals(List.of(p + "bunny.png", p + "cut.jpg", p + "horse.png", p + "wine.jpg"),
                lines.stream().map(l -> l.get("id").asText()).toList());
        assertEquals(List.of(false, true, false, false), lines.stream().map(l -> l.has("error")).toList());
    }

    @Test
    void anImageModelsDirectoryRunsAsPyTorchRanIt() throws Exception {
        String vit = Path.of("src/test/resources/models/tiny-vit").toString();
        String photo = Path.of("src/test/resources/images/photo.png").toString();
        JsonNode expected = JSON.readTree(Path.of("src/test/resources/models/image-expected.json").toFile())
                .at("/tiny-vit/0/logits");

        Cli.Run classify = run("--model", vit, photo); // its config.json names the classes: classify by default
        assertEquals(0, classify.exitCode(), classify::toString);
        assertEquals("dog", lines(classify.out()).get(0).get("label").asText(), classify::toString);

        Cli.Run raw = run("--model", vit, "--task", "raw", photo);
        assertEquals(0, raw.exitCode(), raw::toString);
        JsonNode output = lines(raw.out()).get(0).get("output");
        assertEquals(expected.size(), output.size(), raw::toString);
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).asDouble(), output.get(i).asDouble(), 2e-5, "logit " + i);
        }

        Cli.Run tokens = run("--model", vit, "--max-length", "32", photo);
        assertEquals(ExitCodes.USAGE, tokens.exitCode(), tokens::toString);
        assertTrue(tokens.err().startsWith("batchwise run: --max-length counts tokens of text; '" + vit + "' is an "
                + "image model"), tokens::toString);
    }

    @Test
    void aTextModelGivenPicturesSaysItNeedsAnImageModel() throws Exception {
        Path photos = photos("horse.png");
        Cli.Run run = run(photos.toString());
        assertEquals(ExitCodes.USAGE, run.exitCode(), run::toString);
        assertEquals("batchwise run: " + photos + " holds pictures, and model 'minilm' is a text model: give an image "
                + "model with --model: nsfw, or a directory holding model.onnx and preprocessor_config.json "
                + "(batchwise models lists the bundled ones)", run.err().lines().findFirst().orElse(""));
    }

    @Test
    void aTextModelGivenAFolderOfDataIsNotToldOfPictures() throws Exception {
        Path tables = Files.createDirectories(dir.resolve("tables"));
        Files.writeString(tables.resolve("reviews.csv"), "text\ngood\n");
        Cli.Run run = run(tables.toString(), tables + "/*.csv");
        assertEquals(ExitCodes.INPUT, run.exitCode(), run::toString);
        assertEquals("batchwise: " + tables + " is a directory; give the files in it, e.g. " + tables.resolve("*.csv"),
                run.err().lines().filter(l -> l.startsWith("batchwise")).findFirst().orElse(""), run::toString);
    }

    @Test
    void anImageModelGivenTextSaysItTakesPictures() {
        Cli.Run run = Cli.runWithStdin("a sentence\n", "run", "--model", "nsfw", "--cache-dir",
                Models.CACHE_DIR.toString());
        assertEquals(ExitCodes.USAGE, run.exitCode(), run::toString);
        assertEquals("batchwise run: <stdin>: unknown column 'image'; its fields are: text; 'nsfw' is an image model: give "
                + "it pictures (a folder, a quoted glob or image files), or read their paths from a column with "
                + "--input image=COLUMN", run.err().lines().findFirst().orElse(""));
    }

    @Test
    void anEmptyFolderSaysItHasNoPictures() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Files.writeString(empty.resolve(".hidden.jpg"), "");
        Cli.Run run = run("--model", "nsfw", empty.toString());
        assertEquals(ExitCodes.INPUT, run.exitCode(), run::toString);
        assertEquals("batchwise: " + empty + " is a directory with no pictures and no other files in it (names "
                + "starting with a dot are passed over)\n", run.err());
    }

    @Test
    void modelsListsEachModelsKind() throws Exception {
        Cli.Run run = Cli.run("models");
        assertTrue(run.out().lines().anyMatch(l -> l.matches("  nsfw +image +nsfwjs's .*")), run::toString);
        assertTrue(run.out().lines().anyMatch(l -> l.matches("  minilm +text +all-MiniLM.*")), run::toString);
        JsonNode models = JSON.readTree(Cli.run("models", "--json").out()).get("models");
        assertTrue(Stream.of(models).flatMap(m -> java.util.stream.StreamSupport.stream(m.spliterator(), false))
                .anyMatch(m -> m.get("name").asText().equals("nsfw") && m.get("kind").asText().equals("image")));
    }

    @Test
    void benchRunsAnImageModelOnAListOfPictures() throws Exception {
        Path photos = photos("horse.png", "wine.jpg");
        Path list = dir.resolve("pictures.csv");
        Files.writeString(list, "image\n" + photos.resolve("horse.png") + "\n" + photos.resolve("wine.jpg") + "\n");
        Path json = dir.resolve("points.json");
        Cli.Run run = Cli.run("bench", "--model", "nsfw", "--cache-dir", Models.CACHE_DIR.toString(), "-b", "2", "-c",
                "2", "--workers", "1", "--max-delay", "0", "--warmup", "0", "--window", "300ms", "--max-windows", "3",
                "--json", json.toString(), list.toString());
        // a point on a busy machine may end unconfirmed: its own exit code, with the figures written all the same
        boolean confirmed = JSON.readTree(run.out().lines().findFirst().orElse("{}")).path("confirmed").asBoolean();
        assertEquals(confirmed ? 0 : ExitCodes.UNCONFIRMED, run.exitCode(), run::toString);
        JsonNode point = JSON.readTree(json.toFile()).at("/points/0");
        assertTrue(point.path("records").asLong() > 0, point::toString);
        assertEquals(0, point.path("failed").asLong(), point::toString);
    }

    @Test
    void benchRefusesAFolderAndSaysToListThePictures() throws Exception {
        Path photos = photos("horse.png");
        Cli.Run run = Cli.run("bench", "--model", "nsfw", photos.toString());
        assertEquals(ExitCodes.USAGE, run.exitCode(), run::toString);
        assertTrue(run.err().contains(photos + ": bench cycles data files, not pictures"), run::toString);
    }
}
