package dev.batchwise.image;

import java.nio.charset.StandardCharsets;

/**
 * Says what a file that no image reader takes is, from its first bytes, for the message: text, a
 * document, or an image format that cannot be read here.
 */
final class FileSniffer {

    /** The formats the readers on the class path take, for messages. */
    static final String READABLE = "JPEG, PNG, GIF, BMP, WebP or TIFF";

    private FileSniffer() {}

    /**
     * Why no reader takes a file that starts with {@code head[0..n)}: a phrase to follow the file
     * name, such as "is text, not an image".
     */
    static String unreadable(byte[] head, int n) {
        String kind = knownFormat(head, n);
        if (kind != null) {
            return "is " + kind + ", which cannot be read here (readable: " + READABLE + ")";
        }
        if (isText(head, n)) {
            String start = new String(head, 0, n, StandardCharsets.UTF_8).stripLeading();
            if (start.startsWith("<svg") || (start.startsWith("<?xml") && start.contains("<svg"))) {
                return "is an SVG drawing (text), which cannot be read here; render it to PNG first";
            }
            return "is text, not an image";
        }
        return "is not an image in a format that can be read here (" + READABLE + ")";
    }

    /** A recognised image or document format that no reader here takes, or {@code null}. */
    private static String knownFormat(byte[] h, int n) {
        if (n >= 12 && h[4] == 'f' && h[5] == 't' && h[6] == 'y' && h[7] == 'p') {
            String brand = new String(h, 8, 4, StandardCharsets.US_ASCII);
            if (brand.startsWith("avi")) {
                return "an AVIF image";
            }
            if (brand.startsWith("hei") || brand.startsWith("mif") || brand.startsWith("hev")) {
                return "a HEIC image";
            }
            return "an ISO media file (" + brand.strip() + ")";
        }
        if (starts(h, n, '%', 'P', 'D', 'F')) {
            return "a PDF document";
        }
        if (starts(h, n, 0xFF, 0x0A) || (n >= 12 && starts(h, n, 0, 0, 0, 0x0C, 'J', 'X', 'L', ' '))) {
            return "a JPEG XL image";
        }
        if (n >= 12 && starts(h, n, 0, 0, 0, 0x0C, 'j', 'P', ' ', ' ')) {
            return "a JPEG 2000 image";
        }
        if (starts(h, n, '8', 'B', 'P', 'S')) {
            return "a Photoshop document";
        }
        if (starts(h, n, 0, 0, 1, 0)) {
            return "an icon (ICO)";
        }
        if (starts(h, n, 'R', 'I', 'F', 'F') && n >= 12 && h[8] == 'W' && h[9] == 'E' && h[10] == 'B' && h[11] == 'P') {
            return "a WebP image of a kind the WebP reader does not know";
        }
        return null;
    }

    private static boolean starts(byte[] h, int n, int... magic) {
        if (n < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((h[i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }

    /** Whether the bytes look like text: valid UTF-8 with no control characters but white space. */
    private static boolean isText(byte[] h, int n) {
        if (n == 0) {
            return false;
        }
        int i = 0;
        if (n >= 3 && (h[0] & 0xFF) == 0xEF && (h[1] & 0xFF) == 0xBB && (h[2] & 0xFF) == 0xBF) {
            i = 3;
        }
        while (i < n) {
            int b = h[i] & 0xFF;
            if (b < 0x80) {
                if (b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f') {
                    return false;
                }
                i++;
                continue;
            }
            int more = b >= 0xF8 ? -1 : b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : b >= 0xC2 ? 1 : -1;
            if (more < 0) {
                return false;
            }
            for (int k = 1; k <= more; k++) {
                if (i + k >= n) {
                    return true; // a character cut by the end of what was read
                }
                if ((h[i + k] & 0xC0) != 0x80) {
                    return false;
                }
            }
            i += more + 1;
        }
        return true;
    }
}
