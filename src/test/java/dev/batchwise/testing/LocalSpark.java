package dev.batchwise.testing;

import org.apache.spark.sql.SparkSession;

/**
 * One Spark session for the tests of a JVM, in {@code local[2]}, on loopback only: the driver binds
 * to and advertises 127.0.0.1, and there is no web UI.
 */
public final class LocalSpark {

    private static SparkSession session;

    private LocalSpark() {}

    public static synchronized SparkSession session() {
        if (session == null) {
            session = SparkSession.builder()
                    .master("local[2]")
                    .appName("batchwise-test")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "4")
                    .config("spark.sql.adaptive.enabled", "false")
                    .getOrCreate();
            Runtime.getRuntime().addShutdownHook(new Thread(session::stop));
        }
        return session;
    }
}
