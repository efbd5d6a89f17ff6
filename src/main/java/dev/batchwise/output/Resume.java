package dev.batchwise.output;

import dev.batchwise.util.Errors;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchwise.pipeline.ResumePoint;
import dev.batchwise.sink.OutputFormat;
import dev.batchwise.source.Input;
import dev.batchwise.util.Human;
import dev.batchwise.util.Phrase;
import dev.batchwise.pipeline.ResumeException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * {@code --resume}: whether {@code FILE.partial} was left by the same command on the same inputs, and
 * where to continue it.
 *
 * <p>Every run with {@code -o FILE} writes {@code FILE.partial.meta} before its first output byte: the
 * options that shape output lines, and for each input its name, size, modification time and SHA-256
 * of its first and last 64 KiB (a folder or glob of pictures only as such: the pictures' paths, its
 * records' keys, check it). A resumed run computes the same and refuses to continue unless they are
 * equal; then it counts the complete records in {@code FILE.partial} (dropping a last line cut off by a
 * crash), checks that the key of the last one is the key of that record in the input, and skips that
 * many records. What that guarantees, and what not, is in docs/failures.md.
 */
final class Resume {

    /** How much of each end of an input is hashed. */
    static final int HASHED_BYTES = 64 * 1024;

    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private Resume() {}

    static Path metaOf(Path partial) {
        return partial.resolveSibling(partial.getFileName() + ".meta");
    }

    /**
     * The fingerprint of a run.
     *
     * @param settings the options that shape output lines, by option name
     */
    static ObjectNode fingerprint(Map<String, Object> settings, List<Input> inputs) {
        ObjectNode root = JSON.createObjectNode();
        root.put("batchwise_resume", 1);
        root.set("settings", JSON.valueToTree(settings));
        ArrayNode in = root.putArray("inputs");
        for (Input input : inputs) {
            ObjectNode o = in.addObject();
            o.put("name", input.name());
            Path p = input.path();
            if (dev.batchwise.source.ImageRecords.isImageInput(input) && !Files.isRegularFile(p)) {
                // a folder or a glob of pictures: read in a stable order and keyed by path, so the last
                // record's key checks it; the pictures themselves may be fixed between the runs
                o.put("pictures", true);
                continue;
            }
            if (input.isStdin() || !Files.isRegularFile(p)) {
                // a pipe (<(zcat ...)) must not be read here: what is read is gone for the run
                o.put("regular_file", false);
                continue;
            }
            try {
                long size = Files.size(p);
                o.put("size", size);
                o.put("modified_ms", Files.getLastModifiedTime(p).toMillis());
                o.put("head_sha256", sha256(p, 0, Math.min(size, HASHED_BYTES)));
                o.put("tail_sha256", sha256(p, Math.max(0, size - HASHED_BYTES), size));
            } catch (IOException e) {
                o.put("readable", false); // the run's own check of its inputs says so, in its words
            }
        }
        return root;
    }

    /**
     * Writes {@code FILE.partial.meta} afresh with exclusive creation: whatever is at its name (an
     * earlier one, a planted link) is removed first, the link itself and not what it points to.
     */
    static void writeMeta(Path partial, ObjectNode fingerprint) throws IOException {
        Path meta = metaOf(partial);
        try {
            Files.deleteIfExists(meta);
            try (java.io.OutputStream out = Files.newOutputStream(meta, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                JSON.writeValue(out, fingerprint);
            }
        } catch (IOException e) {
            throw new IOException("cannot write " + meta + ": " + Errors.describe(e), e);
        }
    }

    /**
     * Checks {@code FILE.partial} against this run and trims what a crash left half-written: a last
     * output line without its line end, and lines of the errors file past the last record kept.
     *
     * @param errors the {@code --errors} file, or {@code null}
     * @return where to continue
     * @throws ResumeException when it cannot be continued, saying why
     */
    static ResumePoint prepare(Path partial, ObjectNode fingerprint, OutputFormat format, Path errors)
            throws ResumeException {
        return prepare(partial, partial, fingerprint, format, errors);
    }

    /**
     * {@link #prepare(Path, ObjectNode, OutputFormat, Path)} for an output whose records' lines are in
     * another file than {@code partial} (.npy's ids file), as JSON Lines.
     *
     * @param lines the partial file of the output lines: {@code partial}, or the ids file's
     */
    static ResumePoint prepare(Path partial, Path lines, ObjectNode fingerprint, OutputFormat format, Path errors)
            throws ResumeException {
        Path meta = metaOf(partial);
        OutputFormat linesFormat = format == OutputFormat.NPY ? OutputFormat.JSONL : format;
        for (Path p : new Path[] {partial, meta, lines}) {
            if (Files.isSymbolicLink(p) || Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                    && !Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw cannot(partial, p + " is not a regular file (a symbolic link is never followed), so no run of "
                        + "batchwise wrote it");
            }
        }
        if (linkCount(partial) > 1 || linkCount(lines) > 1) {
            throw cannot(partial, partial + " has other hard links, so continuing it would write into another file "
                    + "too; no run of batchwise made it so");
        }
        if (!Files.exists(meta)) {
            throw cannot(partial, meta + " is missing, so its inputs and options cannot be checked");
        }
        JsonNode earlier;
        try {
            earlier = JSON.readTree(meta.toFile());
        } catch (IOException e) {
            throw cannot(partial, meta + " cannot be read: " + Errors.describe(e));
        }
        String difference;
        try {
            // through JSON text, as the earlier one went, so that numbers compare alike
            difference = difference(earlier, JSON.readTree(JSON.writeValueAsBytes(fingerprint)));
        } catch (IOException e) {
            throw new IllegalStateException("a fingerprint is plain JSON", e);
        }
        if (difference != null) {
            throw cannot(partial, difference);
        }
        PartialOutput done;
        long failedDone;
        try {
            done = PartialOutput.scan(lines, linesFormat);
            truncate(lines, done.validBytes(), java.nio.file.LinkOption.NOFOLLOW_LINKS);
            failedDone = PartialOutput.failedRecords(lines, linesFormat);
            if (errors != null && Files.exists(errors)) {
                truncate(errors, PartialOutput.errorsUpTo(errors, failedDone));
            }
        } catch (IOException e) {
            throw cannot(partial, Errors.describe(e));
        }
        long n = done.records();
        return new ResumePoint(n, partial.toString(), (seq, key) -> {
            String keyText;
            try {
                keyText = format.keyText(key);
            } catch (IOException e) {
                return cannot(partial, "the key of record " + Human.number(seq) + " cannot be written: "
                        + Errors.describe(e)).phrase();
            }
            if (keyText.equals(done.lastKey())) {
                return null;
            }
            return cannot(partial, "its last record, " + Human.number(n) + ", has id " + done.lastKey() + ", but record "
                    + Human.number(seq) + " of the input has id " + keyText + ": the input is not the one it was "
                    + "written from").phrase();
        }, failedDone);
    }

    /** {@code cannot resume PARTIAL: WHY; run without --resume to start over}. */
    private static ResumeException cannot(Path partial, String why) {
        return new ResumeException(Phrase.of("cannot resume %s: %s; run without {resume} to start over", partial, why));
    }

    /** What differs between an earlier fingerprint and this one, for the user, or {@code null}. */
    static String difference(JsonNode earlier, JsonNode now) {
        JsonNode was = earlier.path("settings");
        JsonNode is = now.path("settings");
        for (Iterator<String> names = is.fieldNames(); names.hasNext();) {
            String option = names.next();
            if (!was.path(option).equals(is.path(option))) {
                return "it was written with " + option + " " + text(was.path(option)) + ", this run has "
                        + text(is.path(option));
            }
        }
        for (Iterator<String> names = was.fieldNames(); names.hasNext();) {
            String option = names.next(); // one the earlier run had and this one lacks
            if (!is.has(option)) {
                return "it was written with " + option + " " + text(was.path(option)) + ", this run has (not set)";
            }
        }
        JsonNode before = earlier.path("inputs");
        JsonNode after = now.path("inputs");
        if (before.size() != after.size()) {
            return "it was written from " + before.size() + " inputs, this run has " + after.size();
        }
        for (int i = 0; i < after.size(); i++) {
            JsonNode b = before.get(i);
            JsonNode a = after.get(i);
            String name = a.path("name").asText();
            if (!b.path("name").equals(a.path("name"))) {
                return "input " + (i + 1) + " was " + b.path("name").asText() + ", this run has " + name;
            }
            if (a.has("pictures") && b.has("pictures")) {
                continue;
            }
            if (a.has("regular_file") || b.has("regular_file") || a.has("readable") || b.has("readable")) {
                return name + " is not a readable regular file, so it cannot be checked to be the same";
            }
            if (!b.path("size").equals(a.path("size"))) {
                return name + " has changed since (" + b.path("size").asText() + " bytes then, " + a.path("size").asText()
                        + " now)";
            }
            if (!b.path("head_sha256").equals(a.path("head_sha256")) || !b.path("tail_sha256").equals(a.path("tail_sha256"))) {
                return name + " has changed since (other content)";
            }
            if (!b.path("modified_ms").equals(a.path("modified_ms"))) {
                return name + " has changed since (modified at another time)";
            }
        }
        return null;
    }

    /** How many names the file has (hard links), or 1 where the file system does not say. */
    private static int linkCount(Path p) {
        try {
            return Files.getAttribute(p, "unix:nlink", java.nio.file.LinkOption.NOFOLLOW_LINKS) instanceof Integer n ? n : 1;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return 1;
        }
    }

    private static String text(JsonNode v) {
        return v.isMissingNode() ? "(not set)" : v.isNull() ? "(none)" : v.isTextual() ? v.asText() : v.toString();
    }

    /** Cuts {@code file} to {@code length}; through a link only for a path the user named ({@code --errors}). */
    private static void truncate(Path file, long length, java.nio.file.OpenOption... options) throws IOException {
        java.util.Set<java.nio.file.OpenOption> open = new java.util.HashSet<>(List.of(options));
        open.add(StandardOpenOption.WRITE);
        try (FileChannel ch = FileChannel.open(file, open)) {
            if (ch.size() > length) {
                ch.truncate(length);
            }
        }
    }

    private static String sha256(Path p, long from, long to) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
        try (InputStream in = Files.newInputStream(p)) {
            in.skipNBytes(from);
            digest.update(in.readNBytes((int) (to - from)));
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
