/** The rate card: the {@code rating:} block of the configuration, bound and checked in one place. */
package io.usagepipeline.rating.card;
