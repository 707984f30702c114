/*
 * trends.c: weekly means of check-in values (see trends.h).
 */
#include "checkins/trends.h"

#include <string.h>

#include "checkins/days.h"

static int
clamp_weeks(int weeks)
{
	if (weeks < 1)
		return 1;
	return weeks > TRENDS_WEEKS_MAX ? TRENDS_WEEKS_MAX : weeks;
}

int64_t
trends_first_day(int64_t today, int weeks)
{
	int64_t monday = today - days_weekday(today);

	return monday - 7 * (int64_t)(clamp_weeks(weeks) - 1);
}

int
trends_weekly(const struct checkin *rows, size_t n, int64_t today, int64_t offset_s,
    int weeks, struct trend_week *out)
{
	double sum[TRENDS_WEEKS_MAX][TREND_COUNT];
	int cnt[TRENDS_WEEKS_MAX][TREND_COUNT];
	int64_t first;
	size_t i;
	int w, m;

	weeks = clamp_weeks(weeks);
	first = trends_first_day(today, weeks);
	memset(sum, 0, sizeof(sum));
	memset(cnt, 0, sizeof(cnt));
	memset(out, 0, sizeof(*out) * (size_t)weeks);
	for (w = 0; w < weeks; w++)
		out[w].first_day = first + 7 * w;
	for (i = 0; i < n; i++) {
		const struct checkin *ci = &rows[i];
		int64_t day = days_of_time(ci->created_at, offset_s);
		int v[TREND_COUNT];

		if (day < first || day >= first + 7 * (int64_t)weeks)
			continue;
		w = (int)((day - first) / 7);
		out[w].checkins++;
		v[TREND_MOOD] = ci->mood;
		v[TREND_CRAVING] = ci->craving;
		v[TREND_STRESS] = ci->stress;
		v[TREND_SLEEP] = ci->sleep_halves;
		for (m = 0; m < TREND_COUNT; m++) {
			if (v[m] < 0)
				continue;
			sum[w][m] += m == TREND_SLEEP ? v[m] / 2.0 : v[m];
			cnt[w][m]++;
		}
	}
	for (w = 0; w < weeks; w++)
		for (m = 0; m < TREND_COUNT; m++)
			if (cnt[w][m] > 0) {
				out[w].has[m] = true;
				out[w].mean[m] = sum[w][m] / cnt[w][m];
			}
	return weeks;
}
