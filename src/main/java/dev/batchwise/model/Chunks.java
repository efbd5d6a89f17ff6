package dev.batchwise.model;

import dev.batchwise.result.TextChunk;
import java.util.ArrayList;
import java.util.List;

/** Puts chunked records back together after their pieces ran, one vector per piece, in order. */
final class Chunks {

    private Chunks() {}

    /**
     * @param vectors one per piece, the pieces of record 0 first, then record 1's, and so on
     * @param chunked each record's pieces (every record is chunked when chunking is on)
     * @return one value per record: the mean vector, or the list of its {@link TextChunk}s
     */
    static List<Object> regroup(List<Object> vectors, Chunked[] chunked, EmbedSettings settings) {
        List<Object> out = new ArrayList<>(chunked.length);
        int next = 0;
        boolean each = settings.chunking().output() == Chunking.Output.EACH;
        for (Chunked c : chunked) {
            int n = c.pieces().size();
            if (each) {
                List<TextChunk> pieces = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    pieces.add(new TextChunk(i, c.starts()[i], c.ends()[i], vectors.get(next + i)));
                }
                out.add(pieces);
            } else if (n == 1) {
                out.add(vectors.get(next));
            } else {
                List<float[]> pieces = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    pieces.add((float[]) vectors.get(next + i));
                }
                out.add(Pooler.mean(pieces, settings.normalize()));
            }
            next += n;
        }
        return out;
    }
}
