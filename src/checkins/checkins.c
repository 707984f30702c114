/*
 * checkins.c: the accountability area's start-up (see checkins.h).
 */
#include "checkins/checkins.h"

#include "checkins/partners.h"
#include "checkins/remind.h"
#include "checkins/sms.h"
#include "notify/jobs.h"

void
checkins_init(void)
{
	jobs_register("sms", sms_job_send);
	jobs_register("reminder", remind_job);
	jobs_register("partner_watch", partners_watch_job);
}
