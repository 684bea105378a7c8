package io.usagepipeline.simulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * What "now" is for the simulated appliances: {@code start} plus real elapsed time times {@code speed}. Speed 1 is real
 * time; the demo uses a large speed to fast-forward through past weeks. Tests may also set the instant directly.
 */
public final class VirtualClock extends Clock {

    private final Clock real;
    private volatile Instant anchorVirtual;
    private volatile Instant anchorReal;
    private volatile double speed;

    public VirtualClock(final Instant start, final double speed, final Clock real) {
        if (speed <= 0) {
            throw new IllegalArgumentException("speed must be positive, not " + speed);
        }
        this.real = real;
        this.anchorVirtual = start;
        this.anchorReal = real.instant();
        this.speed = speed;
    }

    @Override
    public synchronized Instant instant() {
        final long realNanos = Duration.between(anchorReal, real.instant()).toNanos();
        return anchorVirtual.plusNanos((long) (realNanos * speed));
    }

    /** Jumps to an instant and goes on from there at the same speed. */
    public synchronized void set(final Instant now) {
        anchorVirtual = now;
        anchorReal = real.instant();
    }

    /** Changes the speed from now on. */
    public synchronized void speed(final double newSpeed) {
        if (newSpeed <= 0) {
            throw new IllegalArgumentException("speed must be positive, not " + newSpeed);
        }
        anchorVirtual = instant();
        anchorReal = real.instant();
        speed = newSpeed;
    }

    public double speed() {
        return speed;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(final ZoneId zone) {
        throw new UnsupportedOperationException("the virtual clock is UTC");
    }
}
