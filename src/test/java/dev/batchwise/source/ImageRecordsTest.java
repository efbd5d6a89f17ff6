package dev.batchwise.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image records: one per image file of a directory, a glob or a single file; and columns of paths. */
class ImageRecordsTest {

    @TempDir
    Path dir;

    private Path touch(String relative) throws IOException {
        Path p = dir.resolve(relative);
        Files.createDirectories(p.getParent());
        return Files.write(p, new byte[] {1});
    }

    /** The records of the inputs, each as "image@source:line", and the warnings. */
    private static List<String> read(List<String> warnings, String... inputs) throws Exception {
        List<Input> in = new ArrayList<>();
        for (String name : inputs) {
            in.add(Input.of(name));
        }
        List<String> out = new ArrayList<>();
        try (RecordSource source = new RecordSource(in, null, ReaderOptions.defaults(), InputStream.nullInputStream(),
                warnings::add)) {
            for (RecordSource.InputInfo info : source.prepare()) {
                assertEquals(List.of("image"), info.columns());
            }
            for (Record r = source.next(); r != null; r = source.next()) {
                out.add(r.fields().get("image") + "@" + r.origin());
            }
        }
        return out;
    }

    @Test
    void aDirectoryGivesItsImagesInNameOrderDepthFirstAndNamesWhatItPassedOver() throws Exception {
        touch("photos/b.png");
        touch("photos/a.JPG");
        touch("photos/2020/z.webp");
        touch("photos/2020/notes.txt");
        touch("photos/c.gif");
        touch("photos/.thumbs/x.jpg");
        touch("photos/.DS_Store");
        touch("photos/README");
        String photos = dir.resolve("photos").toString();
        List<String> warnings = new ArrayList<>();
        assertEquals(List.of(photos + "/2020/z.webp@" + photos + ":1", photos + "/a.JPG@" + photos + ":2",
                photos + "/b.png@" + photos + ":3", photos + "/c.gif@" + photos + ":4"), read(warnings, photos));
        assertEquals(List.of(photos + ": passed over 2 files that are not images by their names (notes.txt, README)"),
                warnings);
        // the same order again, so that a run can be resumed
        assertEquals(paths(read(new ArrayList<>(), photos)), paths(read(new ArrayList<>(), photos + "/")));
    }

    private static List<String> paths(List<String> records) {
        return records.stream().map(s -> s.substring(0, s.indexOf('@'))).toList();
    }

    @Test
    void aGlobGivesTheImagesItMatches() throws Exception {
        touch("shots/a.jpg");
        touch("shots/b.png");
        touch("shots/deep/c.jpg");
        touch("shots/deep/deeper/d.jpg");
        String shots = dir.resolve("shots").toString();
        assertEquals(List.of(shots + "/a.jpg@" + shots + "/*.jpg:1"), read(new ArrayList<>(), shots + "/*.jpg"));
        assertEquals(List.of(shots + "/deep/c.jpg", shots + "/deep/deeper/d.jpg"),
                read(new ArrayList<>(), shots + "/**.jpg").stream().map(s -> s.substring(0, s.indexOf('@')))
                        .filter(s -> s.contains("/deep/")).toList());
        assertEquals(List.of(shots + "/a.jpg", shots + "/b.png"), read(new ArrayList<>(), shots + "/*.{jpg,png}")
                .stream().map(s -> s.substring(0, s.indexOf('@'))).toList());
    }

    @Test
    void aGlobThatMatchesNoImageSaysSo() throws Exception {
        touch("data/a.csv");
        touch("data/b.csv");
        String pattern = dir.resolve("data") + "/*.csv";
        InputException e = assertThrows(InputException.class, () -> read(new ArrayList<>(), pattern));
        assertEquals(pattern + ": no image file matches; it matches 2 files that are not images by their names "
                + "(a.csv, b.csv)", e.getMessage());
        String none = dir.resolve("data") + "/*.jpg";
        assertEquals(none + ": no image file matches",
                assertThrows(InputException.class, () -> read(new ArrayList<>(), none)).getMessage());
    }

    @Test
    void oneImageFileIsOneRecord() throws Exception {
        String photo = touch("one/photo.jpeg").toString();
        assertEquals(List.of(photo + "@" + photo + ":1"), read(new ArrayList<>(), photo));
    }

