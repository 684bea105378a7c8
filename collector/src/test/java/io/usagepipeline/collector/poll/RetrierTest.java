package io.usagepipeline.collector.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.usagepipeline.collector.http.ProxyRefusedException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The delay a throttled appliance (or the proxy in front of it) asks for is kept, in either form HTTP allows. */
class RetrierTest {

    private static final Instant NOW = Instant.parse("2026-12-07T23:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    /**
     * A Retry-After as an HTTP date half an hour away, with the poll's deadline in a minute: the retrier must not
     * knock again before then, so the poll fails at once rather than after its own backoff of a millisecond.
     */
    @Test
    void shouldKeepARetryAfterGivenAsAnHttpDate() {
        final Deque<Answer> answers = new ArrayDeque<>(List.of(
                throttled("Mon, 07 Dec 2026 23:30:00 GMT"), new Answer(200, "{}", Optional.empty(),
                        Optional.empty(), null)));

        final PollFailure failure = catchThrowableOfType(PollFailure.class,
                () -> retrier(Duration.ofMillis(1)).call("GET /api/v3/licensing/usage", answers::pop,
                        NOW.plus(Duration.ofMinutes(1))));

        assertThat(failure).hasMessage("GET /api/v3/licensing/usage: throttled (429) 1 times; no time left for "
                + "another attempt before the poll's deadline");
        assertThat(answers).as("no second request").hasSize(1);
    }

    /** A date already past asks for no delay: the next attempt goes at once, and its answer is the poll's. */
    @Test
    void shouldTryAgainAtOnceAfterARetryAfterDateAlreadyPast() throws Exception {
        final Deque<Answer> answers = new ArrayDeque<>(List.of(
                throttled("Mon, 07 Dec 2026 22:59:00 GMT"), new Answer(200, "{}", Optional.empty(),
                        Optional.empty(), null)));

        // a backoff longer than the deadline leaves, so that only the date lets the retry through
        final Answer answer = retrier(Duration.ofMinutes(5)).call("GET /api/v3/licensing/usage", answers::pop,
                NOW.plusSeconds(1));

        assertThat(answer.status()).isEqualTo(200);
    }

    /** A proxy that refused the account it was given refuses it again: one attempt, an AUTH failure. */
    @Test
    void shouldNotAskAProxyThatRefusedItsAccountAgain() {
        final AtomicInteger attempts = new AtomicInteger();

        final PollFailure failure = catchThrowableOfType(PollFailure.class,
                () -> retrier(Duration.ofMillis(1)).call("GET /api/v3/licensing/usage", () -> {
                    attempts.incrementAndGet();
                    throw new ProxyRefusedException("the proxy egress.example:3128 refused the account 'svc'");
                }, NOW.plus(Duration.ofMinutes(1))));

        assertThat(failure.kind()).isEqualTo("AUTH");
        assertThat(failure).hasMessage("GET /api/v3/licensing/usage: the proxy egress.example:3128 refused the "
                + "account 'svc'");
        assertThat(attempts).hasValue(1);
    }

    private static Retrier retrier(final Duration backoff) {
        return new Retrier(5, backoff, backoff, CLOCK, new Random(1));
    }

    private static Answer throttled(final String retryAfter) {
        return new Answer(429, "", Optional.of(retryAfter), Optional.empty(), null);
    }
}
