package io.usagepipeline.collector.http;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A UTF-8 body read up to a limit and within a time: past the limit the exchange is cancelled and the body fails with
 * {@link AnswerTooLargeException}, so an answer that could never be published does not fill the heap first; past
 * the time it is cancelled and fails with a {@link TimeoutException}, so a server that sends its answer a byte at a
 * time costs one request its timeout. (The time is counted on CompletableFuture's one timer thread.)
 */
final class LimitedBody implements HttpResponse.BodySubscriber<String> {

    private final long limit;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CompletableFuture<String> body = new CompletableFuture<>();
    private Flow.Subscription subscription;

    /**
     * @param limit the most bytes the body may have
     * @param time  the longest the body may take to arrive, from now
     */
    LimitedBody(final long limit, final Duration time) {
        this.limit = limit;
        body.orTimeout(Math.max(1, time.toMillis()), TimeUnit.MILLISECONDS).whenComplete((value, error) -> {
            if (error != null) {
                cancel();
            }
        });
    }

    @Override
    public synchronized void onSubscribe(final Flow.Subscription s) {
        subscription = s;
        if (body.isDone()) {
            s.cancel(); // out of time before the first byte
            return;
        }
        s.request(Long.MAX_VALUE);
    }

    private synchronized void cancel() {
        if (subscription != null) {
            subscription.cancel();
        }
    }

    @Override
    public void onNext(final List<ByteBuffer> buffers) {
        for (final ByteBuffer buffer : buffers) {
            if (body.isDone()) {
                return;
            }
            if (bytes.size() + (long) buffer.remaining() > limit) {
                body.completeExceptionally(new AnswerTooLargeException(limit)); // and cancels, as any failure
                return;
            }
            final byte[] chunk = new byte[buffer.remaining()];
            buffer.get(chunk);
            bytes.write(chunk, 0, chunk.length);
        }
    }

    @Override
    public void onError(final Throwable error) {
        body.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        body.complete(bytes.toString(StandardCharsets.UTF_8));
    }

    @Override
    public CompletionStage<String> getBody() {
        return body;
    }
}
