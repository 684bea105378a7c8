package io.usagepipeline.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.usagepipeline.events.Endpoint;
import io.usagepipeline.events.Ids;
import io.usagepipeline.events.Keys;
import io.usagepipeline.events.PollStatus;
import io.usagepipeline.events.RawPoll;
import io.usagepipeline.events.SourceKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Raw polls for the benchmark, made directly rather than collected (a year of a thousand tenants would take the
 * collector hours): per tenant and hour one VAC {@code backupServerUsage} poll of three license types and one
 * {@code cloudConnectUsage} poll of two, in the documented body format, with levels that move from hour to hour.
 */
public final class BenchDataset {

    /** The series per tenant and hour: observations = polls × this / 2. */
    public static final int SERIES_PER_TENANT = 5;
    public static final String SOURCE_ID = "bench-vac";

    private static final List<String> BACKUP_TYPES = List.of("VBR_vSphere_VM", "VBR_Windows_Server_Agent",
            "VBR_Linux_Server_Agent");
    private static final List<String> CLOUD_TYPES = List.of("CC_Server_Backup", "CC_Workstation_Backup");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final int tenants;

    public BenchDataset(final int tenants) {
        this.tenants = tenants;
    }

    public int tenants() {
        return tenants;
    }

    /** Raw polls per hour of history. */
    public int pollsPerHour() {
        return 2 * tenants;
    }

    /** The two polls of one tenant in one hourly slot, polled {@code delay} after the slot began. */
    public List<RawPoll> polls(final int tenant, final Instant slot, final Duration delay) {
        return List.of(poll(tenant, slot, delay, Endpoint.BACKUP_SERVER_USAGE, BACKUP_TYPES),
                poll(tenant, slot, delay, Endpoint.CLOUD_CONNECT_USAGE, CLOUD_TYPES));
    }

    private RawPoll poll(final int tenant, final Instant slot, final Duration delay, final Endpoint endpoint,
                         final List<String> types) {
        final String scope = String.valueOf(tenant + 1);
        final long hour = slot.getEpochSecond() / 3600;
        final ArrayNode body = NODES.arrayNode();
        for (int i = 0; i < types.size(); i++) {
            // a level between 10 and 59 that drifts with the hour, different per tenant and type
            final long used = 10 + Math.floorMod(tenant * 31L + i * 17L + hour / (3 + i), 50);
            final ObjectNode item = body.addObject();
            item.put("type", types.get(i));
            item.put("rentalInstances", 0);
            item.put("newInstances", used % 3);
            item.put("usedInstances", used);
            item.put("rentalCount", 0);
            item.put("newCount", used % 3);
            item.put("usedCount", used);
        }
        return new RawPoll(null, Ids.pollId(Keys.pollTarget(SOURCE_ID, endpoint, scope), slot), SOURCE_ID,
                SourceKind.VAC, endpoint, scope, null, slot, slot.plus(delay), PollStatus.COMPLETE, null,
                List.of(body), types.size(), Map.of());
    }
}
