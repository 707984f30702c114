/*
 * warnings.c: the early-warning rules (see warnings.h).
 *
 * Everything is integer arithmetic on a fixed-size state, so a year of a
 * member's check-ins costs a few hundred additions and the state of a
 * whole network fits in a flat array.  Evaluation only reads the state:
 * the trends' episode starts are kept up to date by warn_feed, so
 * evaluating at any time is O(1) per member (a median of eight gaps).
 */
#include "safety/warnings.h"

#include <string.h>

#define DAY	86400

static const char *const tokens[WARN_CAUSES] = {
	"checkins_stopped", "meetings_missed", "craving_rising", "mood_falling", "use_reported",
	"alert_unanswered",
};

const char *
warn_cause_token(enum warn_cause c)
{
	return (unsigned)c < WARN_CAUSES ? tokens[c] : NULL;
}

int
warn_cause_from_token(const char *s)
{
	int i;

	for (i = 0; s != NULL && i < WARN_CAUSES; i++)
		if (strcmp(tokens[i], s) == 0)
			return i;
	return -1;
}

void
warn_params_default(struct warn_params *p)
{
	p->gap_factor_pct = 200;
	p->gap_min_days = 3;
	p->min_checkins = 5;
	p->missed_meetings = 2;
	p->craving_delta_tenths = 20;
	p->mood_delta_tenths = 10;
	p->baseline_min = 5;
	p->use_days = 7;
	p->stale_days = 14;
}

const char *
warn_params_check(const struct warn_params *p)
{
	if (p->gap_factor_pct < 100 || p->gap_factor_pct > 1000)
		return "gap_factor_pct";
	if (p->gap_min_days < 1 || p->gap_min_days > 60)
		return "gap_min_days";
	if (p->min_checkins < 3 || p->min_checkins > 50)
		return "min_checkins";
	if (p->missed_meetings < 1 || p->missed_meetings > 20)
		return "missed_meetings";
	if (p->craving_delta_tenths < 5 || p->craving_delta_tenths > 100)
		return "craving_delta_tenths";
	if (p->mood_delta_tenths < 5 || p->mood_delta_tenths > 40)
		return "mood_delta_tenths";
	if (p->baseline_min < 3 || p->baseline_min > 100)
		return "baseline_min";
	if (p->use_days < 1 || p->use_days > 60)
		return "use_days";
	if (p->stale_days < 1 || p->stale_days > 90)
		return "stale_days";
	return NULL;
}

void
warn_state_init(struct warn_state *s)
{
	memset(s, 0, sizeof(*s));
}

/* Mean of the recent values x 100 (nrecent > 0). */
static int32_t
recent_x100(const struct warn_series *w)
{
	int32_t sum = 0;
	int i;

	for (i = 0; i < w->nrecent; i++)
		sum += w->recent[i];
	return sum * 100 / w->nrecent;
}

static void
series_push(struct warn_series *w, int v)
{
	if (w->nrecent == WARN_RECENT) {
		/* The oldest recent value joins the baseline. */
		int32_t old = (int32_t)w->recent[0] * 100;
		int32_t k = w->nbase < 8 ? w->nbase + 1 : 8;

		w->base_x100 += (old - w->base_x100) / k;
		if (w->nbase < UINT16_MAX)
			w->nbase++;
		memmove(w->recent, w->recent + 1, (WARN_RECENT - 1) * sizeof(w->recent[0]));
		w->nrecent--;
	}
	w->recent[w->nrecent++] = (int16_t)v;
}

/* Is the series past its threshold (up: above the baseline; else below)? */
static bool
series_alarm(const struct warn_params *p, const struct warn_series *w, bool up)
{
	int32_t r;

	if (w->nbase < (unsigned)p->baseline_min || w->nrecent < WARN_RECENT)
		return false;
	r = recent_x100(w);
	if (up)
		return r >= 300 && r - w->base_x100 >= p->craving_delta_tenths * 10;
	return r <= 300 && w->base_x100 - r >= p->mood_delta_tenths * 10;
}

