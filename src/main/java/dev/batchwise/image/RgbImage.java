package dev.batchwise.image;

/**
 * Decoded pixels, upright (the EXIF orientation applied): 8-bit red, green, blue, row by row. It
 * may be only a part of the whole upright image, and may hold only every n-th pixel of it (source
 * subsampling): pixel {@code (i, j)} here is upright pixel {@code (offsetX + i * periodX, offsetY +
 * j * periodY)} of an image of {@code fullWidth x fullHeight}.
 *
 * @param rgb {@code width * height * 3} bytes, red first; owned by this image
 */
public record RgbImage(int width, int height, byte[] rgb, int fullWidth, int fullHeight, int offsetX, int offsetY,
        int periodX, int periodY) {

    public RgbImage {
        if (width < 1 || height < 1 || rgb.length != width * height * 3) {
            throw new IllegalArgumentException("pixels do not fit " + width + " x " + height);
        }
        if (periodX < 1 || periodY < 1 || offsetX < 0 || offsetY < 0) {
            throw new IllegalArgumentException("bad offset or period");
        }
    }

    /** A whole image, every pixel. */
    public static RgbImage whole(int width, int height, byte[] rgb) {
        return new RgbImage(width, height, rgb, width, height, 0, 0, 1, 1);
    }

    /** Whether this is the whole image at full resolution. */
    public boolean isWhole() {
        return width == fullWidth && height == fullHeight && periodX == 1 && periodY == 1;
    }

    /** A sample, 0..255: channel {@code c} (0 red, 1 green, 2 blue) of pixel {@code (x, y)} here. */
    public int sample(int x, int y, int c) {
        return rgb[(y * width + x) * 3 + c] & 0xFF;
    }
}
