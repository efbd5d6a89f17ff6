package dev.batchwise.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * Turns a decoded {@link BufferedImage} into upright 8-bit RGB, as Pillow's {@code convert("RGB")}
 * does: alpha is dropped (not composited), grey is repeated in the three channels, a palette is
 * looked up, 16-bit samples keep their high byte. Samples are taken as stored: no colour management
 * (an embedded ICC profile is not applied to RGB or grey samples), as Pillow and Hugging Face's
 * processors take them. Other colour models (CMYK, YCCK that the reader left as such) go through
 * Java's own conversion to sRGB.
 */
final class Pixels {

    private Pixels() {}

    /**
     * @param image the decoded pixels, raw (as stored)
     * @param orientation how raw turns upright
     */
    static byte[] upright(BufferedImage image, Orientation orientation) {
        int w = image.getWidth();
        int h = image.getHeight();
        int uw = orientation.uprightWidth(w, h);
        int uh = orientation.uprightHeight(w, h);
        byte[] out = new byte[w * h * 3];
        RowReader rows = rowReader(image);
        byte[] row = new byte[w * 3];
        boolean plain = orientation == Orientation.NORMAL;
        for (int y = 0; y < h; y++) {
            if (plain) {
                rows.read(y, out, y * w * 3);
                continue;
            }
            rows.read(y, row, 0);
            for (int x = 0; x < w; x++) {
                int ux = orientation.transposed() ? y : x;
                int uy = orientation.transposed() ? x : y;
                if (orientation.flipX()) {
                    ux = uw - 1 - ux;
                }
                if (orientation.flipY()) {
                    uy = uh - 1 - uy;
                }
                int to = (uy * uw + ux) * 3;
                int from = x * 3;
                out[to] = row[from];
                out[to + 1] = row[from + 1];
                out[to + 2] = row[from + 2];
            }
        }
        return out;
    }

    /** Reads raw row {@code y} as RGB into {@code out} from {@code offset}. */
    private interface RowReader {
        void read(int y, byte[] out, int offset);
    }

    private static RowReader rowReader(BufferedImage image) {
        Raster raster = image.getRaster();
        int w = image.getWidth();
        var cm = image.getColorModel();
        int csType = cm.getColorSpace().getType();
        boolean rgb = csType == ColorSpace.TYPE_RGB && cm.getNumColorComponents() == 3;
        boolean grey = csType == ColorSpace.TYPE_GRAY && cm.getNumColorComponents() == 1;
        if (cm instanceof ComponentColorModel && (rgb || grey)) {
            if (raster.getDataBuffer() instanceof DataBufferByte bytes
                    && raster.getSampleModel() instanceof ComponentSampleModel sm) {
                return interleavedBytes(raster, bytes, sm, rgb);
            }
            int transfer = raster.getTransferType();
            if (transfer == DataBuffer.TYPE_BYTE || transfer == DataBuffer.TYPE_USHORT) {
                int shift = transfer == DataBuffer.TYPE_USHORT ? 8 : 0;
                int bands = raster.getNumBands();
                int[] samples = new int[w * bands];
                return (y, out, offset) -> {
                    raster.getPixels(0, y, w, 1, samples);
                    for (int x = 0; x < w; x++) {
                        int s = x * bands;
                        int o = offset + x * 3;
                        if (rgb) {
                            out[o] = (byte) (samples[s] >>> shift);
                            out[o + 1] = (byte) (samples[s + 1] >>> shift);
                            out[o + 2] = (byte) (samples[s + 2] >>> shift);
                        } else {
                            byte g = (byte) (samples[s] >>> shift);
                            out[o] = g;
                            out[o + 1] = g;
                            out[o + 2] = g;
                        }
                    }
                };
            }
        }
        if (cm instanceof IndexColorModel palette) {
            int size = palette.getMapSize();
            byte[] r = new byte[size];
            byte[] g = new byte[size];
            byte[] b = new byte[size];
            palette.getReds(r);
            palette.getGreens(g);
            palette.getBlues(b);
            int[] index = new int[w];
            return (y, out, offset) -> {
                raster.getSamples(0, y, w, 1, 0, index);
                for (int x = 0; x < w; x++) {
                    int i = Math.min(index[x], size - 1);
                    int o = offset + x * 3;
                    out[o] = r[i];
                    out[o + 1] = g[i];
                    out[o + 2] = b[i];
                }
            };
        }
        int[] argb = new int[w];
        return (y, out, offset) -> {
            image.getRGB(0, y, w, 1, argb, 0, w);
            for (int x = 0; x < w; x++) {
                int p = argb[x];
                int o = offset + x * 3;
                out[o] = (byte) (p >>> 16);
                out[o + 1] = (byte) (p >>> 8);
                out[o + 2] = (byte) p;
            }
        };
    }

    /** Byte samples of one or several bands side by side (JPEG's BGR, PNG's RGBA, grey): read in place. */
    private static RowReader interleavedBytes(Raster raster, DataBufferByte buffer, ComponentSampleModel sm,
            boolean rgb) {
        byte[] data = buffer.getData();
        int w = raster.getWidth();
        int tx = raster.getSampleModelTranslateX();
        int ty = raster.getSampleModelTranslateY();
        int pixelStride = sm.getPixelStride();
        int scanlineStride = sm.getScanlineStride();
        int[] bandOffsets = sm.getBandOffsets();
        int[] banks = sm.getBankIndices();
        for (int bank : banks) {
            if (bank != 0) {
                return banded(raster, rgb);
            }
        }
        int r = bandOffsets[0];
        int g = rgb ? bandOffsets[1] : r;
        int b = rgb ? bandOffsets[2] : r;
        int base = buffer.getOffset();
        return (y, out, offset) -> {
            int p = base + (y - ty) * scanlineStride - tx * pixelStride;
            int o = offset;
            for (int x = 0; x < w; x++, p += pixelStride, o += 3) {
                out[o] = data[p + r];
                out[o + 1] = data[p + g];
                out[o + 2] = data[p + b];
            }
        };
    }

    /** Bands in separate banks, rare: sample by sample. */
    private static RowReader banded(Raster raster, boolean rgb) {
        int w = raster.getWidth();
        int[] s = new int[w];
        return (y, out, offset) -> {
            for (int c = 0; c < 3; c++) {
                raster.getSamples(0, y, w, 1, rgb ? c : 0, s);
                for (int x = 0; x < w; x++) {
                    out[offset + x * 3 + c] = (byte) s[x];
                }
            }
        };
    }
}