    @Test
    void theRunLayerCanTellImageInputsFromData() throws Exception {
        touch("mixed/a.jpg");
        Path csv = touch("mixed/list.csv");
        assertEquals(true, ImageRecords.isImageInput(Input.of(dir.resolve("mixed").toString())));
        assertEquals(true, ImageRecords.isImageInput(Input.of(dir.resolve("mixed/a.jpg").toString())));
        assertEquals(true, ImageRecords.isImageInput(Input.of(dir.resolve("mixed") + "/*.jpg")));
        assertEquals(false, ImageRecords.isImageInput(Input.of(csv.toString())));
        assertEquals(false, ImageRecords.isImageInput(Input.of(dir.resolve("missing.csv").toString())));
        assertEquals(false, ImageRecords.isImageInput(Input.stdin()));
        assertEquals("image", ImageRecords.FIELD);
    }

    @Test
    void aDirectoryWithoutImagesIsStillRefusedAsADirectory() throws Exception {
        touch("tables/a.csv");
        Path tables = dir.resolve("tables");
        InputException e = assertThrows(InputException.class, () -> read(new ArrayList<>(), tables.toString()));
        assertEquals(tables + " is a directory; give the files in it, e.g. " + tables.resolve("*.csv"), e.getMessage());
    }

    private static List<Object> resolve(String column, RecordStream records) throws Exception {
        List<Object> out = new ArrayList<>();
        RelativePaths paths = new RelativePaths(records, column);
        for (Record r = paths.next(); r != null; r = paths.next()) {
            out.add(r.isBad() ? "bad" : r.fields().get(column));
        }
        return out;
    }

    private static RecordSource source(Input... inputs) throws Exception {
        RecordSource s = new RecordSource(List.of(inputs), null, ReaderOptions.defaults(),
                new ByteArrayInputStream("{\"path\": \"rel/c.png\"}\n".getBytes(StandardCharsets.UTF_8)), w -> { });
        s.prepare();
        return s;
    }

    @Test
    void relativePathsInAColumnResolveAgainstTheInputFilesDirectory() throws Exception {
        Path list = Files.writeString(Files.createDirectories(dir.resolve("lists")).resolve("list.csv"),
                "id,path\n1,img/a.jpg\n2,/abs/b.jpg\n3,\n4,../up.png\n");
        Path jsonl = Files.writeString(dir.resolve("lists/more.jsonl"),
                "{\"path\": \"img/d.jpg\"}\n{\"path\": 7}\n");
        String lists = dir.resolve("lists").toString();
        List<Object> got = resolve("path", source(new Input(list.toString(), list), new Input(jsonl.toString(), jsonl),
                Input.stdin()));
        assertEquals(lists + "/img/a.jpg", got.get(0));
        assertEquals("/abs/b.jpg", got.get(1));
        assertEquals("", got.get(2));
        assertEquals(lists + "/../up.png", got.get(3));
        assertEquals(lists + "/img/d.jpg", got.get(4));
        assertEquals(7, ((JsonNode) got.get(5)).intValue()); // not text: the binding says what is wrong with it
        assertEquals("rel/c.png", ((JsonNode) got.get(6)).textValue()); // standard input: from the working directory
    }

    @Test
    void aFileInTheWorkingDirectoryKeepsItsPathsAndImageListingsAreLeftAlone() throws Exception {
        touch("photos/a.jpg");
        String photos = dir.resolve("photos").toString();
        assertEquals(List.of(photos + "/a.jpg"), resolve("image", source(Input.of(photos))));
        Path here = Path.of("target", "relative-paths-" + ProcessHandle.current().pid() + ".csv");
        try {
            Files.writeString(here, "image\nimg/a.jpg\n");
            // target/x.csv: resolved against target
            assertEquals(List.of("target/img/a.jpg"), resolve("image", source(new Input(here.toString(), here))));
            Path bare = Path.of("relative-paths-" + ProcessHandle.current().pid() + ".csv");
            Files.move(here, bare);
            try {
                assertEquals(List.of("img/a.jpg"), resolve("image", source(new Input(bare.toString(), bare))));
            } finally {
                Files.deleteIfExists(bare);
            }
        } finally {
            Files.deleteIfExists(here);
        }
    }
}
