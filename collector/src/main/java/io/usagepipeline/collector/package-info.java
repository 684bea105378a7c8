/**
 * Polls every licensing endpoint (one client per API: auth, paging, quirks, retries) and publishes each poll as a
 * {@link RawPoll} to {@code usage.raw.v1}. Shares nothing with processor or sink but the
 * events contract.
 */
package io.usagepipeline.collector;

import io.usagepipeline.events.RawPoll;
