/**
 * The rater (DESIGN §4b): prices each tenant's month from the latest revision of its MONTH billing records with the
 * provider's rate card, counts the Veeam points the provider pays for, and publishes charge lines with cost and
 * margin, revising a line whenever a record under it is restated.
 */
package io.usagepipeline.rating;
