package dev.batchwise.image;

import com.twelvemonkeys.imageio.metadata.Directory;
import com.twelvemonkeys.imageio.metadata.Entry;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegment;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegmentUtil;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFReader;
import com.twelvemonkeys.imageio.stream.BufferedFileImageInputStream;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.EOFException;
import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes image files with Java's ImageIO and the plugins on the class path, reading each file's
 * header first: the format comes from the content, not the name; an image whose header claims more
 * than {@link DecodeLimits#maxPixels()} is refused before any pixel is decoded; only the part that
 * preprocessing needs is decoded, subsampled when it holds more than
 * {@link DecodeLimits#fullDecodePixels()}; the EXIF orientation of a JPEG is applied.
 *
 * <p>Thread-safe: each call has its own reader and stream. Every failure is an {@link ImageException}
 * naming the file.
 */
public final class ImageDecoder {

    static {
        ImageIO.setUseCache(false); // streams are files already: no temporary cache files
    }

    private static final int HEAD_BYTES = 64;
    private static final int EXIF_ORIENTATION = 0x0112;

    /** Chooses what part of an upright image to decode, once its upright size is known. */
    @FunctionalInterface
    public interface Planner {
        Request plan(int uprightWidth, int uprightHeight);
    }

    /**
     * A part of an upright image, {@code [x0, x1) x [y0, y1)}, and how coarsely it may be sampled:
     * at most every {@code maxPeriodX}-th pixel across and {@code maxPeriodY}-th down.
     */
    public record Request(int x0, int y0, int x1, int y1, int maxPeriodX, int maxPeriodY) {
        public Request {
            if (x0 < 0 || y0 < 0 || x1 <= x0 || y1 <= y0 || maxPeriodX < 1 || maxPeriodY < 1) {
                throw new IllegalArgumentException("bad region " + x0 + "," + y0 + " to " + x1 + "," + y1);
            }
        }

        /** The whole image at full resolution. */
        public static Request whole(int width, int height) {
            return new Request(0, 0, width, height, 1, 1);
        }
    }

    private final DecodeLimits limits;

    public ImageDecoder(DecodeLimits limits) {
        this.limits = limits;
    }

    public DecodeLimits limits() {
        return limits;
    }

    /** The whole image, upright, at full resolution if it fits the budget. */
    public RgbImage decode(Path file, String name) {
        return decode(file, name, (w, h) -> new Request(0, 0, w, h, Integer.MAX_VALUE, Integer.MAX_VALUE));
    }

    /**
     * Decodes what {@code planner} asks for of the image in {@code file}.
     *
     * @param name the file as messages name it (as the record gave it)
     */
    public RgbImage decode(Path file, String name, Planner planner) {
        checkFile(file, name);
        try (ImageInputStream in = open(file, name)) {
            byte[] head = new byte[HEAD_BYTES];
            int n = in.read(head);
            in.seek(0);
            List<ImageReader> readers = readers(in);
            if (readers.isEmpty()) {
                throw new ImageException(name, FileSniffer.unreadable(head, Math.max(n, 0)));
            }
            for (int i = 0; ; i++) {
                ImageReader reader = readers.get(i);
                try {
                    return read(reader, in, name, planner);
                } catch (ReaderFailure f) {
                    if (i + 1 == readers.size() || truncation(f.getCause())) {
                        throw damaged(name, f.format, f.getCause());
                    }
                    in.seek(0); // another reader of the format may get past what this one could not
                } finally {
                    reader.dispose();
                }
            }
        } catch (IOException e) {
            throw new ImageException(name, "cannot be read: " + message(e), e);
        }
    }

    /**
     * The readers that take the stream. For a JPEG of one or three components (grey, YCbCr, RGB) the
     * JDK's own reader goes first: TwelveMonkeys' reader wraps the same libjpeg, and without the
     * wrapping it measured 20% faster. For four components (CMYK, YCCK) TwelveMonkeys' reader goes
     * first: the JDK's returns some of those with wrong colours and no error.
     */
    private static List<ImageReader> readers(ImageInputStream in) throws IOException {
        List<ImageReader> readers = new ArrayList<>();
        ImageIO.getImageReaders(in).forEachRemaining(readers::add);
        if (readers.size() > 1 && formatName(readers.get(0)).equals("JPEG")) {
            int components = jpegComponents(in);
            in.seek(0);
            if (components == 1 || components == 3) {
                readers.sort(java.util.Comparator.comparing(r -> r.getClass().getName().startsWith(JDK_READERS) ? 0 : 1));
            }
        }
        return readers;
    }

    private static final String JDK_READERS = "com.sun.imageio.plugins.";

    /** The component count in a JPEG's frame header, or 0 when none is found before the scan. */
    static int jpegComponents(ImageInputStream in) throws IOException {
        in.seek(0);
        if (in.read() != 0xFF || in.read() != 0xD8) {
            return 0;
        }
        while (true) {
            int b = in.read();
            while (b == 0xFF) {
                b = in.read(); // fill bytes before a marker
            }
            if (b < 0) {
                return 0;
            }
            int marker = b;
            if (marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01) {
                continue; // markers without a length
            }
            int length = in.readUnsignedShort();
            boolean frame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (frame) {
                in.skipBytes(5); // precision, height, width
                return in.read();
            }
            if (marker == 0xDA || marker == 0xD9 || length < 2) {
                return 0;
            }
            in.seek(in.getStreamPosition() + length - 2);
        }
    }

    /** A reader's failure on the stream's content, which another reader may get past. */
    private static final class ReaderFailure extends Exception {
        private static final long serialVersionUID = 1L;
        final String format;

        ReaderFailure(String format, Throwable cause) {
            super(cause);
            this.format = format;
        }
    }

    private RgbImage read(ImageReader reader, ImageInputStream in, String name, Planner planner)
            throws IOException, ReaderFailure {
        String format = formatName(reader);
        Orientation orientation = format.equals("JPEG") ? jpegOrientation(in) : Orientation.NORMAL;
        in.seek(0);
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        reader.setInput(in, true, true);
        int rawW;
        int rawH;
        try {
            if (reader.getNumImages(false) == 0) {
                throw new ImageException(name, "is " + article(format) + " file with no image in it");
            }
            rawW = reader.getWidth(0);
            rawH = reader.getHeight(0);
        } catch (IOException | RuntimeException e) {
            if (e instanceof ImageException ie) {
                throw ie;
            }
            throw new ReaderFailure(format, e);
        }
        long pixels = (long) rawW * rawH;
        if (rawW < 1 || rawH < 1) {
            throw new ImageException(name, "is " + article(format) + " image of " + rawW + " x " + rawH + " pixels");
        }
        if (pixels > limits.maxPixels()) {
            throw new ImageException(name, String.format(Locale.ROOT, "is %s image of %,d x %,d pixels (%,d), more "
                    + "than the limit of %,d; refused as a possible decompression bomb", article(format), rawW, rawH,
                    pixels, limits.maxPixels()));
        }
        int uw = orientation.uprightWidth(rawW, rawH);
        int uh = orientation.uprightHeight(rawW, rawH);
        Request want = clip(planner.plan(uw, uh), uw, uh);
        int[] periods = periods(want);
        // the upright request on the raw axes
        int pxRaw = orientation.transposed() ? periods[1] : periods[0];
        int pyRaw = orientation.transposed() ? periods[0] : periods[1];
        int[] xs = rawInterval(want.x0(), want.x1(), orientation.transposed() ? rawH : rawW, orientation.flipX());
        int[] ys = rawInterval(want.y0(), want.y1(), orientation.transposed() ? rawW : rawH, orientation.flipY());
        Rectangle rawRegion = orientation.transposed()
                ? new Rectangle(ys[0], xs[0], ys[1] - ys[0], xs[1] - xs[0])
                : new Rectangle(xs[0], ys[0], xs[1] - xs[0], ys[1] - ys[0]);
        ImageReadParam param = reader.getDefaultReadParam();
        if (rawRegion.x != 0 || rawRegion.y != 0 || rawRegion.width != rawW || rawRegion.height != rawH) {
            param.setSourceRegion(rawRegion);
        }
        if (pxRaw > 1 || pyRaw > 1) {
            param.setSourceSubsampling(pxRaw, pyRaw, 0, 0);
        }
        BufferedImage image;
        try {
            image = reader.read(0, param);
        } catch (IOException | RuntimeException e) {
            throw new ReaderFailure(format, e);
        }
        for (String w : warnings) {
            String lower = w.toLowerCase(Locale.ROOT);
            if (lower.contains("premature end") || lower.contains("truncated")) {
                throw new ImageException(name, "is " + article(format) + " image cut short (the file ends inside the "
                        + "image data)");
            }
        }
        byte[] rgb = Pixels.upright(image, orientation);
        int kx = orientation.transposed() ? image.getHeight() : image.getWidth();
        int ky = orientation.transposed() ? image.getWidth() : image.getHeight();
        int ox = uprightOffset(xs[0], periods[0], kx, orientation.transposed() ? rawH : rawW, orientation.flipX());
        int oy = uprightOffset(ys[0], periods[1], ky, orientation.transposed() ? rawW : rawH, orientation.flipY());
        return new RgbImage(kx, ky, rgb, uw, uh, ox, oy, periods[0], periods[1]);
    }

    /** The request within the image. */
    private static Request clip(Request r, int w, int h) {
        int x0 = Math.min(r.x0(), w - 1);
        int y0 = Math.min(r.y0(), h - 1);
        return new Request(x0, y0, Math.max(x0 + 1, Math.min(r.x1(), w)), Math.max(y0 + 1, Math.min(r.y1(), h)),
                r.maxPeriodX(), r.maxPeriodY());
    }

    /**
     * The subsampling periods (across, down): 1 while the region fits the full-decode budget, else
     * the smallest that bring it within, growing the longer side first and never past the request's
     * maxima.
     */
    int[] periods(Request r) {
        int w = r.x1() - r.x0();
        int h = r.y1() - r.y0();
        int px = 1;
        int py = 1;
        while ((long) ceilDiv(w, px) * ceilDiv(h, py) > limits.fullDecodePixels()) {
            boolean canX = px < r.maxPeriodX();
            boolean canY = py < r.maxPeriodY();
            if (canX && (!canY || ceilDiv(w, px) >= ceilDiv(h, py))) {
                px++;
            } else if (canY) {
                py++;
            } else {
                break;
            }
        }
        return new int[] {px, py};
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /** The raw interval an upright interval {@code [a, b)} comes from, on a raw axis of {@code length}. */
    private static int[] rawInterval(int a, int b, int length, boolean flipped) {
        return flipped ? new int[] {length - b, length - a} : new int[] {a, b};
    }

    /** The upright coordinate of the first decoded pixel on an axis. */
    private static int uprightOffset(int rawStart, int period, int count, int length, boolean flipped) {
        return flipped ? length - 1 - (rawStart + (count - 1) * period) : rawStart;
    }

    /** The orientation in a JPEG's EXIF segment; normal without one or when it cannot be read. */
    private static Orientation jpegOrientation(ImageInputStream in) {
        try {
            in.seek(0);
            List<JPEGSegment> exif = JPEGSegmentUtil.readSegments(in, 0xFFE1, "Exif");
            for (JPEGSegment segment : exif) {
                try (InputStream data = segment.data()) {
                    if (data.read() < 0) { // the pad byte after "Exif\0"
                        continue;
                    }
                    Directory ifd0 = new TIFFReader().read(new MemoryCacheImageInputStream(data));
                    Entry entry = ifd0.getEntryById(EXIF_ORIENTATION);
                    if (entry != null && entry.getValue() instanceof Number value) {
                        return Orientation.ofExif(value.intValue());
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // unreadable EXIF: the image is shown as stored, as viewers do
        }
        return Orientation.NORMAL;
    }

    /** Checks the file is there, is a file, and is not empty. */
    private static void checkFile(Path file, String name) {
        if (Files.isDirectory(file)) {
            throw new ImageException(name, "is a directory, not an image");
        }
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new ImageException(name, "no such file");
        } catch (IOException e) {
            throw new ImageException(name, "cannot be read: " + message(e), e);
        }
        if (size == 0) {
            throw new ImageException(name, "is empty (0 bytes)");
        }
    }

    /** A buffered stream on the file (ImageIO's own file stream reads byte by byte from the disk). */
    private static ImageInputStream open(Path file, String name) {
        try {
            File f = file.toFile();
            if (!Files.isReadable(file)) {
                throw new AccessDeniedException(name);
            }
            return new BufferedFileImageInputStream(f);
        } catch (AccessDeniedException | FileNotFoundException e) {
            throw new ImageException(name, Files.exists(file) ? "permission denied (not readable)" : "no such file");
        } catch (IOException e) {
            throw new ImageException(name, "cannot be read: " + message(e), e);
        }
    }

    /** The reader's format, upper-case, as messages name it ("JPEG", "PNG", "WEBP"). */
    private static String formatName(ImageReader reader) {
        try {
            String[] names = reader.getOriginatingProvider().getFormatNames();
            String n = names.length > 0 ? names[0] : "image";
            return n.toUpperCase(Locale.ROOT).equals("JPG") ? "JPEG" : n.toUpperCase(Locale.ROOT);
        } catch (RuntimeException e) {
            return "image";
        }
    }

    private static String article(String format) {
        return (format.startsWith("A") || format.startsWith("E") || format.startsWith("I") || format.startsWith("O")
                ? "an " : "a ") + format;
    }

    private static ImageException damaged(String name, String format, Throwable e) {
        if (truncation(e)) {
            return new ImageException(name, "is " + article(format) + " image cut short (the file ends inside the "
                    + "image data)", e);
        }
        return new ImageException(name, "is " + article(format) + " image that is damaged: " + message(e), e);
    }

    /** Whether the reader failed for lack of data: an end of file anywhere in the causes. */
    private static boolean truncation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof EOFException) {
                return true;
            }
            String m = t.getMessage();
            if (m != null && m.toLowerCase(Locale.ROOT).contains("unexpected end")) {
                return true;
            }
        }
        return false;
    }

    /** The innermost message of a reader's failure, on one line. */
    static String message(Throwable e) {
        return dev.batchwise.util.Errors.rootMessage(e);
    }
}
