package dev.batchwise.image;

/**
 * An EXIF orientation (tag 0x0112, values 1 to 8): how the stored pixels are turned to be seen the
 * way a viewer shows them, as Pillow's {@code ImageOps.exif_transpose} turns them. In this class
 * "raw" is the stored image and "upright" the one shown; an upright axis comes from one raw axis
 * (both axes swap for values 5 to 8) and may run backwards along it.
 */
public enum Orientation {
    /** 1: stored upright. */
    NORMAL(false, false, false),
    /** 2: mirrored left to right. */
    FLIP_HORIZONTAL(false, true, false),
    /** 3: turned half round. */
    ROTATE_180(false, true, true),
    /** 4: mirrored top to bottom. */
    FLIP_VERTICAL(false, false, true),
    /** 5: mirrored along the main diagonal. */
    TRANSPOSE(true, false, false),
    /** 6: stored turned a quarter counter-clockwise; shown turned a quarter clockwise. */
    ROTATE_90_CW(true, true, false),
    /** 7: mirrored along the other diagonal. */
    TRANSVERSE(true, true, true),
    /** 8: stored turned a quarter clockwise; shown turned a quarter counter-clockwise. */
    ROTATE_90_CCW(true, false, true);

    private final boolean transposed;
    private final boolean flipX;
    private final boolean flipY;

    Orientation(boolean transposed, boolean flipX, boolean flipY) {
        this.transposed = transposed;
        this.flipX = flipX;
        this.flipY = flipY;
    }

    /** The orientation of an EXIF value; {@link #NORMAL} for a value outside 1..8, as viewers do. */
    public static Orientation ofExif(int value) {
        return value >= 1 && value <= 8 ? values()[value - 1] : NORMAL;
    }

    public int exifValue() {
        return ordinal() + 1;
    }

    /** Whether the upright x axis is the raw y axis (and the upright y axis the raw x axis). */
    public boolean transposed() {
        return transposed;
    }

    /** Whether upright x runs backwards along the raw axis it comes from. */
    public boolean flipX() {
        return flipX;
    }

    /** Whether upright y runs backwards along the raw axis it comes from. */
    public boolean flipY() {
        return flipY;
    }

    /** The upright width of a raw image. */
    public int uprightWidth(int rawWidth, int rawHeight) {
        return transposed ? rawHeight : rawWidth;
    }

    /** The upright height of a raw image. */
    public int uprightHeight(int rawWidth, int rawHeight) {
        return transposed ? rawWidth : rawHeight;
    }
}
