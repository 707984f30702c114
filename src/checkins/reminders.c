/*
 * reminders.c: reminder times and quiet hours (see reminders.h).
 *
 * Candidates are built in the member's wall-clock time, day by day from
 * the local day of "after", and turned into instants with tz_local_to_utc;
 * so 08:00 stays 08:00 across daylight-saving changes.  Three days are
 * always enough to find the next one (a time skipped by a clock change
 * exists the next day).
 */
#include "checkins/reminders.h"

#include <stdio.h>
#include <string.h>

bool
reminders_parse_time(const char *s, int *minutes)
{
	int h = 0, m, n = 0;

	if (s == NULL)
		return false;
	while (*s >= '0' && *s <= '9' && n < 2) {
		h = h * 10 + (*s++ - '0');
		n++;
	}
	if (n == 0 || *s++ != ':' || s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return false;
	m = (s[0] - '0') * 10 + (s[1] - '0');
	if (s[2] != '\0' && !(s[2] == ':' && s[3] == '0' && s[4] == '0' && s[5] == '\0'))
		return false;	/* "08:00:00" from some browsers is fine */
	if (h > 23 || m > 59)
		return false;
	*minutes = h * 60 + m;
	return true;
}

void
reminders_format_time(int minutes, char out[6])
{
	if (minutes < 0 || minutes >= 1440)
		minutes = 0;
	snprintf(out, 6, "%02d:%02d", minutes / 60, minutes % 60);
}

bool
reminders_add_time(struct reminder_plan *p, int minutes)
{
	int i, j;

	for (i = 0; i < p->ntimes; i++)
		if (p->times[i] == minutes)
			return true;
	if (p->ntimes == REMINDER_TIMES_MAX)
		return false;
	for (i = 0; i < p->ntimes && p->times[i] < minutes; i++)
		;
	for (j = p->ntimes; j > i; j--)
		p->times[j] = p->times[j - 1];
	p->times[i] = minutes;
	p->ntimes++;
	return true;
}

bool
reminders_parse_list(const char *s, struct reminder_plan *p)
{
	char item[16];
	int m;

	p->ntimes = 0;
	while (s != NULL && *s != '\0') {
		size_t n = strcspn(s, ",");

		if (n == 0 || n >= sizeof(item))
			return false;
		memcpy(item, s, n);
		item[n] = '\0';
		if (!reminders_parse_time(item, &m) || !reminders_add_time(p, m))
			return false;
		s += n;
		if (*s == ',')
			s++;
	}
	return true;
}

void
reminders_format_list(const struct reminder_plan *p, char *out, size_t size)
{
	size_t used = 0;
	int i;

	if (size == 0)
		return;
	out[0] = '\0';
	for (i = 0; i < p->ntimes && used + 7 < size; i++) {
		char t[6];

		reminders_format_time(p->times[i], t);
		used += (size_t)snprintf(out + used, size - used, "%s%s", i ? "," : "", t);
	}
}

bool
reminders_in_quiet(const struct reminder_plan *p, int m)
{
	if (p->quiet_start < 0 || p->quiet_end < 0 || p->quiet_start == p->quiet_end)
		return false;
	if (p->quiet_start < p->quiet_end)
		return m >= p->quiet_start && m < p->quiet_end;
	return m >= p->quiet_start || m < p->quiet_end;	/* over midnight */
}

static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

int64_t
reminders_next(const struct reminder_plan *p, const struct tz *tz, int64_t after)
{
	int64_t day = floor_div(tz_utc_to_local(tz, after), 86400), d;
	int i;

	for (d = day; d <= day + 2; d++) {
		for (i = 0; i < p->ntimes; i++) {
			int64_t at;

			if (reminders_in_quiet(p, p->times[i]))
				continue;
			at = tz_local_to_utc(tz, d * 86400 + (int64_t)p->times[i] * 60);
			if (at > after)
				return at;
		}
	}
	return -1;
}

int64_t
reminders_after_quiet(const struct reminder_plan *p, const struct tz *tz, int64_t t)
{
	int64_t local = tz_utc_to_local(tz, t), day = floor_div(local, 86400);
	int m = (int)((local - day * 86400) / 60);
	int64_t end;

	if (!reminders_in_quiet(p, m))
		return t;
	/* the quiet hours end today, or tomorrow when they started before midnight */
	end = day * 86400 + (int64_t)p->quiet_end * 60;
	if (m >= p->quiet_end)
		end += 86400;
	end = tz_local_to_utc(tz, end);
	return end > t ? end : t;
}
