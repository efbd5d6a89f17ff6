package dev.batchwise.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ServerSettingsTest {

    private final Setting chosen = new Setting(2, 16, 2_500_000, new Load.Clients(32));

    @Test
    void theRunCommandIsExactAndQuoted() {
        assertEquals("batchwise run --max-batch-size 16 --max-delay 2.5ms --workers 2 --concurrency 32 --fn echo "
                + "--fn-arg delay=20ms --input 'text=my column' samples/sentences.txt",
                ServerSettings.runCommand(chosen, List.of("--fn", "echo", "--fn-arg", "delay=20ms", "--input",
                        "text=my column", "samples/sentences.txt")));
        assertEquals("batchwise run --max-batch-size 1 --max-delay 0 --workers 1 --rate 12.5 --arrival poisson x.txt",
                ServerSettings.runCommand(new Setting(1, 1, 0, new Load.Rate(12.5, true)), List.of("x.txt")));
    }

    @Test
    void serversGetTheirOwnUnitsAndANoteWhereTheyCountTheDelayDifferently() {
        List<ServerSettings.Block> blocks = ServerSettings.servers(chosen, 1024);
        assertEquals(List.of("Triton", "TorchServe", "Ray", "TF", "DJL"),
                blocks.stream().map(b -> b.title().split(" ")[0]).toList());
        String triton = blocks.get(0).text();
        assertTrue(triton.contains("max_batch_size: 16") && triton.contains("max_queue_delay_microseconds: 2500")
                && triton.contains("count: 2"), triton);
        ServerSettings.Block torch = blocks.get(1);
        assertTrue(torch.text().contains("batch_size=16") && torch.text().contains("max_batch_delay=3")
                && torch.text().contains("max_workers=2"), torch.text());
        assertTrue(torch.note().contains("from when a worker takes the first request") && torch.note()
                .contains("Rounded up"), torch.note());
        assertTrue(blocks.get(2).text().contains("batch_wait_timeout_s=0.0025") && blocks.get(2).text()
                .contains("num_replicas=2"), blocks.get(2).text());
        assertTrue(blocks.get(3).text().contains("batch_timeout_micros { value: 2500 }")
                && blocks.get(3).text().contains("max_enqueued_batches { value: 64 }"), blocks.get(3).text());
        assertTrue(blocks.get(4).note().contains("first request"));
    }
}
