package dev.batchwise.image;

/**
 * What decoding may cost for one image.
 *
 * @param maxPixels an image whose header claims more pixels than this (width x height, before any
 *     subsampling) is refused before any pixel is decoded, as a possible decompression bomb
 * @param fullDecodePixels the most pixels decoded at full resolution; the part of an image that
 *     preprocessing needs is decoded with source subsampling (every n-th pixel, n per axis) when it
 *     holds more, never below the size preprocessing resizes it to. Memory for one image in decoding
 *     is then at most about 7 bytes per pixel of this many pixels (the decoder's 3 or 4 bytes and the
 *     upright RGB copy's 3), or of the model's input size, whichever is more
 */
public record DecodeLimits(long maxPixels, long fullDecodePixels) {

    /**
     * Pillow's limit ({@code Image.MAX_IMAGE_PIXELS} is 89,478,485; Pillow refuses images of more than
     * twice as many with {@code DecompressionBombError}): what Python users of the same models get.
     */
    public static final long DEFAULT_MAX_PIXELS = 2L * 89_478_485L;
    /** 4096 x 4096: a 16-megapixel photo is decoded whole, so its tensor is exactly Pillow's. */
    public static final long DEFAULT_FULL_DECODE_PIXELS = 4096L * 4096L;

    public static DecodeLimits defaults() {
        return new DecodeLimits(DEFAULT_MAX_PIXELS, DEFAULT_FULL_DECODE_PIXELS);
    }

    public DecodeLimits {
        if (maxPixels < 1) {
            throw new IllegalArgumentException("the pixel limit must be at least 1, not " + maxPixels);
        }
        if (fullDecodePixels < 1) {
            throw new IllegalArgumentException("the full-decode pixel budget must be at least 1, not "
                    + fullDecodePixels);
        }
    }
}
