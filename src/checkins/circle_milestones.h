/*
 * circle_milestones.h: milestones a circle celebrates together.
 *
 * A member who ticked "Let my circles celebrate my milestones with me" on
 * /recovery (recovery_profiles.share_milestones) has their latest
 * milestone of the current run shown on the page of each circle they
 * belong to, for CIRCLE_MILESTONE_DAYS after it was reached: "Ana: 90
 * days".  Nothing else is shown: no counts, no dates of starts, no
 * relapses, no earlier runs.  The caller shows it to the circle's members
 * only.
 */
#ifndef CIRCLES_CHECKINS_CIRCLE_MILESTONES_H
#define CIRCLES_CHECKINS_CIRCLE_MILESTONES_H

#include <stdint.h>

#include <jansson.h>

#include "app/ctx.h"

#define CIRCLE_MILESTONE_DAYS	30

/**
 * The recent milestones of circle_id's active members who share them,
 * newest first: [{name, milestone, date, date_iso, today}], in the
 * request's language.  The viewer (c->user) must be an active member;
 * each other member shown is an audited read (action "read", category
 * "milestones", object "circle:<id>"), so the member sees who saw it; a
 * milestone whose read could not be recorded is left out.  The viewer's
 * own milestone is shown too, without an audit row.  NULL on error.
 */
json_t	*circle_milestones_json(struct ctx *c, int64_t circle_id);

#endif