void
warn_feed(const struct warn_params *p, struct warn_state *s, const struct warn_event *ev)
{
	switch (ev->kind) {
	case WARN_EV_CHECKIN:
		if (s->last_checkin > 0 && ev->at >= s->last_checkin) {
			int64_t g = ev->at - s->last_checkin;

			s->gaps[s->gap_next] = (int32_t)(g > INT32_MAX ? INT32_MAX : g);
			s->gap_next = (uint8_t)((s->gap_next + 1) % WARN_GAPS);
			if (s->ngaps < WARN_GAPS)
				s->ngaps++;
		}
		if (s->first_checkin == 0)
			s->first_checkin = ev->at;
		s->last_checkin = ev->at;
		s->ncheckins++;
		if (ev->mood >= 1 && ev->mood <= 5) {
			series_push(&s->mood, ev->mood);
			if (!series_alarm(p, &s->mood, false))
				s->mood.since = 0;
			else if (s->mood.since == 0)
				s->mood.since = ev->at;
		}
		if (ev->craving >= 0 && ev->craving <= 10) {
			series_push(&s->craving, ev->craving);
			if (!series_alarm(p, &s->craving, true))
				s->craving.since = 0;
			else if (s->craving.since == 0)
				s->craving.since = ev->at;
		}
		if (ev->used)
			s->last_use = ev->at;
		break;
	case WARN_EV_ATTENDED:
		s->missed_run = 0;
		s->missed_since = 0;
		break;
	case WARN_EV_MISSED:
		if (s->missed_run == 0)
			s->missed_since = ev->at;
		if (s->missed_run < UINT16_MAX)
			s->missed_run++;
		break;
	}
}

static int32_t
median_gap(const struct warn_state *s)
{
	int32_t v[WARN_GAPS], t;
	int i, j, n = s->ngaps;

	memcpy(v, s->gaps, sizeof(v));
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && v[j - 1] > v[j]; j--) {
			t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return n % 2 ? v[n / 2] : (int32_t)(((int64_t)v[n / 2 - 1] + v[n / 2]) / 2);
}

static int32_t
days_up(int64_t secs)
{
	return (int32_t)((secs + DAY - 1) / DAY);
}

int
warn_evaluate(const struct warn_params *p, const struct warn_state *s, int64_t now,
    struct warn_finding *out)
{
	int n = 0;
	bool fresh = s->last_checkin > 0 && now - s->last_checkin <= (int64_t)p->stale_days * DAY;

	if (s->ncheckins >= (unsigned)p->min_checkins && s->ngaps > 0) {
		int64_t usual = median_gap(s);
		int64_t limit = usual * p->gap_factor_pct / 100;
		int64_t silent = now - s->last_checkin;

		if (limit < (int64_t)p->gap_min_days * DAY)
			limit = (int64_t)p->gap_min_days * DAY;
		if (silent > limit) {
			out[n].cause = WARN_CHECKINS_STOPPED;
			out[n].episode = s->last_checkin;
			out[n].value = (int32_t)(silent / DAY);
			out[n].usual = days_up(usual > 0 ? usual : 1);
			n++;
		}
	}
	if (s->missed_run >= (unsigned)p->missed_meetings) {
		out[n].cause = WARN_MEETINGS_MISSED;
		out[n].episode = s->missed_since;
		out[n].value = s->missed_run;
		out[n].usual = 0;
		n++;
	}
	if (fresh && s->craving.since != 0 && series_alarm(p, &s->craving, true)) {
		out[n].cause = WARN_CRAVING_RISING;
		out[n].episode = s->craving.since;
		out[n].value = recent_x100(&s->craving) / 10;
		out[n].usual = s->craving.base_x100 / 10;
		n++;
	}
	if (fresh && s->mood.since != 0 && series_alarm(p, &s->mood, false)) {
		out[n].cause = WARN_MOOD_FALLING;
		out[n].episode = s->mood.since;
		out[n].value = recent_x100(&s->mood) / 10;
		out[n].usual = s->mood.base_x100 / 10;
		n++;
	}
	if (s->last_use > 0 && now - s->last_use <= (int64_t)p->use_days * DAY &&
	    now >= s->last_use) {
		out[n].cause = WARN_USE_REPORTED;
		out[n].episode = s->last_use;
		out[n].value = 0;
		out[n].usual = 0;
		n++;
	}
	return n;
}

int
warn_member(const struct warn_params *p, const struct warn_event *events, size_t n, int64_t now,
    struct warn_finding *out)
{
	struct warn_state s;
	size_t i;

	warn_state_init(&s);
	for (i = 0; i < n; i++)
		warn_feed(p, &s, &events[i]);
	return warn_evaluate(p, &s, now, out);
}
