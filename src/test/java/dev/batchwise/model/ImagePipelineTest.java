package dev.batchwise.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batchwise.image.DecodeLimits;
import dev.batchwise.pipeline.Outcome;
import dev.batchwise.pipeline.Pipeline;
import dev.batchwise.sink.OrderedSink;
import dev.batchwise.testing.Models;
import dev.batchwise.testing.TestPictures;
import dev.batchwise.time.Clock;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A folder of pictures through the whole pipeline with the bundled model: one output line per
 * picture in the folder's order, keyed by its path (the image field as the id column, the
 * default for an image model), and each bad file failing alone, its
 * message naming it, while its batch-mates are classified.
 */
class ImagePipelineTest {

    @TempDir
    Path dir;

    @Test
    void aFolderIsClassifiedInOrderAndBadFilesFailAlone() throws Exception {
        Path photos = Files.createDirectories(dir.resolve("photos"));
        for (String name : List.of("horse.png", "sunset.jpg", "wine.jpg", "bunny.png")) {
            Files.copy(ImageModelTest.resource("images/nsfw/" + name), photos.resolve(name));
        }
        Files.writeString(photos.resolve("notes.jpg"), "not a picture\n");
        Files.createFile(photos.resolve("empty.png"));
        byte[] sunset = Files.readAllBytes(photos.resolve("sunset.jpg"));
        Files.write(photos.resolve("cut.jpg"), java.util.Arrays.copyOf(sunset, sunset.length / 3));
        Files.write(photos.resolve("bomb.png"), TestPictures.pngClaiming(50_000, 50_000));
        Files.writeString(photos.resolve("readme.txt"), "pictures\n");

        try (ImageModel nsfw = ImageModel.open("nsfw", new ModelOptions(Task.CLASSIFY, 0, 1, 1, Models.cache()),
                DecodeLimits.defaults())) {
            var config = dev.batchwise.run.RunSpec.of(b -> {
                b.function.model = "nsfw";
                b.input.files = List.of(photos.toString());
                b.input.idColumn = "image";
                b.batching.maxBatchSize = 3;
                b.batching.queueCapacity = 16;
            }).pipeline(nsfw, 2);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            List<String> warnings = new ArrayList<>();
            Outcome outcome = new Pipeline(config, Clock.SYSTEM, OrderedSink.Listener.none())
                    .readAndRun(InputStream.nullInputStream(), layout -> dev.batchwise.sink.OutputFormat.JSONL.open(out,
                            layout, true), warnings::add, dev.batchwise.pipeline.ResumePoint.START, null,
                            java.util.function.UnaryOperator.identity());
            List<JsonNode> lines = new ArrayList<>();
            for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
                lines.add(new ObjectMapper().readTree(line));
            }
            List<String> keys = lines.stream().map(l -> l.get("id").asText()).toList();
            String p = photos + "/";
            assertEquals(List.of(p + "bomb.png", p + "bunny.png", p + "cut.jpg", p + "empty.png", p + "horse.png",
                    p + "notes.jpg", p + "sunset.jpg", p + "wine.jpg"), keys);
            Map<String, String> errors = new java.util.HashMap<>();
            for (JsonNode l : lines) {
                if (l.has("error")) {
                    errors.put(l.get("id").asText(), l.at("/error/message").asText());
                    assertEquals("bad_input", l.at("/error/code").asText());
                }
            }
            assertEquals(p + "notes.jpg: is text, not an image", errors.get(p + "notes.jpg"));
            assertEquals(p + "empty.png: is empty (0 bytes)", errors.get(p + "empty.png"));
            assertEquals(p + "cut.jpg: is a JPEG image cut short (the file ends inside the image data)",
                    errors.get(p + "cut.jpg"));
            assertTrue(errors.get(p + "bomb.png").endsWith("refused as a possible decompression bomb"),
                    errors.get(p + "bomb.png"));
            assertEquals(4, errors.size());
            assertEquals("Drawing", lines.get(4).get("label").asText()); // horse.png
            assertEquals("Neutral", lines.get(6).get("label").asText()); // sunset.jpg
            assertEquals("Sexy", lines.get(7).get("label").asText()); // wine.jpg, as nsfwjs says too
            assertEquals(8, outcome.stats().records());
            assertEquals(4, outcome.stats().failed());
            assertEquals(List.of(photos + ": passed over 1 file that is not an image by its name (readme.txt)"),
                    warnings);
            assertTrue(outcome.stats().phases().containsKey("decode"), outcome.stats().phases().toString());
        }
    }
}
